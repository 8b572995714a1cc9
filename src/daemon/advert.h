/*
 * advert.h: adverts out (advert.c).
 */
#ifndef VIPD_ADVERT_H
#define VIPD_ADVERT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct addr;
struct instance;
struct vsock;

/* The multicast group of in's adverts (mcast_dst_ip, or the global one). */
const struct addr *advert_group(const struct instance *in);
/* Queues an advert with priority prio (0: shutdown) on every way out. */
void advert_send(struct instance *in, uint8_t prio);
/* The datagram to queue on vs for the VRRP message msg (*len bytes) from
 * src to dst: msg itself, or with auth_type AH the whole IPv4 datagram
 * with its AH header (vrrp/ah.h; *len updated), NULL if that failed. */
const uint8_t *advert_seal(struct instance *in, const struct vsock *vs, const struct addr *src,
                           const struct addr *dst, const uint8_t *msg, size_t *len);

#endif
