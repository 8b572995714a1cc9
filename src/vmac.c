/*
 * vmac.c: use_vmac. The virtual router's own MAC address (RFC 3768 7.3,
 * RFC 9568 7.3: 00-00-5E-00-01-{VRID}, IPv6 00-00-5E-00-02-{VRID}) on a
 * macvlan in private mode over the instance's interface, as keepalived
 * makes it. The VIPs live on it, announcements and (unless vmac_xmit_base)
 * adverts leave from it; adverts are still received on the base interface,
 * so a backup's vmac never sends a frame (no IGMP report, no IPv6 address)
 * that would teach the switches its MAC.
 *
 * ARP: arp_ignore 1 on the vmac and on its base, so that only the interface
 * holding the VIP answers for it, with the virtual MAC, and arp_announce 2
 * on the base, so that its own ARP requests never name a VIP with the
 * base's MAC; the base's previous values come back when its last vmac goes.
 */
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "daemon.h"
#include "log.h"
#include "netlink.h"
#include "vmac.h"

/* A base interface's ARP settings before its first vmac. */
struct base_saved {
	char name[IFNAMSIZ];
	char arp_ignore[16], arp_filter[16], arp_announce[16];
	int users;
	struct base_saved *next;
};
static struct base_saved *bases;

static int sysctl_rw(const char *ifname, const char *key, const char *set, char *old, size_t len)
{
	char path[128];
	int fd;
	ssize_t n = 0;

	snprintf(path, sizeof(path), "/proc/sys/net/ipv4/conf/%s/%s", ifname, key);
	if ((fd = open(path, O_RDWR | O_CLOEXEC)) < 0)
		return -errno;
	if (old && (n = read(fd, old, len - 1)) >= 0)
		old[n] = '\0';
	if (set && (lseek(fd, 0, SEEK_SET) < 0 || write(fd, set, strlen(set)) < 0)) {
		int e = errno;
		close(fd);
		return -e;
	}
	close(fd);
	return 0;
}

static void sysctl_set(const char *ifname, const char *key, const char *v)
{
	int rc = sysctl_rw(ifname, key, v, NULL, 0);

	if (rc < 0)
		log_warnx("setting %s %s to %s: %s", ifname, key, v, strerror(-rc));
}

static void base_take(const char *name)
{
	struct base_saved *b;

	for (b = bases; b; b = b->next)
		if (!strcmp(b->name, name)) {
			b->users++;
			return;
		}
	if (!(b = calloc(1, sizeof(*b))))
		return;
	snprintf(b->name, sizeof(b->name), "%s", name);
	b->users = 1;
	sysctl_rw(name, "arp_ignore", NULL, b->arp_ignore, sizeof(b->arp_ignore));
	sysctl_rw(name, "arp_filter", NULL, b->arp_filter, sizeof(b->arp_filter));
	sysctl_rw(name, "arp_announce", NULL, b->arp_announce, sizeof(b->arp_announce));
	b->next = bases;
	bases = b;
	sysctl_set(name, "arp_ignore", "1");
	sysctl_set(name, "arp_filter", "1");
	sysctl_set(name, "arp_announce", "2");
}

static void base_release(const char *name)
{
	for (struct base_saved **p = &bases; *p; p = &(*p)->next) {
		struct base_saved *b = *p;
		if (strcmp(b->name, name) || --b->users > 0)
			continue;
		if (b->arp_ignore[0])
			sysctl_rw(name, "arp_ignore", b->arp_ignore, NULL, 0);
		if (b->arp_filter[0])
			sysctl_rw(name, "arp_filter", b->arp_filter, NULL, 0);
		if (b->arp_announce[0])
			sysctl_rw(name, "arp_announce", b->arp_announce, NULL, 0);
		*p = b->next;
		free(b);
		return;
	}
}

void vmac_address(const struct conf_instance *c, uint8_t mac[6])
{
	static const uint8_t prefix[4] = {0x00, 0x00, 0x5e, 0x00};

	memcpy(mac, prefix, 4);
	mac[4] = c->family == AF_INET6 ? 0x02 : 0x01;
	mac[5] = (uint8_t)c->vrid;
}

static bool name_taken(struct vipd *d, const struct instance *self, const char *name)
{
	for (struct instance *in = d->instances; in; in = in->next)
		if (in != self && in->vmac_name[0] && !strcmp(in->vmac_name, name))
			return true;
	return false;
}

/* The configured name, or keepalived's: vrrp.VRID, for IPv6 vrrp6.VRID
 * when that is taken, then vrrp.VRID.N. */
static void pick_name(struct instance *in)
{
	const struct conf_instance *c = in->c;
	char name[IFNAMSIZ];

	if (c->vmac_name[0]) {
		snprintf(in->vmac_name, sizeof(in->vmac_name), "%s", c->vmac_name);
		return;
	}
	snprintf(name, sizeof(name), "vrrp.%d", c->vrid);
	if (name_taken(in->d, in, name) && c->family == AF_INET6)
		snprintf(name, sizeof(name), "vrrp6.%d", c->vrid);
	for (int k = 1; name_taken(in->d, in, name) && k < 100; k++)
		snprintf(name, sizeof(name), "vrrp.%d.%d", c->vrid, k);
	snprintf(in->vmac_name, sizeof(in->vmac_name), "%s", name);
}

static bool hw_address(const char *name, uint8_t mac[6])
{
	struct ifreq ifr = {0};
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	bool ok;

	if (fd < 0)
		return false;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	ok = ioctl(fd, SIOCGIFHWADDR, &ifr) == 0;
	close(fd);
	if (ok)
		memcpy(mac, ifr.ifr_hwaddr.sa_data, 6);
	return ok;
}

static int create(struct instance *in, const struct iface *base, char *why, size_t len)
{
	struct vipd *d = in->d;
	uint8_t mac[6];
	int idx = (int)if_nametoindex(in->vmac_name), rc;

	if (idx > 0) { /* left by an earlier run, or someone else's */
		if (!hw_address(in->vmac_name, mac) || memcmp(mac, in->vmac_mac, 6)) {
			snprintf(why, len, "interface %s exists and is not the vmac of VRID %d",
			         in->vmac_name, in->c->vrid);
			return -EEXIST;
		}
		log_info("%s: using %s, left by an earlier run", in->name, in->vmac_name);
	} else {
		vipd_nl_flush(d);
		if ((rc = nl_macvlan_add(d->nl, base->ifindex, in->vmac_name, in->vmac_mac)) < 0 ||
		    (idx = (int)if_nametoindex(in->vmac_name)) <= 0) {
			snprintf(why, len, "cannot create vmac %s on %s: %s", in->vmac_name,
			         base->name, strerror(rc < 0 ? -rc : errno));
			return rc < 0 ? rc : -errno;
		}
		log_info("%s: created vmac %s on %s", in->name, in->vmac_name, base->name);
	}
	sysctl_set(in->vmac_name, "arp_ignore", "1");
	sysctl_set(in->vmac_name, "arp_filter", "0");
	sysctl_set(in->vmac_name, "rp_filter", "0");
	sysctl_set(in->vmac_name, "accept_local", "1");
	if ((rc = nl_link_up_quiet(d->nl, idx)) < 0) {
		snprintf(why, len, "cannot bring vmac %s up: %s", in->vmac_name, strerror(-rc));
		nl_link_del(d->nl, idx);
		return rc;
	}
	in->vmac_ifindex = idx;
	snprintf(in->vmac_base, sizeof(in->vmac_base), "%s", base->name);
	base_take(base->name);
	return 0;
}

int vmac_setup(struct instance *in, const struct iface *base, char *why, size_t len)
{
	if (!in->c->use_vmac)
		return 0;
	if (in->vmac_ifindex > 0 && (int)if_nametoindex(in->vmac_name) == in->vmac_ifindex)
		return 0;
	if (in->vmac_ifindex > 0) /* gone with its base, or deleted by hand */
		vmac_forget(in);
	if (!in->vmac_name[0])
		pick_name(in);
	vmac_address(in->c, in->vmac_mac);
	return create(in, base, why, len);
}

void vmac_forget(struct instance *in)
{
	if (in->vmac_ifindex <= 0)
		return;
	log_info("%s: vmac %s is gone", in->name, in->vmac_name);
	base_release(in->vmac_base);
	in->vmac_ifindex = 0;
}

void vmac_remove(struct instance *in)
{
	int rc;

	if (in->vmac_ifindex <= 0)
		return;
	vipd_nl_flush(in->d);
	if ((rc = nl_link_del(in->d->nl, in->vmac_ifindex)) < 0)
		log_warnx("%s: removing vmac %s: %s", in->name, in->vmac_name, strerror(-rc));
	else
		log_info("%s: removed vmac %s", in->name, in->vmac_name);
	base_release(in->vmac_base);
	in->vmac_ifindex = 0;
}
