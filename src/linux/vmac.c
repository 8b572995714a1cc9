/*
 * vmac.c: use_vmac. The virtual router's own MAC address (RFC 3768 7.3,
 * RFC 9568 7.3: 00-00-5E-00-01-{VRID}, IPv6 00-00-5E-00-02-{VRID}) on a
 * macvlan in private mode over the instance's interface, as keepalived
 * makes it. The VIPs live on it, announcements and (unless vmac_xmit_base)
 * adverts leave from it. A peer's adverts carry the same MAC and reach the
 * vmac only, so multicast adverts are received there (daemon/instance.c); a
 * backup's vmac still sends nothing that would teach the switches its MAC:
 * no IPv6 address of its own, none made from a router's advertisements (the
 * master's among them), no DAD probe, its IGMP/MLD reports dropped (nft.c).
 *
 * ARP: arp_ignore 1 on the vmac and on its base, so that only the interface
 * holding the VIP answers for it, with the virtual MAC, and arp_announce 2
 * on both, so that their ARP requests never pair an address with the wrong
 * MAC. Strict rp_filter is worked around as keepalived does. The base's
 * previous values come back when its last vmac goes (sysctl.c).
 *
 * The caller (daemon/instance.c) owns each struct vmac and commits its own
 * pending netlink batch before calling in.
 */
#include <dirent.h>
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/log.h"
#include "linux/netlink.h"
#include "linux/sysctl.h"
#include "linux/vmac.h"

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

void vmac_address(int family, int vrid, uint8_t mac[6])
{
	static const uint8_t prefix[4] = {0x00, 0x00, 0x5e, 0x00};

	memcpy(mac, prefix, 4);
	mac[4] = family == AF_INET6 ? 0x02 : 0x01;
	mac[5] = (uint8_t)vrid;
}

void vmac_pick_name(struct vmac *v, const char *configured, const char *prefix, int family,
                    int vrid, vmac_taken_fn taken, void *arg)
{
	char name[IFNAMSIZ];

	v->vrid = vrid;
	vmac_address(family, vrid, v->mac);
	if (configured[0]) {
		snprintf(v->name, sizeof(v->name), "%s", configured);
		return;
	}
	snprintf(name, sizeof(name), "%s.%d", prefix, vrid);
	if (taken(arg, name) && family == AF_INET6)
		snprintf(name, sizeof(name), "%s6.%d", prefix, vrid);
	for (int k = 1; taken(arg, name) && k < 100; k++)
		snprintf(name, sizeof(name), "%s.%d.%d", prefix, vrid, k);
	snprintf(v->name, sizeof(v->name), "%s", name);
}

/* No IPv6 autoconfiguration on the vmac: with accept_ra and autoconf it
 * would build addresses from the virtual MAC out of any RA it hears and
 * probe them (DAD) from that MAC; the only NAs it sends are vipd's. Set
 * while it is down, before anything can leave. */
static void ipv6_quiet(const char *name)
{
	sysctl_set6(name, "accept_ra", "0");
	sysctl_set6(name, "autoconf", "0");
	sysctl_set6(name, "accept_dad", "0");
	sysctl_set6(name, "dad_transmits", "0");
}

static int create(struct nl *nl, struct vmac *v, const char *who, int base_ifindex,
                  const char *base_name, char *why, size_t len)
{
	int idx = (int)if_nametoindex(v->name), rc;

	if (idx > 0) { /* left by an earlier run, or someone else's */
		struct nl_link_info li;
		if (nl_link_get(nl, v->name, &li) < 0 || strcmp(li.kind, "macvlan") ||
		    li.lower != base_ifindex || memcmp(li.mac, v->mac, 6)) {
			snprintf(why, len,
			         "interface %s exists and is not the vmac of VRID %d on %s",
			         v->name, v->vrid, base_name);
			return -EEXIST;
		}
		log_info("%s: using %s, left by an earlier run", who, v->name);
	} else {
		if ((rc = nl_macvlan_add(nl, base_ifindex, v->name, v->mac)) < 0 ||
		    (idx = (int)if_nametoindex(v->name)) <= 0) {
			snprintf(why, len, "cannot create vmac %s on %s: %s", v->name, base_name,
			         strerror(rc < 0 ? -rc : errno));
			return rc < 0 ? rc : -errno;
		}
		log_info("%s: created vmac %s on %s", who, v->name, base_name);
	}
	base_take(base_name); /* first: it may raise every interface's rp_filter */
	snprintf(v->base, sizeof(v->base), "%s", base_name);
	/* the vmac's own settings go with it: not put back */
	sysctl_set(v->name, "arp_ignore", "1");
	sysctl_set(v->name, "arp_filter", "0");
	sysctl_set(v->name, "arp_announce", "2");
	sysctl_set(v->name, "rp_filter", "0");
	sysctl_set(v->name, "accept_local", "1");
	ipv6_quiet(v->name);
	if ((rc = nl_link_up_quiet(nl, idx)) < 0) {
		snprintf(why, len, "cannot bring vmac %s up: %s", v->name, strerror(-rc));
		nl_link_del(nl, idx);
		base_release(base_name);
		return rc;
	}
	v->ifindex = idx;
	return 0;
}

int vmac_setup(struct nl *nl, struct vmac *v, const char *who, int base_ifindex,
               const char *base_name, char *why, size_t len)
{
	int rc;

	if (v->ifindex > 0 && (int)if_nametoindex(v->name) == v->ifindex)
		return 0;
	vmac_drop(nl, v, who); /* gone with its base, or deleted by hand */
	return (rc = create(nl, v, who, base_ifindex, base_name, why, len)) < 0 ? rc : 1;
}

/* The base went away or changed: the vmac goes too (the kernel deletes it
 * with a deleted base; a renamed base keeps it, so vipd deletes it). */
void vmac_drop(struct nl *nl, struct vmac *v, const char *who)
{
	if (v->ifindex <= 0)
		return;
	if ((int)if_nametoindex(v->name) == v->ifindex) {
		vmac_remove(nl, v, who);
		return;
	}
	log_info("%s: vmac %s is gone", who, v->name);
	base_release(v->base);
	v->ifindex = 0;
}

void vmac_remove(struct nl *nl, struct vmac *v, const char *who)
{
	int rc;

	if (v->ifindex <= 0)
		return;
	if ((rc = nl_link_del(nl, v->ifindex)) < 0)
		log_warnx("%s: removing vmac %s: %s", who, v->name, strerror(-rc));
	else
		log_info("%s: removed vmac %s", who, v->name);
	base_release(v->base);
	v->ifindex = 0;
}
