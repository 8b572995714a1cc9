/*
 * vmac.h: use_vmac, the virtual MAC address on a macvlan (vmac.c).
 */
#ifndef VIPD_VMAC_H
#define VIPD_VMAC_H

#include <stddef.h>
#include <stdint.h>

struct instance;
struct iface;
struct conf_instance;

/* RFC 3768 7.3 / RFC 9568 7.3: 00-00-5E-00-01-{VRID}, IPv6 ...-02-{VRID}. */
void vmac_address(const struct conf_instance *c, uint8_t mac[6]);
/* Its name (and MAC), once, when the instance is made. */
void vmac_pick_name(struct instance *in);
/* Makes sure the instance's vmac exists on base and is up (no-op without
 * use_vmac): 0, 1 when it was made (again), or -errno with the reason in
 * why. */
int vmac_setup(struct instance *in, const struct iface *base, char *why, size_t len);
/* Its base went away or changed: the vmac goes too. */
void vmac_drop(struct instance *in);
/* Deletes it (exit, reload with a changed instance). */
void vmac_remove(struct instance *in);

#endif
