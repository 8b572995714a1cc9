/*
 * packet.h: VRRP advertisement codec, no I/O.
 *
 * RFC 3768 section 5 (VRRPv2 packet format), RFC 9568 section 5 (VRRPv3).
 * Buffers hold the VRRP message only (after the IP header); the shell passes
 * the IP-level facts (source, destination, TTL) in struct vrrp_rx_meta.
 */
#ifndef VIPD_PACKET_H
#define VIPD_PACKET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/addr.h"

#define VRRP_IPPROTO            112
#define VRRP_TTL                255
#define VRRP_TYPE_ADVERTISEMENT 1
#define VRRP_HDR_LEN            8
#define VRRP_AUTH_LEN           8    /* v2 Authentication Data */
#define VRRP_MAX_ADDRS          255  /* Count IPvX Addr is one octet */
#define VRRP_V3_MAX_ADVER_CS    4095 /* 12 bits, centiseconds */
#define VRRP_MAX_PKT            (VRRP_HDR_LEN + VRRP_MAX_ADDRS * 16 + VRRP_AUTH_LEN)
#define VRRP_AH_IPPROTO         51                 /* IPsec AH (auth_type AH, vrrp/ah.h) */
#define VRRP_AH_LEN             24                 /* the AH header with its 12-byte ICV */
#define VRRP_AH_HDR_MAX         (60 + VRRP_AH_LEN) /* IPv4 header with options + AH */

enum vrrp_auth_type { VRRP_AUTH_NONE = 0, VRRP_AUTH_PASS = 1, VRRP_AUTH_AH = 2 };

/* v3 IPv4 checksum: with the IPv4 pseudo-header (keepalived, FRR, wireshark)
 * or over the message only (RFC 9568 errata / Cisco, Juniper). */
enum vrrp_csum_mode { VRRP_CSUM_PSEUDO = 0, VRRP_CSUM_MSG_ONLY = 1 };

/* A decoded advertisement; members name the RFC fields. */
struct vrrp_pkt {
	uint8_t version;                   /* Version: 2 or 3 */
	uint8_t type;                      /* Type: 1 ADVERTISEMENT */
	uint8_t vrid;                      /* Virtual Rtr ID */
	uint8_t priority;                  /* Priority */
	uint8_t count_addrs;               /* Count IPvX Addr */
	uint8_t auth_type;                 /* v2: Auth Type; v3: 0 */
	uint8_t adver_int;                 /* v2: Adver Int, seconds */
	uint16_t max_adver_int;            /* v3: Max Adver Int, centiseconds (12 bits) */
	uint16_t checksum;                 /* Checksum as on the wire */
	int family;                        /* AF_INET or AF_INET6: family of the addresses */
	struct addr addrs[VRRP_MAX_ADDRS]; /* IPvX Address(es) */
	char auth_data[VRRP_AUTH_LEN];     /* v2: Authentication Data */
	enum vrrp_csum_mode csum_matched;  /* set by the parser for v3 IPv4 */
	const uint8_t *raw;                /* the parsed message (valid while its buffer is) */
	size_t raw_len;
};

/* IP-level facts about a received packet, from the shell. */
struct vrrp_rx_meta {
	struct addr src;                 /* IP source */
	struct addr dst;                 /* IP destination */
	int ttl;                         /* TTL / Hop Limit; -1 if unknown */
	int64_t rx_ns;                   /* kernel receive time, CLOCK_REALTIME ns; 0 if unknown */
	bool unicast;                    /* on a unicast socket: TTL and link-local source not
	                                    required, as keepalived relaxes them for unicast */
	bool ah;                         /* IPv4 protocol 51: an IPsec AH header came first */
	uint8_t ah_hdr_len;              /* IPv4 header + AH header, in ah_hdr */
	uint8_t ah_hdr[VRRP_AH_HDR_MAX]; /* as received, for the ICV (vrrp/ah.h) */
};

/* Why a packet was rejected. Each reason is a counter and a log line. */
enum vrrp_rx_reason {
	VRRP_RX_OK = 0,
	VRRP_RX_TTL,            /* TTL / hop limit not 255 */
	VRRP_RX_VERSION,        /* version not 2/3, or not the instance's */
	VRRP_RX_TYPE,           /* type not ADVERTISEMENT */
	VRRP_RX_SHORT,          /* shorter than the fixed header */
	VRRP_RX_TRUNCATED,      /* shorter than count_addrs (+auth) requires */
	VRRP_RX_COUNT_MISMATCH, /* length does not fit the address count */
	VRRP_RX_COUNT_ZERO,     /* Count IPvX Addr is 0 */
	VRRP_RX_CHECKSUM,       /* checksum invalid in every accepted form */
	VRRP_RX_VRID,           /* no instance for this VRID */
	VRRP_RX_AUTH_TYPE,      /* v2 auth type differs from ours */
	VRRP_RX_AUTH_PASS,      /* v2 PASS password differs */
	VRRP_RX_AUTH_AH,        /* v2 IPsec AH header and auth type disagree */
	VRRP_RX_AH_HDR,         /* AH header for a protocol other than VRRP */
	VRRP_RX_AH_ICV,         /* AH ICV mismatch: another auth_pass, or altered */
	VRRP_RX_AH_SPI,         /* AH SPI is not the IPv4 source */
	VRRP_RX_AH_SEQ,         /* AH sequence number not above the last one */
	VRRP_RX_INTERVAL,       /* v2 Adver Int differs from ours */
	VRRP_RX_MAXADV_ZERO,    /* v3 Max Adver Int is 0 */
	VRRP_RX_NOT_LINKLOCAL,  /* v3 IPv6: source not link-local */
	VRRP_RX_FAMILY,         /* v2 over IPv6, or address family mismatch */
	VRRP_RX_OWN,            /* our own packet looped back */
	VRRP_RX_NOT_PEER,       /* unicast: the source is not a unicast_peer */
	VRRP_RX_ADDR_MISMATCH,  /* addresses differ from our VIPs (logged, not dropped) */
	VRRP_RX_REASON_MAX
};

/* Short machine name ("ttl", "checksum", ...) and a sentence for logs. */
const char *vrrp_rx_reason_name(enum vrrp_rx_reason r);
const char *vrrp_rx_reason_text(enum vrrp_rx_reason r);

/*
 * Encodes p into buf. src/dst are the IP source/destination, used by the v3
 * pseudo-header checksum. Fills p->checksum. Returns the message length, or
 * 0 if buf is too small or p is inconsistent.
 */
size_t vrrp_pkt_build(struct vrrp_pkt *p, const struct addr *src, const struct addr *dst,
                      enum vrrp_csum_mode mode, uint8_t *buf, size_t buflen);

/*
 * Instance-independent receive checks (TTL, an AH header for VRRP, version, type,
 * lengths, count, checksum, v3 max_adver_int, IPv6 link-local source). Fills *out.
 * family is the socket's address family.
 */
enum vrrp_rx_reason vrrp_pkt_parse(const uint8_t *buf, size_t len, int family,
                                   const struct vrrp_rx_meta *meta, struct vrrp_pkt *out);

/* What an instance expects of the packets it accepts. */
struct vrrp_ah_seq;
struct vrrp_expect {
	uint8_t version;
	uint8_t vrid;
	uint8_t auth_type;             /* v2 */
	char auth_data[VRRP_AUTH_LEN]; /* v2 PASS, zero padded; AH: the HMAC key */
	struct vrrp_ah_seq *ah_seq;    /* v2 AH: the instance's counter, advanced on accept */
	uint8_t adver_int;             /* v2, seconds */
	const struct addr *vips;       /* our configured VIPs (same family) */
	size_t n_vips;
	const struct addr *own; /* our own source addresses */
	size_t n_own;
};

/*
 * Instance checks for a parsed packet: own packet, VRID, auth (v2 AH: the
 * checks of vrrp/ah.h, which advance want->ah_seq), v2 interval. Returns VRRP_RX_ADDR_MISMATCH (not
 * a drop) when everything else is fine but the address list differs from ours; the caller logs and
 * accepts it.
 */
enum vrrp_rx_reason vrrp_pkt_check(const struct vrrp_pkt *p, const struct vrrp_rx_meta *meta,
                                   const struct vrrp_expect *want);

/*
 * The offending field and value of a rejected advert, for the log ("TTL 64,
 * must be 255"): p as vrrp_pkt_parse left it, len its length, want the
 * instance's expectations for vrrp_pkt_check's reasons (else NULL).
 */
void vrrp_rx_explain(enum vrrp_rx_reason r, const struct vrrp_pkt *p, size_t len,
                     const struct vrrp_rx_meta *meta, const struct vrrp_expect *want, char *buf,
                     size_t n);

#endif
