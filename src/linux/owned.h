/*
 * owned.h: the addresses vipd added itself, as the kernel's answers to its
 * requests say (an add that found the address there, EEXIST, is not
 * vipd's). vipd removes only these: on leaving Master, at exit, and, after
 * a crash, the ones RUN_DIR/addrs.owned says the crashed run added. An
 * address owner's own interface address, or a host address equal to a VIP
 * on another interface, is never vipd's, so never removed.
 *
 * Owns the set and the record file; entries are (interface, address,
 * prefix length).
 */
#ifndef VIPD_OWNED_H
#define VIPD_OWNED_H

#include <stdbool.h>

#include "lib/addr.h"
#include "linux/netlink.h"

/* Reads the previous run's record (its entries become leftovers, by
 * interface name) and keeps the path to write the record to. ifname gives
 * an interface's name from its index (NULL when unknown). */
void owned_init(const char *run_dir, const char *(*ifname)(int ifindex, void *arg), void *arg);
/* Is a = ifindex/addr/prefixlen vipd's (added, or being added)? A
 * prefixlen of -1 matches any. Leftovers match by interface name. */
bool owned_has(int ifindex, const struct addr *a, int prefixlen);
/* Before sending an add: the address is vipd's unless the kernel says it
 * was already there. */
void owned_request_add(const struct nl_addr *a);
/* The netlink hook (nl_set_addr_hook): the kernel's answers. */
void owned_answer(void *arg, bool add, const struct nl_addr *a, int err);
/* Start-up, after a crash: is a (seen on its interface) one the crashed
 * run added? owned_adopt keeps such a one as this run's (an address that
 * stays, e.g. an address owner's VIP); owned_drop_leftovers forgets the
 * rest. */
bool owned_is_leftover(const struct nl_addr *a);
void owned_adopt(const struct nl_addr *a);
void owned_drop_leftovers(void);
/* An interface went away, with its addresses. */
void owned_forget_ifindex(int ifindex);
/* Writes the record if it changed (atomically: a new file, renamed). */
void owned_sync(void);

#endif
