/*
 * child.h: processes vipd runs (notify and tracking scripts): spawned
 * without a shell into their own process group, reaped on SIGCHLD, their
 * exit reported to whoever started them.
 */
#ifndef VIPD_CHILD_H
#define VIPD_CHILD_H

#include <sys/types.h>

typedef void (*child_fn)(void *arg, int status); /* wait status */

/* Runs cmd (split into words; "quoted" words stay whole) with extra
 * arguments appended. Returns the pid, or -1. on_exit may be NULL. */
pid_t child_spawn(const char *cmd, const char *const *extra, child_fn on_exit, void *arg);
/* Kills the child's whole process group. */
void child_kill(pid_t pid);
/* Forgets a child's callback (its owner is going away). */
void child_forget(pid_t pid);
/* Reaps every exited child and calls its callback. */
void child_reap(void);

#endif
