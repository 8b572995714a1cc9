/*
 * metrics.h: Prometheus metrics of the daemon (metrics.c renders them from
 * the counters the instances, the loop and reload.c keep, and owns the
 * listener of global_defs metrics_listen).
 */
#ifndef VIPD_METRICS_H
#define VIPD_METRICS_H

#include <stddef.h>

struct vipd;

/* Listens as metrics_listen says, or stops listening; a changed address
 * rebinds. A failure is logged and VRRP goes on. */
void metrics_apply(struct vipd *d);
void metrics_close(struct vipd *d);
/* The text exposition (format 0.0.4), malloc'd; *len its length. */
char *metrics_text(struct vipd *d, size_t *len);

#endif
