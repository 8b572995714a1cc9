/*
 * child.h: processes vipd runs (notify and tracking scripts): spawned
 * without a shell into their own process group, reaped on SIGCHLD, their
 * exit reported to whoever started them.
 */
#ifndef VIPD_CHILD_H
#define VIPD_CHILD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "lib/timer.h"

typedef void (*child_fn)(void *arg, int status); /* wait status */

#define CHILD_MAX_GROUPS 64

/* Whom a script runs as: root unless set; the groups are the user's
 * supplementary groups. */
struct child_cred {
	bool secure_path; /* enable_script_security: check the path at each run */
	bool set;
	uid_t uid;
	gid_t gid;
	int n_groups;
	gid_t groups[CHILD_MAX_GROUPS];
};

/* What starting children costs the loop: the time the parent spends in
 * one start (it resumes when the child has exec'd). */
struct child_stats {
	const char *method; /* "clone-vfork", or "fork" with VIPD_SPAWN=fork */
	uint64_t spawns;
	uint64_t us_total;
	uint64_t us_max;
};

struct loop;
/* Watches the starts in flight from the loop (else they are looked at on
 * each start and reap). */
int child_init(struct loop *l);

/* Resolves USER [GROUP] (group defaults to the user's). Returns false with
 * a reason in why when the user or group does not exist. */
bool child_cred_lookup(const char *user, const char *group, struct child_cred *c, char *why,
                       size_t len);
/* keepalived's enable_script_security: false, with the offending path in
 * why, when the script's real path (links resolved), or a directory above
 * it, can be changed by a non-root user, or is not a regular file. The
 * real path goes to real (may be NULL). */
bool child_path_secure(const char *cmd, char *real, size_t real_len, char *why, size_t len);

/* Runs cmd (split into words; "quoted" words stay whole) with extra
 * arguments appended, stdio on /dev/null, in its own process group, with
 * vipd's environment less systemd's variables for vipd itself. The loop
 * never waits for more than the child's exec. Returns the pid, or -1.
 * on_exit may be NULL. */
pid_t child_spawn(const char *cmd, const char *const *extra, const struct child_cred *cred,
                  child_fn on_exit, void *arg);
/* Kills the child's whole process group. */
void child_kill(pid_t pid);
/* Forgets a child's callback (its owner is going away). */
void child_forget(pid_t pid);
/* Reaps every exited child and calls its callback. */
void child_reap(void);
const struct child_stats *child_stats(void);
void child_stats_clear(void);

#endif
