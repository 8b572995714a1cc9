/*
 * advert.h: adverts out (advert.c), built once per change.
 */
#ifndef VIPD_ADVERT_H
#define VIPD_ADVERT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/addr.h"

struct instance;
struct vsock;

/* An instance's adverts on its main way out, built once: one message per
 * destination (a v3 checksum covers it), valid while the priority and the
 * source are those it was built with and no reload changed the config. */
struct advert_built {
	struct addr *dst; /* n destinations, then their messages (one block) */
	uint8_t *msg;     /* n messages of len bytes; len 0: none could be built */
	size_t len, n;
	uint8_t prio;
	struct addr src;
	bool valid;
	bool ah; /* auth_type AH: sealed per send */
};

/* The multicast group of in's adverts (mcast_dst_ip, or the global one). */
const struct addr *advert_group(const struct instance *in);
/* Queues an advert with priority prio (0: shutdown) on every way out. */
void advert_send(struct instance *in, uint8_t prio);
/* The config (addresses, version, interval, peers) changed: build again. */
void advert_changed(struct instance *in);
/* A backup's advert built ahead, at its priority: a takeover only queues it. */
void advert_prepare(struct instance *in);
void advert_free(struct instance *in);
/* The datagram to queue on vs for the VRRP message msg (*len bytes) from
 * src to dst: msg itself, or with auth_type AH the whole IPv4 datagram
 * with its AH header (vrrp/ah.h; *len updated), NULL if that failed. */
const uint8_t *advert_seal(struct instance *in, const struct vsock *vs, const struct addr *src,
                           const struct addr *dst, const uint8_t *msg, size_t *len);

#endif
