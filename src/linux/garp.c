/*
 * garp.c: announcements of VIPs after a takeover: gratuitous ARP (an ARP
 * request for the VIP from the VIP, RFC 5227 2.3 announcement, the form
 * keepalived sends) and unsolicited Neighbour Advertisements (RFC 4861
 * 7.2.6: to all-nodes, Override set, with the target link-layer address;
 * Router set when the interface forwards IPv6, as a router's must be, RFC
 * 4861 4.4, so hosts keep a VIP that is their default router as one).
 */
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <net/ethernet.h>
#include <net/if_arp.h>
#include <netinet/icmp6.h>
#include <netpacket/packet.h>
#include <arpa/inet.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "linux/garp.h"

struct garp {
	int arp_fd;
	int na_fd;
};

struct garp *garp_open(void)
{
	struct garp *g = calloc(1, sizeof(*g));
	int hops = 255;

	if (!g)
		return NULL;
	g->arp_fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC, htons(ETH_P_ARP));
	g->na_fd = socket(AF_INET6, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_ICMPV6);
	if (g->arp_fd < 0 || g->na_fd < 0) {
		int e = errno;
		garp_close(g);
		errno = e;
		return NULL;
	}
	/* RFC 4861 7.1.2: hop limit 255 */
	setsockopt(g->na_fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, &hops, sizeof(hops));
	setsockopt(g->na_fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &hops, sizeof(hops));
	/* we only send on it: drop everything it would receive */
	struct icmp6_filter f;
	ICMP6_FILTER_SETBLOCKALL(&f);
	setsockopt(g->na_fd, IPPROTO_ICMPV6, ICMP6_FILTER, &f, sizeof(f));
	return g;
}

void garp_close(struct garp *g)
{
	if (!g)
		return;
	if (g->arp_fd >= 0)
		close(g->arp_fd);
	if (g->na_fd >= 0)
		close(g->na_fd);
	free(g);
}

struct arp_pkt {
	struct arphdr h;
	uint8_t sha[6], spa[4], tha[6], tpa[4];
} __attribute__((packed));

static int send_arp(struct garp *g, int ifindex, const uint8_t mac[6], const struct addr *vip)
{
	struct arp_pkt p = {.h = {.ar_hrd = htons(ARPHRD_ETHER),
	                          .ar_pro = htons(ETH_P_IP),
	                          .ar_hln = 6,
	                          .ar_pln = 4,
	                          .ar_op = htons(ARPOP_REQUEST)}};
	struct sockaddr_ll to = {.sll_family = AF_PACKET,
	                         .sll_protocol = htons(ETH_P_ARP),
	                         .sll_ifindex = ifindex,
	                         .sll_halen = 6};

	memcpy(p.sha, mac, 6);
	memcpy(p.spa, &vip->u.v4, 4);
	memset(p.tha, 0xff, 6);
	memcpy(p.tpa, &vip->u.v4, 4);
	memset(to.sll_addr, 0xff, 6);
	if (sendto(g->arp_fd, &p, sizeof(p), 0, (struct sockaddr *)&to, sizeof(to)) < 0)
		return -errno;
	return 0;
}

struct na_pkt {
	struct nd_neighbor_advert na;
	uint8_t opt_type, opt_len, mac[6];
} __attribute__((packed));

/* Whether the interface forwards IPv6 (net.ipv6.conf.IF.forwarding). */
static bool forwarding6(int ifindex)
{
	char name[IF_NAMESIZE], path[96], v = '0';
	int fd;

	if (!if_indextoname((unsigned)ifindex, name))
		return false;
	snprintf(path, sizeof(path), "/proc/sys/net/ipv6/conf/%s/forwarding", name);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return false;
	if (read(fd, &v, 1) != 1)
		v = '0';
	close(fd);
	return v == '1';
}

static int send_na(struct garp *g, int ifindex, const uint8_t mac[6], const struct addr *vip)
{
	struct na_pkt p = {0};
	struct sockaddr_in6 to = {.sin6_family = AF_INET6, .sin6_scope_id = (uint32_t)ifindex};
	char cbuf[CMSG_SPACE(sizeof(struct in6_pktinfo))] = {0};
	struct in6_pktinfo pi = {.ipi6_ifindex = (unsigned)ifindex};
	struct iovec iov = {&p, sizeof(p)};
	struct msghdr mh = {.msg_name = &to,
	                    .msg_namelen = sizeof(to),
	                    .msg_iov = &iov,
	                    .msg_iovlen = 1,
	                    .msg_control = cbuf,
	                    .msg_controllen = sizeof(cbuf)};
	struct cmsghdr *c = (struct cmsghdr *)cbuf;

	p.na.nd_na_type = ND_NEIGHBOR_ADVERT;
	p.na.nd_na_flags_reserved =
	    ND_NA_FLAG_OVERRIDE | (forwarding6(ifindex) ? ND_NA_FLAG_ROUTER : 0);
	p.na.nd_na_target = vip->u.v6;
	p.opt_type = ND_OPT_TARGET_LINKADDR;
	p.opt_len = 1; /* units of 8 octets */
	memcpy(p.mac, mac, 6);
	inet_pton(AF_INET6, "ff02::1", &to.sin6_addr);
	c->cmsg_level = IPPROTO_IPV6;
	c->cmsg_type = IPV6_PKTINFO;
	c->cmsg_len = CMSG_LEN(sizeof(pi));
	memcpy(CMSG_DATA(c), &pi, sizeof(pi));
	if (sendmsg(g->na_fd, &mh, 0) < 0)
		return -errno;
	return 0;
}

int garp_send(struct garp *g, int ifindex, const uint8_t mac[6], const struct addr *vip)
{
	if (vip->family == AF_INET)
		return send_arp(g, ifindex, mac, vip);
	if (vip->family == AF_INET6)
		return send_na(g, ifindex, mac, vip);
	return -EAFNOSUPPORT;
}
