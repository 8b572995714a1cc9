/*
 * iface.h: the host's interfaces as netlink reports them (iface.c owns the
 * list in struct vipd and each struct iface).
 */
#ifndef VIPD_IFACE_H
#define VIPD_IFACE_H

#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>

#include "lib/addr.h"
#include "lib/timer.h"

struct vipd;

struct iface {
	int ifindex;
	char name[IFNAMSIZ];
	bool up;     /* as vipd counts it: after interface_up_down_delays */
	bool up_now; /* as the kernel says it is */
	struct timer t_delay;
	struct vipd *d;
	uint8_t mac[6];
	struct addr v4;   /* primary IPv4 address (not one of our VIPs) */
	struct addr ll6;  /* link-local IPv6 address */
	struct addr *own; /* every address of its own (not VIPs), for track_src_ip */
	size_t n_own, cap_own;
	struct iface *next;
};

struct iface *iface_by_name(struct vipd *d, const char *name);
struct iface *iface_by_index(struct vipd *d, int ifindex);
bool iface_has_addr(const struct iface *i, const struct addr *a);
int iface_init(struct vipd *d); /* dump links and addresses, watch them */
void iface_remove_stale_vips(struct vipd *d);
void iface_free_all(struct vipd *d);

/* A tracked interface's state for tracked.c (tracked_view_fn). */
struct instance;
struct conf_track;
struct tracked_view;
void iface_view(const struct instance *in, const struct conf_track *t, int w,
                struct tracked_view *v);

#endif
