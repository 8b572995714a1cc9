/*
 * nlwatch.h: decoding of route and rule deletions for the monitor
 * (nlwatch.c); netlink.c calls these.
 */
#ifndef VIPD_NLWATCH_H
#define VIPD_NLWATCH_H

#include <libmnl/libmnl.h>

#include "linux/netlink.h"

void nlwatch_route(const struct nlmsghdr *nlh, const struct nl_handlers *h);
void nlwatch_rule(const struct nlmsghdr *nlh, const struct nl_handlers *h);

#endif
