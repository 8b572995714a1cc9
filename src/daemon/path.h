/*
 * path.h: advert_path, more paths for one instance's adverts (path.c).
 */
#ifndef VIPD_PATH_H
#define VIPD_PATH_H

#include <stdbool.h>

#include "lib/addr.h"
#include "linux/sock.h"

struct conf_path;
struct instance;
struct vsock;

/* An advert_path at run time (path.c). */
struct inst_path {
	const struct conf_path *c;
	int ifindex;
	struct vsock *sock;
	struct addr src; /* ours on this path */
	bool up;
	uint64_t tx, rx;
};

void paths_init(struct instance *in);
void paths_set_conf(struct instance *in); /* after a reload kept the instance */
void paths_free(struct instance *in);
bool paths_use_iface(const struct instance *in, const char *name);
/* Re-reads the paths' interfaces; group: the multicast group. */
void paths_update(struct instance *in, const struct addr *group);
/* Queues the advert on every path that is up. */
void paths_send(struct instance *in, struct vrrp_pkt *pkt, const struct addr *group,
                enum vrrp_csum_mode mode, vrrp_tx_fail fail);
/* The path an advert from src on vs came by, or NULL. */
struct inst_path *path_heard(struct instance *in, const struct vsock *vs, const struct addr *src);

#endif
