/*
 * vmac.h: use_vmac, the virtual MAC address on a macvlan (vmac.c). Each
 * struct vmac is owned by the instance that uses it; vmac.c owns the
 * interface settings it changes for the vmacs' bases.
 */
#ifndef VIPD_VMAC_H
#define VIPD_VMAC_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct nl;

struct vmac {
	char name[IFNAMSIZ];
	char base[IFNAMSIZ]; /* the interface it was made on */
	uint8_t mac[6];
	int vrid;
	int ifindex; /* 0 while it is not made */
};

/* RFC 3768 7.3 / RFC 9568 7.3: 00-00-5E-00-01-{VRID}, IPv6 ...-02-{VRID}. */
void vmac_address(int family, int vrid, uint8_t mac[6]);
/* Whether another vmac already has this name. */
typedef bool (*vmac_taken_fn)(void *arg, const char *name);
/* Its name and MAC, once: the configured name, or keepalived's: vrrp.VRID,
 * for IPv6 vrrp6.VRID when that is taken, then vrrp.VRID.N ("vrrp" is
 * vmac_prefix). */
void vmac_pick_name(struct vmac *v, const char *configured, const char *prefix, int family,
                    int vrid, vmac_taken_fn taken, void *arg);
/* Makes sure the vmac exists on the base and is up: 0, 1 when it was made
 * (again), or -errno with the reason in why. who names it in the log. */
int vmac_setup(struct nl *nl, struct vmac *v, const char *who, int base_ifindex,
               const char *base_name, char *why, size_t len);
/* Its base went away or changed: the vmac goes too. */
void vmac_drop(struct nl *nl, struct vmac *v, const char *who);
/* Deletes it (exit, reload with a changed instance). */
void vmac_remove(struct nl *nl, struct vmac *v, const char *who);

#endif
