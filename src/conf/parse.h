/*
 * parse.h: the parser engine (parse.c) and what the files of the config
 * layer share: the keyword table type (one table drives both parsing and
 * the canonical dump), the parse context, the diagnostic helper. parse.c
 * owns struct pctx for one load (conf.c makes it); the struct conf it fills
 * belongs to the caller of conf_load.
 */
#ifndef VIPD_PARSE_H
#define VIPD_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "conf/conf.h"
#include "conf/lex.h"
#include "lib/strmap.h"

enum kw_type {
	A_FLAG,        /* bool, no argument */
	A_BOOLOPT,     /* bool, optional yes/no argument */
	A_TRI,         /* enum conf_tristate, optional yes/no argument */
	A_INT,         /* int in [min, max] */
	A_USEC,        /* uint64_t microseconds from decimal seconds */
	A_SSEC,        /* int64_t microseconds from decimal seconds; -1 unset */
	A_STR,         /* char *, one word or quoted string */
	A_NAME,        /* char[CONF_NAME_MAX] */
	A_IFNAME,      /* char[IFNAMSIZ] */
	A_ADDR,        /* struct addr; min: required family or 0 */
	A_CMD,         /* struct conf_cmd: command [user [group]] */
	A_CUSTOM,      /* handler parses its own arguments */
	A_UNSUPPORTED, /* keepalived keyword vipd does not do: warn "not supported: why", skip */
	A_NOEFFECT,    /* keepalived keyword with nothing to do in vipd: warn "no effect: why" */
};

#define KW_NODUMP   0x1 /* alias or write-only: the dump uses another keyword */
#define KW_SKIP_NEG 0x2 /* A_INT: not dumped when < 0 */
#define KW_LIVE     0x4 /* vrrp_instance: a running router takes a change of it */
#define KW_EXT      0x8 /* a vipd extension, not a keepalived keyword */

struct pctx;
struct kw;
typedef void (*kw_fn)(struct pctx *p, const struct kw *k, void *obj, const struct tok *kwt);
typedef void (*kw_dump_fn)(FILE *f, const struct kw *k, const void *obj, int indent);

struct kw {
	const char *name;
	enum kw_type type;
	size_t off;
	long min, max;
	kw_fn fn;
	kw_dump_fn dump;
	unsigned flags;
	const char *why;      /* A_UNSUPPORTED, A_NOEFFECT: the reason given in the warning */
	const struct kw *sub; /* the keywords of the block this one opens, if any */
};

struct pctx {
	struct lexer *lx;
	struct conf *c;
	const struct conf_opts *opts;
	struct strmap names; /* "what name" -> line, for duplicate block names */
};

/* Reports at pos (conf.c). */
void conf_diag(struct conf *c, const struct conf_opts *o, enum conf_severity sev,
               const struct srcpos *pos, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

#define ERR(p, pos, ...)  conf_diag((p)->c, (p)->opts, CONF_ERROR, pos, __VA_ARGS__)
#define WARN(p, pos, ...) conf_diag((p)->c, (p)->opts, CONF_WARNING, pos, __VA_ARGS__)
#define FIELD(obj, k, T)  ((T *)((char *)(obj) + (k)->off))

/* Grows a VEC by one zeroed item and returns it (NULL on allocation failure). */
void *vec_push_raw(void *vec, size_t item);
#define VEC_PUSH(v) ((__typeof__((v)->items))vec_push_raw((v), sizeof(*(v)->items)))

/* The whole file, from the lexer (conf.c calls it). */
void conf_parse(struct pctx *p);

/* Tokens and values. */
const struct kw *kw_lookup(const struct kw *tab, const char *name);
bool tok_same_line(const struct tok *a, const struct srcpos *b);
bool tok_word_in(const struct tok *t, const char *const *set);
bool parse_long(const char *s, long min, long max, long *out);
/* The next token if it is an argument word on kw's line (and, when
 * optional, not a keyword of tab); else NULL without consuming. */
const struct tok *parse_take_arg(struct pctx *p, const struct kw *tab, const struct tok *kw,
                                 bool optional);
char *parse_need_arg(struct pctx *p, const struct kw *tab, const struct tok *kw, const char *what);
/* Sets the field of a table-typed keyword from its arguments. */
void parse_set_value(struct pctx *p, const struct kw *tab, const struct kw *k, void *obj,
                     const struct tok *kw);
/* Skips a statement (raw: its words, when wanted) or a block. */
void parse_skip_statement(struct pctx *p, const struct kw *tab, const struct tok *kw, char **raw);
/* Warns about an A_UNSUPPORTED or A_NOEFFECT keyword by name, with its reason, and skips it. */
void parse_warn_skip(struct pctx *p, const struct kw *tab, const struct kw *k,
                     const struct tok *kw);
void parse_sub_block(struct pctx *p, const struct kw *tab, void *obj, const struct tok *kw);

/* List blocks: one entry per line, each handed to fn with its first word. */
typedef void (*entry_fn)(struct pctx *p, void *obj, const struct tok *head);
void parse_list_block(struct pctx *p, void *obj, const struct tok *kw, entry_fn fn);
const struct tok *parse_entry_opt(struct pctx *p, const char *const *opts);
char *parse_entry_arg(struct pctx *p, const char *opt, const struct srcpos *pos);

#endif
