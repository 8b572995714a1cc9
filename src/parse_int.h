/*
 * parse_int.h: what parse.c, confcheck.c and confdump.c share: the keyword
 * table type (one table drives both parsing and the canonical dump) and
 * the diagnostic helper.
 */
#ifndef VIPD_PARSE_INT_H
#define VIPD_PARSE_INT_H

#include <stddef.h>
#include <stdio.h>

#include "conf.h"
#include "strmap.h"
#include "lex.h"

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
	A_UNSUPPORTED, /* known keepalived keyword vipd does not do: warn, skip */
};

#define KW_NODUMP   0x1 /* alias or write-only: the dump uses another keyword */
#define KW_SKIP_NEG 0x2 /* A_INT: not dumped when < 0 */

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
};

struct pctx {
	struct lexer *lx;
	struct conf *c;
	const struct conf_opts *opts;
	struct strmap names; /* "what name" -> line, for duplicate block names */
};

extern const struct kw kw_global[], kw_instance[], kw_script[], kw_track_file[], kw_track_process[],
    kw_sync_group[];

void conf_diag(struct conf *c, const struct conf_opts *o, enum conf_severity sev,
               const struct srcpos *pos, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* confdump.c */
void dump_table(FILE *f, const struct kw *tab, const void *obj, int indent);
void dump_word(FILE *f, const char *s);
void dump_quoted(FILE *f, const char *s);
void dump_usec(FILE *f, uint64_t us);
void dump_vips(FILE *f, const struct kw *k, const void *obj, int indent);
void dump_routes(FILE *f, const struct kw *k, const void *obj, int indent);
void dump_rules(FILE *f, const struct kw *k, const void *obj, int indent);
void dump_tracks(FILE *f, const struct kw *k, const void *obj, int indent);
void dump_peers(FILE *f, const struct kw *k, const void *obj, int indent);
void dump_paths(FILE *f, const struct kw *k, const void *obj, int indent);
void dump_members(FILE *f, const struct kw *k, const void *obj, int indent);
void dump_state(FILE *f, const struct kw *k, const void *obj, int indent);
void dump_auth(FILE *f, const struct kw *k, const void *obj, int indent);
void dump_accept(FILE *f, const struct kw *k, const void *obj, int indent);
void dump_weight(FILE *f, const struct kw *k, const void *obj, int indent);
void dump_use_vmac(FILE *f, const struct kw *k, const void *obj, int indent);
void dump_script_user(FILE *f, const struct kw *k, const void *obj, int indent);
void dump_ignored(FILE *f, const struct kw *k, const void *obj, int indent);
void dump_param_match(FILE *f, const struct kw *k, const void *obj, int indent);
void dump_init_file(FILE *f, const struct kw *k, const void *obj, int indent);

/* Grows a VEC by one zeroed item and returns it (NULL on allocation failure). */
void *vec_push_raw(void *vec, size_t item);
#define VEC_PUSH(v) ((__typeof__((v)->items))vec_push_raw((v), sizeof(*(v)->items)))

#endif
