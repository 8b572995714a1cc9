/*
 * vsock.h: the raw VRRP sockets, one per (family, protocol, interface, mode), shared
 * by the instances that use it and counted by reference (vsock.c owns
 * them; each instance holds references). vsock_read hands what arrives to
 * the instance it is for (rx.c).
 */
#ifndef VIPD_VSOCK_H
#define VIPD_VSOCK_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/addr.h"
#include "lib/vtime.h"
#include "vrrp/packet.h"

struct conf_instance;
struct instance;
struct vipd;

/* A raw socket shared by the instances on one interface and family. */
struct vsock {
	int fd, family, ifindex;
	int proto; /* VRRP_IPPROTO, or VRRP_AH_IPPROTO for auth_type AH */
	int ttl;   /* sent with (AH: written in the IP header) */
	bool unicast;
	bool tx; /* send only: use_vmac */
	int refs;
	uint64_t drops[VRRP_RX_REASON_MAX]; /* before an instance is known */
	struct instance *by_vrid[256];      /* a lookup hint, checked on use */
	vtime_t last_log[VRRP_RX_REASON_MAX];
	enum vrrp_rx_reason last_err; /* the last drop here (VRRPV3-MIB) */
	vtime_t drained_at;           /* a read begun then emptied it: what came before is read */
	struct vsock *next;
};

/* A socket for (family, proto, ifindex, unicast, tx), shared; put drops
 * the instance's reference in *slot and clears it. */
struct vsock *vsock_get(struct vipd *d, int family, int proto, int ifindex, bool unicast,
                        const struct addr *group, int ttl, bool tx);
/* The IP protocol of an instance's adverts: 51 with auth_type AH, else 112. */
int vsock_proto(const struct conf_instance *c);
void vsock_put(struct instance *in, struct vsock **slot);

#endif
