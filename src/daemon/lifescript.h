/*
 * lifescript.h: startup_script and shutdown_script (lifescript.c).
 */
#ifndef VIPD_LIFESCRIPT_H
#define VIPD_LIFESCRIPT_H

#include <sys/types.h>

#include "lib/timer.h"

struct vipd;

struct lifescript {
	pid_t pid;                   /* the startup script while it runs */
	struct timer t;              /* its timeout */
	void (*then)(struct vipd *); /* what starts when it is over */
};

/* Runs the startup script, then `then` (at once when there is none). */
void lifescript_startup(struct vipd *d, void (*then)(struct vipd *d));
/* Runs the shutdown script and waits for it, within its timeout. */
void lifescript_shutdown(struct vipd *d);

#endif
