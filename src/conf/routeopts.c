/*
 * routeopts.c: the ip-route(8) and ip-rule(8) options of virtual_routes and
 * virtual_rules beyond the basic ones grammar.c reads (destination, via,
 * dev, table, ...): route metrics (mtu, advmss, rtt, ... with "lock"),
 * congctl, expires, pref, tos, realms, ttl-propagate, "from" and multipath
 * "nexthop" lists; rule tos, realms, suppress_prefixlength,
 * suppress_ifgroup, tunnel-id, uidrange, protocol, ipproto, sport, dport,
 * l3mdev, goto and nop, as keepalived takes them. Parsing and the canonical
 * dump live together so the two cannot drift; linux/netlink.c encodes them.
 */
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/fib_rules.h>
#include <linux/rtnetlink.h>

#include "conf/routeopts.h"
#include "conf/grammar.h"

_Static_assert(RTAX_FASTOPEN_NO_COOKIE + 1 == CONF_RTAX_N, "CONF_RTAX_N");

/* Route metrics, by RTAX_ number; unit: how the value is written. */
enum unit { U_NUM, U_TIME_MS, U_BOOL };
static const struct {
	const char *name;
	int rtax;
	enum unit unit;
} metrics[] = {
    {"mtu", RTAX_MTU, U_NUM},
    {"advmss", RTAX_ADVMSS, U_NUM},
    {"hoplimit", RTAX_HOPLIMIT, U_NUM},
    {"window", RTAX_WINDOW, U_NUM},
    {"cwnd", RTAX_CWND, U_NUM},
    {"ssthresh", RTAX_SSTHRESH, U_NUM},
    {"reordering", RTAX_REORDERING, U_NUM},
    {"initcwnd", RTAX_INITCWND, U_NUM},
    {"initrwnd", RTAX_INITRWND, U_NUM},
    {"rtt", RTAX_RTT, U_TIME_MS},
    {"rttvar", RTAX_RTTVAR, U_TIME_MS},
    {"rto_min", RTAX_RTO_MIN, U_TIME_MS},
    {"quickack", RTAX_QUICKACK, U_BOOL},
    {"fastopen_no_cookie", RTAX_FASTOPEN_NO_COOKIE, U_BOOL},
    {"features", RTAX_FEATURES, U_NUM},
};
#define N_METRICS (sizeof(metrics) / sizeof(metrics[0]))

const char *const route_extra_words[] = {
    "from",       "mtu",      "advmss",        "hoplimit", "window",
    "cwnd",       "ssthresh", "reordering",    "initcwnd", "initrwnd",
    "rtt",        "rttvar",   "rto_min",       "quickack", "fastopen_no_cookie",
    "features",   "lock",     "congctl",       "expires",  "pref",
    "tos",        "realms",   "ttl-propagate", "nexthop",  "priority",
    "preference", "oif",      "encap",         "vrf",      "inet",
    "inet6",      NULL};

const char *const rule_extra_words[] = {"order",
                                        "tos",
                                        "dsfield",
                                        "realms",
                                        "suppress_prefixlength",
                                        "sup_pl",
                                        "suppress_ifgroup",
                                        "sup_group",
                                        "tunnel-id",
                                        "uidrange",
                                        "protocol",
                                        "ipproto",
                                        "sport",
                                        "dport",
                                        "l3mdev",
                                        "goto",
                                        "nop",
                                        "type",
                                        "dev",
                                        "inet",
                                        "inet6",
                                        NULL};

void conf_route_init_extra(struct conf_route *r)
{
	for (int i = 0; i < CONF_RTAX_N; i++)
		r->metrics[i] = -1;
	r->expires = r->realms = -1;
	r->tos = r->pref = r->ttl_propagate = -1;
	r->from_len = -1;
}

void conf_rule_init_extra(struct conf_rule *r)
{
	r->tos = r->realms = r->suppress_prefixlen = r->suppress_ifgroup = -1;
	r->tunnel_id = r->protocol = r->ip_proto = r->goto_target = -1;
	r->uid_range[0] = r->uid_range[1] = r->sport[0] = r->sport[1] = -1;
	r->dport[0] = r->dport[1] = -1;
}

static bool num(const char *s, long long min, long long max, int64_t *out)
{
	char *end;
	long long v = strtoll(s, &end, 0);

	if (!*s || *end || v < min || v > max)
		return false;
	*out = v;
	return true;
}

/* "100ms", "2s", "500us" or a plain number of milliseconds, as ip-route takes it */
static bool time_ms(const char *s, int64_t *out)
{
	char *end;
	double v = strtod(s, &end);

	if (end == s || v < 0)
		return false;
	if (!strcmp(end, "s") || !strcmp(end, "sec") || !strcmp(end, "secs"))
		v *= 1000;
	else if (!strcmp(end, "us") || !strcmp(end, "usec") || !strcmp(end, "usecs"))
		v /= 1000;
	else if (*end && strcmp(end, "ms") && strcmp(end, "msec") && strcmp(end, "msecs"))
		return false;
	if (v > 0x7fffffff)
		return false;
	*out = (int64_t)v;
	return true;
}

/* "10", "10/20" (from/to realm) */
static bool realms(const char *s, int64_t *out)
{
	int64_t a, b = -1;
	char tmp[32], *slash;

	snprintf(tmp, sizeof(tmp), "%s", s);
	if ((slash = strchr(tmp, '/')))
		*slash = '\0';
	if (!num(tmp, 0, 0xffff, &a) || (slash && !num(slash + 1, 0, 0xffff, &b)))
		return false;
	*out = slash ? (a << 16) | b : a;
	return true;
}

static bool range(const char *s, long long max, int64_t out[2])
{
	char tmp[48], *dash;
	int64_t a, b;

	snprintf(tmp, sizeof(tmp), "%s", s);
	if ((dash = strchr(tmp, '-')))
		*dash = '\0';
	if (!num(tmp, 0, max, &a) || (dash && !num(dash + 1, 0, max, &b)))
		return false;
	out[0] = a;
	out[1] = dash ? b : a;
	return out[1] >= out[0];
}

static int metric_index(const char *w)
{
	for (size_t i = 0; i < N_METRICS; i++)
		if (!strcmp(metrics[i].name, w))
			return (int)i;
	return -1;
}

/* nexthop via ADDR [dev IF] [weight N] [onlink] ... */
static void nexthop(struct pctx *p, struct conf_route *r, const struct srcpos *pos)
{
	static const char *const words[] = {"via", "dev", "weight", "onlink", NULL};
	struct conf_nexthop nh = {0};
	const struct tok *t;
	char *a;

	while ((t = parse_entry_opt(p, words))) {
		char w[16];
		snprintf(w, sizeof(w), "%s", t->text);
		if (!strcmp(w, "onlink")) {
			nh.onlink = true;
			continue;
		}
		if (!(a = parse_entry_arg(p, w, pos)))
			return;
		int64_t n;
		if (!strcmp(w, "via") && !addr_parse(a, &nh.via))
			ERR(p, pos, "nexthop via: '%s' is not an IP address", a);
		else if (!strcmp(w, "dev"))
			parse_set_ifname(p, nh.dev, a, pos);
		else if (!strcmp(w, "weight") && num(a, 1, 256, &n))
			nh.weight = (int)n;
		else if (!strcmp(w, "weight"))
			ERR(p, pos, "nexthop weight: '%s' is not a number from 1 to 256", a);
		free(a);
	}
	if (!addr_is_set(&nh.via) && !nh.dev[0])
		ERR(p, pos, "nexthop needs via or dev");
	else if (r->n_nexthops >= CONF_NEXTHOPS_MAX)
		ERR(p, pos, "more than %d nexthops", CONF_NEXTHOPS_MAX);
	else
		r->nexthops[r->n_nexthops++] = nh;
}

bool route_extra_option(struct pctx *p, struct conf_route *r, const char *opt,
                        const struct srcpos *pos)
{
	int64_t n;
	int m;
	char *a;

	if (!strcmp(opt, "inet") || !strcmp(opt, "inet6"))
		return true; /* the family follows from the addresses */
	if (!strcmp(opt, "nexthop")) {
		nexthop(p, r, pos);
		return true;
	}
	if (!strcmp(opt, "encap") || !strcmp(opt, "vrf")) {
		ERR(p, pos, "route option '%s' is not supported by vipd", opt);
		for (const struct tok *t = lex_peek(p->lx);
		     t->kind == TOK_WORD && tok_same_line(t, pos); t = lex_peek(p->lx))
			lex_next(p->lx); /* its arguments, to the end of the line */
		return true;
	}
	if (!(a = parse_entry_arg(p, opt, pos)))
		return true;
	if (!strcmp(opt, "lock")) {
		if ((m = metric_index(a)) < 0 || metrics[m].unit == U_BOOL)
			ERR(p, pos, "lock: '%s' is not a route metric", a);
		else
			r->metrics_lock |= 1u << metrics[m].rtax;
		free(a);
		a = parse_entry_arg(p, opt, pos); /* lock mtu 1400: the value follows */
		if (!a)
			return true;
		opt = metrics[m < 0 ? 0 : m].name;
	}
	if ((m = metric_index(opt)) >= 0) {
		bool ok = metrics[m].unit == U_TIME_MS ? time_ms(a, &n)
		          : metrics[m].unit == U_BOOL  ? num(a, 0, 1, &n)
		                                       : num(a, 0, 0xffffffffLL, &n);
		if (!ok)
			ERR(p, pos, "%s: '%s' is not a %s", opt, a,
			    metrics[m].unit == U_TIME_MS ? "time (100ms, 1s)"
			    : metrics[m].unit == U_BOOL  ? "0 or 1"
			                                 : "number");
		else
			r->metrics[metrics[m].rtax] = n;
	} else if (!strcmp(opt, "from")) {
		if (!addr_parse_prefix(a, &r->from, &r->from_len))
			ERR(p, pos, "from: '%s' is not an address or prefix", a);
	} else if (!strcmp(opt, "priority") || !strcmp(opt, "preference")) {
		if (!num(a, 0, 0xffffffffLL, &r->metric))
			ERR(p, pos, "%s: '%s' is not a number", opt, a);
	} else if (!strcmp(opt, "oif")) {
		parse_set_ifname(p, r->dev, a, pos);
	} else if (!strcmp(opt, "congctl")) {
		if (!*a || strlen(a) >= sizeof(r->congctl))
			ERR(p, pos, "congctl: '%s' is not a congestion control name", a);
		else
			snprintf(r->congctl, sizeof(r->congctl), "%s", a);
	} else if (!strcmp(opt, "expires")) {
		if (!num(a, 0, 0x7fffffff, &r->expires))
			ERR(p, pos, "expires: '%s' is not a number of seconds", a);
	} else if (!strcmp(opt, "pref")) {
		r->pref = !strcmp(a, "low")      ? 3
		          : !strcmp(a, "medium") ? 0
		          : !strcmp(a, "high")   ? 1
		                                 : -1;
		if (r->pref < 0)
			ERR(p, pos, "pref: '%s' is not low, medium or high", a);
	} else if (!strcmp(opt, "tos")) {
		if (!num(a, 0, 255, &n))
			ERR(p, pos, "tos: '%s' is not a number from 0 to 255", a);
		else
			r->tos = (int)n;
	} else if (!strcmp(opt, "realms")) {
		if (!realms(a, &r->realms))
			ERR(p, pos, "realms: '%s' is not REALM or FROM/TO", a);
	} else if (!strcmp(opt, "ttl-propagate")) {
		r->ttl_propagate = !strcmp(a, "enabled") ? 1 : !strcmp(a, "disabled") ? 0 : -1;
		if (r->ttl_propagate < 0)
			ERR(p, pos, "ttl-propagate: '%s' is not enabled or disabled", a);
	} else {
		free(a);
		return false;
	}
	free(a);
	return true;
}

static const char *pref_name(int pref)
{
	return pref == 3 ? "low" : pref == 1 ? "high" : "medium";
}

void dump_route_extra(FILE *f, const struct conf_route *r)
{
	char buf[ADDR_STRLEN];

	if (addr_is_set(&r->from))
		fprintf(f, " from %s/%d", addr_ntop(&r->from, buf),
		        r->from_len >= 0            ? r->from_len
		        : r->from.family == AF_INET ? 32
		                                    : 128);
	for (size_t i = 0; i < N_METRICS; i++) {
		int64_t v = r->metrics[metrics[i].rtax];
		if (v < 0)
			continue;
		fprintf(f, " %s%s %lld%s", r->metrics_lock & (1u << metrics[i].rtax) ? "lock " : "",
		        metrics[i].name, (long long)v, metrics[i].unit == U_TIME_MS ? "ms" : "");
	}
	if (r->congctl[0])
		fprintf(f, " congctl %s", r->congctl);
	if (r->expires >= 0)
		fprintf(f, " expires %lld", (long long)r->expires);
	if (r->pref >= 0)
		fprintf(f, " pref %s", pref_name(r->pref));
	if (r->tos >= 0)
		fprintf(f, " tos %d", r->tos);
	if (r->realms >= 0)
		fprintf(f, " realms %lld/%lld", (long long)(r->realms >> 16),
		        (long long)(r->realms & 0xffff));
	if (r->ttl_propagate >= 0)
		fprintf(f, " ttl-propagate %s", r->ttl_propagate ? "enabled" : "disabled");
	for (int i = 0; i < r->n_nexthops; i++) {
		const struct conf_nexthop *nh = &r->nexthops[i];
		fputs(" nexthop", f);
		if (addr_is_set(&nh->via))
			fprintf(f, " via %s", addr_ntop(&nh->via, buf));
		if (nh->dev[0])
			fprintf(f, " dev %s", nh->dev);
		if (nh->weight)
			fprintf(f, " weight %d", nh->weight);
		if (nh->onlink)
			fputs(" onlink", f);
	}
}

static bool ip_proto(const char *s, int64_t *out)
{
	struct protoent *pe;

	if (num(s, 0, 255, out))
		return true;
	if (!strcmp(s, "tcp") || !strcmp(s, "udp") || !strcmp(s, "icmp") || !strcmp(s, "sctp") ||
	    !strcmp(s, "ipv6-icmp") || !strcmp(s, "gre") || !strcmp(s, "esp") || !strcmp(s, "ah")) {
		static const struct {
			const char *n;
			int v;
		} known[] = {{"tcp", 6},        {"udp", 17}, {"icmp", 1}, {"sctp", 132},
		             {"ipv6-icmp", 58}, {"gre", 47}, {"esp", 50}, {"ah", 51}};
		for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
			if (!strcmp(known[i].n, s))
				return (*out = known[i].v), true;
	}
	if ((pe = getprotobyname(s)))
		return (*out = pe->p_proto), true;
	return false;
}

/* The rule's action from "blackhole" etc. (grammar.c) or goto / nop here;
 * at most one of table/goto/nop/blackhole/... is checked by the caller. */
bool rule_extra_option(struct pctx *p, struct conf_rule *r, const char *opt,
                       const struct srcpos *pos)
{
	char *a;
	bool ok = true;

	if (!strcmp(opt, "inet") || !strcmp(opt, "inet6") || !strcmp(opt, "type"))
		return true; /* the family follows from the addresses; "type goto 5" */
	if (!strcmp(opt, "l3mdev")) {
		r->l3mdev = true;
		return true;
	}
	if (!strcmp(opt, "nop")) {
		r->action = FR_ACT_NOP;
		return true;
	}
	if (!(a = parse_entry_arg(p, opt, pos)))
		return true;
	if (!strcmp(opt, "order"))
		ok = num(a, 0, 0xffffffffLL, &r->priority);
	else if (!strcmp(opt, "tos") || !strcmp(opt, "dsfield"))
		ok = num(a, 0, 255, &r->tos);
	else if (!strcmp(opt, "realms"))
		ok = realms(a, &r->realms);
	else if (!strcmp(opt, "suppress_prefixlength") || !strcmp(opt, "sup_pl"))
		ok = num(a, 0, 0x7fffffff, &r->suppress_prefixlen);
	else if (!strcmp(opt, "suppress_ifgroup") || !strcmp(opt, "sup_group"))
		ok = num(a, 0, 0x7fffffff, &r->suppress_ifgroup);
	else if (!strcmp(opt, "tunnel-id"))
		ok = num(a, 0, 0x7fffffffffffffffLL, &r->tunnel_id);
	else if (!strcmp(opt, "protocol"))
		ok = num(a, 0, 255, &r->protocol);
	else if (!strcmp(opt, "ipproto"))
		ok = ip_proto(a, &r->ip_proto);
	else if (!strcmp(opt, "uidrange"))
		ok = range(a, 0xffffffffLL, r->uid_range) && strchr(a, '-');
	else if (!strcmp(opt, "sport"))
		ok = range(a, 65535, r->sport);
	else if (!strcmp(opt, "dport"))
		ok = range(a, 65535, r->dport);
	else if (!strcmp(opt, "goto")) {
		ok = num(a, 0, 0xffffffffLL, &r->goto_target);
		r->action = FR_ACT_GOTO;
	} else if (!strcmp(opt, "dev")) {
		parse_set_ifname(p, r->iif, a, pos);
	} else {
		free(a);
		return false;
	}
	if (!ok)
		ERR(p, pos, "%s: '%s' is not valid here", opt, a);
	free(a);
	return true;
}

static void put_range(FILE *f, const char *name, const int64_t v[2])
{
	if (v[0] < 0)
		return;
	if (v[0] == v[1] && strcmp(name, "uidrange"))
		fprintf(f, " %s %lld", name, (long long)v[0]);
	else
		fprintf(f, " %s %lld-%lld", name, (long long)v[0], (long long)v[1]);
}

void dump_rule_extra(FILE *f, const struct conf_rule *r)
{
	if (r->tos >= 0)
		fprintf(f, " tos %lld", (long long)r->tos);
	if (r->realms >= 0)
		fprintf(f, " realms %lld/%lld", (long long)(r->realms >> 16),
		        (long long)(r->realms & 0xffff));
	if (r->suppress_prefixlen >= 0)
		fprintf(f, " suppress_prefixlength %lld", (long long)r->suppress_prefixlen);
	if (r->suppress_ifgroup >= 0)
		fprintf(f, " suppress_ifgroup %lld", (long long)r->suppress_ifgroup);
	if (r->tunnel_id >= 0)
		fprintf(f, " tunnel-id %lld", (long long)r->tunnel_id);
	if (r->protocol >= 0)
		fprintf(f, " protocol %lld", (long long)r->protocol);
	if (r->ip_proto >= 0)
		fprintf(f, " ipproto %lld", (long long)r->ip_proto);
	put_range(f, "uidrange", r->uid_range);
	put_range(f, "sport", r->sport);
	put_range(f, "dport", r->dport);
	if (r->l3mdev)
		fputs(" l3mdev", f);
	if (r->action == FR_ACT_GOTO)
		fprintf(f, " goto %lld", (long long)r->goto_target);
	else if (r->action == FR_ACT_NOP)
		fputs(" nop", f);
}
