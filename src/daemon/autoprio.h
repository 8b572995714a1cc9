/*
 * autoprio.h: realtime priority raised when timers run late (autoprio.c).
 */
#ifndef VIPD_AUTOPRIO_H
#define VIPD_AUTOPRIO_H

struct vipd;

void autoprio_start(struct vipd *d);

#endif
