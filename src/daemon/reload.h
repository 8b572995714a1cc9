/*
 * reload.h: SIGHUP. The config is read off the loop (confload.c), then
 * applied in the loop without restarting the routers it keeps.
 */
#ifndef VIPD_RELOAD_H
#define VIPD_RELOAD_H

#include <stdbool.h>

struct conf;
struct conf_diff;
struct vipd;

void reload_request(struct vipd *d);
/* confload's callback: nc is the config read (NULL: refused). */
void reload_apply(void *arg, struct conf *nc, const struct conf_diff *df);
/* Stopping: the part of a reload still to do is dropped. */
void reload_drop(struct vipd *d);

#endif
