/*
 * vmac.c: use_vmac. The virtual router's own MAC address (RFC 3768 7.3,
 * RFC 9568 7.3: 00-00-5E-00-01-{VRID}, IPv6 00-00-5E-00-02-{VRID}) on a
 * macvlan in private mode over the instance's interface, as keepalived
 * makes it. The VIPs live on it, announcements and (unless vmac_xmit_base)
 * adverts leave from it. A peer's adverts carry the same MAC and reach the
 * vmac only, so multicast adverts are received there (instance.c); a
 * backup's vmac still sends nothing that would teach the switches its MAC:
 * no IPv6 address of its own, its IGMP/MLD reports dropped (nft.c).
 *
 * ARP: arp_ignore 1 on the vmac and on its base, so that only the interface
 * holding the VIP answers for it, with the virtual MAC, and arp_announce 2
 * on both, so that their ARP requests never pair an address with the wrong
 * MAC. Strict rp_filter is worked around as keepalived does. The base's
 * previous values come back when its last vmac goes (sysctl.c).
 */
#include <dirent.h>
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon.h"
#include "log.h"
#include "netlink.h"
#include "sysctl.h"
#include "vmac.h"

static int n_vmacs; /* rp_filter is cleared while there are any */
static char raised[64][IFNAMSIZ];
static int n_raised;
static bool all_cleared;

/* keepalived's clear_rp_filter: an advert comes in on the vmac while the
 * route back to its sender goes by the base, which strict reverse-path
 * filtering (rp_filter 1) would drop; "all" overrides the vmac's own 0.
 * So "all" goes to 0 and every interface gets the old "all" value itself,
 * unless lower already, and all of it is put back with the last vmac. */
static void rp_filter_clear(void)
{
	char all[16] = "", v[16];
	DIR *dir;
	struct dirent *e;

	if (sysctl_get("all", "rp_filter", all, sizeof(all)) < 0 || !strcmp(all, "0") ||
	    !(dir = opendir("/proc/sys/net/ipv4/conf")))
		return;
	while ((e = readdir(dir)) && n_raised < (int)(sizeof(raised) / sizeof(raised[0]))) {
		if (e->d_name[0] == '.' || !strcmp(e->d_name, "all") ||
		    !strcmp(e->d_name, "default") || strlen(e->d_name) >= IFNAMSIZ ||
		    sysctl_get(e->d_name, "rp_filter", v, sizeof(v)) < 0 || atoi(v) >= atoi(all))
			continue;
		snprintf(raised[n_raised++], IFNAMSIZ, "%s", e->d_name);
		sysctl_take(e->d_name, "rp_filter", all);
	}
	closedir(dir);
	sysctl_take("all", "rp_filter", "0");
	all_cleared = true;
	log_info("use_vmac: net.ipv4.conf.all.rp_filter was %s; now 0, each interface keeps %s",
	         all, all);
}

static void rp_filter_restore(void)
{
	for (int i = 0; i < n_raised; i++)
		sysctl_release(raised[i], "rp_filter");
	if (all_cleared)
		sysctl_release("all", "rp_filter");
	n_raised = 0;
	all_cleared = false;
}

static void base_take(const char *name)
{
	if (n_vmacs++ == 0)
		rp_filter_clear();
	sysctl_take(name, "arp_ignore", "1");
	sysctl_take(name, "arp_filter", "1");
	sysctl_take(name, "arp_announce", "2");
}

static void base_release(const char *name)
{
	sysctl_release(name, "arp_ignore");
	sysctl_release(name, "arp_filter");
	sysctl_release(name, "arp_announce");
	if (--n_vmacs == 0)
		rp_filter_restore();
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
void vmac_pick_name(struct instance *in)
{
	const struct conf_instance *c = in->c;
	char name[IFNAMSIZ];

	if (!c->use_vmac)
		return;
	vmac_address(c, in->vmac_mac);
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

static int create(struct instance *in, const struct iface *base, char *why, size_t len)
{
	struct vipd *d = in->d;
	int idx = (int)if_nametoindex(in->vmac_name), rc;

	vipd_nl_flush(d);
	if (idx > 0) { /* left by an earlier run, or someone else's */
		struct nl_link_info li;
		if (nl_link_get(d->nl, in->vmac_name, &li) < 0 || strcmp(li.kind, "macvlan") ||
		    li.lower != base->ifindex || memcmp(li.mac, in->vmac_mac, 6)) {
			snprintf(why, len,
			         "interface %s exists and is not the vmac of VRID %d on %s",
			         in->vmac_name, in->c->vrid, base->name);
			return -EEXIST;
		}
		log_info("%s: using %s, left by an earlier run", in->name, in->vmac_name);
	} else {
		if ((rc = nl_macvlan_add(d->nl, base->ifindex, in->vmac_name, in->vmac_mac)) < 0 ||
		    (idx = (int)if_nametoindex(in->vmac_name)) <= 0) {
			snprintf(why, len, "cannot create vmac %s on %s: %s", in->vmac_name,
			         base->name, strerror(rc < 0 ? -rc : errno));
			return rc < 0 ? rc : -errno;
		}
		log_info("%s: created vmac %s on %s", in->name, in->vmac_name, base->name);
	}
	base_take(base->name); /* first: it may raise every interface's rp_filter */
	snprintf(in->vmac_base, sizeof(in->vmac_base), "%s", base->name);
	/* the vmac's own settings go with it: not put back */
	sysctl_set(in->vmac_name, "arp_ignore", "1");
	sysctl_set(in->vmac_name, "arp_filter", "0");
	sysctl_set(in->vmac_name, "arp_announce", "2");
	sysctl_set(in->vmac_name, "rp_filter", "0");
	sysctl_set(in->vmac_name, "accept_local", "1");
	if ((rc = nl_link_up_quiet(d->nl, idx)) < 0) {
		snprintf(why, len, "cannot bring vmac %s up: %s", in->vmac_name, strerror(-rc));
		nl_link_del(d->nl, idx);
		base_release(base->name);
		return rc;
	}
	in->vmac_ifindex = idx;
	return 0;
}

int vmac_setup(struct instance *in, const struct iface *base, char *why, size_t len)
{
	int rc;

	if (!in->c->use_vmac)
		return 0;
	if (in->vmac_ifindex > 0 && (int)if_nametoindex(in->vmac_name) == in->vmac_ifindex)
		return 0;
	vmac_drop(in); /* gone with its base, or deleted by hand */
	return (rc = create(in, base, why, len)) < 0 ? rc : 1;
}

/* The base went away or changed: the vmac goes too (the kernel deletes it
 * with a deleted base; a renamed base keeps it, so vipd deletes it). */
void vmac_drop(struct instance *in)
{
	if (in->vmac_ifindex <= 0)
		return;
	if ((int)if_nametoindex(in->vmac_name) == in->vmac_ifindex) {
		vmac_remove(in);
		return;
	}
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
