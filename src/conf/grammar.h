/*
 * grammar.h: the list grammars (grammar.c): handlers of the keywords whose
 * block holds one entry per line.
 */
#ifndef VIPD_GRAMMAR_H
#define VIPD_GRAMMAR_H

#include <stdbool.h>

#include "conf/parse.h"

/* virtual_ipaddress, virtual_ipaddress_excluded, static_ipaddress */
void kw_vips(struct pctx *p, const struct kw *k, void *obj, const struct tok *kw);
void kw_routes(struct pctx *p, const struct kw *k, void *obj,
               const struct tok *kw); /* virtual_routes */
void kw_rules(struct pctx *p, const struct kw *k, void *obj,
              const struct tok *kw); /* virtual_rules */
void kw_peers(struct pctx *p, const struct kw *k, void *obj,
              const struct tok *kw); /* unicast_peer */
void kw_paths(struct pctx *p, const struct kw *k, void *obj,
              const struct tok *kw); /* advert_path */
/* track_script, track_interface, track_file, track_process */
void kw_track(struct pctx *p, const struct kw *k, void *obj, const struct tok *kw);
void kw_group(struct pctx *p, const struct kw *k, void *obj, const struct tok *kw); /* group { } */
/* interface_up_down_delays { IFNAME DOWN [UP] } into the VEC obj */
void kw_if_delays(struct pctx *p, const struct kw *k, void *obj, const struct tok *kw);
/* An interface name into dst (IFNAMSIZ), or false (reported). */
bool parse_set_ifname(struct pctx *p, char *dst, const char *v, const struct srcpos *pos);
/* A block name (track_group NAME) into dst (CONF_NAME_MAX), or false. */
bool parse_set_name(struct pctx *p, char *dst, const char *v, const struct srcpos *pos,
                    const char *what);
/* ip-address(8) scope names and numbers; -1 when unknown. */
int conf_scope_parse(const char *s);

#endif
