/*
 * kafiles.h: keepalived's dump files where keepalived writes them
 * (kafiles.c), for the signals exporters send.
 */
#ifndef VIPD_KAFILES_H
#define VIPD_KAFILES_H

#include <stddef.h>

struct vipd;

/* The file for a *_dump_file setting conf (NULL: none) whose default name
 * is name, by keepalived 2.4.3's rule; $TMPDIR (absolute) or /tmp. */
void kafiles_path(char *buf, size_t len, const char *conf, const char *name);

void kafiles_data(struct vipd *d);  /* SIGUSR1: keepalived.data */
void kafiles_stats(struct vipd *d); /* SIGUSR2, STATS_CLEAR: keepalived.stats */
void kafiles_json(struct vipd *d);  /* JSON: keepalived.json */

#endif
