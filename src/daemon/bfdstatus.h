/*
 * bfdstatus.h: the BFD sessions in vipctl status (text and JSON) and
 * vipctl stats (bfdstatus.c).
 */
#ifndef VIPD_BFDSTATUS_H
#define VIPD_BFDSTATUS_H

#include <stdio.h>

struct vipd;

void bfd_status_text(FILE *f, struct vipd *d);
void bfd_status_json(FILE *f, struct vipd *d); /* "bfd":[...] */
void bfd_stats(FILE *f, struct vipd *d);
void bfd_stats_clear(struct vipd *d);

#endif
