/*
 * bfdview.h: a track_bfd reference as the tracked-object table sees it
 * (tracked.c): the state of its bfd_instance's session (bfdview.c).
 */
#ifndef VIPD_BFDVIEW_H
#define VIPD_BFDVIEW_H

#include "conf/conf.h"
#include "daemon/tracked.h"

struct instance;

/* Fills v for the bfd_instance t names; w: the weight after the sync group rule. */
void bfd_view(const struct instance *in, const struct conf_track *t, int w, struct tracked_view *v);

#endif
