/*
 * garp.h: gratuitous ARP (RFC 5227 announcement form, as keepalived sends)
 * and unsolicited Neighbour Advertisements (RFC 4861 7.2.6) for VIPs.
 */
#ifndef VIPD_GARP_H
#define VIPD_GARP_H

#include <stdint.h>

#include "lib/addr.h"

/* One AF_PACKET socket for ARP and one ICMPv6 raw socket for NA. */
struct garp;
struct garp *garp_open(void);
void garp_close(struct garp *g);

/* Announces vip on ifindex with source MAC mac (6 bytes). 0 or -errno. */
int garp_send(struct garp *g, int ifindex, const uint8_t mac[6], const struct addr *vip);

#endif
