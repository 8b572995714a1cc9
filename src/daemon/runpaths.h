/*
 * runpaths.h: this vipd's files under keepalived's `instance NAME`
 * (runpaths.c).
 */
#ifndef VIPD_RUNPATHS_H
#define VIPD_RUNPATHS_H

#include "conf/conf.h"
#include "daemon/vipd.h"

/* The pid file, control socket, run directory and log ident of o, as
 * instance NAME (and net_namespace) in g make them. */
void runpaths_apply(struct vipd_opts *o, const struct conf_global *g);

#endif
