/*
 * proc.h: vrrp_track_process at run time (proc.c owns the list in struct
 * vipd: pidfds of the matching processes, the process connector, /proc scans).
 */
#ifndef VIPD_PROC_H
#define VIPD_PROC_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "conf/conf.h"
#include "lib/timer.h"

struct vipd;

/* A vrrp_track_process at run time: the matching processes, by pidfd. */
struct tproc_pid {
	pid_t pid;
	int fd;
};
struct tproc_rt {
	struct vipd *d;
	const struct conf_track_process *c;
	char name[CONF_NAME_MAX];
	struct tproc_pid *pids;
	size_t n, cap;
	bool ok, pending_up;
	bool capped; /* more processes match than are watched */
	bool by_uid; /* process_user: only processes of uid */
	uid_t uid;
	struct timer t_delay;
	struct tproc_rt *next;
};

void tprocs_start(struct vipd *d);
void tprocs_stop(struct vipd *d);
struct tproc_rt *tproc_find(struct vipd *d, const char *name);

/* Its state for tracked.c (tracked_view_fn). */
struct instance;
struct conf_track;
struct tracked_view;
void tproc_view(const struct instance *in, const struct conf_track *t, int w,
                struct tracked_view *v);

#endif
