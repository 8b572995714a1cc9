/*
 * ah.h: VRRPv2 IPsec AH authentication (auth_type AH), no I/O.
 *
 * RFC 2338 5.3.6.3 / RFC 2402 as keepalived implements them: IPv4 protocol
 * 51, an AH header (next header 112, payload length 4, SPI = the sender's
 * IPv4 address, sequence number) and a 12-byte HMAC-MD5-96 ICV keyed with
 * the 8-byte auth_pass (zero padded), over the IPv4 header with its mutable
 * fields zeroed, the AH header with a zero ICV, and the VRRP message.
 */
#ifndef VIPD_AH_H
#define VIPD_AH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/addr.h"
#include "vrrp/packet.h"

#define VRRP_AH_ICV_LEN 12 /* HMAC-MD5 truncated to 96 bits (RFC 2403) */
#define VRRP_AH_PLEN    4  /* Payload Len: 32-bit words of AH minus 2 */
#define VRRP_AH_KEY_LEN VRRP_AUTH_LEN
#define VRRP_AH_SEQ_MAX 0xfffffffeu /* keepalived's counter stops here */
/* IPv4 header (no options) + AH + the largest VRRPv2 message */
#define VRRP_AH_MAX_DGRAM (20 + VRRP_AH_LEN + VRRP_HDR_LEN + VRRP_MAX_ADDRS * 4 + VRRP_AUTH_LEN)

/*
 * The sequence number counter of an instance. keepalived keeps one counter
 * for what it sends and what it accepts: a backup's counter follows the
 * master's adverts, so once master it carries on above them.
 */
struct vrrp_ah_seq {
	uint32_t last; /* the last sent or accepted sequence number */
	bool cycle;    /* reached VRRP_AH_SEQ_MAX: restarts at 0 on becoming master */
};

/* The sequence number for the next advert (advances the counter). */
uint32_t vrrp_ah_seq_next(struct vrrp_ah_seq *s);
/* Anti-replay: accepts seq only above the counter, which then takes it. */
bool vrrp_ah_seq_accept(struct vrrp_ah_seq *s, uint32_t seq);
/* Entering Master: a cycled counter restarts from 0. */
void vrrp_ah_seq_master(struct vrrp_ah_seq *s);
/* After an accepted advert with sequence number seq. master: we are
 * Master; lower: its priority is lower than ours (keepalived then syncs the
 * counter to seq + 1); prio0: it has priority 0 (the counter stays). */
void vrrp_ah_seq_heard(struct vrrp_ah_seq *s, uint32_t seq, bool master, bool lower, bool prio0);

/* The IPv4 header of an AH advert to send. */
struct vrrp_ah_ip {
	const struct addr *src, *dst;
	uint16_t id; /* keepalived counts it per advert, skipping 0 */
	uint8_t tos, ttl;
	bool unicast; /* keepalived zeroes the TTL in the ICV only for unicast */
};

/*
 * Writes the whole IPv4 datagram (header, AH header with the ICV, the VRRP
 * message msg of len bytes) to buf, for a socket with IP_HDRINCL. key: the
 * VRRP_AH_KEY_LEN bytes. Returns its length, or 0 if it does not fit or
 * the HMAC failed.
 */
size_t vrrp_ah_build(const struct vrrp_ah_ip *ip, const uint8_t *key, uint32_t seq,
                     const uint8_t *msg, size_t len, uint8_t *buf, size_t buflen);

/* The AH header's fields, from meta->ah_hdr (meta->ah set). */
uint8_t vrrp_ah_next_header(const struct vrrp_rx_meta *meta);
uint32_t vrrp_ah_spi(const struct vrrp_rx_meta *meta);
uint32_t vrrp_ah_seq_of(const struct vrrp_rx_meta *meta);

/*
 * Receive checks of an AH advert (meta->ah_hdr, then the VRRP message msg
 * of len bytes), in keepalived's order: the ICV with key (VRRP_RX_AH_ICV),
 * the SPI against the IPv4 source (VRRP_RX_AH_SPI), then the sequence
 * number against *seq, which takes it if accepted (VRRP_RX_AH_SEQ).
 */
enum vrrp_rx_reason vrrp_ah_check(const struct vrrp_rx_meta *meta, const uint8_t *msg, size_t len,
                                  const uint8_t *key, struct vrrp_ah_seq *seq);

#endif
