/*
 * katext.h: keepalived's text dumps (katext.c): keepalived.stats for
 * SIGUSR2 and STATS_CLEAR, keepalived.data for SIGUSR1.
 */
#ifndef VIPD_KATEXT_H
#define VIPD_KATEXT_H

struct vipd;

/* Each as keepalived 2.2.7 writes it (malloc'd; NULL out of memory). */
char *katext_stats(struct vipd *d);
char *katext_data(struct vipd *d);

#endif
