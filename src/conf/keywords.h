/*
 * keywords.h: the keyword tables of each block (keywords.c).
 */
#ifndef VIPD_KEYWORDS_H
#define VIPD_KEYWORDS_H

#include "conf/parse.h"

extern const struct kw kw_top[], kw_global[], kw_instance[], kw_script[], kw_track_file[],
    kw_track_process[], kw_sync_group[], kw_track_group[], kw_garp_group[];

/* weight N [reverse] into the int at k->off and the bool after it, N from
 * k->min to k->max (vrrp_script, track_file, ..., bfd_instance). */
void kw_weight(struct pctx *p, const struct kw *k, void *obj, const struct tok *kw);

#endif
