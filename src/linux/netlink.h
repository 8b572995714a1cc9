/*
 * netlink.h: rtnetlink through libmnl: VIPs, routes, rules, and the
 * link/address watch that drives Fault and interface pick-up.
 */
#ifndef VIPD_NETLINK_H
#define VIPD_NETLINK_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/addr.h"
#include "conf/conf.h"

struct nl; /* a request socket and a monitor socket */

struct nl *nl_open(void); /* NULL + errno on failure */
void nl_close(struct nl *nl);
int nl_monitor_fd(const struct nl *nl); /* readable: call nl_monitor_read */

/*
 * Changes. Each returns 0 or -errno; EEXIST on add and EADDRNOTAVAIL/ESRCH/
 * ENOENT on delete count as success (idempotent). ifindex is the default
 * device when the entry names no dev. IPv6 VIPs are added with nodad.
 */
int nl_addr_add(struct nl *nl, int ifindex, const struct conf_vip *v);
int nl_addr_del(struct nl *nl, int ifindex, const struct conf_vip *v);
int nl_route_add(struct nl *nl, int ifindex, const struct conf_route *r);
int nl_route_del(struct nl *nl, int ifindex, const struct conf_route *r);
int nl_rule_add(struct nl *nl, const struct conf_rule *r);
int nl_rule_del(struct nl *nl, const struct conf_rule *r);

/* use_vmac: a private-mode macvlan on base named name with address mac;
 * brought up without IPv6 addresses of its own; deleted. Synchronous:
 * commit any open batch first. */
int nl_macvlan_add(struct nl *nl, int base, const char *name, const uint8_t mac[6]);
int nl_link_up_quiet(struct nl *nl, int ifindex);
int nl_link_del(struct nl *nl, int ifindex);
/* What a link named name is: its lower link, kind ("macvlan") and MAC.
 * 0 or -errno (-ENODEV: none). */
struct nl_link_info {
	int lower;
	char kind[16];
	uint8_t mac[6];
};
int nl_link_get(struct nl *nl, const char *name, struct nl_link_info *out);

/* Batching: requests between begin and commit go out in one sendmsg and
 * their acks are read together; each request's error is still reported
 * through the callback. Without begin, each call is synchronous. */
typedef void (*nl_err_fn)(void *arg, uint32_t seq, int err);
void nl_batch_begin(struct nl *nl);
int nl_batch_commit(struct nl *nl, nl_err_fn fn, void *arg);

/* Link and address facts, from the initial dump and from the monitor. */
struct nl_link {
	int ifindex;
	char name[IFNAMSIZ];
	bool up; /* IFF_UP && IFF_RUNNING (carrier) */
	uint8_t mac[6];
	int mac_len;
};
struct nl_addr {
	int ifindex;
	struct addr addr;
	int prefixlen;
	bool secondary;
};
enum nl_event { NL_LINK_NEW, NL_LINK_DEL, NL_ADDR_NEW, NL_ADDR_DEL };
/* A route or rule deleted, as the kernel reports it: the keys keepalived
 * knows its own by (ip-route: table, destination, metric, tos, type). */
struct nl_route_gone {
	struct addr dst; /* the family's zero address for default */
	int dst_len;
	uint32_t table;
	uint32_t metric;
	int tos, type;
};
struct nl_rule_gone {
	int family, action;
	uint32_t table;
	int64_t priority, fwmark; /* -1 when absent */
	struct addr from, to;     /* AF_UNSPEC when absent */
	int from_len, to_len;
	char iif[IFNAMSIZ], oif[IFNAMSIZ];
	bool invert;
};
struct nl_handlers {
	void (*link)(void *arg, enum nl_event ev, const struct nl_link *l);
	void (*addr)(void *arg, enum nl_event ev, const struct nl_addr *a);
	void *arg;
	/* deletions only, once nl_watch_routes asked for them */
	void (*route_gone)(void *arg, const struct nl_route_gone *r);
	void (*rule_gone)(void *arg, const struct nl_rule_gone *r);
};
/* Asks the monitor for route and rule changes too (a busy router's routes
 * are many: only while some route or rule is tracked). 0 or -errno. */
int nl_watch_routes(struct nl *nl, bool routes, bool rules);

/* What an address change is about: the device (ifindex or the VIP's dev)
 * and the prefix length it gets. -ENODEV when the dev does not exist. */
int nl_addr_key(int ifindex, const struct conf_vip *v, struct nl_addr *key);

/* Called with the kernel's answer (0 or an errno, EEXIST included) to
 * each address add (add true) or delete, batched or not. */
typedef void (*nl_addr_hook)(void *arg, bool add, const struct nl_addr *a, int err);
void nl_set_addr_hook(struct nl *nl, nl_addr_hook fn, void *arg);

/* Dumps every link then every address through the handlers (NEW events). */
int nl_dump(struct nl *nl, const struct nl_handlers *h);
/* Reads pending monitor messages; on ENOBUFS it re-dumps (resync). */
int nl_monitor_read(struct nl *nl, const struct nl_handlers *h);

#endif
