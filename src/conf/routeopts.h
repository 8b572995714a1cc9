/*
 * routeopts.h: the further ip-route / ip-rule options of virtual_routes and
 * virtual_rules (routeopts.c), for grammar.c and confdump.c.
 */
#ifndef VIPD_ROUTEOPTS_H
#define VIPD_ROUTEOPTS_H

#include <stdbool.h>
#include <stdio.h>

#include "conf/parse.h"

extern const char *const route_extra_words[], *const rule_extra_words[];

void conf_route_init_extra(struct conf_route *r);
void conf_rule_init_extra(struct conf_rule *r);
/* opt (one of route_extra_words / rule_extra_words) and its argument: false
 * when it is not one of them. */
bool route_extra_option(struct pctx *p, struct conf_route *r, const char *opt,
                        const struct srcpos *pos);
bool rule_extra_option(struct pctx *p, struct conf_rule *r, const char *opt,
                       const struct srcpos *pos);
/* " opt value" for each option set, in the canonical order. */
void dump_route_extra(FILE *f, const struct conf_route *r);
void dump_rule_extra(FILE *f, const struct conf_rule *r);

#endif
