/*
 * tracked.h: tracked objects of every kind seen the same way (tracked.c
 * holds the per-kind table; each kind's module tells its state: scripts and
 * files track.c, processes proc.c, interfaces iface.c, BFD sessions
 * bfdview.c). Used for the priority and Fault of an instance
 * (track_update), its status (ctl.c) and the sync groups' weight rule.
 */
#ifndef VIPD_TRACKED_H
#define VIPD_TRACKED_H

#include <stdbool.h>

#include "conf/conf.h"

struct instance;

/* One tracked object as one instance sees it. */
struct tracked_view {
	bool exists;       /* known at run time (an interface always is) */
	bool ok;           /* up, running, OK, a number */
	bool reverse;      /* weight_reverse or reverse */
	int weight;        /* in force for this object (override or its own) */
	const char *state; /* "OK", "FAILED", "UP", "DOWN", "MISSING" */
	char result[64];   /* last result, value, processes running */
	char fault[160];   /* why it holds the instance in Fault, when it does */
	int contribution;  /* to the instance's priority */
};

/* Fills v for t (kind k) of in; w: the weight after the sync group rule. */
typedef void (*tracked_view_fn)(const struct instance *in, const struct conf_track *t, int w,
                                struct tracked_view *v);

struct tracked_kind {
	const char *type; /* in status: "script", "process", "file", "interface", "bfd" */
	tracked_view_fn view;
	bool group_weight; /* a sync group member ignores its weight (keepalived) */
};
extern const struct tracked_kind tracked_kinds[CONF_TRACK_KINDS];

void tracked_view(const struct instance *in, enum conf_track_kind k, const struct conf_track *t,
                  struct tracked_view *v);
/* keepalived's rule: what a tracked object in state up adds. */
int tracked_contribution(int weight, bool reverse, bool up);

#endif
