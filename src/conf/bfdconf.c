/*
 * bfdconf.c: keepalived's bfd_instance NAME { ... } (one BFD session,
 * RFC 5880; single-hop RFC 5881, multihop RFC 5883) and vipd's
 * master_down_bfd. The keyword table and its handlers, the checks keepalived
 * makes at the end of the block (a neighbor, one address family, no second
 * session to a neighbor, the ttl default, max_hops within ttl), and after
 * the whole file the master_down_bfd names. track_bfd is a tracked kind
 * like track_script (conf.c's table, grammar.c's lists).
 */
#include <stdlib.h>
#include <string.h>

#include "conf/bfdconf.h"
#include "conf/confdump.h"
#include "conf/keywords.h"

#define MS_MAX      4294967 /* keepalived: UINT32_MAX / 1000 ms */
#define MS_SENSIBLE 10000   /* keepalived warns above this */

/* Milliseconds with up to 3 decimals ("3.312") into microseconds, from
 * min to max ms; false when malformed or out of range. */
static bool parse_ms(const char *s, long min, long max, uint32_t *us)
{
	uint64_t v = 0;
	int dec = -1; /* decimals read; -1: no point yet */

	if (*s < '0' || *s > '9')
		return false;
	for (; *s; s++) {
		if (*s == '.' && dec < 0) {
			dec = 0;
			continue;
		}
		if (*s < '0' || *s > '9' || dec >= 3 || v > (uint64_t)max * 1000)
			return false;
		v = v * 10 + (uint64_t)(*s - '0');
		dec += dec >= 0;
	}
	if (dec == 0)
		return false; /* "1." */
	for (dec = dec < 0 ? 0 : dec; dec < 3; dec++)
		v *= 10;
	if (v < (uint64_t)min * 1000 || v > (uint64_t)max * 1000)
		return false;
	*us = (uint32_t)v;
	return true;
}

/* min_rx, min_tx, idle_tx: k->min to k->max ms */
static void kw_bfd_ms(struct pctx *p, const struct kw *k, void *obj, const struct tok *kw)
{
	struct conf_bfd *b = obj;
	char *s = parse_need_arg(p, kw_bfd, kw, "a number of milliseconds");
	uint32_t us;

	if (!s)
		return;
	if (!parse_ms(s, k->min, k->max, &us)) {
		ERR(p, &kw->pos,
		    "%s: '%s' is not a number of milliseconds from %ld to %ld (at most 3 "
		    "decimals)",
		    k->name, s, k->min, k->max);
	} else {
		*FIELD(obj, k, uint32_t) = us;
		if (us > MS_SENSIBLE * 1000)
			WARN(p, &kw->pos,
			     "bfd_instance %s: %s %s ms is longer than is sensible (at most %d ms)",
			     b->name, k->name, s, MS_SENSIBLE);
	}
	free(s);
}

static void dump_bfd_ms(FILE *f, const struct kw *k, const void *obj, int indent)
{
	uint32_t us = *(const uint32_t *)((const char *)obj + k->off);
	char frac[8];
	int n;

	fprintf(f, "%*s%s %u", 4 * indent, "", k->name, us / 1000);
	if (us % 1000) {
		n = snprintf(frac, sizeof(frac), "%03u", us % 1000);
		while (n > 0 && frac[n - 1] == '0')
			frac[--n] = '\0';
		fprintf(f, ".%s", frac);
	}
	fputc('\n', f);
}

/* ttl and hoplimit are one setting: written as the neighbor's family names it */
static void dump_bfd_ttl(FILE *f, const struct kw *k, const void *obj, int indent)
{
	const struct conf_bfd *b = obj;

	if (b->ttl > 0 && !b->ttl_default)
		fprintf(f, "%*s%s %d\n", 4 * indent, "",
		        b->neighbor.family == AF_INET6 ? "hoplimit" : "ttl", b->ttl);
}

#define BF(n, T, f, ...)                                                                           \
	{                                                                                          \
		n, T, offsetof(struct conf_bfd, f), __VA_ARGS__                                    \
	}
const struct kw kw_bfd[] = {
    BF("neighbor_ip", A_ADDR, neighbor),
    BF("neighbour_ip", A_ADDR, neighbor, .flags = KW_NODUMP),
    BF("source_ip", A_ADDR, source),
    BF("min_rx", A_CUSTOM, min_rx_us, 1, MS_MAX, .fn = kw_bfd_ms, .dump = dump_bfd_ms),
    BF("min_tx", A_CUSTOM, min_tx_us, 1, MS_MAX, .fn = kw_bfd_ms, .dump = dump_bfd_ms),
    BF("idle_tx", A_CUSTOM, idle_tx_us, 1000, MS_MAX, .fn = kw_bfd_ms, .dump = dump_bfd_ms),
    BF("multiplier", A_INT, multiplier, 1, 255),
    BF("passive", A_FLAG, passive),
    BF("ttl", A_INT, ttl, 1, 255, .dump = dump_bfd_ttl),
    BF("hoplimit", A_INT, ttl, 1, 255, .flags = KW_NODUMP),
    BF("max_hops", A_INT, max_hops, -1, 255),
    BF("multihop", A_BOOLOPT, multihop),
    BF("weight", A_CUSTOM, weight, -253, 253, .fn = kw_weight, .dump = dump_weight),
    BF("vrrp", A_FLAG, vrrp),
    BF("checker", A_FLAG, checker),
    {NULL},
};

/*
 * keepalived's rule: a second session to a neighbor_ip (with the same
 * multihop setting) is refused unless both give a source_ip and these
 * differ. The sessions seen so far are keys of p->names ('|' starts no
 * block name): "|bfd NEIGHBOR MULTIHOP" for any, with " -" for one without
 * a source, with " SOURCE" for one with it.
 */
static void check_clash(struct pctx *p, const struct conf_bfd *b)
{
	char nb[ADDR_STRLEN], sb[ADDR_STRLEN], any[ADDR_STRLEN + 16], none[ADDR_STRLEN + 20],
	    key[2 * ADDR_STRLEN + 20];
	bool src = addr_is_set(&b->source);
	long line;

	snprintf(any, sizeof(any), "|bfd %s %d", addr_ntop(&b->neighbor, nb), b->multihop);
	snprintf(none, sizeof(none), "%s -", any);
	snprintf(key, sizeof(key), "%s %s", any, addr_ntop(&b->source, sb));
	line = strmap_get(&p->names, src ? none : any);
	if (src && line < 0)
		line = strmap_get(&p->names, key);
	if (line >= 0)
		ERR(p, &b->pos,
		    "bfd_instance %s: a%s session to neighbor_ip %s%s%s is already defined at "
		    "line %ld",
		    b->name, b->multihop ? " multihop" : "", nb, src ? " from source_ip " : "",
		    src ? sb : "", line);
	strmap_put(&p->names, any, b->pos.line);
	strmap_put(&p->names, src ? key : none, b->pos.line);
}

/* max_hops: -1 is keepalived's 255 (not checked); above ttl it is ttl */
static void resolve_hops(struct pctx *p, struct conf_bfd *b)
{
	const char *ttl = b->neighbor.family == AF_INET6 ? "hoplimit" : "ttl";

	if (!b->ttl) {
		b->ttl = b->neighbor.family == AF_INET6 ? 64 : 255;
		b->ttl_default = true;
	}
	if (b->max_hops < 0)
		b->max_hops = 255;
	if (b->max_hops == 255 || b->max_hops <= b->ttl)
		return;
	WARN(p, &b->pos, "bfd_instance %s: max_hops %d is more than %s %d; %d is used", b->name,
	     b->max_hops, ttl, b->ttl, b->ttl);
	b->max_hops = b->ttl;
}

void conf_bfd_end(struct pctx *p)
{
	struct conf_bfd *b = &p->c->bfds.items[p->c->bfds.n - 1];
	char nb[ADDR_STRLEN], sb[ADDR_STRLEN];

	if (!addr_is_set(&b->neighbor))
		ERR(p, &b->pos, "bfd_instance %s has no neighbor_ip", b->name);
	else if (addr_is_set(&b->source) && b->source.family != b->neighbor.family)
		ERR(p, &b->pos,
		    "bfd_instance %s: source_ip %s and neighbor_ip %s are not of one address "
		    "family",
		    b->name, addr_ntop(&b->source, sb), addr_ntop(&b->neighbor, nb));
	else if (addr_is_linklocal6(&b->neighbor) || addr_is_linklocal6(&b->source))
		/* keepalived cannot use one either: it sends without an interface */
		ERR(p, &b->pos,
		    "bfd_instance %s: %s %s is link-local, and a bfd_instance names no "
		    "interface: use global addresses",
		    b->name, addr_is_linklocal6(&b->neighbor) ? "neighbor_ip" : "source_ip",
		    addr_ntop(addr_is_linklocal6(&b->neighbor) ? &b->neighbor : &b->source, nb));
	else
		check_clash(p, b);
	resolve_hops(p, b);
	if (b->checker && !b->vrrp) {
		WARN(p, &b->pos,
		     "bfd_instance %s: 'checker' without 'vrrp' sends its events to keepalived's "
		     "health checker only; vipd, the VRRP side, leaves this session out",
		     b->name);
		p->c->bfds.n--;
	}
}

/* master_down_bfd NAME [NAME...]: the first word on the line whatever it is,
 * the next ones until a keyword of the instance (quoted: a name). */
void kw_master_down_bfd(struct pctx *p, const struct kw *k, void *obj, const struct tok *kw)
{
	struct conf_tracks *v = FIELD(obj, k, struct conf_tracks);
	const struct tok *t = parse_take_arg(p, kw_instance, kw, false);
	struct conf_track *slot;

	if (!t)
		ERR(p, &kw->pos, "master_down_bfd needs a bfd_instance name");
	for (; t; t = parse_take_arg(p, kw_instance, kw, true)) {
		if (!*t->text || strlen(t->text) >= CONF_BFD_NAME_MAX)
			ERR(p, &t->pos,
			    "master_down_bfd: '%.80s' is not a bfd_instance name (1 to %d "
			    "characters)",
			    t->text, CONF_BFD_NAME_MAX - 1);
		else if ((slot = VEC_PUSH(v)))
			strcpy(slot->name, t->text), slot->pos = t->pos;
	}
}

void dump_master_down_bfd(FILE *f, const struct kw *k, const void *obj, int indent)
{
	const struct conf_tracks *v = (const void *)((const char *)obj + k->off);

	if (!v->n)
		return;
	fprintf(f, "%*s%s", 4 * indent, "", k->name);
	for (size_t i = 0; i < v->n; i++) {
		fputc(' ', f);
		if (i && kw_lookup(kw_instance, v->items[i].name))
			dump_quoted(f, v->items[i].name);
		else
			dump_word(f, v->items[i].name);
	}
	fputc('\n', f);
}

static bool is_peer(const struct conf_instance *in, const struct addr *a)
{
	for (size_t i = 0; i < in->unicast_peers.n; i++)
		if (addr_eq(&in->unicast_peers.items[i].addr, a))
			return true;
	return false;
}

/* One master_down_bfd name of in: defined, and able to be its master's address. */
static void check_master_down(struct conf *c, const struct conf_opts *o,
                              const struct conf_instance *in, size_t i)
{
	const struct conf_track *t = &in->master_down_bfd.items[i];
	const struct conf_bfd *b = conf_find_bfd(c, t->name);
	char nb[ADDR_STRLEN];

	for (size_t j = 0; j < i; j++)
		if (!strcmp(in->master_down_bfd.items[j].name, t->name))
			conf_diag(c, o, CONF_WARNING, &t->pos,
			          "%s: master_down_bfd: %s is listed twice", in->name, t->name);
	if (!b) {
		conf_diag(c, o, CONF_ERROR, &t->pos,
		          "%s: master_down_bfd: bfd_instance %s is not defined", in->name, t->name);
		return;
	}
	if (!addr_is_set(&b->neighbor))
		return;
	addr_ntop(&b->neighbor, nb);
	if (b->neighbor.family != in->family)
		conf_diag(c, o, CONF_WARNING, &t->pos,
		          "%s: master_down_bfd %s: neighbor_ip %s is not of the instance's address "
		          "family, so never its master's address",
		          in->name, t->name, nb);
	else if (in->unicast_peers.n && !is_peer(in, &b->neighbor))
		conf_diag(c, o, CONF_WARNING, &t->pos,
		          "%s: master_down_bfd %s: neighbor_ip %s is none of the instance's "
		          "unicast_peer addresses, so never its master's address",
		          in->name, t->name, nb);
	else if (in->family == AF_INET6 && !in->unicast_peers.n)
		/* RFC 9568 5.1.2.1: multicast IPv6 adverts come from a link-local address */
		conf_diag(c, o, CONF_WARNING, &t->pos,
		          "%s: master_down_bfd %s: the master's multicast IPv6 adverts come from "
		          "its link-local address, which neighbor_ip %s is not, so it never "
		          "fires: use unicast_peer",
		          in->name, t->name, nb);
}

void conf_check_bfd(struct conf *c, const struct conf_opts *o)
{
	for (size_t i = 0; i < c->instances.n; i++)
		for (size_t k = 0; k < c->instances.items[i].master_down_bfd.n; k++)
			check_master_down(c, o, &c->instances.items[i], k);
}
