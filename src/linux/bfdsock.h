/*
 * bfdsock.h: UDP sockets for BFD Control packets.
 *
 * RFC 5881 section 4 (single hop: destination port 3784, source port
 * 49152-65535, unique per session), section 5 (TTL / Hop Limit 255 sent;
 * the receiver checks it), RFC 5883 section 3 (multihop: port 4784).
 * Receiving: one socket per (family, port) on any address, with the TTL,
 * destination, interface and the kernel's arrival time as ancillary data.
 * Sending: one socket per session, bound to its source address (or any)
 * and a free port of the range.
 */
#ifndef VIPD_BFDSOCK_H
#define VIPD_BFDSOCK_H

#include <stdint.h>
#include <sys/types.h>

#include "lib/addr.h"

struct bfd_rx_meta {
	struct addr src, dst;
	uint16_t sport;
	int ifindex;
	int ttl;       /* TTL / Hop Limit 0-255; -1 when the kernel gave none */
	int64_t rx_ns; /* arrival, CLOCK_REALTIME ns; 0 when unknown */
};

/* A non-blocking socket receiving family's packets to port. -1 with errno. */
int bfd_sock_listen(int family, int port);
/* One packet into buf: its length, 0 for one to skip, -1 with errno
 * (EAGAIN when drained). */
ssize_t bfd_sock_recv(int fd, uint8_t *buf, size_t len, struct bfd_rx_meta *m);
/* What bfd_sock_recv makes of recvmsg's result (no I/O). */
struct msghdr;
ssize_t bfd_rx_decode(const struct msghdr *mh, size_t n, struct bfd_rx_meta *m);

/* A non-blocking socket sending from src (unset: the kernel's choice of
 * address, family's) with TTL / Hop Limit ttl, bound to a free port of
 * 49152-65535 found from seed; *port gets it. tos: IPv4 TOS / IPv6 traffic
 * class. -1 with errno. */
int bfd_sock_open_tx(int family, const struct addr *src, int ttl, int tos, uint32_t seed,
                     uint16_t *port);
/* Sends len bytes to dst:port. 0, or -1 with errno. */
int bfd_sock_send(int fd, const struct addr *dst, int port, const uint8_t *buf, size_t len);

#endif
