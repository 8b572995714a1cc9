/*
 * keywords.h: the keyword tables of each block (keywords.c).
 */
#ifndef VIPD_KEYWORDS_H
#define VIPD_KEYWORDS_H

#include "conf/parse.h"

extern const struct kw kw_top[], kw_global[], kw_instance[], kw_script[], kw_track_file[],
    kw_track_process[], kw_sync_group[], kw_track_group[], kw_garp_group[];

#endif
