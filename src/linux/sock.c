/*
 * sock.c: raw IP protocol 112 sockets for VRRP adverts.
 *
 * RFC 3768 5.2.3 / RFC 9568 5.1.1.3 (TTL) and 5.1.2.3 (Hop Limit): sent with
 * 255, checked on receive. IPv4 sockets receive the IP header (the TTL and
 * destination are read from it); IPv6 ones get the hop limit and destination
 * as ancillary data. Checksums are computed by packet.c, never the kernel.
 * auth_type AH (vrrp/ah.h): IPv4 protocol 51 sockets, received with the IP
 * and AH headers kept for the ICV, sent with IP_HDRINCL (the ICV covers the
 * IP header, its ID included, so vipd writes it).
 */
#include <errno.h>
#include <stdlib.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "lib/log.h"
#include "linux/sock.h"
#include "linux/rxmsg.h"

#define SOCK_RCVBUF (1024 * 1024)

static int set(int fd, int level, int opt, int v)
{
	return setsockopt(fd, level, opt, &v, sizeof(v));
}

static int open4(int fd, int ifindex, const struct addr *group, int ttl, bool join)
{
	if (set(fd, IPPROTO_IP, IP_PKTINFO, 1) < 0 ||
	    set(fd, IPPROTO_IP, IP_TOS, IPTOS_PREC_INTERNETCONTROL) < 0 ||
	    set(fd, IPPROTO_IP, IP_TTL, ttl) < 0)
		return -1;
	if (!group)
		return 0;
	struct ip_mreqn mr = {.imr_ifindex = ifindex};
	mr.imr_multiaddr = group->u.v4;
	if (set(fd, IPPROTO_IP, IP_MULTICAST_TTL, ttl) < 0 ||
	    set(fd, IPPROTO_IP, IP_MULTICAST_LOOP, 0) < 0 ||
	    set(fd, IPPROTO_IP, IP_MULTICAST_ALL, 0) < 0 ||
	    setsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, &mr, sizeof(mr)) < 0 ||
	    (join && setsockopt(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mr, sizeof(mr)) < 0))
		return -1;
	return 0;
}

static int open6(int fd, int ifindex, const struct addr *group, int ttl, bool join)
{
	if (set(fd, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, 1) < 0 ||
	    set(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, 1) < 0 ||
	    set(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, ttl) < 0 ||
	    set(fd, IPPROTO_IPV6, IPV6_TCLASS, 0xc0) < 0)
		return -1;
	if (!group)
		return 0;
	struct ipv6_mreq mr = {.ipv6mr_interface = (unsigned)ifindex};
	mr.ipv6mr_multiaddr = group->u.v6;
	if (set(fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, ttl) < 0 ||
	    set(fd, IPPROTO_IPV6, IPV6_MULTICAST_LOOP, 0) < 0 ||
	    set(fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, ifindex) < 0 ||
	    (join && setsockopt(fd, IPPROTO_IPV6, IPV6_JOIN_GROUP, &mr, sizeof(mr)) < 0))
		return -1;
	set(fd, IPPROTO_IPV6, IPV6_MULTICAST_ALL, 0);
	return 0;
}

int vrrp_sock_join(int fd, int family, int ifindex, const struct addr *group)
{
	if (family == AF_INET) {
		struct ip_mreqn mr = {.imr_ifindex = ifindex};
		mr.imr_multiaddr = group->u.v4;
		return setsockopt(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mr, sizeof(mr));
	}
	struct ipv6_mreq mr6 = {.ipv6mr_interface = (unsigned)ifindex};
	mr6.ipv6mr_multiaddr = group->u.v6;
	return setsockopt(fd, IPPROTO_IPV6, IPV6_JOIN_GROUP, &mr6, sizeof(mr6));
}

int vrrp_sock_open(int family, int proto, int ifindex, const struct addr *group, int ttl, bool join)
{
	char ifname[IF_NAMESIZE];
	int fd = socket(family, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, proto);

	if (fd < 0)
		return -1;
	if ((proto == VRRP_AH_IPPROTO &&
	     (family != AF_INET || set(fd, IPPROTO_IP, IP_HDRINCL, 1) < 0)) ||
	    !if_indextoname((unsigned)ifindex, ifname) ||
	    setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, ifname, (socklen_t)strlen(ifname) + 1) <
	        0 ||
	    (family == AF_INET ? open4(fd, ifindex, group, ttl, join)
	                       : open6(fd, ifindex, group, ttl, join)) < 0) {
		int e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	/* a vmac sends from the base's link-local address, which it does not hold */
	if (family == AF_INET6)
		set(fd, IPPROTO_IPV6, IPV6_FREEBIND, 1);
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &(int){SOCK_RCVBUF}, sizeof(int)) < 0)
		set(fd, SOL_SOCKET, SO_RCVBUF, SOCK_RCVBUF);
	set(fd, SOL_SOCKET, SO_TIMESTAMPNS, 1); /* timers start when the advert arrived */
	return fd;
}

/* IPv4: strip and read the IP header (RFC 791); with AH (protocol 51), the
 * IP and AH headers are kept in meta for the ICV (as keepalived, the AH
 * header is taken to be 24 bytes: what AH with HMAC-MD5-96 has). */
static ssize_t strip_ip4(uint8_t *buf, size_t n, struct vrrp_rx_meta *meta)
{
	if (n < 20 || (buf[0] >> 4) != 4)
		return 0;
	size_t ihl = (size_t)(buf[0] & 0x0f) * 4;
	size_t tot = (size_t)(buf[2] << 8 | buf[3]);
	if (ihl < 20 || ihl > n || tot < ihl || tot > n)
		return 0;
	if (buf[9] == VRRP_AH_IPPROTO) {
		if (tot - ihl < VRRP_AH_LEN)
			return 0;
		meta->ah = true;
		meta->ah_hdr_len = (uint8_t)(ihl + VRRP_AH_LEN);
		memcpy(meta->ah_hdr, buf, ihl + VRRP_AH_LEN);
		ihl += VRRP_AH_LEN;
	}
	meta->ttl = buf[8];
	meta->src.family = meta->dst.family = AF_INET;
	memcpy(&meta->src.u.v4, buf + 12, 4);
	memcpy(&meta->dst.u.v4, buf + 16, 4);
	memmove(buf, buf + ihl, tot - ihl);
	return (ssize_t)(tot - ihl);
}

ssize_t vrrp_rx_decode(const struct msghdr *mh, uint8_t *buf, size_t n, struct vrrp_rx_meta *meta,
                       int *ifindex)
{
	const struct sockaddr_in *from = mh->msg_name;

	memset(meta, 0, sizeof(*meta));
	meta->ttl = -1;
	*ifindex = 0;
	if (mh->msg_flags & MSG_TRUNC)
		return 0;
	for (struct cmsghdr *c = CMSG_FIRSTHDR(mh); c; c = CMSG_NXTHDR((struct msghdr *)mh, c)) {
		size_t len = c->cmsg_len - CMSG_LEN(0);
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS &&
		    len >= sizeof(struct timespec)) {
			struct timespec ts;
			memcpy(&ts, CMSG_DATA(c), sizeof(ts));
			/* wraps rather than overflows on a nonsense time */
			meta->rx_ns =
			    (int64_t)((uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec);
		} else if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO &&
		           len >= sizeof(struct in_pktinfo)) {
			struct in_pktinfo pi;
			memcpy(&pi, CMSG_DATA(c), sizeof(pi));
			*ifindex = pi.ipi_ifindex;
		} else if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_PKTINFO &&
		           len >= sizeof(struct in6_pktinfo)) {
			struct in6_pktinfo pi;
			memcpy(&pi, CMSG_DATA(c), sizeof(pi));
			*ifindex = (int)pi.ipi6_ifindex;
			meta->dst.family = AF_INET6;
			meta->dst.u.v6 = pi.ipi6_addr;
		} else if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_HOPLIMIT &&
		           len >= sizeof(int)) {
			int hl;
			memcpy(&hl, CMSG_DATA(c), sizeof(hl));
			meta->ttl = hl;
		}
	}
	if (mh->msg_namelen >= sizeof(sa_family_t) && from->sin_family == AF_INET)
		return strip_ip4(buf, n, meta);
	if (mh->msg_namelen < sizeof(struct sockaddr_in6))
		return 0;
	meta->src.family = AF_INET6;
	meta->src.u.v6 = ((const struct sockaddr_in6 *)mh->msg_name)->sin6_addr;
	return (ssize_t)n;
}

ssize_t vrrp_sock_recv(int fd, uint8_t *buf, size_t len, struct vrrp_rx_meta *meta, int *ifindex)
{
	struct rx_msg m;
	ssize_t n = rx_msg_recv(fd, &m, buf, len);

	if (n < 0)
		return -1;
	return vrrp_rx_decode(&m.mh, buf, (size_t)n, meta, ifindex);
}

/* One queued advert: where it goes, and its bytes in the queue's arena. */
struct tx {
	union {
		struct sockaddr_in v4;
		struct sockaddr_in6 v6;
	} to;
	socklen_t to_len;
	struct {
		_Alignas(struct cmsghdr) char buf[40]; /* CMSG_SPACE(in6_pktinfo) */
	} cmsg;
	size_t cmsg_len;
	size_t off, len; /* in txa */
	struct iovec iov;
	int fd;
	vrrp_tx_fail fail;
	void *arg;
};

static void tx_fill(struct tx *t, int ifindex, const struct addr *src, const struct addr *dst)
{
	struct cmsghdr *c = (struct cmsghdr *)(void *)t->cmsg.buf;

	memset(&t->to, 0, sizeof(t->to));
	memset(&t->cmsg, 0, sizeof(t->cmsg));
	if (dst->family == AF_INET) {
		struct in_pktinfo pi = {.ipi_ifindex = ifindex};
		t->to.v4.sin_family = AF_INET;
		t->to.v4.sin_addr = dst->u.v4;
		t->to_len = sizeof(t->to.v4);
		if (src && src->family == AF_INET)
			pi.ipi_spec_dst = src->u.v4;
		c->cmsg_level = IPPROTO_IP;
		c->cmsg_type = IP_PKTINFO;
		c->cmsg_len = CMSG_LEN(sizeof(pi));
		memcpy(CMSG_DATA(c), &pi, sizeof(pi));
		t->cmsg_len = CMSG_SPACE(sizeof(pi));
	} else {
		struct in6_pktinfo pi = {.ipi6_ifindex = (unsigned)ifindex};
		t->to.v6.sin6_family = AF_INET6;
		t->to.v6.sin6_addr = dst->u.v6;
		t->to.v6.sin6_scope_id = (uint32_t)ifindex;
		t->to_len = sizeof(t->to.v6);
		if (src && src->family == AF_INET6)
			pi.ipi6_addr = src->u.v6;
		c->cmsg_level = IPPROTO_IPV6;
		c->cmsg_type = IPV6_PKTINFO;
		c->cmsg_len = CMSG_LEN(sizeof(pi));
		memcpy(CMSG_DATA(c), &pi, sizeof(pi));
		t->cmsg_len = CMSG_SPACE(sizeof(pi));
	}
}

/* Adverts due in the same loop pass leave in one sendmmsg per socket (up
 * to the kernel's UIO_MAXIOV messages a call): with hundreds of instances
 * the per-call cost of the kernel dominates. The queue grows to the most a
 * pass has queued and stays so: no allocation per advert. */
static struct tx *txq;
static uint8_t *txa;        /* the messages, packed */
static struct mmsghdr *txm; /* one socket's messages at a time */
static size_t *txi;         /* ... and their indexes in txq */
static size_t ntx, cap, used, acap;
static unsigned urgent; /* transitions' adverts queued */

/* Room for one more message of len bytes. */
static bool tx_room(size_t len)
{
	if (ntx == cap) {
		size_t c = cap ? cap * 2 : 256;
		struct tx *q = realloc(txq, c * sizeof(*q));
		if (!q)
			return false;
		txq = q;
		struct mmsghdr *m = realloc(txm, c * sizeof(*m));
		if (!m)
			return false;
		txm = m;
		size_t *x = realloc(txi, c * sizeof(*x));
		if (!x)
			return false;
		txi = x;
		cap = c;
	}
	if (used + len > acap) {
		size_t c = acap ? acap * 2 : 16384;
		while (c < used + len)
			c *= 2;
		uint8_t *a = realloc(txa, c);
		if (!a)
			return false;
		txa = a;
		acap = c;
	}
	return true;
}

void vrrp_sock_queue(int fd, int ifindex, const struct addr *src, const struct addr *dst,
                     const uint8_t *msg, size_t len, vrrp_tx_fail fail, void *arg)
{
	struct tx *t;

	if (len > VRRP_MAX_PKT)
		return;
	if (ntx >= VRRP_TX_MAX || !tx_room(len)) {
		vrrp_sock_flush();
		if (!tx_room(len))
			return;
	}
	t = &txq[ntx++];
	memcpy(txa + used, msg, len);
	t->off = used;
	t->len = len;
	used += len;
	t->fd = fd;
	t->fail = fail;
	t->arg = arg;
	tx_fill(t, ifindex, src, dst);
}

/* The m messages of one socket, txi[0..m) in queue order. */
static void send_fd(int fd, size_t m)
{
	size_t i = 0;

	for (size_t k = 0; k < m; k++) {
		struct tx *t = &txq[txi[k]];
		t->iov = (struct iovec){txa + t->off, t->len};
		txm[k].msg_hdr = (struct msghdr){.msg_name = &t->to,
		                                 .msg_namelen = t->to_len,
		                                 .msg_iov = &t->iov,
		                                 .msg_iovlen = 1,
		                                 .msg_control = t->cmsg.buf,
		                                 .msg_controllen = t->cmsg_len};
	}
	while (i < m) {
		size_t n = m - i < UIO_MAXIOV ? m - i : UIO_MAXIOV;
		int r = sendmmsg(fd, &txm[i], (unsigned)n, 0);
		if (r < 0) {
			/* the first message failed: report it, go on with the next */
			struct tx *t = &txq[txi[i]];
			if (t->fail)
				t->fail(t->arg, errno);
			i++;
		} else {
			i += (size_t)r;
		}
	}
}

void vrrp_sock_urgent(void)
{
	if (++urgent >= VRRP_TX_URGENT)
		vrrp_sock_flush();
}

void vrrp_sock_flush(void)
{
	for (size_t i = 0; i < ntx; i++) {
		int fd = txq[i].fd;
		size_t m = 0;
		if (fd < 0)
			continue;
		for (size_t k = i; k < ntx; k++)
			if (txq[k].fd == fd) {
				txi[m++] = k;
				txq[k].fd = -1; /* taken */
			}
		send_fd(fd, m);
	}
	ntx = used = 0;
	urgent = 0;
}
