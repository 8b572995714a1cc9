/*
 * track.h: vrrp_script and track_file at run time, and how tracked objects
 * set an instance's priority (track.c owns the lists in struct vipd).
 */
#ifndef VIPD_TRACK_H
#define VIPD_TRACK_H

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>
#include <sys/types.h>

#include "conf/conf.h"
#include "lib/timer.h"
#include "linux/child.h"

struct instance;
struct vipd;

/* A vrrp_script at run time. */
struct script_rt {
	struct vipd *d;
	const struct conf_script *c;
	char name[CONF_NAME_MAX];
	bool ok; /* OK or FAILED, after rise / fall */
	bool timed_out;
	int rise_count, fall_count;
	pid_t pid; /* running, or 0 */
	struct timer t_run, t_timeout;
	char last_result[64];
	uint64_t runs;
	struct child_cred cred;
	bool blocked; /* refused by enable_script_security, or its user is missing */
	struct script_rt *next;
};

/* A track_file at run time. */
struct tfile_rt {
	const struct conf_track_file *c;
	char name[CONF_NAME_MAX];
	long long value; /* what keepalived would take: 0 for no number */
	bool number;     /* the file holds a number (for the log and status) */
	bool read_once;
	struct tfile_rt *next;
};

void track_start(struct vipd *d);
void track_stop(struct vipd *d);
/* The instance's priority and Fault from its tracked objects (tracked.c). */
void track_update(struct instance *in);
struct script_rt *script_find(struct vipd *d, const char *name);
void tfiles_start(struct vipd *d);
void tfiles_stop(struct vipd *d);
struct tfile_rt *tfile_find(struct vipd *d, const char *name);
/* Their states for tracked.c (tracked_view_fn). */
struct tracked_view;
void script_view(const struct instance *in, const struct conf_track *t, int w,
                 struct tracked_view *v);
void tfile_view(const struct instance *in, const struct conf_track *t, int w,
                struct tracked_view *v);

/* Whom a command runs as, and whether it may run at all (logs why not);
 * at_load, a program found by PATH search is logged. */
bool script_allowed(struct vipd *d, const char *what, const struct conf_cmd *cmd,
                    struct child_cred *cred, bool at_load);
void script_user_init(struct vipd *d);

#endif
