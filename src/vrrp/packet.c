/*
 * packet.c: VRRP advertisement encoder and receive checks, no I/O.
 *
 * RFC 3768 5.1 (VRRPv2 fields), 5.3.8 (checksum over the VRRP message),
 * 7.1 (receive checks); RFC 9568 5.2 (VRRPv3 fields), 5.2.8 (checksum with
 * the IPv4 or IPv6 pseudo-header; RFC 8200 8.1), 7.1 (receive checks).
 * Every reason a packet is rejected has its own code (enum vrrp_rx_reason).
 * v2 auth_type AH (RFC 2338 5.3.6.3): the AH checks are vrrp/ah.c's.
 */
#include <stdio.h>
#include <string.h>

#include "vrrp/packet.h"
#include "vrrp/ah.h"

static const struct {
	const char *name, *text;
} reasons[VRRP_RX_REASON_MAX] = {
    [VRRP_RX_OK] = {"ok", "accepted"},
    [VRRP_RX_TTL] = {"ttl", "TTL / hop limit is not 255"},
    [VRRP_RX_VERSION] = {"version", "wrong VRRP version"},
    [VRRP_RX_TYPE] = {"type", "type is not ADVERTISEMENT"},
    [VRRP_RX_SHORT] = {"short", "shorter than a VRRP header"},
    [VRRP_RX_TRUNCATED] = {"truncated", "shorter than its address count requires"},
    [VRRP_RX_COUNT_MISMATCH] = {"count_mismatch", "length does not match the address count"},
    [VRRP_RX_COUNT_ZERO] = {"count_zero", "address count is 0"},
    [VRRP_RX_CHECKSUM] = {"checksum", "bad checksum"},
    [VRRP_RX_VRID] = {"vrid", "unknown virtual router ID"},
    [VRRP_RX_AUTH_TYPE] = {"auth_type", "authentication type differs from ours"},
    [VRRP_RX_AUTH_PASS] = {"auth_pass", "authentication password mismatch"},
    [VRRP_RX_AUTH_AH] = {"auth_ah", "IPsec AH header and authentication type disagree"},
    [VRRP_RX_AH_HDR] = {"ah_header", "IPsec AH header is not for VRRP"},
    [VRRP_RX_AH_ICV] = {"ah_icv", "IPsec AH ICV mismatch (wrong auth_pass or altered packet)"},
    [VRRP_RX_AH_SPI] = {"ah_spi", "IPsec AH SPI is not the source address"},
    [VRRP_RX_AH_SEQ] = {"ah_seq", "IPsec AH sequence number already seen (replay)"},
    [VRRP_RX_INTERVAL] = {"interval", "advertisement interval differs from ours"},
    [VRRP_RX_MAXADV_ZERO] = {"maxadv_zero", "Max Adver Int is 0"},
    [VRRP_RX_NOT_LINKLOCAL] = {"not_linklocal", "IPv6 source is not link-local"},
    [VRRP_RX_FAMILY] = {"family", "address family does not fit the version or socket"},
    [VRRP_RX_OWN] = {"own", "our own advertisement"},
    [VRRP_RX_NOT_PEER] = {"not_peer", "the source is not one of our unicast peers"},
    [VRRP_RX_ADDR_MISMATCH] = {"addr_mismatch", "addresses differ from our virtual IPs"},
};

const char *vrrp_rx_reason_name(enum vrrp_rx_reason r)
{
	return r < VRRP_RX_REASON_MAX ? reasons[r].name : "unknown";
}

const char *vrrp_rx_reason_text(enum vrrp_rx_reason r)
{
	return r < VRRP_RX_REASON_MAX ? reasons[r].text : "unknown reason";
}

/* Internet checksum (RFC 1071): one's complement sum of 16-bit words. */
static uint32_t sum16(const uint8_t *b, size_t n, uint32_t acc)
{
	for (; n > 1; b += 2, n -= 2)
		acc += (uint32_t)(b[0] << 8 | b[1]);
	if (n)
		acc += (uint32_t)(b[0] << 8);
	return acc;
}

static uint16_t fold(uint32_t acc)
{
	while (acc >> 16)
		acc = (acc & 0xffff) + (acc >> 16);
	return (uint16_t)~acc;
}

/* Checksum of msg (its checksum field taken as 0). RFC 3768 5.3.8: the
 * message alone; RFC 9568 5.2.8: with the pseudo-header of the IP layer. */
static uint16_t checksum(const uint8_t *msg, size_t len, bool pseudo, const struct addr *src,
                         const struct addr *dst)
{
	uint32_t acc = sum16(msg, 6, 0);

	acc = sum16(msg + 8, len - 8, acc);
	if (!pseudo)
		return fold(acc);
	acc = sum16(src->u.bytes, addr_len(src), acc);
	acc = sum16(dst->u.bytes, addr_len(dst), acc);
	acc += VRRP_IPPROTO;                           /* IPv4: zero, protocol; IPv6: next header */
	acc += (uint32_t)(len >> 16) + (len & 0xffff); /* upper-layer length */
	return fold(acc);
}

static size_t msg_len(int version, int family, unsigned count)
{
	return VRRP_HDR_LEN + count * (family == AF_INET ? 4u : 16u) +
	       (version == 2 ? VRRP_AUTH_LEN : 0);
}

size_t vrrp_pkt_build(struct vrrp_pkt *p, const struct addr *src, const struct addr *dst,
                      enum vrrp_csum_mode mode, uint8_t *buf, size_t buflen)
{
	size_t alen = p->family == AF_INET ? 4 : 16;
	size_t len = msg_len(p->version, p->family, p->count_addrs);
	bool pseudo = p->version == 3 && (p->family == AF_INET6 || mode == VRRP_CSUM_PSEUDO);

	if ((p->version != 2 && p->version != 3) ||
	    (p->family != AF_INET && p->family != AF_INET6) ||
	    (p->version == 2 && p->family != AF_INET) || p->count_addrs == 0 || len > buflen ||
	    p->max_adver_int > VRRP_V3_MAX_ADVER_CS ||
	    (pseudo && (src->family != p->family || dst->family != p->family)))
		return 0;
	memset(buf, 0, len);
	buf[0] = (uint8_t)(p->version << 4 | VRRP_TYPE_ADVERTISEMENT);
	buf[1] = p->vrid;
	buf[2] = p->priority;
	buf[3] = p->count_addrs;
	if (p->version == 2) {
		buf[4] = p->auth_type;
		buf[5] = p->adver_int;
		memcpy(buf + len - VRRP_AUTH_LEN, p->auth_data, VRRP_AUTH_LEN);
	} else {
		buf[4] = (uint8_t)(p->max_adver_int >> 8); /* 4 reserved bits stay 0 */
		buf[5] = (uint8_t)p->max_adver_int;
	}
	for (unsigned i = 0; i < p->count_addrs; i++)
		memcpy(buf + VRRP_HDR_LEN + i * alen, p->addrs[i].u.bytes, alen);
	p->type = VRRP_TYPE_ADVERTISEMENT;
	p->checksum = checksum(buf, len, pseudo, src, dst);
	buf[6] = (uint8_t)(p->checksum >> 8);
	buf[7] = (uint8_t)p->checksum;
	return len;
}

/* RFC 9568 5.2.8 / 7.1: verify the checksum; v3 IPv4 in either form. */
static bool checksum_ok(const uint8_t *buf, size_t len, int version, int family,
                        const struct vrrp_rx_meta *meta, struct vrrp_pkt *out)
{
	uint16_t got = (uint16_t)(buf[6] << 8 | buf[7]);
	bool have_ip = meta->src.family == family && meta->dst.family == family;

	out->checksum = got;
	out->csum_matched = VRRP_CSUM_MSG_ONLY;
	if (version == 2)
		return checksum(buf, len, false, NULL, NULL) == got;
	if (have_ip && checksum(buf, len, true, &meta->src, &meta->dst) == got) {
		out->csum_matched = VRRP_CSUM_PSEUDO;
		return true;
	}
	return family == AF_INET && checksum(buf, len, false, NULL, NULL) == got;
}

enum vrrp_rx_reason vrrp_pkt_parse(const uint8_t *buf, size_t len, int family,
                                   const struct vrrp_rx_meta *meta, struct vrrp_pkt *out)
{
	size_t alen = family == AF_INET ? 4 : 16;

	memset(out, 0, offsetof(struct vrrp_pkt, addrs));
	out->family = family;
	if (!meta->unicast && meta->ttl >= 0 && meta->ttl != VRRP_TTL) /* RFC 3768/9568 7.1 */
		return VRRP_RX_TTL;
	if (meta->ah && vrrp_ah_next_header(meta) != VRRP_IPPROTO)
		return VRRP_RX_AH_HDR;
	if (len < VRRP_HDR_LEN)
		return VRRP_RX_SHORT;
	out->version = buf[0] >> 4;
	out->type = buf[0] & 0x0f;
	if (out->version != 2 && out->version != 3)
		return VRRP_RX_VERSION;
	if (out->type != VRRP_TYPE_ADVERTISEMENT)
		return VRRP_RX_TYPE;
	if ((family != AF_INET && family != AF_INET6) || (out->version == 2 && family != AF_INET))
		return VRRP_RX_FAMILY;
	out->vrid = buf[1];
	out->priority = buf[2];
	out->count_addrs = buf[3];
	if (out->count_addrs == 0)
		return VRRP_RX_COUNT_ZERO;
	size_t need = msg_len(out->version, family, out->count_addrs);
	if (len < need)
		return VRRP_RX_TRUNCATED;
	if (len > need)
		return VRRP_RX_COUNT_MISMATCH;
	if (!checksum_ok(buf, len, out->version, family, meta, out))
		return VRRP_RX_CHECKSUM;
	if (out->version == 2) {
		out->auth_type = buf[4];
		out->adver_int = buf[5];
		memcpy(out->auth_data, buf + len - VRRP_AUTH_LEN, VRRP_AUTH_LEN);
	} else {
		out->max_adver_int = (uint16_t)((buf[4] & 0x0f) << 8 | buf[5]);
		if (out->max_adver_int == 0)
			return VRRP_RX_MAXADV_ZERO;
		if (family == AF_INET6 && !meta->unicast &&
		    !addr_is_linklocal6(&meta->src)) /* RFC 9568 5.1.2.1 */
			return VRRP_RX_NOT_LINKLOCAL;
	}
	for (unsigned i = 0; i < out->count_addrs; i++) {
		out->addrs[i].family = family;
		memcpy(out->addrs[i].u.bytes, buf + VRRP_HDR_LEN + i * alen, alen);
	}
	out->raw = buf;
	out->raw_len = len;
	return VRRP_RX_OK;
}

static bool addr_in(const struct addr *a, const struct addr *set, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (addr_eq(a, &set[i]))
			return true;
	return false;
}

/* RFC 3768 7.1 / RFC 9568 7.1: MAY verify the addresses; SHOULD log a
 * mismatch. Same count and every advertised address one of ours. */
static bool addrs_match(const struct vrrp_pkt *p, const struct vrrp_expect *want)
{
	if (p->count_addrs != want->n_vips)
		return false;
	for (unsigned i = 0; i < p->count_addrs; i++)
		if (!addr_in(&p->addrs[i], want->vips, want->n_vips))
			return false;
	return true;
}

/* v2 authentication, as keepalived: an AH header if and only if both the
 * packet's and our auth type are AH; the type; then the password or the
 * AH checks (RFC 2338 5.3.6). */
static enum vrrp_rx_reason check_auth(const struct vrrp_pkt *p, const struct vrrp_rx_meta *meta,
                                      const struct vrrp_expect *want)
{
	bool ours = want->auth_type == VRRP_AUTH_AH;

	if (meta->ah != ours || (meta->ah && p->auth_type != VRRP_AUTH_AH) ||
	    (!meta->ah && p->auth_type == VRRP_AUTH_AH))
		return VRRP_RX_AUTH_AH;
	if (p->auth_type != want->auth_type)
		return VRRP_RX_AUTH_TYPE;
	if (p->auth_type == VRRP_AUTH_PASS && memcmp(p->auth_data, want->auth_data, VRRP_AUTH_LEN))
		return VRRP_RX_AUTH_PASS;
	if (ours)
		return vrrp_ah_check(meta, p->raw, p->raw_len, (const uint8_t *)want->auth_data,
		                     want->ah_seq);
	return VRRP_RX_OK;
}

enum vrrp_rx_reason vrrp_pkt_check(const struct vrrp_pkt *p, const struct vrrp_rx_meta *meta,
                                   const struct vrrp_expect *want)
{
	if (want->own && addr_in(&meta->src, want->own, want->n_own))
		return VRRP_RX_OWN;
	if (p->version != want->version)
		return VRRP_RX_VERSION;
	if (p->vrid != want->vrid)
		return VRRP_RX_VRID;
	if (p->version == 2) { /* RFC 3768 7.1: auth type and data, then Adver Int */
		enum vrrp_rx_reason r = check_auth(p, meta, want);
		if (r != VRRP_RX_OK)
			return r;
		if (p->adver_int != want->adver_int)
			return VRRP_RX_INTERVAL;
	}
	if (want->vips && !addrs_match(p, want))
		return VRRP_RX_ADDR_MISMATCH;
	return VRRP_RX_OK;
}

/* What an advert that failed a check carried (FRR/BIRD style: the field and
 * the value), from the fields parse/check had read when they stopped. */
void vrrp_rx_explain(enum vrrp_rx_reason r, const struct vrrp_pkt *p, size_t len,
                     const struct vrrp_rx_meta *meta, const struct vrrp_expect *want, char *buf,
                     size_t n)
{
	char a[ADDR_STRLEN];
	unsigned ours_v = want ? want->version : 0;

	switch (r) {
	case VRRP_RX_TTL:
		snprintf(buf, n, "TTL %d, must be 255", meta->ttl);
		break;
	case VRRP_RX_SHORT:
		snprintf(buf, n, "%zu bytes, the header is %d", len, VRRP_HDR_LEN);
		break;
	case VRRP_RX_VERSION:
		if (want)
			snprintf(buf, n, "version %u, ours is %u", p->version, ours_v);
		else
			snprintf(buf, n, "version %u, not 2 or 3", p->version);
		break;
	case VRRP_RX_TYPE:
		snprintf(buf, n, "type %u, not %d (advertisement)", p->type,
		         VRRP_TYPE_ADVERTISEMENT);
		break;
	case VRRP_RX_FAMILY:
		snprintf(buf, n, "VRRPv%u over %s", p->version,
		         p->family == AF_INET6 ? "IPv6" : "IPv4");
		break;
	case VRRP_RX_COUNT_ZERO:
		snprintf(buf, n, "count 0");
		break;
	case VRRP_RX_TRUNCATED:
	case VRRP_RX_COUNT_MISMATCH:
		snprintf(buf, n, "%zu bytes, count %u needs %zu", len, p->count_addrs,
		         msg_len(p->version, p->family, p->count_addrs));
		break;
	case VRRP_RX_CHECKSUM:
		snprintf(buf, n, "checksum 0x%04x", p->checksum);
		break;
	case VRRP_RX_VRID:
		if (want)
			snprintf(buf, n, "VRID %u, ours is %u", p->vrid, want->vrid);
		else
			snprintf(buf, n, "VRID %u, no instance here has it", p->vrid);
		break;
	case VRRP_RX_AUTH_TYPE:
		snprintf(buf, n, "auth type %u, ours is %u", p->auth_type,
		         want ? want->auth_type : 0);
		break;
	case VRRP_RX_AUTH_PASS:
		snprintf(buf, n, "auth type %u, the password differs", p->auth_type);
		break;
	case VRRP_RX_AUTH_AH:
		snprintf(buf, n, "auth type %u %s an IPsec AH header, ours is %u", p->auth_type,
		         meta->ah ? "with" : "without", want ? want->auth_type : 0);
		break;
	case VRRP_RX_AH_HDR:
		snprintf(buf, n, "AH next header %u, not %d", vrrp_ah_next_header(meta),
		         VRRP_IPPROTO);
		break;
	case VRRP_RX_AH_ICV:
		snprintf(buf, n, "AH sequence %u, the ICV differs", vrrp_ah_seq_of(meta));
		break;
	case VRRP_RX_AH_SPI:
		snprintf(buf, n, "AH SPI 0x%08x, source %s", vrrp_ah_spi(meta),
		         addr_ntop(&meta->src, a));
		break;
	case VRRP_RX_AH_SEQ:
		snprintf(buf, n, "AH sequence %u, last accepted %u", vrrp_ah_seq_of(meta),
		         want && want->ah_seq ? want->ah_seq->last : 0);
		break;
	case VRRP_RX_INTERVAL:
		snprintf(buf, n, "Adver Int %u s, ours is %u s", p->adver_int,
		         want ? want->adver_int : 0);
		break;
	case VRRP_RX_MAXADV_ZERO:
		snprintf(buf, n, "Max Adver Int 0");
		break;
	case VRRP_RX_NOT_LINKLOCAL:
	case VRRP_RX_OWN:
	case VRRP_RX_NOT_PEER:
		snprintf(buf, n, "source %s", addr_ntop(&meta->src, a));
		break;
	case VRRP_RX_ADDR_MISMATCH:
		snprintf(buf, n, "%u address(es), ours are %zu", p->count_addrs,
		         want ? want->n_vips : 0);
		break;
	default:
		snprintf(buf, n, "reason %d", (int)r);
		break;
	}
}
