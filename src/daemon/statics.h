/*
 * statics.h: static_ipaddress, static_routes, static_rules in the kernel
 * (statics.c).
 */
#ifndef VIPD_STATICS_H
#define VIPD_STATICS_H

#include <stdbool.h>

#include "conf/conf.h"
#include "linux/netlink.h"

struct vipd;

/* Sets d->conf's entries; with old (a reload), first removes old's entries
 * the new config no longer has. */
void statics_apply(struct vipd *d, const struct conf *old);
void statics_remove(struct vipd *d); /* at stop */
/* Another program deleted an address vipd added: true if it was a static
 * one (then it is added again, unless no_track). */
bool statics_restore_addr(struct vipd *d, const struct nl_addr *gone);
void statics_route_gone(struct vipd *d, const struct nl_route_gone *g);
void statics_rule_gone(struct vipd *d, const struct nl_rule_gone *g);
void statics_iface_up(struct vipd *d, const char *ifname);

#endif
