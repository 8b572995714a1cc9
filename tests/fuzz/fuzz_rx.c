/*
 * fuzz_rx.c: libFuzzer target for the receive path as a whole, from what
 * recvmsg returns to the instance checks: the sender's address (IPv4 from
 * the IP header, which is stripped; IPv6 from msg_name), the control
 * messages (arrival time, interface and destination, hop limit; any of
 * them missing, short or repeated), MSG_TRUNC, then the packet checks.
 * IPv4 protocol 51 (auth_type AH, vrrp/ah.c) is checked by an AH instance.
 * Input: byte 0 family and flags, byte 1 the number of control messages,
 * then each as kind, length, data; the rest is what the socket read.
 * Flag 4: the instance is VRRPv2 with auth_type AH (key "secret"); flag 8
 * with it: the rest is a VRRP message, sealed by vrrp_ah_build and sent
 * through the decoding, which must then find its ICV and SPI right.
 * Flag 16: a unicast socket (the TTL out of the ICV).
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "fakemsg.h"
#include "vrrp/ah.h"
#include "vrrp/packet.h"
#include "linux/sock.h"

static const int kinds[][2] = {
    {SOL_SOCKET, SCM_TIMESTAMPNS}, {IPPROTO_IP, IP_PKTINFO}, {IPPROTO_IPV6, IPV6_PKTINFO},
    {IPPROTO_IPV6, IPV6_HOPLIMIT}, {IPPROTO_IP, IP_TTL},     {SOL_SOCKET, SCM_RIGHTS + 100},
};

static const uint8_t KEY[VRRP_AH_KEY_LEN] = "secret";
static struct vrrp_ah_seq seq; /* carries over runs: any order of numbers */

/* Flag 8: msg sealed as keepalived would send it; what the socket reads. */
static size_t seal(const uint8_t *msg, size_t len, bool uni, uint8_t *out, size_t outlen)
{
	struct addr src, dst;

	addr_parse("10.0.0.6", &src);
	addr_parse(len && (msg[0] & 1) ? "10.0.0.5" : "224.0.0.18", &dst);
	struct vrrp_ah_ip ip = {
	    .src = &src, .dst = &dst, .id = (uint16_t)len, .tos = 0xc0, .ttl = 255, .unicast = uni};
	return vrrp_ah_build(&ip, KEY, seq.last + 1, msg, len, out, outlen);
}

static void check(const uint8_t *buf, size_t got, int v6, bool ah, bool sealed,
                  struct vrrp_rx_meta *meta)
{
	struct vrrp_pkt p;
	struct addr vip;
	addr_parse(v6 ? "fd00:50::3" : "10.0.0.3", &vip);
	struct vrrp_expect want = {.version = 3, .vrid = 50, .vips = &vip, .n_vips = 1};
	if (ah) {
		want.version = 2;
		want.auth_type = VRRP_AUTH_AH;
		want.adver_int = 1;
		memcpy(want.auth_data, KEY, sizeof(KEY));
		want.ah_seq = &seq;
	}
	if (vrrp_pkt_parse(buf, got, v6 ? AF_INET6 : AF_INET, meta, &p) != VRRP_RX_OK)
		return;
	enum vrrp_rx_reason r = vrrp_pkt_check(&p, meta, &want);
	char why[96];
	vrrp_rx_explain(r, &p, got, meta, &want, why, sizeof(why));
	if (sealed && (r == VRRP_RX_AH_ICV || r == VRRP_RX_AH_SPI))
		abort(); /* what vrrp_ah_build sealed must verify */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t buf[4096];
	union {
		char b[512];
		struct cmsghdr align;
	} ctl;
	struct sockaddr_in6 from6 = {.sin6_family = AF_INET6};
	struct sockaddr_in from4 = {.sin_family = AF_INET};
	struct msghdr mh = {0};
	struct vrrp_rx_meta meta;
	int ifindex;
	size_t i = 2;

	if (size < 2)
		return 0;
	int v6 = data[0] & 1;
	mh.msg_name = v6 ? (void *)&from6 : (void *)&from4;
	mh.msg_namelen = v6 ? sizeof(from6) : sizeof(from4);
	if (v6)
		inet_pton(AF_INET6, "fe80::5", &from6.sin6_addr);
	mh.msg_flags = (data[0] & 2) ? MSG_TRUNC : 0;
	i = fake_cmsgs(&mh, ctl.b, sizeof(ctl.b), data, size, i, kinds,
	               sizeof(kinds) / sizeof(kinds[0]));
	size_t n = size - i < sizeof(buf) ? size - i : sizeof(buf);
	bool ah = data[0] & 4, sealed = !v6 && ah && (data[0] & 8);
	if (sealed && !(n = seal(data + i, n, data[0] & 16, buf, sizeof(buf))))
		return 0;
	if (!sealed)
		memcpy(buf, data + i, n);
	ssize_t got = vrrp_rx_decode(&mh, buf, n, &meta, &ifindex);
	if (got < 0 || (size_t)got > n)
		abort();
	if (got == 0)
		return 0;
	meta.unicast = data[0] & 16;
	check(buf, (size_t)got, v6, ah, sealed, &meta);
	return 0;
}
