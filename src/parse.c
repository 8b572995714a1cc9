/*
 * parse.c: the keepalived.conf grammar (VRRP side) as declarative keyword
 * tables: {keyword, argument type, field, range, handler, dumper}.
 *
 * Each keyword knows its arguments, so a block written on one line parses
 * exactly like the same block over many lines. Optional arguments are taken
 * only from the keyword's own line and only when they are not themselves a
 * keyword of the block. Unknown keywords are warnings (with position);
 * malformed values are errors. LVS/IPVS blocks are skipped with one warning.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <linux/fib_rules.h>
#include <linux/rtnetlink.h>

#include "parse_int.h"

#define ERR(p, pos, ...)  conf_diag((p)->c, (p)->opts, CONF_ERROR, pos, __VA_ARGS__)
#define WARN(p, pos, ...) conf_diag((p)->c, (p)->opts, CONF_WARNING, pos, __VA_ARGS__)
#define FIELD(obj, k, T)  ((T *)((char *)(obj) + (k)->off))

static void parse_block(struct pctx *p, const struct kw *tab, void *obj, const struct tok *opener);

/* ---- tokens and values ---- */

static const struct kw *lookup(const struct kw *tab, const char *name)
{
	for (; tab && tab->name; tab++)
		if (!strcmp(tab->name, name))
			return tab;
	return NULL;
}

static bool same_line(const struct tok *a, const struct srcpos *b)
{
	return a->pos.line == b->line && a->pos.file == b->file;
}

/* The next token if it is an argument word on kw's line (and, when
 * optional, not a keyword of tab); else NULL without consuming. */
static const struct tok *take_arg(struct pctx *p, const struct kw *tab, const struct tok *kw,
                                  bool optional)
{
	const struct tok *t = lex_peek(p->lx);

	if (t->kind != TOK_WORD || !same_line(t, &kw->pos))
		return NULL;
	if (optional && !t->quoted && lookup(tab, t->text))
		return NULL;
	return lex_next(p->lx);
}

/* A required argument; reports an error naming the keyword if missing.
 * Returns a copy the caller owns. */
static char *need_arg(struct pctx *p, const struct kw *tab, const struct tok *kw, const char *what)
{
	const struct tok *t = take_arg(p, tab, kw, false);

	if (!t) {
		ERR(p, &kw->pos, "%s needs %s", kw->text, what);
		return NULL;
	}
	return strdup(t->text);
}

static bool parse_long(const char *s, long min, long max, long *out)
{
	char *end;

	if (!*s)
		return false;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (*end || errno || v < min || v > max)
		return false;
	*out = v;
	return true;
}

/* Decimal seconds ("1", "0.01", "1.5") to microseconds, exactly. */
bool conf_parse_usec(const char *s, uint64_t *out);
bool conf_parse_usec(const char *s, uint64_t *out)
{
	uint64_t whole = 0, frac = 0;
	int digits = 0;
	const char *q = s;

	if (!*q || *q == '.')
		return false;
	for (; *q >= '0' && *q <= '9'; q++) {
		whole = whole * 10 + (uint64_t)(*q - '0');
		if (whole > 100000000)
			return false;
	}
	if (*q == '.') {
		for (q++; *q >= '0' && *q <= '9'; q++, digits++) {
			if (digits >= 6)
				return false;
			frac = frac * 10 + (uint64_t)(*q - '0');
		}
		if (digits == 0)
			return false;
	}
	if (*q)
		return false;
	for (; digits < 6; digits++)
		frac *= 10;
	*out = whole * 1000000 + frac;
	return true;
}

static int parse_bool_word(const char *s)
{
	static const char *yes[] = {"true", "yes", "on", "1"}, *no[] = {"false", "no", "off", "0"};
	for (size_t i = 0; i < 4; i++) {
		if (!strcasecmp(s, yes[i]))
			return 1;
		if (!strcasecmp(s, no[i]))
			return 0;
	}
	return -1;
}

/* Optional yes/no after a flag keyword; true when absent. */
static bool opt_bool(struct pctx *p, const struct kw *tab, const struct tok *kw)
{
	const struct tok *t = lex_peek(p->lx);
	int b;

	if (t->kind != TOK_WORD || !same_line(t, &kw->pos) || (b = parse_bool_word(t->text)) < 0)
		return true;
	lex_next(p->lx);
	(void)tab;
	return b == 1;
}

/* ---- generic setters ---- */

static void set_cmd(struct pctx *p, const struct kw *tab, struct conf_cmd *cmd,
                    const struct tok *kw)
{
	char *s = need_arg(p, tab, kw, "a command");
	const struct tok *t;

	if (!s)
		return;
	free(cmd->cmd);
	free(cmd->user);
	free(cmd->group);
	memset(cmd, 0, sizeof(*cmd));
	cmd->cmd = s;
	cmd->pos = kw->pos;
	if ((t = take_arg(p, tab, kw, true)))
		cmd->user = strdup(t->text);
	if (cmd->user && (t = take_arg(p, tab, kw, true)))
		cmd->group = strdup(t->text);
}

static void set_value(struct pctx *p, const struct kw *tab, const struct kw *k, void *obj,
                      const struct tok *kw)
{
	char *s;
	long v;
	uint64_t us;

	if (k->type == A_FLAG) {
		*FIELD(obj, k, bool) = true;
		return;
	}
	if (k->type == A_BOOLOPT) {
		*FIELD(obj, k, bool) = opt_bool(p, tab, kw);
		return;
	}
	if (k->type == A_TRI) {
		*FIELD(obj, k, enum conf_tristate) = opt_bool(p, tab, kw) ? CONF_YES : CONF_NO;
		return;
	}
	if (k->type == A_CMD) {
		set_cmd(p, tab, FIELD(obj, k, struct conf_cmd), kw);
		return;
	}
	if (!(s = need_arg(p, tab, kw, k->type == A_ADDR ? "an address" : "a value")))
		return;
	switch (k->type) {
	case A_INT:
		if (!parse_long(s, k->min, k->max, &v))
			ERR(p, &kw->pos, "%s: '%s' is not a whole number from %ld to %ld", k->name,
			    s, k->min, k->max);
		else
			*FIELD(obj, k, int) = (int)v;
		break;
	case A_USEC:
	case A_SSEC:
		if (!conf_parse_usec(s, &us) || (k->max && us > (uint64_t)k->max * 1000000))
			ERR(p, &kw->pos, "%s: '%s' is not a number of seconds%s", k->name, s,
			    k->max ? " in range" : "");
		else if (k->type == A_USEC)
			*FIELD(obj, k, uint64_t) = us;
		else
			*FIELD(obj, k, int64_t) = (int64_t)us;
		break;
	case A_STR:
		free(*FIELD(obj, k, char *));
		*FIELD(obj, k, char *) = s;
		s = NULL;
		break;
	case A_NAME:
	case A_IFNAME: {
		size_t max = k->type == A_NAME ? CONF_NAME_MAX : IFNAMSIZ;
		if (strlen(s) >= max)
			ERR(p, &kw->pos, "%s: '%s' is longer than %zu characters", k->name, s,
			    max - 1);
		else
			strcpy(FIELD(obj, k, char), s);
		break;
	}
	case A_ADDR: {
		struct addr a;
		if (!addr_parse(s, &a))
			ERR(p, &kw->pos, "%s: '%s' is not an IP address", k->name, s);
		else if (k->min && a.family != k->min)
			ERR(p, &kw->pos, "%s: '%s' is not an %s address", k->name, s,
			    k->min == AF_INET ? "IPv4" : "IPv6");
		else
			*FIELD(obj, k, struct addr) = a;
		break;
	}
	default:
		break;
	}
	free(s);
}

/* ---- skipping what we do not parse ---- */

static void skip_balanced(struct pctx *p, const struct tok *open)
{
	struct srcpos at = open->pos;
	int depth = 1;

	while (depth > 0) {
		const struct tok *t = lex_next(p->lx);
		if (t->kind == TOK_EOF) {
			ERR(p, &at, "'{' is never closed");
			return;
		}
		depth += t->kind == TOK_OPEN ? 1 : t->kind == TOK_CLOSE ? -1 : 0;
	}
}

/* Skips the rest of a statement: words on its line that are not keywords
 * of tab, and a following block. Appends the words to raw if given. */
static void skip_statement(struct pctx *p, const struct kw *tab, const struct tok *kw, char **raw)
{
	struct srcpos at = kw->pos;

	for (;;) {
		const struct tok *t = lex_peek(p->lx);
		if (t->kind == TOK_OPEN) {
			t = lex_next(p->lx);
			skip_balanced(p, t);
			return;
		}
		if (t->kind != TOK_WORD || !same_line(t, &at) ||
		    (!t->quoted && lookup(tab, t->text)))
			return;
		t = lex_next(p->lx);
		if (raw) {
			char *old = *raw;
			bool q = (t->quoted || !*t->text || strchr("#!", t->text[0])) &&
			         !strchr(t->text, '"');
			if (asprintf(raw, q ? "%s \"%s\"" : "%s %s", old, t->text) < 0)
				*raw = NULL;
			free(old);
			if (!*raw)
				return;
		}
	}
}

/* A word after a complete statement that cannot start another one. */
static void check_trailing(struct pctx *p, const struct kw *tab, const struct tok *kw,
                           const char *name)
{
	const struct tok *t = lex_peek(p->lx);

	if (t->kind != TOK_WORD || !same_line(t, &kw->pos) || lookup(tab, t->text))
		return;
	if (t->quoted || strpbrk(t->text, "0123456789./:\"") == t->text || strchr(t->text, '/')) {
		ERR(p, &t->pos, "unexpected '%s' after %s", t->text, name);
		t = lex_next(p->lx);
		skip_statement(p, tab, t, NULL);
	}
}

/* ---- blocks ---- */

static void expect_open(struct pctx *p, const struct tok *kw, const char *what, bool *ok)
{
	const struct tok *t = lex_peek(p->lx);

	*ok = t->kind == TOK_OPEN;
	if (*ok)
		lex_next(p->lx);
	else
		ERR(p, &kw->pos, "%s needs a '{' block", what);
}

static void parse_statement(struct pctx *p, const struct kw *tab, void *obj, const struct tok *t)
{
	struct tok kw = *t; /* the lexer reuses t; keep position and name */
	char name[64];
	const struct kw *k = lookup(tab, t->text);

	snprintf(name, sizeof(name), "%s", t->text);
	kw.text = name;
	if (!k || t->quoted) {
		WARN(p, &kw.pos, "unknown keyword '%s'", name);
		skip_statement(p, tab, &kw, NULL);
		return;
	}
	if (k->type == A_UNSUPPORTED) {
		WARN(p, &kw.pos, "'%s' is not supported by vipd; ignored", name);
		skip_statement(p, tab, &kw, NULL);
		return;
	}
	if (k->fn)
		k->fn(p, k, obj, &kw);
	else
		set_value(p, tab, k, obj, &kw);
	check_trailing(p, tab, &kw, name);
}

static void parse_block(struct pctx *p, const struct kw *tab, void *obj, const struct tok *opener)
{
	struct srcpos at = opener->pos;
	char what[64];

	snprintf(what, sizeof(what), "%s", opener->text ? opener->text : "block");
	for (;;) {
		const struct tok *t = lex_next(p->lx);
		switch (t->kind) {
		case TOK_CLOSE:
			return;
		case TOK_EOF:
			ERR(p, &at, "%s block is never closed (missing '}')", what);
			return;
		case TOK_OPEN:
			ERR(p, &t->pos, "unexpected '{'");
			skip_balanced(p, t);
			break;
		case TOK_WORD:
			parse_statement(p, tab, obj, t);
			break;
		}
	}
}

/* Runs a sub-block: keyword '{' ... '}'. */
static void sub_block(struct pctx *p, const struct kw *tab, void *obj, const struct tok *kw)
{
	bool ok;

	expect_open(p, kw, kw->text, &ok);
	if (ok)
		parse_block(p, tab, obj, kw);
}

/* A list block: each entry starts with a head word, parsed by fn. */
typedef void (*entry_fn)(struct pctx *p, void *obj, const struct tok *head);
static void list_block(struct pctx *p, void *obj, const struct tok *kw, entry_fn fn)
{
	bool ok;
	struct srcpos at = kw->pos;
	char name[64];

	snprintf(name, sizeof(name), "%s", kw->text);
	expect_open(p, kw, name, &ok);
	while (ok) {
		const struct tok *t = lex_next(p->lx);
		if (t->kind == TOK_CLOSE)
			return;
		if (t->kind == TOK_EOF) {
			ERR(p, &at, "%s block is never closed (missing '}')", name);
			return;
		}
		if (t->kind == TOK_OPEN) {
			ERR(p, &t->pos, "unexpected '{' in %s", name);
			skip_balanced(p, t);
			continue;
		}
		fn(p, obj, t);
	}
}

/* The next word if it is an option word of the current list entry. */
static const struct tok *entry_opt(struct pctx *p, const char *const *opts)
{
	const struct tok *t = lex_peek(p->lx);

	if (t->kind != TOK_WORD || t->quoted)
		return NULL;
	for (; *opts; opts++)
		if (!strcmp(*opts, t->text))
			return lex_next(p->lx);
	return NULL;
}

static char *entry_arg(struct pctx *p, const char *opt, const struct srcpos *pos)
{
	const struct tok *t = lex_peek(p->lx);

	if (t->kind != TOK_WORD) {
		ERR(p, pos, "'%s' needs a value", opt);
		return NULL;
	}
	return strdup(lex_next(p->lx)->text);
}

/* ---- virtual_ipaddress ---- */

static const char *const vip_opts[] = {"brd",      "broadcast",     "dev",           "scope",
                                       "label",    "peer",          "home",          "-nodad",
                                       "nodad",    "mngtmpaddr",    "noprefixroute", "autojoin",
                                       "no_track", "preferred_lft", "use_vmac",      "track_group",
                                       NULL};

int conf_scope_parse(const char *s);
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

static bool set_ifname(struct pctx *p, char *dst, const char *v, const struct srcpos *pos)
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
	if (!(a = entry_arg(p, opt, &pos)))
		return;
	if (!strcmp(opt, "brd") || !strcmp(opt, "broadcast")) {
		if (!addr_parse(a, &v->brd) || v->brd.family != AF_INET)
			ERR(p, &pos, "brd: '%s' is not an IPv4 address", a);
	} else if (!strcmp(opt, "dev")) {
		set_ifname(p, v->dev, a, &pos);
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
		WARN(p, &pos, "track_group applies to static addresses only; ignored");
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
		while ((o = entry_opt(p, vip_opts)))
			vip_option(p, &v, o);
		return;
	}
	while ((o = entry_opt(p, vip_opts)))
		vip_option(p, &v, o);
	struct conf_vip *slot = VEC_PUSH(vips);
	if (slot)
		*slot = v;
}

static void vip_entry(struct pctx *p, void *obj, const struct tok *head)
{
	vip_entry_into(p, &((struct conf_instance *)obj)->vips, head);
}

static void vipx_entry(struct pctx *p, void *obj, const struct tok *head)
{
	vip_entry_into(p, &((struct conf_instance *)obj)->vips_excluded, head);
}

static void kw_vips(struct pctx *p, const struct kw *k, void *obj, const struct tok *kw)
{
	list_block(p, obj, kw, strcmp(k->name, "virtual_ipaddress") ? vipx_entry : vip_entry);
}

/* ---- virtual_routes ---- */

static const char *const route_opts[] = {
    "src",         "to",       "via",      "gw",    "or",      "dev",      "scope",
    "table",       "metric",   "protocol", "proto", "onlink",  "no_track", "blackhole",
    "unreachable", "prohibit", "throw",    "local", "unicast", NULL};

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

static void route_option(struct pctx *p, struct conf_route *r, const char *opt,
                         const struct srcpos *pos)
{
	long n;
	char *a;

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
	if (!(a = entry_arg(p, opt, pos)))
		return;
	if (!strcmp(opt, "src"))
		route_addr(p, &r->src, a, pos, "src");
	else if (!strcmp(opt, "via") || !strcmp(opt, "gw"))
		route_addr(p, &r->via, a, pos, "via");
	else if (!strcmp(opt, "or"))
		route_addr(p, &r->or_via, a, pos, "or");
	else if (!strcmp(opt, "dev"))
		set_ifname(p, r->dev, a, pos);
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

static bool is_word_in(const struct tok *t, const char *const *set)
{
	if (t->kind != TOK_WORD || t->quoted)
		return false;
	for (; *set; set++)
		if (!strcmp(*set, t->text))
			return true;
	return false;
}

/* One word of a route entry: an option, or the destination. */
static bool route_word(struct pctx *p, struct conf_route *r, const struct tok *t, bool *have_dst)
{
	struct srcpos pos = t->pos;
	char w[64];

	snprintf(w, sizeof(w), "%s", t->text);
	if (is_word_in(t, route_opts)) {
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
	struct conf_instance *in = obj;
	struct conf_route r = {.scope = -1,
	                       .metric = -1,
	                       .protocol = -1,
	                       .type = RTN_UNICAST,
	                       .dst_len = -1,
	                       .pos = head->pos};
	bool have_dst = false;

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
		    (!is_word_in(t, route_opts) || !same_line(t, &r.pos) || is_word_in(t, starts)))
			break;
		route_word(p, &r, lex_next(p->lx), &have_dst);
	}
	if (!have_dst) {
		ERR(p, &r.pos, "route has no destination");
		return;
	}
	if (r.dst.family == AF_UNSPEC)
		return;
	struct conf_route *slot = VEC_PUSH(&in->routes);
	if (slot)
		*slot = r;
}

static void kw_routes(struct pctx *p, const struct kw *k, void *obj, const struct tok *kw)
{
	list_block(p, obj, kw, route_entry);
}

/* ---- virtual_rules ---- */

static const char *const rule_opts[] = {
    "from", "to",     "table", "lookup",   "priority",  "preference",  "pref",     "iif",
    "oif",  "fwmark", "not",   "no_track", "blackhole", "unreachable", "prohibit", NULL};

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
	if (!(a = entry_arg(p, opt, pos)))
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
		set_ifname(p, r->iif, a, pos);
	} else if (!strcmp(opt, "oif")) {
		set_ifname(p, r->oif, a, pos);
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

static unsigned rule_bit(const char *w)
{
	for (unsigned i = 0; rule_opts[i]; i++)
		if (!strcmp(rule_opts[i], w))
			return 1u << i;
	return 0;
}

static void rule_entry(struct pctx *p, void *obj, const struct tok *head)
{
	struct conf_instance *in = obj;
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

	if (!is_word_in(head, rule_opts)) {
		ERR(p, &head->pos, "'%s' does not start a rule (from, to, table, ...)", head->text);
		return;
	}
	unsigned seen = 0;
	do {
		struct srcpos pos = t->pos;
		snprintf(w, sizeof(w), "%s", t->text);
		rule_option(p, &r, w, &pos);
		seen |= rule_bit(w);
		t = lex_peek(p->lx);
		/* a new line, or an option this rule already has, starts the next rule */
		if (!is_word_in(t, rule_opts) || !same_line(t, &r.pos) ||
		    (seen & rule_bit(t->text)))
			break;
		t = lex_next(p->lx);
	} while (t);
	if (errs != p->c->errors)
		return;
	struct conf_rule *slot = VEC_PUSH(&in->rules);
	if (slot)
		*slot = r;
}

static void kw_rules(struct pctx *p, const struct kw *k, void *obj, const struct tok *kw)
{
	list_block(p, obj, kw, rule_entry);
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
	while ((o = entry_opt(p, opts))) {
		bool min = !strcmp(o->text, "min_ttl");
		struct srcpos pos = o->pos;
		char *a = entry_arg(p, min ? "min_ttl" : "max_ttl", &pos);
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

static void kw_peers(struct pctx *p, const struct kw *k, void *obj, const struct tok *kw)
{
	list_block(p, obj, kw, peer_entry);
}

/* ---- advert_path (vipd extension): IFNAME [peer ADDR] [src ADDR] ---- */

static void path_entry(struct pctx *p, void *obj, const struct tok *head)
{
	struct conf_instance *in = obj;
	static const char *const opts[] = {"peer", "src", NULL};
	struct conf_path pa = {.pos = head->pos};
	const struct tok *o;
	bool ok = set_ifname(p, pa.ifname, head->text, &head->pos);

	while ((o = entry_opt(p, opts))) {
		bool peer = !strcmp(o->text, "peer");
		struct srcpos pos = o->pos;
		char *a = entry_arg(p, o->text, &pos);
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

static void kw_paths(struct pctx *p, const struct kw *k, void *obj, const struct tok *kw)
{
	list_block(p, obj, kw, path_entry);
}

/* ---- track_* lists: NAME [weight N] [reverse|noreverse] ---- */

struct track_ctx {
	void *vec;
	long wmin, wmax;
};

static void track_entry_into(struct pctx *p, void *vecp, const struct tok *head, long wmax)
{
	VEC(struct conf_track) *vec = vecp;
	static const char *const opts[] = {"weight", "reverse", "noreverse", "no_reverse", NULL};
	struct conf_track tr = {.pos = head->pos};
	const struct tok *o;

	if (strlen(head->text) >= CONF_NAME_MAX || !*head->text)
		ERR(p, &head->pos, "'%s' is not a valid name", head->text);
	else
		strcpy(tr.name, head->text);
	while ((o = entry_opt(p, opts))) {
		struct srcpos pos = o->pos;
		if (strcmp(o->text, "weight")) {
			tr.reverse = !strcmp(o->text, "reverse");
			continue;
		}
		char *a = entry_arg(p, "weight", &pos);
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

#define TRACK_ENTRY(fn, T, field, wmax)                                                            \
	static void fn(struct pctx *p, void *obj, const struct tok *head)                          \
	{                                                                                          \
		track_entry_into(p, &((T *)obj)->field, head, wmax);                               \
	}
TRACK_ENTRY(ti_entry, struct conf_instance, track_interfaces, 253)
TRACK_ENTRY(ts_entry, struct conf_instance, track_scripts, 253)
TRACK_ENTRY(tf_entry, struct conf_instance, track_files, 254)
TRACK_ENTRY(tp_entry, struct conf_instance, track_processes, 254)
TRACK_ENTRY(gti_entry, struct conf_sync_group, track_interfaces, 253)
TRACK_ENTRY(gts_entry, struct conf_sync_group, track_scripts, 253)
TRACK_ENTRY(gtf_entry, struct conf_sync_group, track_files, 254)
TRACK_ENTRY(gtp_entry, struct conf_sync_group, track_processes, 254)

static void kw_track(struct pctx *p, const struct kw *k, void *obj, const struct tok *kw)
{
	static const struct {
		const char *name;
		entry_fn inst, group;
	} map[] = {{"track_interface", ti_entry, gti_entry},
	           {"track_script", ts_entry, gts_entry},
	           {"track_file", tf_entry, gtf_entry},
	           {"track_process", tp_entry, gtp_entry}};
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (!strcmp(map[i].name, k->name))
			list_block(p, obj, kw, k->min ? map[i].group : map[i].inst);
}

static void member_entry(struct pctx *p, void *obj, const struct tok *head)
{
	struct conf_sync_group *g = obj;
	char **slot = VEC_PUSH(&g->members);

	if (slot)
		*slot = strdup(head->text);
}

static void kw_group(struct pctx *p, const struct kw *k, void *obj, const struct tok *kw)
{
	list_block(p, obj, kw, member_entry);
}

/* ---- custom keywords ---- */

static void kw_state(struct pctx *p, const struct kw *k, void *obj, const struct tok *kw)
{
	struct conf_instance *in = obj;
	char *s = need_arg(p, kw_instance, kw, "MASTER or BACKUP");

	if (!s)
		return;
	if (!strcasecmp(s, "MASTER"))
		in->state = CONF_STATE_MASTER;
	else if (!strcasecmp(s, "BACKUP"))
		in->state = CONF_STATE_BACKUP;
	else
		ERR(p, &kw->pos, "state: '%s' is not MASTER or BACKUP", s);
	free(s);
}

static void kw_priority(struct pctx *p, const struct kw *k, void *obj, const struct tok *kw)
{
	struct conf_instance *in = obj;
	int errs = p->c->errors;

	set_value(p, kw_instance, k, obj, kw);
	in->priority_set = errs == p->c->errors;
}

static const struct kw kw_auth[];

static void kw_auth_type(struct pctx *p, const struct kw *k, void *obj, const struct tok *kw)
{
	struct conf_instance *in = obj;
	char *s = need_arg(p, kw_auth, kw, "PASS or AH");

	if (!s)
		return;
	if (!strcasecmp(s, "PASS"))
		in->auth_type = CONF_AUTH_PASS;
	else if (!strcasecmp(s, "AH"))
		in->auth_type = CONF_AUTH_AH;
	else
		ERR(p, &kw->pos, "auth_type: '%s' is not PASS or AH", s);
	free(s);
}

static void kw_auth_pass(struct pctx *p, const struct kw *k, void *obj, const struct tok *kw)
{
	struct conf_instance *in = obj;
	char *s = need_arg(p, kw_auth, kw, "a password");

	if (!s)
		return;
	if (strlen(s) > CONF_AUTH_PASS_MAX)
		WARN(p, &kw->pos, "auth_pass is longer than %d characters; only '%.8s' is used",
		     CONF_AUTH_PASS_MAX, s);
	snprintf(in->auth_pass, sizeof(in->auth_pass), "%s", s);
	free(s);
}

static const struct kw kw_auth[] = {
    {"auth_type", A_CUSTOM, .fn = kw_auth_type},
    {"auth_pass", A_CUSTOM, .fn = kw_auth_pass},
    {NULL},
};

static void kw_authentication(struct pctx *p, const struct kw *k, void *obj, const struct tok *kw)
{
	sub_block(p, kw_auth, obj, kw);
}

static void kw_accept(struct pctx *p, const struct kw *k, void *obj, const struct tok *kw)
{
	((struct conf_instance *)obj)->accept = strcmp(k->name, "accept") ? CONF_NO : CONF_YES;
}

static void kw_preempt(struct pctx *p, const struct kw *k, void *obj, const struct tok *kw)
{
	((struct conf_instance *)obj)->nopreempt = false;
}

static void kw_use_vmac(struct pctx *p, const struct kw *k, void *obj, const struct tok *kw)
{
	struct conf_instance *in = obj;
	const struct tok *t = take_arg(p, kw_instance, kw, true);

	in->use_vmac = true;
	if (t) {
		struct srcpos pos = t->pos;
		char *n = strdup(t->text);
		set_ifname(p, in->vmac_name, n, &pos);
		free(n);
	}
}

static void kw_debug(struct pctx *p, const struct kw *k, void *obj, const struct tok *kw)
{
	const struct tok *t = take_arg(p, kw_instance, kw, true);
	long n;

	((struct conf_instance *)obj)->debug = true;
	if (t && !parse_long(t->text, 0, 4, &n))
		ERR(p, &t->pos, "debug: '%s' is not a level from 0 to 4", t->text);
}

static void kw_deprecated(struct pctx *p, const struct kw *k, void *obj, const struct tok *kw)
{
	WARN(p, &kw->pos, "'%s' is deprecated and has no effect", k->name);
}

_Static_assert(offsetof(struct conf_script, weight_reverse) ==
                   offsetof(struct conf_script, weight) + sizeof(int),
               "weight layout");
_Static_assert(offsetof(struct conf_track_file, weight_reverse) ==
                   offsetof(struct conf_track_file, weight) + sizeof(int),
               "weight layout");
_Static_assert(offsetof(struct conf_track_process, weight_reverse) ==
                   offsetof(struct conf_track_process, weight) + sizeof(int),
               "weight layout");

/* weight N [reverse] for vrrp_script, track_file and vrrp_track_process */
static void kw_weight(struct pctx *p, const struct kw *k, void *obj, const struct tok *kw)
{
	static const struct kw rev[] = {{"reverse"}, {NULL}};
	long n;
	char *s = need_arg(p, rev, kw, "a weight");

	if (s && !parse_long(s, k->min, k->max, &n))
		ERR(p, &kw->pos, "weight: '%s' is not a whole number from %ld to %ld", s, k->min,
		    k->max);
	else if (s)
		*FIELD(obj, k, int) = (int)n;
	free(s);
	const struct tok *t = lex_peek(p->lx);
	bool *reverse = (bool *)((char *)obj + k->off + sizeof(int));
	if (t->kind == TOK_WORD && same_line(t, &kw->pos) && !strcmp(t->text, "reverse")) {
		lex_next(p->lx);
		*reverse = true;
	}
}

/* USER [GROUP] into *user / *group (global script_user, vrrp_script user). */
static void set_user_group(struct pctx *p, const struct kw *tab, const struct tok *kw, char **user,
                           char **group)
{
	char *u = need_arg(p, tab, kw, "a user name");
	const struct tok *t;

	if (!u)
		return;
	free(*user);
	free(*group);
	*user = u;
	*group = (t = take_arg(p, tab, kw, true)) ? strdup(t->text) : NULL;
}

static void kw_script_user(struct pctx *p, const struct kw *k, void *obj, const struct tok *kw)
{
	struct conf_global *g = obj;

	set_user_group(p, kw_global, kw, &g->script_user, &g->script_group);
}

static void kw_script_user_local(struct pctx *p, const struct kw *k, void *obj,
                                 const struct tok *kw)
{
	struct conf_script *s = obj;

	set_user_group(p, kw_script, kw, &s->cmd.user, &s->cmd.group);
}

static void kw_script_cmd(struct pctx *p, const struct kw *k, void *obj, const struct tok *kw)
{
	struct conf_script *s = obj;
	char *c = need_arg(p, kw_script, kw, "a command");

	if (!c)
		return;
	free(s->cmd.cmd);
	s->cmd.cmd = c;
	s->cmd.pos = kw->pos;
}

static void kw_dyn_if(struct pctx *p, const struct kw *k, void *obj, const struct tok *kw)
{
	const struct tok *t = take_arg(p, kw_global, kw, true);

	((struct conf_global *)obj)->dynamic_interfaces = true;
	if (t && strcmp(t->text, "allow_if_changes"))
		ERR(p, &t->pos, "dynamic_interfaces: unexpected '%s'", t->text);
}

/* Accepted global keywords with no effect in vipd: kept for the dump. */
static void kw_ignore(struct pctx *p, const struct kw *k, void *obj, const struct tok *kw)
{
	struct conf_global *g = obj;
	char *raw = strdup(k->name);

	skip_statement(p, kw_global, kw, &raw);
	if (!raw)
		return;
	/* a block (notification_email { ... }) is kept as its name only */
	char **slot = VEC_PUSH(&g->ignored);
	if (slot)
		*slot = raw;
	else
		free(raw);
}

static void kw_process(struct pctx *p, const struct kw *k, void *obj, const struct tok *kw)
{
	struct conf_track_process *tp = obj;
	char *name = need_arg(p, kw_track_process, kw, "a process name");
	const struct tok *t;

	if (!name)
		return;
	free(tp->process);
	free(tp->param_match_args);
	tp->process = name;
	tp->param_match_args = NULL;
	while ((t = take_arg(p, kw_track_process, kw, true))) {
		char *old = tp->param_match_args;
		bool q =
		    (t->quoted || !*t->text || strchr("#!", t->text[0])) && !strchr(t->text, '"');
		if (asprintf(&tp->param_match_args, q ? "%s%s\"%s\"" : "%s%s%s", old ? old : "",
		             old ? " " : "", t->text) < 0)
			tp->param_match_args = NULL;
		free(old);
	}
}

static void kw_param_match(struct pctx *p, const struct kw *k, void *obj, const struct tok *kw)
{
	struct conf_track_process *tp = obj;
	const struct tok *t = take_arg(p, kw_track_process, kw, true);

	tp->param_match = PM_EXACT;
	if (!t)
		return;
	if (!strcmp(t->text, "initial"))
		tp->param_match = PM_INITIAL;
	else if (!strcmp(t->text, "partial"))
		tp->param_match = PM_PARTIAL;
	else
		ERR(p, &t->pos, "param_match: '%s' is not initial or partial", t->text);
}

static void kw_tp_delay(struct pctx *p, const struct kw *k, void *obj, const struct tok *kw)
{
	struct conf_track_process *tp = obj;

	set_value(p, kw_track_process, k, obj, kw);
	tp->terminate_delay_us = tp->fork_delay_us = tp->delay_us;
}

static void kw_init_file(struct pctx *p, const struct kw *k, void *obj, const struct tok *kw)
{
	struct conf_track_file *tf = obj;
	const struct tok *t;
	long n;

	tf->init_file = true;
	while ((t = take_arg(p, kw_track_file, kw, true))) {
		if (!strcmp(t->text, "overwrite"))
			tf->init_overwrite = true;
		else if (parse_long(t->text, -254, 254, &n))
			tf->init_value = n;
		else
			ERR(p, &t->pos, "init_file: '%s' is not a value or overwrite", t->text);
	}
}

#define GI(n, T, f, ...)                                                                           \
	{                                                                                          \
		n, T, offsetof(struct conf_global, f), __VA_ARGS__                                 \
	}
const struct kw kw_global[] = {
    GI("router_id", A_NAME, router_id),
    GI("vrrp_version", A_INT, vrrp_version, 2, 3),
    GI("vrrp_mcast_group4", A_ADDR, vrrp_mcast_group4, AF_INET),
    GI("vrrp_mcast_group6", A_ADDR, vrrp_mcast_group6, AF_INET6),
    GI("vrrp_garp_master_delay", A_SSEC, garp_master_delay_us, 0, 3600),
    GI("vrrp_garp_master_repeat", A_INT, garp_master_repeat, 1, 1000),
    GI("vrrp_garp_master_refresh", A_SSEC, garp_master_refresh_us, 0, 86400),
    GI("vrrp_garp_master_refresh_repeat", A_INT, garp_master_refresh_repeat, 1, 1000),
    GI("vrrp_garp_lower_prio_delay", A_SSEC, garp_lower_prio_delay_us, 0, 3600),
    GI("vrrp_garp_lower_prio_repeat", A_INT, garp_lower_prio_repeat, 0, 1000, .flags = KW_SKIP_NEG),
    GI("vrrp_garp_interval", A_SSEC, garp_interval_us, 0, 1),
    GI("vrrp_gna_interval", A_SSEC, gna_interval_us, 0, 1),
    GI("vrrp_lower_prio_no_advert", A_BOOLOPT, lower_prio_no_advert),
    GI("vrrp_higher_prio_send_advert", A_BOOLOPT, higher_prio_send_advert),
    GI("vrrp_strict", A_FLAG, vrrp_strict),
    GI("vrrp_skip_check_adv_addr", A_FLAG, skip_check_adv_addr),
    GI("vrrp_check_unicast_src", A_FLAG, check_unicast_src),
    GI("vrrp_startup_delay", A_USEC, startup_delay_us, 0, 3600),
    GI("enable_script_security", A_FLAG, enable_script_security),
    GI("script_user", A_CUSTOM, script_user, .fn = kw_script_user, .dump = dump_script_user),
    GI("notify_fifo", A_CMD, notify_fifo),
    GI("vrrp_notify_fifo", A_CMD, notify_fifo, .flags = KW_NODUMP),
    GI("notify_fifo_script", A_CMD, notify_fifo_script),
    GI("vrrp_notify_fifo_script", A_CMD, notify_fifo_script, .flags = KW_NODUMP),
    GI("vrrp_priority", A_INT, vrrp_priority, -20, 19),
    GI("vrrp_rt_priority", A_INT, vrrp_rt_priority, 0, 99),
    GI("vrrp_no_swap", A_FLAG, vrrp_no_swap),
    GI("dynamic_interfaces", A_FLAG, dynamic_interfaces, .fn = kw_dyn_if),
    GI("max_auto_priority", A_INT, max_auto_priority, -1, 99, .flags = KW_SKIP_NEG),
    /* keepalived features outside VRRP (mail, LVS, SNMP, D-Bus, ...): accepted, unused */
    GI("notification_email", A_CUSTOM, ignored, .fn = kw_ignore, .dump = dump_ignored),
    GI("notification_email_from", A_CUSTOM, ignored, .fn = kw_ignore, .flags = KW_NODUMP),
    GI("smtp_server", A_CUSTOM, ignored, .fn = kw_ignore, .flags = KW_NODUMP),
    GI("smtp_helo_name", A_CUSTOM, ignored, .fn = kw_ignore, .flags = KW_NODUMP),
    GI("smtp_connect_timeout", A_CUSTOM, ignored, .fn = kw_ignore, .flags = KW_NODUMP),
    GI("smtp_alert", A_CUSTOM, ignored, .fn = kw_ignore, .flags = KW_NODUMP),
    GI("smtp_alert_vrrp", A_CUSTOM, ignored, .fn = kw_ignore, .flags = KW_NODUMP),
    GI("smtp_alert_checker", A_CUSTOM, ignored, .fn = kw_ignore, .flags = KW_NODUMP),
    GI("email_faults", A_CUSTOM, ignored, .fn = kw_ignore, .flags = KW_NODUMP),
    GI("lvs_id", A_CUSTOM, ignored, .fn = kw_ignore, .flags = KW_NODUMP),
    GI("lvs_flush", A_CUSTOM, ignored, .fn = kw_ignore, .flags = KW_NODUMP),
    GI("lvs_flush_onstop", A_CUSTOM, ignored, .fn = kw_ignore, .flags = KW_NODUMP),
    GI("lvs_timeouts", A_CUSTOM, ignored, .fn = kw_ignore, .flags = KW_NODUMP),
    GI("lvs_sync_daemon", A_CUSTOM, ignored, .fn = kw_ignore, .flags = KW_NODUMP),
    GI("checker_priority", A_CUSTOM, ignored, .fn = kw_ignore, .flags = KW_NODUMP),
    GI("checker_no_swap", A_CUSTOM, ignored, .fn = kw_ignore, .flags = KW_NODUMP),
    GI("checker_rt_priority", A_CUSTOM, ignored, .fn = kw_ignore, .flags = KW_NODUMP),
    GI("enable_snmp_vrrp", A_CUSTOM, ignored, .fn = kw_ignore, .flags = KW_NODUMP),
    GI("enable_snmp_keepalived", A_CUSTOM, ignored, .fn = kw_ignore, .flags = KW_NODUMP),
    GI("enable_snmp_rfc", A_CUSTOM, ignored, .fn = kw_ignore, .flags = KW_NODUMP),
    GI("enable_snmp_rfcv2", A_CUSTOM, ignored, .fn = kw_ignore, .flags = KW_NODUMP),
    GI("enable_snmp_rfcv3", A_CUSTOM, ignored, .fn = kw_ignore, .flags = KW_NODUMP),
    GI("enable_snmp_checker", A_CUSTOM, ignored, .fn = kw_ignore, .flags = KW_NODUMP),
    GI("enable_traps", A_CUSTOM, ignored, .fn = kw_ignore, .flags = KW_NODUMP),
    GI("snmp_socket", A_CUSTOM, ignored, .fn = kw_ignore, .flags = KW_NODUMP),
    GI("enable_dbus", A_CUSTOM, ignored, .fn = kw_ignore, .flags = KW_NODUMP),
    GI("vrrp_iptables", A_CUSTOM, ignored, .fn = kw_ignore, .flags = KW_NODUMP),
    GI("vrrp_ipsets", A_CUSTOM, ignored, .fn = kw_ignore, .flags = KW_NODUMP),
    GI("vrrp_nftables", A_CUSTOM, ignored, .fn = kw_ignore, .flags = KW_NODUMP),
    GI("nftables_priority", A_CUSTOM, ignored, .fn = kw_ignore, .flags = KW_NODUMP),
    GI("vrrp_netlink_cmd_rcv_bufs", A_CUSTOM, ignored, .fn = kw_ignore, .flags = KW_NODUMP),
    GI("vrrp_netlink_monitor_rcv_bufs", A_CUSTOM, ignored, .fn = kw_ignore, .flags = KW_NODUMP),
    GI("vrrp_garp_extra_if", A_CUSTOM, ignored, .fn = kw_ignore, .flags = KW_NODUMP),
    GI("vrrp_min_garp", A_CUSTOM, ignored, .fn = kw_ignore, .flags = KW_NODUMP),
    GI("linkbeat_use_polling", A_CUSTOM, ignored, .fn = kw_ignore, .flags = KW_NODUMP),
    GI("use_pid_dir", A_CUSTOM, ignored, .fn = kw_ignore, .flags = KW_NODUMP),
    GI("default_interface", A_CUSTOM, ignored, .fn = kw_ignore, .flags = KW_NODUMP),
    GI("bfd_priority", A_CUSTOM, ignored, .fn = kw_ignore, .flags = KW_NODUMP),
    GI("bfd_no_swap", A_CUSTOM, ignored, .fn = kw_ignore, .flags = KW_NODUMP),
    GI("bfd_rt_priority", A_CUSTOM, ignored, .fn = kw_ignore, .flags = KW_NODUMP),
    {NULL},
};

#define IN(n, T, f, ...)                                                                           \
	{                                                                                          \
		n, T, offsetof(struct conf_instance, f), __VA_ARGS__                               \
	}
#define NOTIFY(base, n, f)                                                                         \
	{                                                                                          \
		n, A_CMD, offsetof(base, notify.f)                                                 \
	}
const struct kw kw_instance[] = {
    IN("state", A_CUSTOM, state, .fn = kw_state, .dump = dump_state),
    IN("interface", A_IFNAME, ifname),
    IN("virtual_router_id", A_INT, vrid, 1, 255),
    IN("priority", A_INT, priority, 1, 255, .fn = kw_priority),
    IN("advert_int", A_USEC, advert_int_us, 0, 255),
    IN("version", A_INT, version, 2, 3),
    IN("authentication", A_CUSTOM, auth_type, .fn = kw_authentication, .dump = dump_auth),
    IN("virtual_ipaddress", A_CUSTOM, vips, .fn = kw_vips, .dump = dump_vips),
    IN("virtual_ipaddress_excluded", A_CUSTOM, vips_excluded, .fn = kw_vips, .dump = dump_vips),
    IN("virtual_routes", A_CUSTOM, routes, .fn = kw_routes, .dump = dump_routes),
    IN("virtual_rules", A_CUSTOM, rules, .fn = kw_rules, .dump = dump_rules),
    IN("nopreempt", A_FLAG, nopreempt),
    IN("preempt", A_CUSTOM, nopreempt, .fn = kw_preempt, .flags = KW_NODUMP),
    IN("preempt_delay", A_USEC, preempt_delay_us, 0, 1000),
    IN("dont_track_primary", A_FLAG, dont_track_primary),
    IN("track_src_ip", A_FLAG, track_src_ip),
    IN("accept", A_CUSTOM, accept, .fn = kw_accept, .dump = dump_accept),
    IN("no_accept", A_CUSTOM, accept, .fn = kw_accept, .flags = KW_NODUMP),
    IN("strict_mode", A_TRI, strict),
    IN("skip_check_adv_addr", A_FLAG, skip_check_adv_addr),
    IN("v3_checksum_as_v2", A_FLAG, v3_checksum_as_v2),
    IN("preempt_lower_master", A_FLAG, preempt_lower_master),
    IN("promote_secondaries", A_FLAG, promote_secondaries),
    IN("down_timer_adverts", A_INT, down_timer_adverts, 1, 100),
    IN("garp_master_delay", A_SSEC, garp_master_delay_us, 0, 3600),
    IN("garp_master_repeat", A_INT, garp_master_repeat, 1, 1000, .flags = KW_SKIP_NEG),
    IN("garp_master_refresh", A_SSEC, garp_master_refresh_us, 0, 86400),
    IN("garp_master_refresh_repeat", A_INT, garp_master_refresh_repeat, 1, 1000,
       .flags = KW_SKIP_NEG),
    IN("garp_lower_prio_delay", A_SSEC, garp_lower_prio_delay_us, 0, 3600),
    IN("garp_lower_prio_repeat", A_INT, garp_lower_prio_repeat, 0, 1000, .flags = KW_SKIP_NEG),
    IN("lower_prio_no_advert", A_TRI, lower_prio_no_advert),
    IN("higher_prio_send_advert", A_TRI, higher_prio_send_advert),
    IN("use_vmac", A_CUSTOM, use_vmac, .fn = kw_use_vmac, .dump = dump_use_vmac),
    IN("vmac_xmit_base", A_FLAG, vmac_xmit_base),
    IN("mcast_src_ip", A_ADDR, mcast_src_ip),
    IN("mcast_dst_ip", A_ADDR, mcast_dst_ip),
    IN("unicast_src_ip", A_ADDR, unicast_src_ip),
    IN("unicast_peer", A_CUSTOM, unicast_peers, .fn = kw_peers, .dump = dump_peers),
    IN("advert_path", A_CUSTOM, paths, .fn = kw_paths, .dump = dump_paths),
    IN("unicast_ttl", A_INT, unicast_ttl, 0, 255, .flags = KW_SKIP_NEG),
    IN("check_unicast_src", A_FLAG, check_unicast_src),
    IN("unicast_fault_no_peer", A_FLAG, unicast_fault_no_peer),
    IN("track_interface", A_CUSTOM, track_interfaces, .fn = kw_track, .dump = dump_tracks),
    IN("track_script", A_CUSTOM, track_scripts, .fn = kw_track, .dump = dump_tracks),
    IN("track_file", A_CUSTOM, track_files, .fn = kw_track, .dump = dump_tracks),
    IN("track_process", A_CUSTOM, track_processes, .fn = kw_track, .dump = dump_tracks),
    NOTIFY(struct conf_instance, "notify_master", master),
    NOTIFY(struct conf_instance, "notify_backup", backup),
    NOTIFY(struct conf_instance, "notify_fault", fault),
    NOTIFY(struct conf_instance, "notify_stop", stop),
    NOTIFY(struct conf_instance, "notify_deleted", deleted),
    NOTIFY(struct conf_instance, "notify", any),
    NOTIFY(struct conf_instance, "notify_master_rx_lower_pri", master_rx_lower_pri),
    NOTIFY(struct conf_instance, "notify_split_brain", split_brain),
    IN("notify_priority_changes", A_BOOLOPT, notify.priority_changes),
    IN("smtp_alert", A_BOOLOPT, smtp_alert),
    IN("debug", A_CUSTOM, debug, .fn = kw_debug, .flags = KW_NODUMP),
    IN("native_ipv6", A_CUSTOM, family, .fn = kw_deprecated, .flags = KW_NODUMP),
    IN("track_bfd", A_UNSUPPORTED, vrid),
    IN("old_unicast_checksum", A_UNSUPPORTED, vrid),
    IN("garp_extra_if", A_UNSUPPORTED, vrid),
    IN("garp_extra_if_vmac", A_UNSUPPORTED, vrid),
    IN("use_vmac_addr", A_UNSUPPORTED, vrid),
    IN("use_ipvlan", A_UNSUPPORTED, vrid),
    IN("vrf", A_UNSUPPORTED, vrid),
    IN("kernel_rx_buf_size", A_UNSUPPORTED, vrid),
    IN("lvs_sync_daemon_interface", A_UNSUPPORTED, vrid),
    {NULL},
};

#define SC(n, T, f, ...)                                                                           \
	{                                                                                          \
		n, T, offsetof(struct conf_script, f), __VA_ARGS__                                 \
	}
const struct kw kw_script[] = {
    SC("script", A_CUSTOM, cmd, .fn = kw_script_cmd, .flags = KW_NODUMP),
    SC("interval", A_USEC, interval_us, 0, 86400),
    SC("timeout", A_USEC, timeout_us, 0, 86400),
    SC("weight", A_CUSTOM, weight, -253, 253, .fn = kw_weight, .dump = dump_weight),
    SC("rise", A_INT, rise, 1, 1000),
    SC("fall", A_INT, fall, 1, 1000),
    SC("user", A_CUSTOM, cmd, .fn = kw_script_user_local, .flags = KW_NODUMP),
    SC("init_fail", A_FLAG, init_fail),
    {NULL},
};

#define TF(n, T, f, ...)                                                                           \
	{                                                                                          \
		n, T, offsetof(struct conf_track_file, f), __VA_ARGS__                             \
	}
const struct kw kw_track_file[] = {
    TF("file", A_STR, path),
    TF("weight", A_CUSTOM, weight, -254, 254, .fn = kw_weight, .dump = dump_weight),
    TF("init_file", A_CUSTOM, init_file, .fn = kw_init_file, .dump = dump_init_file),
    {NULL},
};

#define TP(n, T, f, ...)                                                                           \
	{                                                                                          \
		n, T, offsetof(struct conf_track_process, f), __VA_ARGS__                          \
	}
const struct kw kw_track_process[] = {
    TP("process", A_CUSTOM, process, .fn = kw_process, .flags = KW_NODUMP),
    TP("param_match", A_CUSTOM, param_match, .fn = kw_param_match, .dump = dump_param_match),
    TP("weight", A_CUSTOM, weight, -254, 254, .fn = kw_weight, .dump = dump_weight),
    TP("quorum", A_INT, quorum, 0, 65535),
    TP("quorum_max", A_INT, quorum_max, -1, 65535, .flags = KW_SKIP_NEG),
    TP("delay", A_USEC, delay_us, 0, 3600, .fn = kw_tp_delay, .flags = KW_NODUMP),
    TP("terminate_delay", A_USEC, terminate_delay_us, 0, 3600),
    TP("fork_delay", A_USEC, fork_delay_us, 0, 3600),
    TP("full_command", A_FLAG, full_command),
    TP("process_user", A_STR, user), /* vipd extension */
    {NULL},
};

#define SG(n, T, f, ...)                                                                           \
	{                                                                                          \
		n, T, offsetof(struct conf_sync_group, f), __VA_ARGS__                             \
	}
const struct kw kw_sync_group[] = {
    SG("group", A_CUSTOM, members, .fn = kw_group, .dump = dump_members),
    SG("track_interface", A_CUSTOM, track_interfaces, 1, .fn = kw_track, .dump = dump_tracks),
    SG("track_script", A_CUSTOM, track_scripts, 1, .fn = kw_track, .dump = dump_tracks),
    SG("track_file", A_CUSTOM, track_files, 1, .fn = kw_track, .dump = dump_tracks),
    SG("track_process", A_CUSTOM, track_processes, 1, .fn = kw_track, .dump = dump_tracks),
    NOTIFY(struct conf_sync_group, "notify_master", master),
    NOTIFY(struct conf_sync_group, "notify_backup", backup),
    NOTIFY(struct conf_sync_group, "notify_fault", fault),
    NOTIFY(struct conf_sync_group, "notify_stop", stop),
    NOTIFY(struct conf_sync_group, "notify", any),
    SG("notify_priority_changes", A_BOOLOPT, notify.priority_changes),
    SG("smtp_alert", A_BOOLOPT, smtp_alert),
    SG("global_tracking", A_FLAG, global_tracking),
    SG("sync_group_tracking_weight", A_FLAG, sync_group_tracking_weight),
    {NULL},
};

/* ---- top level ---- */

static const char *const lvs_blocks[] = {
    "virtual_server", "virtual_server_group", "real_server", "static_ipaddress",
    "static_routes",  "static_rules",         "garp_group",  "linkbeat_interfaces",
    "bfd_instance",   "vrrp_track_bfd",       NULL};

static bool take_name(struct pctx *p, const struct tok *kw, char *name, const char *what)
{
	const struct tok *t = lex_peek(p->lx);

	if (t->kind != TOK_WORD || !same_line(t, &kw->pos)) {
		ERR(p, &kw->pos, "%s needs a name", what);
		return false;
	}
	t = lex_next(p->lx);
	if (strlen(t->text) >= CONF_NAME_MAX || !*t->text) {
		ERR(p, &t->pos, "%s name '%.80s' is empty or longer than %d characters", what,
		    t->text, CONF_NAME_MAX - 1);
		return false;
	}
	strcpy(name, t->text);
	return true;
}

/* A block name already used by a block of the same kind is an error. */
static void check_new_name(struct pctx *p, const struct tok *kw, const char *what, const char *name)
{
	char key[CONF_NAME_MAX + 64];

	snprintf(key, sizeof(key), "%s %s", what, name);
	long line = strmap_get(&p->names, key);
	if (line >= 0)
		ERR(p, &kw->pos, "%s %s is already defined at line %ld", what, name, line);
	else
		strmap_put(&p->names, key, kw->pos.line);
}

/* Named block: NAME { ... } into a fresh object; duplicates are errors. */
#define NAMED(p, kwt, vec, tab, init, what)                                                        \
	do {                                                                                       \
		char nm_[CONF_NAME_MAX];                                                           \
		bool ok_;                                                                          \
		if (!take_name(p, kwt, nm_, what)) {                                               \
			skip_statement(p, kw_none, kwt, NULL);                                     \
			break;                                                                     \
		}                                                                                  \
		check_new_name(p, kwt, what, nm_);                                                 \
		expect_open(p, kwt, what, &ok_);                                                   \
		if (!ok_)                                                                          \
			break;                                                                     \
		__typeof__((vec)->items) o_ = VEC_PUSH(vec);                                       \
		if (!o_)                                                                           \
			break;                                                                     \
		strcpy(o_->name, nm_);                                                             \
		o_->pos = (kwt)->pos;                                                              \
		init(o_);                                                                          \
		parse_block(p, tab, o_, kwt);                                                      \
	} while (0)

/* Top-level keywords, so skipping an unknown statement stops at the next one. */
static const struct kw kw_none[] = {
    {"global_defs"},      {"vrrp_instance"},
    {"vrrp_script"},      {"vrrp_track_file"},
    {"track_file"},       {"vrrp_track_process"},
    {"track_process"},    {"vrrp_sync_group"},
    {"virtual_server"},   {"virtual_server_group"},
    {"static_ipaddress"}, {"static_routes"},
    {"static_rules"},     {NULL},
};

void conf_instance_defaults(struct conf_instance *in);
void conf_script_defaults(struct conf_script *s);
void conf_track_file_defaults(struct conf_track_file *t);
void conf_track_process_defaults(struct conf_track_process *t);
static void no_defaults(void *o)
{
	(void)o;
}

static void parse_top_word(struct pctx *p, const struct tok *t)
{
	struct tok kw = *t;
	char name[64];
	struct conf *c = p->c;

	snprintf(name, sizeof(name), "%s", t->text);
	kw.text = name;
	if (t->quoted) {
		WARN(p, &kw.pos, "unknown keyword '%s'", name);
		skip_statement(p, kw_none, &kw, NULL);
	} else if (!strcmp(name, "global_defs")) {
		sub_block(p, kw_global, &c->global, &kw);
	} else if (!strcmp(name, "vrrp_instance")) {
		NAMED(p, &kw, &c->instances, kw_instance, conf_instance_defaults, "vrrp_instance");
	} else if (!strcmp(name, "vrrp_script")) {
		NAMED(p, &kw, &c->scripts, kw_script, conf_script_defaults, "vrrp_script");
	} else if (!strcmp(name, "vrrp_track_file") || !strcmp(name, "track_file")) {
		NAMED(p, &kw, &c->track_files, kw_track_file, conf_track_file_defaults,
		      "track_file");
	} else if (!strcmp(name, "vrrp_track_process") || !strcmp(name, "track_process")) {
		NAMED(p, &kw, &c->track_processes, kw_track_process, conf_track_process_defaults,
		      "vrrp_track_process");
	} else if (!strcmp(name, "vrrp_sync_group")) {
		NAMED(p, &kw, &c->sync_groups, kw_sync_group, no_defaults, "vrrp_sync_group");
	} else if (is_word_in(t, lvs_blocks)) {
		WARN(p, &kw.pos, "%s: %s is not supported by vipd (VRRP only); block ignored", name,
		     strncmp(name, "virtual_server", 14) && strcmp(name, "real_server")
		         ? "this keepalived feature"
		         : "LVS/IPVS");
		skip_statement(p, kw_none, &kw, NULL);
	} else if (!strcmp(name, "net_namespace") || !strcmp(name, "instance") ||
	           !strcmp(name, "use_pid_dir") || !strcmp(name, "child_wait_time")) {
		WARN(p, &kw.pos, "'%s' is not supported by vipd; ignored", name);
		skip_statement(p, kw_none, &kw, NULL);
	} else {
		WARN(p, &kw.pos, "unknown keyword '%s'", name);
		skip_statement(p, kw_none, &kw, NULL);
	}
}

void conf_parse(struct pctx *p);
void conf_parse(struct pctx *p)
{
	for (;;) {
		const struct tok *t = lex_next(p->lx);
		switch (t->kind) {
		case TOK_EOF:
			return;
		case TOK_OPEN:
			ERR(p, &t->pos, "unexpected '{' at the top level");
			skip_balanced(p, t);
			break;
		case TOK_CLOSE:
			ERR(p, &t->pos, "unexpected '}' (no block is open)");
			break;
		case TOK_WORD:
			parse_top_word(p, t);
			break;
		}
	}
}
