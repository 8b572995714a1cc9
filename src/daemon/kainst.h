/*
 * kainst.h: a vrrp_instance in keepalived 2.2.7's data file layout
 * (kainst.c), for katext.c's keepalived.data.
 */
#ifndef VIPD_KAINST_H
#define VIPD_KAINST_H

#include <stdbool.h>
#include <stdio.h>

#include "lib/vtime.h"

struct conf;
struct conf_track;
struct instance;
struct vipd;

/* The loop's clock and the wall clock at one moment, to show the loop's
 * deadlines as keepalived's times of day. */
struct kainst_clock {
	vtime_t now;
	double now_real;
};

/* " VRRP Instance = NAME" and its indented lines. */
void kainst_write(FILE *f, const struct instance *in, const struct kainst_clock *k);
/* The weight a tracked object of kind (CONF_TRACK_*) counts with: the
 * track's own, else the object's, as keepalived lists it. */
void kainst_track_weight(const struct conf *cf, int kind, const struct conf_track *t, int *w,
                         bool *reverse);

#endif
