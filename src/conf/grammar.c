/*
 * grammar.c: the list grammars inside keepalived.conf blocks, one entry per
 * line: virtual_ipaddress (ip-address(8) syntax), virtual_routes (ip-route),
 * virtual_rules (ip-rule), unicast_peer, advert_path, the track_* lists and
 * sync group members. Each entry goes into the VEC its keyword names.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <linux/fib_rules.h>
#include <linux/rtnetlink.h>

#include "conf/grammar.h"
#include "conf/parse.h"
#include "conf/routeopts.h"

/* ---- virtual_ipaddress ---- */

static const char *const vip_opts[] = {"brd",      "broadcast",     "dev",           "scope",
                                       "label",    "peer",          "home",          "-nodad",
                                       "nodad",    "mngtmpaddr",    "noprefixroute", "autojoin",
                                       "no_track", "preferred_lft", "use_vmac",      "track_group",
                                       NULL};

int conf_scope_parse(const char *s)
{
	static const struct {
		const char *n;
		int v;
	} sc[] = {{"global", RT_SCOPE_UNIVERSE},
	          {"site", RT_SCOPE_SITE},
	          {"link", RT_SCOPE_LINK},
	          {"host", RT_SCOPE_HOST},
	          {"nowhere", RT_SCOPE_NOWHERE}};
	long v;

	for (size_t i = 0; i < sizeof(sc) / sizeof(sc[0]); i++)
		if (!strcmp(s, sc[i].n))
			return sc[i].v;
	return parse_long(s, 0, 255, &v) ? (int)v : -1;
}

bool parse_set_ifname(struct pctx *p, char *dst, const char *v, const struct srcpos *pos)
{
	if (!v)
		return false;
	if (strlen(v) >= IFNAMSIZ || !*v) {
		ERR(p, pos, "'%s' is not a valid interface name", v);
		return false;
	}
	strcpy(dst, v);
	return true;
}

bool parse_set_name(struct pctx *p, char *dst, const char *v, const struct srcpos *pos,
                    const char *what)
{
	if (strlen(v) >= CONF_NAME_MAX || !*v) {
		ERR(p, pos, "%s: '%s' is not a valid name", what, v);
		return false;
	}
	strcpy(dst, v);
	return true;
}

static void vip_option(struct pctx *p, struct conf_vip *v, const struct tok *o)
{
	struct srcpos pos = o->pos;
	char opt[32];
	char *a = NULL;
	int plen;

	snprintf(opt, sizeof(opt), "%s", o->text);
	if (!strcmp(opt, "home") || !strcmp(opt, "mngtmpaddr") || !strcmp(opt, "noprefixroute") ||
	    !strcmp(opt, "autojoin") || !strcmp(opt, "no_track") || !strcmp(opt, "use_vmac") ||
	    !strcmp(opt, "-nodad") || !strcmp(opt, "nodad")) {
		v->home |= !strcmp(opt, "home");
		v->mngtmpaddr |= !strcmp(opt, "mngtmpaddr");
		v->noprefixroute |= !strcmp(opt, "noprefixroute");
		v->autojoin |= !strcmp(opt, "autojoin");
		v->no_track |= !strcmp(opt, "no_track");
		v->use_vmac |= !strcmp(opt, "use_vmac");
		v->nodad |= !strcmp(opt, "-nodad") || !strcmp(opt, "nodad");
		return;
	}
	if (!(a = parse_entry_arg(p, opt, &pos)))
		return;
	if (!strcmp(opt, "brd") || !strcmp(opt, "broadcast")) {
		if (!addr_parse(a, &v->brd) || v->brd.family != AF_INET)
			ERR(p, &pos, "brd: '%s' is not an IPv4 address", a);
	} else if (!strcmp(opt, "dev")) {
		parse_set_ifname(p, v->dev, a, &pos);
	} else if (!strcmp(opt, "label")) {
		if (strlen(a) >= IFNAMSIZ)
			ERR(p, &pos, "label '%s' is longer than %d characters", a, IFNAMSIZ - 1);
		else
			strcpy(v->label, a);
	} else if (!strcmp(opt, "scope")) {
		if ((v->scope = conf_scope_parse(a)) < 0)
			ERR(p, &pos, "scope: '%s' is not global, site, link, host or nowhere", a);
	} else if (!strcmp(opt, "peer")) {
		if (!addr_parse_prefix(a, &v->peer, &plen))
			ERR(p, &pos, "peer: '%s' is not an address", a);
		v->peer_prefixlen = plen;
	} else if (!strcmp(opt, "preferred_lft")) {
		long n;
		if (!strcmp(a, "forever"))
			v->preferred_lft = -2;
		else if (parse_long(a, 0, UINT32_MAX - 1, &n))
			v->preferred_lft = n;
		else
			ERR(p, &pos, "preferred_lft: '%s' is not a number of seconds or forever",
			    a);
	} else if (!strcmp(opt, "track_group")) {
		parse_set_name(p, v->track_group, a, &pos, "track_group");
	}
	free(a);
}

static void vip_entry_into(struct pctx *p, void *vec, const struct tok *head)
{
	VEC(struct conf_vip) *vips = vec;
	struct conf_vip v = {
	    .scope = -1, .preferred_lft = -1, .peer_prefixlen = -1, .pos = head->pos};
	const struct tok *o;

	if (!addr_parse_prefix(head->text, &v.addr, &v.prefixlen)) {
		ERR(p, &head->pos, "'%s' is not an IP address or address/prefix", head->text);
		while ((o = parse_entry_opt(p, vip_opts)))
			vip_option(p, &v, o);
		return;
	}
	while ((o = parse_entry_opt(p, vip_opts)))
		vip_option(p, &v, o);
	struct conf_vip *slot = VEC_PUSH(vips);
	if (slot)
		*slot = v;
}

/* virtual_ipaddress, virtual_ipaddress_excluded, static_ipaddress: the
 * entries go into the VEC at k->off in obj. */
void kw_vips(struct pctx *p, const struct kw *k, void *obj, const struct tok *kw)
{
	parse_list_block(p, (char *)obj + k->off, kw, vip_entry_into);
}

/* ---- virtual_routes ---- */

static const char *const route_opts[] = {
    "src",         "to",       "via",      "gw",    "or",      "dev",         "scope",
    "table",       "metric",   "protocol", "proto", "onlink",  "no_track",    "blackhole",
    "unreachable", "prohibit", "throw",    "local", "unicast", "track_group", NULL};

static int route_type(const char *s)
{
	if (!strcmp(s, "blackhole"))
		return RTN_BLACKHOLE;
	if (!strcmp(s, "unreachable"))
		return RTN_UNREACHABLE;
	if (!strcmp(s, "prohibit"))
		return RTN_PROHIBIT;
	if (!strcmp(s, "throw"))
		return RTN_THROW;
	if (!strcmp(s, "local"))
		return RTN_LOCAL;
	if (!strcmp(s, "unicast"))
		return RTN_UNICAST;
	return -1;
}

static void route_addr(struct pctx *p, struct addr *a, const char *s, const struct srcpos *pos,
                       const char *what)
{
	if (!addr_parse(s, a))
		ERR(p, pos, "%s: '%s' is not an IP address", what, s);
}

static bool word_in(const char *w, const char *const *set)
{
	for (; *set; set++)
		if (!strcmp(*set, w))
			return true;
	return false;
}

static bool is_route_opt(const struct tok *t)
{
	return tok_word_in(t, route_opts) || tok_word_in(t, route_extra_words);
}

static void route_option(struct pctx *p, struct conf_route *r, const char *opt,
                         const struct srcpos *pos)
{
	long n;
	char *a;

	if (word_in(opt, route_extra_words) && route_extra_option(p, r, opt, pos))
		return;
	if (route_type(opt) >= 0) {
		r->type = route_type(opt);
		return;
	}
	if (!strcmp(opt, "onlink") || !strcmp(opt, "no_track")) {
		r->onlink |= !strcmp(opt, "onlink");
		r->no_track |= !strcmp(opt, "no_track");
		return;
	}
	if (!strcmp(opt, "to"))
		return; /* the destination follows */
	if (!(a = parse_entry_arg(p, opt, pos)))
		return;
	if (!strcmp(opt, "src"))
		route_addr(p, &r->src, a, pos, "src");
	else if (!strcmp(opt, "via") || !strcmp(opt, "gw"))
		route_addr(p, &r->via, a, pos, "via");
	else if (!strcmp(opt, "or"))
		route_addr(p, &r->or_via, a, pos, "or");
	else if (!strcmp(opt, "dev"))
		parse_set_ifname(p, r->dev, a, pos);
	else if (!strcmp(opt, "track_group"))
		parse_set_name(p, r->track_group, a, pos, "track_group");
	else if (!strcmp(opt, "scope")) {
		if ((r->scope = conf_scope_parse(a)) < 0)
			ERR(p, pos, "scope: '%s' is not a route scope", a);
	} else if (!strcmp(opt, "table")) {
		if (!strcmp(a, "main"))
			r->table = RT_TABLE_MAIN;
		else if (!strcmp(a, "local"))
			r->table = RT_TABLE_LOCAL;
		else if (parse_long(a, 1, UINT32_MAX, &n))
			r->table = (uint32_t)n;
		else
			ERR(p, pos, "table: '%s' is not a table number", a);
	} else if (!strcmp(opt, "metric")) {
		if (!parse_long(a, 0, UINT32_MAX, &n))
			ERR(p, pos, "metric: '%s' is not a number", a);
		else
			r->metric = n;
	} else if (!strcmp(opt, "protocol") || !strcmp(opt, "proto")) {
		if (!parse_long(a, 0, 255, &n))
			ERR(p, pos, "protocol: '%s' is not a number from 0 to 255", a);
		else
			r->protocol = (int)n;
	}
	free(a);
}

/* One word of a route entry: an option, or the destination. */
static bool route_word(struct pctx *p, struct conf_route *r, const struct tok *t, bool *have_dst)
{
	struct srcpos pos = t->pos;
	char w[64];

	snprintf(w, sizeof(w), "%s", t->text);
	if (is_route_opt(t)) {
		route_option(p, r, w, &pos);
		return true;
	}
	if (*have_dst)
		return false;
	if (!strcmp(w, "default")) {
		addr_parse("0.0.0.0", &r->dst);
		r->dst_len = 0;
		*have_dst = true;
	} else if (!(*have_dst = addr_parse_prefix(w, &r->dst, &r->dst_len))) {
		ERR(p, &pos, "'%s' is not a route destination", w);
		*have_dst = true; /* reported; do not report the rest again */
		r->dst.family = AF_UNSPEC;
	}
	return true;
}

static void route_entry(struct pctx *p, void *obj, const struct tok *head)
{
	VEC(struct conf_route) *routes = obj;
	struct conf_route r = {.scope = -1,
	                       .metric = -1,
	                       .protocol = -1,
	                       .type = RTN_UNICAST,
	                       .dst_len = -1,
	                       .pos = head->pos};
	bool have_dst = false;

	conf_route_init_extra(&r);
	static const char *const starts[] = {
	    "src", "to", "blackhole", "unreachable", "prohibit", "throw", "local", "unicast", NULL};

	route_word(p, &r, head, &have_dst);
	for (;;) {
		const struct tok *t = lex_peek(p->lx);
		if (t->kind != TOK_WORD)
			break;
		/* once the destination is known, a new line or a word that can
		 * only start a route begins the next entry */
		if (have_dst &&
		    (!is_route_opt(t) || !tok_same_line(t, &r.pos) || tok_word_in(t, starts)))
			break;
		route_word(p, &r, lex_next(p->lx), &have_dst);
	}
	if (!have_dst) {
		ERR(p, &r.pos, "route has no destination");
		return;
	}
	if (r.dst.family == AF_UNSPEC)
		return;
	struct conf_route *slot = VEC_PUSH(routes);
	if (slot)
		*slot = r;
}

void kw_routes(struct pctx *p, const struct kw *k, void *obj, const struct tok *kw)
{
	parse_list_block(p, (char *)obj + k->off, kw, route_entry);
}

/* ---- virtual_rules ---- */

static const char *const rule_opts[] = {
    "from",      "to",          "table",    "lookup",      "priority", "preference",
    "pref",      "iif",         "oif",      "fwmark",      "not",      "no_track",
    "blackhole", "unreachable", "prohibit", "track_group", NULL};

static void rule_prefix(struct pctx *p, struct addr *a, int *len, const char *s,
                        const struct srcpos *pos, const char *what)
{
	if (!strcmp(s, "all")) {
		*len = 0;
		a->family = AF_UNSPEC;
		return;
	}
	if (!addr_parse_prefix(s, a, len))
		ERR(p, pos, "%s: '%s' is not an address or prefix", what, s);
}

static void rule_option(struct pctx *p, struct conf_rule *r, const char *opt,
                        const struct srcpos *pos)
{
	long n;
	char *a;

	if (word_in(opt, rule_extra_words) && rule_extra_option(p, r, opt, pos))
		return;
	if (!strcmp(opt, "not") || !strcmp(opt, "no_track")) {
		r->invert |= !strcmp(opt, "not");
		r->no_track |= !strcmp(opt, "no_track");
		return;
	}
	if (!strcmp(opt, "blackhole") || !strcmp(opt, "unreachable") || !strcmp(opt, "prohibit")) {
		r->action = !strcmp(opt, "blackhole")     ? FR_ACT_BLACKHOLE
		            : !strcmp(opt, "unreachable") ? FR_ACT_UNREACHABLE
		                                          : FR_ACT_PROHIBIT;
		return;
	}
	if (!(a = parse_entry_arg(p, opt, pos)))
		return;
	if (!strcmp(opt, "from"))
		rule_prefix(p, &r->from, &r->from_len, a, pos, "from");
	else if (!strcmp(opt, "to"))
		rule_prefix(p, &r->to, &r->to_len, a, pos, "to");
	else if (!strcmp(opt, "table") || !strcmp(opt, "lookup")) {
		if (!strcmp(a, "main"))
			r->table = RT_TABLE_MAIN;
		else if (!strcmp(a, "local"))
			r->table = RT_TABLE_LOCAL;
		else if (parse_long(a, 1, UINT32_MAX, &n))
			r->table = (uint32_t)n;
		else
			ERR(p, pos, "table: '%s' is not a table number", a);
	} else if (!strcmp(opt, "iif")) {
		parse_set_ifname(p, r->iif, a, pos);
	} else if (!strcmp(opt, "oif")) {
		parse_set_ifname(p, r->oif, a, pos);
	} else if (!strcmp(opt, "track_group")) {
		parse_set_name(p, r->track_group, a, pos, "track_group");
	} else if (!strcmp(opt, "fwmark")) {
		char *slash = strchr(a, '/');
		char *end;
		if (slash)
			*slash = '\0';
		errno = 0;
		r->fwmark = (int64_t)strtoul(a, &end, 0);
		if (*end || errno || !*a || r->fwmark > UINT32_MAX)
			ERR(p, pos, "fwmark: '%s' is not a mark", a);
		if (slash) {
			r->fwmask = (int64_t)strtoul(slash + 1, &end, 0);
			if (*end || !slash[1] || r->fwmask > UINT32_MAX)
				ERR(p, pos, "fwmark: '%s' is not a mask", slash + 1);
		}
	} else if (!parse_long(a, 0, UINT32_MAX, &n)) {
		ERR(p, pos, "%s: '%s' is not a number", opt, a);
	} else {
		r->priority = n;
	}
	free(a);
}

static bool is_rule_opt(const struct tok *t)
{
	return tok_word_in(t, rule_opts) || tok_word_in(t, rule_extra_words);
}

/* One bit per option word, to see an option come again (the next rule). */
static uint64_t rule_bit(const char *w)
{
	unsigned i = 0;

	for (unsigned k = 0; rule_opts[k]; k++, i++)
		if (!strcmp(rule_opts[k], w))
			return 1ull << i;
	for (unsigned k = 0; rule_extra_words[k]; k++, i++)
		if (!strcmp(rule_extra_words[k], w))
			return strcmp(w, "type") && strcmp(w, "inet") && strcmp(w, "inet6")
			           ? 1ull << i
			           : 0;
	return 0;
}

static void rule_entry(struct pctx *p, void *obj, const struct tok *head)
{
	VEC(struct conf_rule) *rules = obj;
	struct conf_rule r = {.priority = -1,
	                      .fwmark = -1,
	                      .fwmask = -1,
	                      .from_len = -1,
	                      .to_len = -1,
	                      .action = FR_ACT_TO_TBL,
	                      .pos = head->pos};
	const struct tok *t = head;
	int errs = p->c->errors;
	char w[32];

	conf_rule_init_extra(&r);
	if (!is_rule_opt(head)) {
		ERR(p, &head->pos, "'%s' does not start a rule (from, to, table, ...)", head->text);
		return;
	}
	uint64_t seen = 0;
	do {
		struct srcpos pos = t->pos;
		snprintf(w, sizeof(w), "%s", t->text);
		rule_option(p, &r, w, &pos);
		seen |= rule_bit(w);
		t = lex_peek(p->lx);
		/* a new line, or an option this rule already has, starts the next rule */
		if (!is_rule_opt(t) || !tok_same_line(t, &r.pos) || (seen & rule_bit(t->text)))
			break;
		t = lex_next(p->lx);
	} while (t);
	if (errs != p->c->errors)
		return;
	struct conf_rule *slot = VEC_PUSH(rules);
	if (slot)
		*slot = r;
}

void kw_rules(struct pctx *p, const struct kw *k, void *obj, const struct tok *kw)
{
	parse_list_block(p, (char *)obj + k->off, kw, rule_entry);
}

/* ---- unicast_peer ---- */

static void peer_entry(struct pctx *p, void *obj, const struct tok *head)
{
	struct conf_instance *in = obj;
	static const char *const opts[] = {"min_ttl", "max_ttl", NULL};
	struct conf_unicast_peer pe = {.min_ttl = -1, .max_ttl = -1, .pos = head->pos};
	const struct tok *o;
	bool ok = addr_parse(head->text, &pe.addr);

	if (!ok)
		ERR(p, &head->pos, "unicast_peer: '%s' is not an IP address", head->text);
	while ((o = parse_entry_opt(p, opts))) {
		bool min = !strcmp(o->text, "min_ttl");
		struct srcpos pos = o->pos;
		char *a = parse_entry_arg(p, min ? "min_ttl" : "max_ttl", &pos);
		long n;
		if (a && !parse_long(a, 0, 255, &n))
			ERR(p, &pos, "%s: '%s' is not a TTL from 0 to 255",
			    min ? "min_ttl" : "max_ttl", a);
		else if (a)
			*(min ? &pe.min_ttl : &pe.max_ttl) = (int)n;
		free(a);
	}
	struct conf_unicast_peer *slot = ok ? VEC_PUSH(&in->unicast_peers) : NULL;
	if (slot)
		*slot = pe;
}

void kw_peers(struct pctx *p, const struct kw *k, void *obj, const struct tok *kw)
{
	parse_list_block(p, obj, kw, peer_entry);
}

/* ---- advert_path (vipd extension): IFNAME [peer ADDR] [src ADDR] ---- */

static void path_entry(struct pctx *p, void *obj, const struct tok *head)
{
	struct conf_instance *in = obj;
	static const char *const opts[] = {"peer", "src", NULL};
	struct conf_path pa = {.pos = head->pos};
	const struct tok *o;
	bool ok = parse_set_ifname(p, pa.ifname, head->text, &head->pos);

	while ((o = parse_entry_opt(p, opts))) {
		bool peer = !strcmp(o->text, "peer");
		struct srcpos pos = o->pos;
		char *a = parse_entry_arg(p, o->text, &pos);
		if (a && !addr_parse(a, peer ? &pa.peer : &pa.src)) {
			ERR(p, &pos, "advert_path: %s '%s' is not an IP address",
			    peer ? "peer" : "src", a);
			ok = false;
		}
		free(a);
	}
	struct conf_path *slot = ok ? VEC_PUSH(&in->paths) : NULL;
	if (slot)
		*slot = pa;
}

void kw_paths(struct pctx *p, const struct kw *k, void *obj, const struct tok *kw)
{
	parse_list_block(p, obj, kw, path_entry);
}

/* ---- track_* lists: NAME [weight N] [reverse|noreverse] ---- */

struct track_ctx {
	void *vec;
	long wmin, wmax;
};

static void track_entry_into(struct pctx *p, void *vecp, const struct tok *head, long wmax)
{
	struct conf_tracks *vec = vecp;
	static const char *const opts[] = {"weight", "reverse", "noreverse", "no_reverse", NULL};
	struct conf_track tr = {.pos = head->pos};
	const struct tok *o;

	if (strlen(head->text) >= CONF_NAME_MAX || !*head->text)
		ERR(p, &head->pos, "'%s' is not a valid name", head->text);
	else
		strcpy(tr.name, head->text);
	while ((o = parse_entry_opt(p, opts))) {
		struct srcpos pos = o->pos;
		if (strcmp(o->text, "weight")) {
			tr.reverse = !strcmp(o->text, "reverse");
			continue;
		}
		char *a = parse_entry_arg(p, "weight", &pos);
		long n;
		if (a && !parse_long(a, -wmax, wmax, &n))
			ERR(p, &pos, "weight: '%s' is not a whole number from %ld to %ld", a, -wmax,
			    wmax);
		else if (a)
			tr.weight = (int)n, tr.has_weight = true;
		free(a);
	}
	struct conf_track *slot = tr.name[0] ? VEC_PUSH(vec) : NULL;
	if (slot)
		*slot = tr;
}

/* A track_* list: its entries go into the VEC the keyword names, weights
 * within the kind's range (conf_track_kinds). */
struct track_list {
	struct conf_tracks *vec;
	long wmax;
};

static void track_entry(struct pctx *p, void *obj, const struct tok *head)
{
	struct track_list *l = obj;

	track_entry_into(p, l->vec, head, l->wmax);
}

void kw_track(struct pctx *p, const struct kw *k, void *obj, const struct tok *kw)
{
	for (int i = 0; i < CONF_TRACK_KINDS; i++)
		if (!strcmp(conf_track_kinds[i].keyword, k->name)) {
			struct track_list l = {FIELD(obj, k, struct conf_tracks),
			                       conf_track_kinds[i].weight_max};
			parse_list_block(p, &l, kw, track_entry);
		}
}

static void member_entry(struct pctx *p, void *obj, const struct tok *head)
{
	VEC(char *) *members = obj;
	char **slot = VEC_PUSH(members);

	if (slot)
		*slot = strdup(head->text);
}

/* A sync group's or a track_group's group { NAME ... } into the VEC at k->off. */
void kw_group(struct pctx *p, const struct kw *k, void *obj, const struct tok *kw)
{
	parse_list_block(p, (char *)obj + k->off, kw, member_entry);
}

/* ---- interface_up_down_delays ---- */

static bool delay_word(struct pctx *p, const struct tok *head, int64_t *us)
{
	const struct tok *t = lex_peek(p->lx);
	uint64_t v;

	if (t->kind != TOK_WORD || !tok_same_line(t, &head->pos))
		return false;
	if (!conf_parse_usec(t->text, &v) || v > 255000000)
		ERR(p, &t->pos, "interface_up_down_delays: '%s' is not a delay from 0 to 255 s",
		    t->text);
	else
		*us = (int64_t)v;
	lex_next(p->lx);
	return true;
}

/* IFNAME DOWN [UP]: without UP, no delay going up (keepalived's code; its
 * manual says the down delay). */
static void if_delay_entry(struct pctx *p, void *obj, const struct tok *head)
{
	VEC(struct conf_if_delay) *v = obj;
	struct conf_if_delay d = {.pos = head->pos};

	if (!parse_set_ifname(p, d.ifname, head->text, &head->pos))
		return;
	if (!delay_word(p, head, &d.down_us)) {
		WARN(p, &head->pos, "interface_up_down_delays: no delay for %s; ignored", d.ifname);
		return;
	}
	delay_word(p, head, &d.up_us);
	struct conf_if_delay *slot = VEC_PUSH(v);
	if (slot)
		*slot = d;
}

void kw_if_delays(struct pctx *p, const struct kw *k, void *obj, const struct tok *kw)
{
	parse_list_block(p, obj, kw, if_delay_entry);
}
