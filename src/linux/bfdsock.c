/*
 * bfdsock.c: UDP sockets for BFD Control packets (bfdsock.h).
 *
 * RFC 5881 section 4 (ports: 3784, source 49152-65535), section 5 (TTL /
 * Hop Limit 255 and its check, done by the caller from the TTL given
 * here), RFC 5883 section 3 (port 4784). IPv6 sockets are IPv6 only: IPv4
 * has its own, so a neighbor's address is never a mapped one.
 */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "linux/bfdsock.h"
#include "linux/rxmsg.h"

#define BFD_SRC_MIN 49152
#define BFD_SRC_N   16384 /* 49152-65535 */

static int set(int fd, int level, int opt, int v)
{
	return setsockopt(fd, level, opt, &v, sizeof(v));
}

static int fail(int fd)
{
	int e = errno;

	close(fd);
	errno = e;
	return -1;
}

static socklen_t sockaddr_of(const struct addr *a, int family, int port,
                             struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (family == AF_INET) {
		struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
		s4->sin_family = AF_INET;
		s4->sin_port = htons((uint16_t)port);
		if (a && a->family == AF_INET)
			s4->sin_addr = a->u.v4;
		return sizeof(*s4);
	}
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
	s6->sin6_family = AF_INET6;
	s6->sin6_port = htons((uint16_t)port);
	if (a && a->family == AF_INET6)
		s6->sin6_addr = a->u.v6;
	return sizeof(*s6);
}

int bfd_sock_listen(int family, int port)
{
	struct sockaddr_storage ss;
	socklen_t len = sockaddr_of(NULL, family, port, &ss);
	int fd = socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_UDP);

	if (fd < 0)
		return -1;
	if (family == AF_INET
	        ? set(fd, IPPROTO_IP, IP_RECVTTL, 1) < 0 || set(fd, IPPROTO_IP, IP_PKTINFO, 1) < 0
	        : set(fd, IPPROTO_IPV6, IPV6_V6ONLY, 1) < 0 ||
	              set(fd, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, 1) < 0 ||
	              set(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, 1) < 0)
		return fail(fd);
	set(fd, SOL_SOCKET, SO_TIMESTAMPNS, 1); /* Detection Time counts from the arrival */
	if (bind(fd, (struct sockaddr *)&ss, len) < 0)
		return fail(fd);
	return fd;
}

static void cmsg_one(const struct cmsghdr *c, struct bfd_rx_meta *m)
{
	size_t len = c->cmsg_len - CMSG_LEN(0);
	int v;

	if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS &&
	    len >= sizeof(struct timespec)) {
		struct timespec ts;
		memcpy(&ts, CMSG_DATA(c), sizeof(ts));
		m->rx_ns = (int64_t)((uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec);
	} else if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO &&
	           len >= sizeof(struct in_pktinfo)) {
		struct in_pktinfo pi;
		memcpy(&pi, CMSG_DATA(c), sizeof(pi));
		m->ifindex = pi.ipi_ifindex;
		m->dst.family = AF_INET;
		m->dst.u.v4 = pi.ipi_addr;
	} else if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_PKTINFO &&
	           len >= sizeof(struct in6_pktinfo)) {
		struct in6_pktinfo pi;
		memcpy(&pi, CMSG_DATA(c), sizeof(pi));
		m->ifindex = (int)pi.ipi6_ifindex;
		m->dst.family = AF_INET6;
		m->dst.u.v6 = pi.ipi6_addr;
	} else if (((c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_TTL) ||
	            (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_HOPLIMIT)) &&
	           len >= sizeof(int)) {
		memcpy(&v, CMSG_DATA(c), sizeof(v));
		m->ttl = v >= 0 && v <= 255 ? v : -1;
	}
}

ssize_t bfd_rx_decode(const struct msghdr *mh, size_t n, struct bfd_rx_meta *m)
{
	const struct sockaddr_storage *from = mh->msg_name;

	memset(m, 0, sizeof(*m));
	m->ttl = -1;
	if (mh->msg_flags & MSG_TRUNC)
		return 0;
	for (struct cmsghdr *c = CMSG_FIRSTHDR(mh); c; c = CMSG_NXTHDR((struct msghdr *)mh, c))
		cmsg_one(c, m);
	if (mh->msg_namelen >= sizeof(struct sockaddr_in) && from->ss_family == AF_INET) {
		const struct sockaddr_in *s4 = (const struct sockaddr_in *)from;
		m->src.family = AF_INET;
		m->src.u.v4 = s4->sin_addr;
		m->sport = ntohs(s4->sin_port);
	} else if (mh->msg_namelen >= sizeof(struct sockaddr_in6) && from->ss_family == AF_INET6) {
		const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)from;
		m->src.family = AF_INET6;
		m->src.u.v6 = s6->sin6_addr;
		m->sport = ntohs(s6->sin6_port);
	} else {
		return 0;
	}
	return (ssize_t)n;
}

ssize_t bfd_sock_recv(int fd, uint8_t *buf, size_t len, struct bfd_rx_meta *m)
{
	struct rx_msg r;
	ssize_t n = rx_msg_recv(fd, &r, buf, len);

	if (n < 0)
		return -1;
	return bfd_rx_decode(&r.mh, (size_t)n, m);
}

/* RFC 5881 4: a source port of 49152-65535, unique to the session: tried
 * from the seed's place in the range onwards. */
static int bind_port(int fd, int family, const struct addr *src, uint32_t seed, uint16_t *port)
{
	for (uint32_t i = 0; i < BFD_SRC_N; i++) {
		struct sockaddr_storage ss;
		int p = BFD_SRC_MIN + (int)((seed + i) % BFD_SRC_N);
		socklen_t len = sockaddr_of(src, family, p, &ss);
		if (bind(fd, (struct sockaddr *)&ss, len) == 0) {
			*port = (uint16_t)p;
			return 0;
		}
		if (errno != EADDRINUSE)
			return -1;
	}
	errno = EADDRINUSE;
	return -1;
}

int bfd_sock_open_tx(int family, const struct addr *src, int ttl, int tos, uint32_t seed,
                     uint16_t *port)
{
	int fd = socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_UDP);

	if (fd < 0)
		return -1;
	if (family == AF_INET
	        ? set(fd, IPPROTO_IP, IP_TTL, ttl) < 0 || set(fd, IPPROTO_IP, IP_TOS, tos) < 0
	        : set(fd, IPPROTO_IPV6, IPV6_V6ONLY, 1) < 0 ||
	              set(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, ttl) < 0 ||
	              set(fd, IPPROTO_IPV6, IPV6_TCLASS, tos) < 0)
		return fail(fd);
	/* the source address may come later (an address vipd itself adds) */
	if (family == AF_INET6)
		set(fd, IPPROTO_IPV6, IPV6_FREEBIND, 1);
	else
		set(fd, IPPROTO_IP, IP_FREEBIND, 1);
	if (bind_port(fd, family, src, seed, port) < 0)
		return fail(fd);
	return fd;
}

int bfd_sock_send(int fd, const struct addr *dst, int port, const uint8_t *buf, size_t len)
{
	struct sockaddr_storage ss;
	socklen_t sl = sockaddr_of(dst, dst->family, port, &ss);

	return sendto(fd, buf, len, 0, (struct sockaddr *)&ss, sl) < 0 ? -1 : 0;
}
