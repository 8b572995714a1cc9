/*
 * reloadcheck.h: `vipctl reload --check`: what a reload of a file would
 * change, read off the loop as a reload reads it (confload.c) and told by
 * the same decision (conf_diff), without applying anything.
 */
#ifndef VIPD_RELOADCHECK_H
#define VIPD_RELOADCHECK_H

struct vipd;

/* Called in the loop with the report (malloc'd; the callee frees it;
 * NULL when out of memory). It starts "error:" when the file has errors. */
typedef void (*reload_check_fn)(struct vipd *d, char *report);

/* -1 when a reload or another check is being read. */
int reload_check(struct vipd *d, const char *path, reload_check_fn fn);

#endif
