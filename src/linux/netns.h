/*
 * netns.h: joining a named network namespace (netns.c).
 */
#ifndef VIPD_NETNS_H
#define VIPD_NETNS_H

#include <stddef.h>

/* Enters /run/netns/NAME: 0, or -1 with the reason in why. */
int netns_join(const char *name, char *why, size_t len);

#endif
