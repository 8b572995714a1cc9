/*
 * ah.c: VRRPv2 IPsec AH authentication (auth_type AH), no I/O.
 *
 * RFC 2338 5.3.6.3 (IP Authentication Header), RFC 2402 2 and 3.3.3 (the
 * header; the ICV over the datagram with mutable fields zeroed), RFC 2403
 * (HMAC-MD5-96), as keepalived sends and checks them:
 *  - IPv4 protocol 51, TOS 0xc0, fragment offset 0, an IP ID counted per
 *    advert; AH next header 112, payload length 4, reserved 0, SPI = the
 *    sender's IPv4 address, sequence number; VRRP Auth Type 2, its
 *    Authentication Data left zero;
 *  - the ICV is HMAC-MD5 keyed with the 8-byte auth_pass (zero padded),
 *    truncated to 12 bytes, over the IPv4 header with TOS, fragment
 *    offset and checksum zeroed (and the TTL too, for unicast only), the AH
 *    header with its ICV zeroed, then the VRRP message;
 *  - on receive: the ICV, then SPI == IPv4 source, then the sequence number
 *    must be above the instance's counter, which takes it; the same counter
 *    numbers what the instance sends.
 * The HMAC is OpenSSL's; nothing here allocates.
 */
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "vrrp/ah.h"

#define IP4_HDR_LEN 20

uint32_t vrrp_ah_seq_next(struct vrrp_ah_seq *s)
{
	if (s->last >= VRRP_AH_SEQ_MAX)
		s->cycle = true;
	else
		s->last++;
	return s->last;
}

bool vrrp_ah_seq_accept(struct vrrp_ah_seq *s, uint32_t seq)
{
	if (seq <= s->last)
		return false;
	s->last = seq;
	return true;
}

void vrrp_ah_seq_master(struct vrrp_ah_seq *s)
{
	if (s->cycle) {
		s->cycle = false;
		s->last = 0;
	}
}

void vrrp_ah_seq_heard(struct vrrp_ah_seq *s, uint32_t seq, bool master, bool lower, bool prio0)
{
	if (master && prio0)
		return;
	if (master && lower)
		s->last = seq + 1;
	s->cycle = false;
}

static void put16(uint8_t *b, uint16_t v)
{
	b[0] = (uint8_t)(v >> 8);
	b[1] = (uint8_t)v;
}

static void put32(uint8_t *b, uint32_t v)
{
	put16(b, (uint16_t)(v >> 16));
	put16(b + 2, (uint16_t)v);
}

static uint32_t get32(const uint8_t *b)
{
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

/* RFC 791 header checksum. */
static uint16_t ip_csum(const uint8_t *b, size_t n)
{
	uint32_t acc = 0;

	for (size_t i = 0; i + 1 < n; i += 2)
		acc += (uint32_t)(b[i] << 8 | b[i + 1]);
	while (acc >> 16)
		acc = (acc & 0xffff) + (acc >> 16);
	return (uint16_t)~acc;
}

/* HMAC-MD5-96 of data (its mutable fields already zeroed) into icv. */
static bool icv(const uint8_t *key, const uint8_t *data, size_t len, uint8_t *out)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;

	if (!HMAC(EVP_md5(), key, VRRP_AH_KEY_LEN, data, len, md, &n) || n < VRRP_AH_ICV_LEN)
		return false;
	memcpy(out, md, VRRP_AH_ICV_LEN);
	return true;
}

size_t vrrp_ah_build(const struct vrrp_ah_ip *ip, const uint8_t *key, uint32_t seq,
                     const uint8_t *msg, size_t len, uint8_t *buf, size_t buflen)
{
	size_t tot = IP4_HDR_LEN + VRRP_AH_LEN + len;
	uint8_t *ah = buf + IP4_HDR_LEN;

	if (tot > buflen || tot > 0xffff || ip->src->family != AF_INET ||
	    ip->dst->family != AF_INET)
		return 0;
	memset(buf, 0, IP4_HDR_LEN + VRRP_AH_LEN);
	buf[0] = 0x45;
	put16(buf + 2, (uint16_t)tot);
	put16(buf + 4, ip->id);
	buf[8] = ip->unicast ? 0 : ip->ttl; /* TOS, fragment offset, checksum: 0 */
	buf[9] = VRRP_AH_IPPROTO;
	memcpy(buf + 12, &ip->src->u.v4, 4);
	memcpy(buf + 16, &ip->dst->u.v4, 4);
	ah[0] = VRRP_IPPROTO;
	ah[1] = VRRP_AH_PLEN;
	memcpy(ah + 4, &ip->src->u.v4, 4); /* SPI: the sender's address */
	put32(ah + 8, seq);
	memcpy(ah + VRRP_AH_LEN, msg, len);
	if (!icv(key, buf, tot, ah + 12))
		return 0;
	buf[1] = ip->tos;
	buf[8] = ip->ttl;
	put16(buf + 10, ip_csum(buf, IP4_HDR_LEN));
	return tot;
}

/* The AH header in meta->ah_hdr, or NULL. */
static const uint8_t *ah_of(const struct vrrp_rx_meta *meta)
{
	size_t hl = meta->ah_hdr_len;

	if (!meta->ah || hl < IP4_HDR_LEN + VRRP_AH_LEN || hl > sizeof(meta->ah_hdr))
		return NULL;
	return meta->ah_hdr + hl - VRRP_AH_LEN;
}

uint8_t vrrp_ah_next_header(const struct vrrp_rx_meta *meta)
{
	const uint8_t *ah = ah_of(meta);

	return ah ? ah[0] : 0;
}

uint32_t vrrp_ah_spi(const struct vrrp_rx_meta *meta)
{
	const uint8_t *ah = ah_of(meta);

	return ah ? get32(ah + 4) : 0;
}

uint32_t vrrp_ah_seq_of(const struct vrrp_rx_meta *meta)
{
	const uint8_t *ah = ah_of(meta);

	return ah ? get32(ah + 8) : 0;
}

/* The received ICV checked: the headers and message copied, mutable fields
 * zeroed, the HMAC computed and compared in constant time. */
static bool icv_ok(const struct vrrp_rx_meta *meta, const uint8_t *msg, size_t len,
                   const uint8_t *key)
{
	uint8_t d[VRRP_AH_HDR_MAX + VRRP_AH_MAX_DGRAM];
	size_t hl = meta->ah_hdr_len, at = hl - VRRP_AH_LEN + 12;
	uint8_t want[VRRP_AH_ICV_LEN];

	if (!ah_of(meta) || len > sizeof(d) - hl)
		return false;
	memcpy(d, meta->ah_hdr, hl);
	memcpy(d + hl, msg, len);
	d[1] = 0;          /* TOS */
	d[6] = d[7] = 0;   /* flags, fragment offset */
	d[10] = d[11] = 0; /* header checksum */
	if (meta->unicast)
		d[8] = 0; /* TTL */
	memset(d + at, 0, VRRP_AH_ICV_LEN);
	if (!icv(key, d, hl + len, want))
		return false;
	return CRYPTO_memcmp(want, meta->ah_hdr + at, VRRP_AH_ICV_LEN) == 0;
}

enum vrrp_rx_reason vrrp_ah_check(const struct vrrp_rx_meta *meta, const uint8_t *msg, size_t len,
                                  const uint8_t *key, struct vrrp_ah_seq *seq)
{
	const uint8_t *ah = ah_of(meta);

	if (!ah || !icv_ok(meta, msg, len, key))
		return VRRP_RX_AH_ICV;
	if (memcmp(ah + 4, meta->ah_hdr + 12, 4)) /* SPI, IPv4 source */
		return VRRP_RX_AH_SPI;
	if (seq && !vrrp_ah_seq_accept(seq, vrrp_ah_seq_of(meta)))
		return VRRP_RX_AH_SEQ;
	return VRRP_RX_OK;
}
