/*
 * sysctl.h: interface settings changed and put back (sysctl.c).
 */
#ifndef VIPD_SYSCTL_H
#define VIPD_SYSCTL_H

#include <stddef.h>

/* Puts back what a run that died left changed (RUN_DIR/sysctl.saved). */
void sysctl_init(const char *run_dir);
/* Sets net.ipv4.conf.IFNAME.KEY, keeping the original for the last release. */
void sysctl_take(const char *ifname, const char *key, const char *value);
void sysctl_release(const char *ifname, const char *key);
/* Sets it for good (an interface vipd made itself). */
void sysctl_set(const char *ifname, const char *key, const char *value);
/* Sets net.ipv6.conf.IFNAME.KEY for good; nothing without IPv6. */
void sysctl_set6(const char *ifname, const char *key, const char *value);
int sysctl_get(const char *ifname, const char *key, char *buf, size_t len);

#endif
