/*
 * garpq.h: gratuitous ARP / unsolicited NA pacing per link and garp_group
 * (garpq.c).
 */
#ifndef VIPD_GARPQ_H
#define VIPD_GARPQ_H

#include <stdint.h>

#include "lib/addr.h"

struct vipd;
struct instance;

/* Announces a from mac on ifindex, now or when the pacing of its link
 * (base: the interface a vmac is on; 0: ifindex itself) allows. */
void garpq_send(struct instance *in, int ifindex, int base, const uint8_t mac[6],
                const struct addr *a);
void garpq_forget(struct vipd *d, const struct instance *in); /* it goes away */
void garpq_reload(struct vipd *d);                            /* after d->conf changed */
void garpq_free_all(struct vipd *d);

#endif
