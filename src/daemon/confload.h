/*
 * confload.h: the config read for a reload (SIGHUP) off the loop, in a
 * second thread, so that reading a large file never holds up adverts.
 */
#ifndef VIPD_CONFLOAD_H
#define VIPD_CONFLOAD_H

#include <stdbool.h>

#include "lib/vtime.h"

struct conf;
struct conf_diff;
struct loop;
struct confload;

/* Called in the loop when a read ends: c is the new config (the callee
 * owns it), or NULL when it was refused (its errors are logged, or for a
 * check kept in confload_diags). df says what a reload from the config
 * that was running does with each instance (conf_diff). */
typedef void (*confload_fn)(void *arg, struct conf *c, const struct conf_diff *df);

/* *running is the config in force, which the daemon changes or frees only
 * in the callback. */
/* -i ID: what @ID lines of the config match in every read. */
void confload_config_id(struct confload *cl, const char *id);
struct confload *confload_new(struct loop *l, struct conf *const *running, confload_fn fn,
                              void *arg);
/* Reads path and compares it with *running. A request while a read is
 * under way is kept: one more read starts once the callback has run, as
 * the file may have changed since the first began. */
void confload_request(struct confload *cl, const char *path);
/* `vipctl reload --check`: reads path the same way and compares it with
 * the running config, then calls fn; nothing is logged. -1 when a read is
 * under way (a reload asked meanwhile waits for the check). */
int confload_check(struct confload *cl, const char *path, confload_fn fn, void *arg);
/* The read's errors and warnings, one a line; valid in the callback. */
const char *confload_diags(const struct confload *cl);
vtime_t confload_read_us(const struct confload *cl); /* the last read's duration */
/* Waits for a read under way, drops its result, frees. */
void confload_free(struct confload *cl);

#endif
