/*
 * routewatch.h: deleted routes and rules put back (routewatch.c).
 */
#ifndef VIPD_ROUTEWATCH_H
#define VIPD_ROUTEWATCH_H

#include <stdbool.h>

#include "conf/conf.h"
#include "linux/netlink.h"

struct vipd;

/* Whether the kernel's deletion is of this configured route / rule. */
bool route_matches(const struct conf_route *r, const struct nl_route_gone *g);
bool rule_matches(const struct conf_rule *r, const struct nl_rule_gone *g);
/* The monitor's route_gone and rule_gone handlers (arg: the vipd). */
void routewatch_route_gone(void *arg, const struct nl_route_gone *g);
void routewatch_rule_gone(void *arg, const struct nl_rule_gone *g);
/* Joins the route and rule groups the config's tracked entries need. */
void routewatch_start(struct vipd *d);

#endif
