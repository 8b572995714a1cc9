/*
 * confload.h: the config read for a reload (SIGHUP) off the loop, in a
 * second thread, so that reading a large file never holds up adverts.
 */
#ifndef VIPD_CONFLOAD_H
#define VIPD_CONFLOAD_H

#include <stdbool.h>

#include "lib/vtime.h"

struct conf;
struct loop;
struct confload;

/* Called in the loop when a read ends: c is the new config (the callee
 * owns it), or NULL when it was refused (its errors are logged). same[i]
 * says whether c's instance i is the same router as the instance of that
 * name in the config that was running (conf_instance_fixed equal). */
typedef void (*confload_fn)(void *arg, struct conf *c, const bool *same);

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
vtime_t confload_read_us(const struct confload *cl); /* the last read's duration */
/* Waits for a read under way, drops its result, frees. */
void confload_free(struct confload *cl);

#endif
