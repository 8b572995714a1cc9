/*
 * bfdconf.h: keepalived's bfd_instance block and vipd's master_down_bfd
 * (bfdconf.c): the keyword table, the checks at the end of a block, the
 * checks of the references after the whole file.
 */
#ifndef VIPD_BFDCONF_H
#define VIPD_BFDCONF_H

#include <stdio.h>

#include "conf/parse.h"

extern const struct kw kw_bfd[];

/* The end of the bfd_instance block just read (the last of c->bfds). */
void conf_bfd_end(struct pctx *p);
/* vrrp_instance's master_down_bfd NAME...: into the conf_tracks at k->off. */
void kw_master_down_bfd(struct pctx *p, const struct kw *k, void *obj, const struct tok *kw);
void dump_master_down_bfd(FILE *f, const struct kw *k, const void *obj, int indent);
/* The master_down_bfd names against the bfd_instances (conf_validate). */
void conf_check_bfd(struct conf *c, const struct conf_opts *o);

#endif
