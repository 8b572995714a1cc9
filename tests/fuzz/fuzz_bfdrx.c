/*
 * fuzz_bfdrx.c: libFuzzer target for the BFD receive path as a whole, from
 * what recvmsg returns (src/linux/bfdsock.c bfd_rx_decode: the sender from
 * msg_name, the control messages: arrival time, destination and interface,
 * TTL / hop limit; any of them missing, short or repeated; MSG_TRUNC) to
 * the codec (bfd/packet.c) and a session (bfd/session.c) that takes what
 * passes. Input: byte 0 family and flags, byte 1 the number of control
 * messages, then each as kind, length, data; the rest is the payload.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "fakemsg.h"
#include "bfd/packet.h"
#include "bfd/session.h"
#include "linux/bfdsock.h"

static const int kinds[][2] = {
    {SOL_SOCKET, SCM_TIMESTAMPNS}, {IPPROTO_IP, IP_PKTINFO}, {IPPROTO_IPV6, IPV6_PKTINFO},
    {IPPROTO_IPV6, IPV6_HOPLIMIT}, {IPPROTO_IP, IP_TTL},     {SOL_SOCKET, SCM_RIGHTS + 100},
};

/* The session carries over runs: any order of packets reaches it. */
static struct bfd_session s;
static vtime_t now = 1000000;

static void to_session(const uint8_t *buf, size_t n)
{
	static bool made;
	struct bfd_ctl c;
	struct bfd_out o;
	uint32_t bad;

	if (!made) {
		struct bfd_params p = {.min_tx_us = 50000,
		                       .min_rx_us = 50000,
		                       .idle_tx_us = 1000000,
		                       .detect_mult = 3};
		bfd_session_init(&s, &p, 0x1234, 7, now);
		made = true;
	}
	if (bfd_parse(buf, n, &c, &bad) != BFD_RX_OK)
		return;
	now += 10000;
	if (bfd_session_deadline(&s) <= now)
		bfd_session_timer(&s, now, &o);
	if (c.your_disc && c.your_disc != s.local_discr)
		c.your_disc = s.local_discr; /* the shell found it by discriminator */
	bfd_session_rx(&s, &c, now, &o);
	if (bfd_session_deadline(&s) <= now)
		abort(); /* a deadline in the past after a call: the loop would spin */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t buf[512];
	union {
		char b[512];
		struct cmsghdr align;
	} ctl;
	struct sockaddr_in6 from6 = {.sin6_family = AF_INET6, .sin6_port = htons(49152)};
	struct sockaddr_in from4 = {.sin_family = AF_INET, .sin_port = htons(49153)};
	struct msghdr mh = {0};
	struct bfd_rx_meta m;
	size_t i = 2;

	if (size < 2)
		return 0;
	int v6 = data[0] & 1;
	mh.msg_name = v6 ? (void *)&from6 : (void *)&from4;
	mh.msg_namelen = (data[0] & 4) ? 2 : v6 ? sizeof(from6) : sizeof(from4);
	if (v6)
		inet_pton(AF_INET6, "fe80::5", &from6.sin6_addr);
	else
		inet_pton(AF_INET, "10.0.0.5", &from4.sin_addr);
	mh.msg_flags = (data[0] & 2) ? MSG_TRUNC : 0;
	i = fake_cmsgs(&mh, ctl.b, sizeof(ctl.b), data, size, i, kinds,
	               sizeof(kinds) / sizeof(kinds[0]));
	size_t n = size - i < sizeof(buf) ? size - i : sizeof(buf);
	memcpy(buf, data + i, n);
	ssize_t got = bfd_rx_decode(&mh, n, &m);
	if (got < 0 || (size_t)got > n)
		abort();
	if (got == 0)
		return 0;
	if (m.src.family != (v6 ? AF_INET6 : AF_INET) || m.ttl < -1 || m.ttl > 255)
		abort();
	to_session(buf, (size_t)got);
	return 0;
}
