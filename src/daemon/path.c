/*
 * path.c: advert_path (vipd extension). One instance may advertise over
 * more paths than its interface: multicast on another link, or unicast to
 * the peer over a second link. The master sends every advert on every
 * path; a backup takes an advert from any of them, so its master-down
 * timer (RFC 9568 6.4.2) runs out only when every path is silent, and a
 * firewall or cable on one path no longer splits the brain. Adverts by a
 * path are tied (6.4.3, equal priority) against our address on that path.
 */
#include <stdlib.h>
#include <string.h>

#include "lib/log.h"
#include "daemon/advert.h"
#include "daemon/daemon.h"
#include "daemon/iface.h"
#include "daemon/instance.h"
#include "daemon/path.h"
#include "daemon/vsock.h"
#include "vrrp/packet.h"

void paths_init(struct instance *in)
{
	size_t n = in->c->paths.n;

	in->n_paths = 0;
	if (!n || !(in->paths = calloc(n, sizeof(*in->paths))))
		return;
	in->n_paths = n;
	for (size_t i = 0; i < n; i++)
		in->paths[i].c = &in->c->paths.items[i];
}

void paths_set_conf(struct instance *in)
{
	for (size_t i = 0; i < in->n_paths && i < in->c->paths.n; i++)
		in->paths[i].c = &in->c->paths.items[i];
}

bool paths_use_iface(const struct instance *in, const char *name)
{
	for (size_t i = 0; i < in->n_paths; i++)
		if (!strcmp(in->paths[i].c->ifname, name))
			return true;
	return false;
}

static void path_update(struct instance *in, struct inst_path *p, const struct addr *group)
{
	const struct conf_path *c = p->c;
	struct iface *ifc = iface_by_name(in->d, c->ifname);
	bool uni = addr_is_set(&c->peer), was = p->up;

	if (!ifc || ifc->ifindex != p->ifindex)
		vsock_put(in, &p->sock);
	p->ifindex = ifc ? ifc->ifindex : 0;
	if (addr_is_set(&c->src))
		p->src = c->src;
	else if (ifc)
		p->src = in->c->family == AF_INET6 ? ifc->ll6 : ifc->v4;
	else
		memset(&p->src, 0, sizeof(p->src));
	if (ifc && !p->sock) {
		int ttl = in->c->unicast_ttl >= 0 ? in->c->unicast_ttl : 255;
		p->sock = vsock_get(in->d, in->c->family, vsock_proto(in->c), ifc->ifindex, uni,
		                    uni ? NULL : group, ttl, false);
		if (p->sock && !p->sock->by_vrid[in->c->vrid & 0xff])
			p->sock->by_vrid[in->c->vrid & 0xff] = in;
	}
	p->up = ifc && ifc->up && addr_is_set(&p->src) && p->sock;
	if (p->up != was)
		log_info("%s: advert path %s%s%s is %s", in->name, c->ifname, uni ? " to " : "",
		         uni ? addr_ntop(&c->peer, (char[ADDR_STRLEN]){0}) : "",
		         p->up ? "up" : "down");
}

void paths_update(struct instance *in, const struct addr *group)
{
	for (size_t i = 0; i < in->n_paths; i++)
		path_update(in, &in->paths[i], group);
}

void paths_free(struct instance *in)
{
	for (size_t i = 0; i < in->n_paths; i++)
		vsock_put(in, &in->paths[i].sock);
	free(in->paths);
	in->paths = NULL;
	in->n_paths = 0;
}

void paths_send(struct instance *in, struct vrrp_pkt *pkt, const struct addr *group,
                enum vrrp_csum_mode mode, vrrp_tx_fail fail)
{
	uint8_t buf[VRRP_MAX_PKT];

	for (size_t i = 0; i < in->n_paths; i++) {
		struct inst_path *p = &in->paths[i];
		const struct addr *dst = addr_is_set(&p->c->peer) ? &p->c->peer : group;
		if (!p->up)
			continue;
		size_t n = vrrp_pkt_build(pkt, &p->src, dst, mode, buf, sizeof(buf));
		const uint8_t *out = n ? advert_seal(in, p->sock, &p->src, dst, buf, &n) : NULL;
		if (!out)
			continue;
		vrrp_sock_queue(p->sock->fd, p->ifindex, &p->src, dst, out, n, fail, in);
		in->st.adverts_sent++;
		p->tx++;
	}
}

struct inst_path *path_heard(struct instance *in, const struct vsock *vs, const struct addr *src)
{
	for (size_t i = 0; i < in->n_paths; i++) {
		struct inst_path *p = &in->paths[i];
		if (p->sock == vs && (!addr_is_set(&p->c->peer) || addr_eq(&p->c->peer, src)))
			return p;
	}
	return NULL;
}
