/*
 * work.h: transition work after the advert (work.c).
 */
#ifndef VIPD_WORK_H
#define VIPD_WORK_H

#include "lib/vtime.h"

struct fsm_out;
struct instance;
struct vipd;

/* Queues the addresses, notify and announcements out asks for. */
void work_queue(struct instance *in, vtime_t now, const struct fsm_out *out);
/* The instance goes away: what its last transition left is done now. */
void work_cancel(struct instance *in);
void instances_init(struct vipd *d);
void instances_flush(struct vipd *d);     /* queued adverts, then transition work */
void instances_flush_all(struct vipd *d); /* and all the work, now */

#endif
