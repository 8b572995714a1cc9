/*
 * confdump.h: the canonical dump of a parsed config (confdump.c), driven by
 * the keyword tables, and the dumpers of the keywords with their own syntax.
 */
#ifndef VIPD_CONFDUMP_H
#define VIPD_CONFDUMP_H

#include <stdint.h>
#include <stdio.h>

#include "conf/parse.h"

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
void dump_umask(FILE *f, const struct kw *k, const void *obj, int indent);
void dump_notify_deleted(FILE *f, const struct kw *k, const void *obj, int indent);
void dump_use_vmac(FILE *f, const struct kw *k, const void *obj, int indent);
void dump_script_user(FILE *f, const struct kw *k, const void *obj, int indent);
void dump_param_match(FILE *f, const struct kw *k, const void *obj, int indent);
void dump_init_file(FILE *f, const struct kw *k, const void *obj, int indent);

#endif
