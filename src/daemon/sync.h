/*
 * sync.h: vrrp_sync_group at run time (sync.c owns the list in struct vipd;
 * each member instance points at its group).
 */
#ifndef VIPD_SYNC_H
#define VIPD_SYNC_H

#include <stddef.h>

#include "conf/conf.h"
#include "vrrp/fsm.h"

struct group_member;
struct instance;
struct vipd;

/* A vrrp_sync_group at run time (sync.c). */
struct sync_rt {
	const struct conf_sync_group *c;
	struct instance **m; /* members */
	size_t n;
	enum vrrp_state state; /* the group's: Fault if any, Master if all, ... */
	int mailed;            /* alert.c: the last event mailed, + 1; 0 none yet */
	struct sync_rt *next;
};

void sync_start(struct vipd *d);
void sync_stop(struct vipd *d);
/* The members as vrrp/group.c sees them, m[g->n]; in's index in g. */
void sync_snapshot(const struct sync_rt *g, struct group_member *m);
size_t sync_index(const struct sync_rt *g, const struct instance *in);
/* After its members moved: the group's state, logged and notified. */
void sync_changed(struct sync_rt *g);

#endif
