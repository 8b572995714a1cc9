/*
 * vsock.c: the raw VRRP sockets, shared by the instances on one interface,
 * family, protocol (112, or 51 for auth_type AH) and mode (multicast,
 * unicast, send-only), counted by reference;
 * each is watched by the loop and read by vsock_read (instance.c).
 */
#include <stdlib.h>
#include <unistd.h>

#include "daemon/daemon.h"
#include "daemon/instance.h"
#include "daemon/vsock.h"
#include "daemon/rx.h"
#include "lib/log.h"
#include "linux/sock.h"
#include "linux/loop.h"

struct vsock_watch {
	struct vipd *d;
	struct vsock *vs;
};

static void on_vsock(int fd, uint32_t events, void *arg)
{
	struct vsock_watch *w = arg;

	vsock_read(w->d, w->vs);
}

int vsock_proto(const struct conf_instance *c)
{
	return c->auth_type == CONF_AUTH_AH ? VRRP_AH_IPPROTO : VRRP_IPPROTO;
}

struct vsock *vsock_get(struct vipd *d, int family, int proto, int ifindex, bool unicast,
                        const struct addr *group, int ttl, bool tx)
{
	struct vsock *vs;
	struct vsock_watch *w;

	for (vs = d->socks; vs; vs = vs->next)
		if (vs->family == family && vs->proto == proto && vs->ifindex == ifindex &&
		    vs->unicast == unicast && vs->tx == tx) {
			vs->refs++;
			return vs;
		}
	vs = calloc(1, sizeof(*vs) + sizeof(*w));
	if (!vs)
		return NULL;
	vs->fd = vrrp_sock_open(family, proto, ifindex, group, ttl, !tx);
	if (vs->fd < 0) {
		log_warn("opening a VRRP socket on interface %d", ifindex);
		free(vs);
		return NULL;
	}
	vs->family = family;
	vs->proto = proto;
	vs->ttl = ttl;
	vs->ifindex = ifindex;
	vs->unicast = unicast;
	vs->tx = tx;
	vs->refs = 1;
	w = (struct vsock_watch *)(vs + 1);
	w->d = d;
	w->vs = vs;
	loop_add(d->loop, vs->fd, on_vsock, w);
	vs->next = d->socks;
	d->socks = vs;
	return vs;
}

void vsock_put(struct instance *in, struct vsock **slot)
{
	vrrp_sock_flush(); /* nothing queued may outlive the socket */
	struct vsock *vs = *slot;

	*slot = NULL;
	if (vs && vs->by_vrid[in->c->vrid & 0xff] == in)
		vs->by_vrid[in->c->vrid & 0xff] = NULL;
	if (!vs || --vs->refs > 0)
		return;
	for (struct vsock **p = &in->d->socks; *p; p = &(*p)->next)
		if (*p == vs) {
			*p = vs->next;
			break;
		}
	loop_del(in->d->loop, vs->fd);
	close(vs->fd);
	free(vs);
}
