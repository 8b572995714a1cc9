/*
 * notify.h: notify scripts and notify_fifo (notify.c owns the lanes in
 * struct instance and struct vipd, and the FIFO's state).
 */
#ifndef VIPD_NOTIFY_H
#define VIPD_NOTIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "conf/conf.h"
#include "lib/timer.h"
#include "vrrp/fsm.h"

struct instance;
struct sync_rt;
struct vipd;
struct notify_job;

/* Notify scripts run one after another in a lane (notify.c): at most max
 * waiting (the oldest waiting one gives way), each ended after its limit. */
struct notify_lane {
	struct vipd *d;
	char name[CONF_NAME_MAX + 16]; /* for the log */
	struct notify_job *q;
	size_t n, max;
	pid_t pid; /* the one running */
	struct timer t;
	vtime_t dropped_logged;
};

void notify_init(struct instance *in);
void notify_transition(struct instance *in, enum vrrp_state to);
void notify_drop(struct instance *in);
void notify_drain(struct vipd *d);
void notify_split_brain(struct instance *in, bool on);
void notify_rx_lower(struct instance *in);
void notify_priority(struct instance *in);
void notify_reload_states(struct vipd *d);
void notify_group(struct sync_rt *g, enum vrrp_state to);

void notify_fifo_start(struct vipd *d);
void notify_fifo_stop(struct vipd *d, bool kill);
void notify_reap(void);

#endif
