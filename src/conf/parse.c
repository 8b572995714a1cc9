/*
 * parse.c: the parser engine for keepalived.conf (VRRP side): blocks,
 * statements and their arguments, driven by declarative keyword tables
 * ({keyword, argument type, field, range, handler, dumper}; keywords.c
 * holds the tables, grammar.c the list grammars of ip addr/route/rule).
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

#include "conf/parse.h"
#include "conf/bfdconf.h"
#include "conf/grammar.h"
#include "conf/keywords.h"

static void parse_block(struct pctx *p, const struct kw *tab, void *obj, const struct tok *opener);

/* ---- tokens and values ---- */

const struct kw *kw_lookup(const struct kw *tab, const char *name)
{
	for (; tab && tab->name; tab++)
		if (!strcmp(tab->name, name))
			return tab;
	return NULL;
}

bool tok_same_line(const struct tok *a, const struct srcpos *b)
{
	return a->pos.line == b->line && a->pos.file == b->file;
}

/* The next token if it is an argument word on kw's line (and, when
 * optional, not a keyword of tab); else NULL without consuming. */
const struct tok *parse_take_arg(struct pctx *p, const struct kw *tab, const struct tok *kw,
                                 bool optional)
{
	const struct tok *t = lex_peek(p->lx);

	if (t->kind != TOK_WORD || !tok_same_line(t, &kw->pos))
		return NULL;
	if (optional && !t->quoted && kw_lookup(tab, t->text))
		return NULL;
	return lex_next(p->lx);
}

/* A required argument; reports an error naming the keyword if missing.
 * Returns a copy the caller owns. */
char *parse_need_arg(struct pctx *p, const struct kw *tab, const struct tok *kw, const char *what)
{
	const struct tok *t = parse_take_arg(p, tab, kw, false);

	if (!t) {
		ERR(p, &kw->pos, "%s needs %s", kw->text, what);
		return NULL;
	}
	return strdup(t->text);
}

bool parse_long(const char *s, long min, long max, long *out)
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

	if (t->kind != TOK_WORD || !tok_same_line(t, &kw->pos) ||
	    (b = parse_bool_word(t->text)) < 0)
		return true;
	lex_next(p->lx);
	return b == 1;
}

/* ---- generic setters ---- */

static void set_cmd(struct pctx *p, const struct kw *tab, struct conf_cmd *cmd,
                    const struct tok *kw)
{
	char *s = parse_need_arg(p, tab, kw, "a command");
	const struct tok *t;

	if (!s)
		return;
	free(cmd->cmd);
	free(cmd->user);
	free(cmd->group);
	memset(cmd, 0, sizeof(*cmd));
	cmd->cmd = s;
	cmd->pos = kw->pos;
	if ((t = parse_take_arg(p, tab, kw, true)))
		cmd->user = strdup(t->text);
	if (cmd->user && (t = parse_take_arg(p, tab, kw, true)))
		cmd->group = strdup(t->text);
}

void parse_set_value(struct pctx *p, const struct kw *tab, const struct kw *k, void *obj,
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
	if (!(s = parse_need_arg(p, tab, kw, k->type == A_ADDR ? "an address" : "a value")))
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
void parse_skip_statement(struct pctx *p, const struct kw *tab, const struct tok *kw, char **raw)
{
	struct srcpos at = kw->pos;

	for (;;) {
		const struct tok *t = lex_peek(p->lx);
		if (t->kind == TOK_OPEN) {
			t = lex_next(p->lx);
			skip_balanced(p, t);
			return;
		}
		if (t->kind != TOK_WORD || !tok_same_line(t, &at) ||
		    (!t->quoted && kw_lookup(tab, t->text)))
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

	if (t->kind != TOK_WORD || !tok_same_line(t, &kw->pos) || kw_lookup(tab, t->text))
		return;
	if (t->quoted || strpbrk(t->text, "0123456789./:\"") == t->text || strchr(t->text, '/')) {
		ERR(p, &t->pos, "unexpected '%s' after %s", t->text, name);
		t = lex_next(p->lx);
		parse_skip_statement(p, tab, t, NULL);
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

/* A keyword vipd does not act on: the warning names it and says why. */
void parse_warn_skip(struct pctx *p, const struct kw *tab, const struct kw *k, const struct tok *kw)
{
	if (k->type == A_NOEFFECT)
		WARN(p, &kw->pos, "'%s' has no effect (%s)", k->name, k->why);
	else
		WARN(p, &kw->pos, "'%s' is not supported by vipd (%s); ignored", k->name, k->why);
	parse_skip_statement(p, tab, kw, NULL);
}

static void parse_statement(struct pctx *p, const struct kw *tab, void *obj, const struct tok *t)
{
	struct tok kw = *t; /* the lexer reuses t; keep position and name */
	char name[64];
	const struct kw *k = kw_lookup(tab, t->text);

	snprintf(name, sizeof(name), "%s", t->text);
	kw.text = name;
	if (!k || t->quoted) {
		WARN(p, &kw.pos, "unknown keyword '%s'", name);
		parse_skip_statement(p, tab, &kw, NULL);
		return;
	}
	if ((k->type == A_UNSUPPORTED || k->type == A_NOEFFECT) && !k->fn) {
		parse_warn_skip(p, tab, k, &kw);
		return;
	}
	if (k->fn)
		k->fn(p, k, obj, &kw);
	else
		parse_set_value(p, tab, k, obj, &kw);
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
void parse_sub_block(struct pctx *p, const struct kw *tab, void *obj, const struct tok *kw)
{
	bool ok;

	expect_open(p, kw, kw->text, &ok);
	if (ok)
		parse_block(p, tab, obj, kw);
}

/* A list block: each entry starts with a head word, parsed by fn. */
void parse_list_block(struct pctx *p, void *obj, const struct tok *kw, entry_fn fn)
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
const struct tok *parse_entry_opt(struct pctx *p, const char *const *opts)
{
	const struct tok *t = lex_peek(p->lx);

	if (t->kind != TOK_WORD || t->quoted)
		return NULL;
	for (; *opts; opts++)
		if (!strcmp(*opts, t->text))
			return lex_next(p->lx);
	return NULL;
}

char *parse_entry_arg(struct pctx *p, const char *opt, const struct srcpos *pos)
{
	const struct tok *t = lex_peek(p->lx);

	if (t->kind != TOK_WORD) {
		ERR(p, pos, "'%s' needs a value", opt);
		return NULL;
	}
	return strdup(lex_next(p->lx)->text);
}

bool tok_word_in(const struct tok *t, const char *const *set)
{
	if (t->kind != TOK_WORD || t->quoted)
		return false;
	for (; *set; set++)
		if (!strcmp(*set, t->text))
			return true;
	return false;
}

/* ---- top level ---- */

/* The block's name into name (at most max - 1 characters). */
static bool take_name(struct pctx *p, const struct tok *kw, char *name, size_t max,
                      const char *what)
{
	const struct tok *t = lex_peek(p->lx);

	if (t->kind != TOK_WORD || !tok_same_line(t, &kw->pos)) {
		ERR(p, &kw->pos, "%s needs a name", what);
		return false;
	}
	t = lex_next(p->lx);
	if (strlen(t->text) >= max || !*t->text) {
		ERR(p, &t->pos, "%s name '%.80s' is empty or longer than %zu characters", what,
		    t->text, max - 1);
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

/* Named block: NAME { ... } into a fresh object; duplicates are errors.
 * The size of the object's name field bounds the name. */
#define NAMED(p, kwt, vec, tab, init, what)                                                        \
	do {                                                                                       \
		char nm_[sizeof((vec)->items->name)];                                              \
		bool ok_;                                                                          \
		if (!take_name(p, kwt, nm_, sizeof(nm_), what)) {                                  \
			parse_skip_statement(p, kw_top, kwt, NULL);                                \
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

static void no_defaults(void *o)
{
}

static void top_global(struct pctx *p, const struct kw *k, void *obj, const struct tok *kw)
{
	parse_sub_block(p, kw_global, &p->c->global, kw);
}

static void top_instance(struct pctx *p, const struct kw *k, void *obj, const struct tok *kw)
{
	NAMED(p, kw, &p->c->instances, kw_instance, conf_instance_defaults, "vrrp_instance");
}

static void top_script(struct pctx *p, const struct kw *k, void *obj, const struct tok *kw)
{
	NAMED(p, kw, &p->c->scripts, kw_script, conf_script_defaults, "vrrp_script");
}

static void top_track_file(struct pctx *p, const struct kw *k, void *obj, const struct tok *kw)
{
	NAMED(p, kw, &p->c->track_files, kw_track_file, conf_track_file_defaults, "track_file");
}

static void top_track_process(struct pctx *p, const struct kw *k, void *obj, const struct tok *kw)
{
	NAMED(p, kw, &p->c->track_processes, kw_track_process, conf_track_process_defaults,
	      "vrrp_track_process");
}

static void top_sync_group(struct pctx *p, const struct kw *k, void *obj, const struct tok *kw)
{
	NAMED(p, kw, &p->c->sync_groups, kw_sync_group, conf_sync_group_defaults,
	      "vrrp_sync_group");
}

/* bfd_instance: keepalived's checks at the end of the block (bfdconf.c) */
static void top_bfd(struct pctx *p, const struct kw *k, void *obj, const struct tok *kw)
{
	size_t n = p->c->bfds.n;

	NAMED(p, kw, &p->c->bfds, kw_bfd, conf_bfd_defaults, "bfd_instance");
	if (p->c->bfds.n > n)
		conf_bfd_end(p);
}

static void top_track_group(struct pctx *p, const struct kw *k, void *obj, const struct tok *kw)
{
	NAMED(p, kw, &p->c->track_groups, kw_track_group, no_defaults, "track_group");
}

static void top_if_delays(struct pctx *p, const struct kw *k, void *obj, const struct tok *kw)
{
	kw_if_delays(p, k, &p->c->if_delays, kw);
}

static void top_garp_group(struct pctx *p, const struct kw *k, void *obj, const struct tok *kw)
{
	struct conf_garp_group *g = VEC_PUSH(&p->c->garp_groups);

	if (!g)
		return;
	g->garp_interval_us = g->gna_interval_us = -1;
	g->pos = kw->pos;
	parse_sub_block(p, kw_garp_group, g, kw);
}

/* static_ipaddress, static_routes, static_rules: the same lists as an
 * instance's virtual_*, kept in c->statics. */
static void top_static(struct pctx *p, const struct kw *k, void *obj, const struct tok *kw)
{
	if (!strcmp(k->name, "static_routes"))
		kw_routes(p, k, &p->c->statics, kw);
	else if (!strcmp(k->name, "static_rules"))
		kw_rules(p, k, &p->c->statics, kw);
	else
		kw_vips(p, k, &p->c->statics, kw);
}

/* A top-level keyword that sets a global value (net_namespace NAME). */
static void top_global_value(struct pctx *p, const struct kw *k, void *obj, const struct tok *kw)
{
	parse_set_value(p, kw_top, k, &p->c->global, kw);
}

#define LVS "LVS/IPVS is outside vipd, which does VRRP only"
/* The top level; skipping an unknown statement stops at the next of these. */
const struct kw kw_top[] = {
    {"global_defs", A_CUSTOM, .fn = top_global, .sub = kw_global},
    {"vrrp_instance", A_CUSTOM, .fn = top_instance, .sub = kw_instance},
    {"vrrp_script", A_CUSTOM, .fn = top_script, .sub = kw_script},
    {"track_file", A_CUSTOM, .fn = top_track_file, .sub = kw_track_file},
    {"vrrp_track_file", A_CUSTOM, .fn = top_track_file, .sub = kw_track_file},
    {"vrrp_track_process", A_CUSTOM, .fn = top_track_process, .sub = kw_track_process},
    {"track_process", A_CUSTOM, .fn = top_track_process, .sub = kw_track_process, .flags = KW_EXT},
    {"vrrp_sync_group", A_CUSTOM, .fn = top_sync_group, .sub = kw_sync_group},
    {"virtual_server", A_UNSUPPORTED, .why = LVS},
    {"virtual_server_group", A_UNSUPPORTED, .why = LVS},
    {"SSL", A_UNSUPPORTED, .why = LVS "; SSL is for its health checkers"},
    {"net_namespace_ipvs", A_UNSUPPORTED, .why = LVS},
    {"namespace_with_ipsets", A_UNSUPPORTED, .why = "vipd uses nftables, not ipsets"},
    {"net_namespace", A_NAME, offsetof(struct conf_global, net_namespace), .fn = top_global_value},
    {"instance", A_NAME, offsetof(struct conf_global, instance_name), .fn = top_global_value},
    {"use_pid_dir", A_NOEFFECT,
     .why = "vipd always keeps its pid file in a directory of its own, /run/vipd"},
    {"child_wait_time", A_NOEFFECT, .why = "vipd is one process, with no children to wait for"},
    {"linkbeat_use_polling", A_NOEFFECT, .why = "vipd follows link state through netlink"},
    {"linkbeat_interfaces", A_NOEFFECT, .why = "vipd follows link state through netlink"},
    {"static_ipaddress", A_CUSTOM, offsetof(struct conf_statics, vips), .fn = top_static,
     .flags = KW_NODUMP},
    {"static_routes", A_CUSTOM, offsetof(struct conf_statics, routes), .fn = top_static,
     .flags = KW_NODUMP},
    {"static_rules", A_CUSTOM, offsetof(struct conf_statics, rules), .fn = top_static,
     .flags = KW_NODUMP},
    {"track_group", A_CUSTOM, .fn = top_track_group, .sub = kw_track_group, .flags = KW_NODUMP},
    {"garp_group", A_CUSTOM, .fn = top_garp_group, .sub = kw_garp_group, .flags = KW_NODUMP},
    {"interface_up_down_delays", A_CUSTOM, .fn = top_if_delays, .flags = KW_NODUMP},
    {"bfd_instance", A_CUSTOM, .fn = top_bfd, .sub = kw_bfd},
    {NULL},
};

static void parse_top_word(struct pctx *p, const struct tok *t)
{
	struct tok kw = *t;
	char name[64];
	const struct kw *k = t->quoted ? NULL : kw_lookup(kw_top, t->text);

	snprintf(name, sizeof(name), "%s", t->text);
	kw.text = name;
	if (!k) {
		WARN(p, &kw.pos, "unknown keyword '%s'", name);
		parse_skip_statement(p, kw_top, &kw, NULL);
	} else if (k->type == A_UNSUPPORTED || k->type == A_NOEFFECT) {
		parse_warn_skip(p, kw_top, k, &kw);
	} else {
		k->fn(p, k, NULL, &kw);
	}
}

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
