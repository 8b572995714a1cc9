/*
 * ctl.h: the control socket (ctl.c owns the listener and its clients) and
 * the status it serves.
 */
#ifndef VIPD_CTL_H
#define VIPD_CTL_H

#include <stdbool.h>
#include <stdio.h>

struct vipd;

int ctl_open(struct vipd *d);
void ctl_close(struct vipd *d);
/* Renders the status as text or JSON into a malloc'd string. */
char *ctl_status(struct vipd *d, bool json);
char *ctl_stats(struct vipd *d);
/* Zeroes the counters (instances', the loop's, the children's). */
void ctl_stats_clear(struct vipd *d);
/* s as a JSON string, quoted and escaped. */
void ctl_json_str(FILE *f, const char *s);

#endif
