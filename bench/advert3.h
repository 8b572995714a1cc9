/*
 * advert3.h: the VRRPv3 IPv4 advert the bench's configs make the daemons
 * send (one address), built as a sender of the floors needs it, for
 * floor.c and takefloor.c. Standalone: no project code.
 */
#ifndef BENCH_ADVERT3_H
#define BENCH_ADVERT3_H

#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#define ADV_LEN    12 /* VRRPv3 header (8) + one IPv4 address */
#define GROUP      "224.0.0.18"
#define PROTO_VRRP 112

static uint32_t sum16(const unsigned char *p, size_t n, uint32_t s)
{
	for (size_t i = 0; i + 1 < n; i += 2)
		s += (uint32_t)(p[i] << 8 | p[i + 1]);
	return s;
}

/* Advert of vrid at prio, interval cs centiseconds, from src for vip to
 * group; RFC 9568 5.2.8: the checksum covers the IPv4 pseudo-header. */
static void build_advert(unsigned char *m, int vrid, int prio, int cs, struct in_addr src,
                         struct in_addr vip, struct in_addr group)
{
	unsigned char ph[12];
	uint32_t s;

	m[0] = 0x31; /* version 3, type 1 (advertisement) */
	m[1] = (unsigned char)vrid;
	m[2] = (unsigned char)prio;
	m[3] = 1; /* one address */
	m[4] = (unsigned char)(cs >> 8 & 0x0f);
	m[5] = (unsigned char)cs;
	m[6] = m[7] = 0;
	memcpy(m + 8, &vip, 4);
	memcpy(ph, &src, 4);
	memcpy(ph + 4, &group, 4);
	ph[8] = 0;
	ph[9] = PROTO_VRRP;
	ph[10] = 0;
	ph[11] = ADV_LEN;
	s = sum16(m, ADV_LEN, sum16(ph, sizeof(ph), 0));
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	m[6] = (unsigned char)(~s >> 8);
	m[7] = (unsigned char)~s;
}

static int set(int fd, int level, int opt, int v)
{
	return setsockopt(fd, level, opt, &v, sizeof(v));
}

/* A raw VRRP socket sending on ifname as the daemons do (TTL 255, TOS
 * 0xc0, no loop); type: SOCK_RAW and flags. Exits on failure. */
static int open_sender(const char *ifname, int type, struct ip_mreqn *mr)
{
	int fd = socket(AF_INET, type, PROTO_VRRP);

	*mr = (struct ip_mreqn){.imr_ifindex = (int)if_nametoindex(ifname)};
	inet_pton(AF_INET, GROUP, &mr->imr_multiaddr);
	if (fd < 0 || !mr->imr_ifindex ||
	    setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, ifname, (socklen_t)strlen(ifname) + 1) <
	        0 ||
	    set(fd, IPPROTO_IP, IP_TOS, IPTOS_PREC_INTERNETCONTROL) < 0 ||
	    set(fd, IPPROTO_IP, IP_MULTICAST_TTL, 255) < 0 ||
	    set(fd, IPPROTO_IP, IP_MULTICAST_LOOP, 0) < 0 ||
	    setsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, mr, sizeof(*mr)) < 0) {
		perror(ifname);
		exit(1);
	}
	return fd;
}

/* "eth0,10.0.0.5,10.64.0.0": the interface (returned), the source and the
 * base of the VIPs (VIPBASE + VRID). Exits on a bad one. */
static char *parse_link(char *spec, struct in_addr *src, struct in_addr *base, const char *who)
{
	char *ifname = strtok(spec, ","), *s = strtok(NULL, ","), *b = strtok(NULL, ",");

	if (!b || inet_pton(AF_INET, s, src) != 1 || inet_pton(AF_INET, b, base) != 1) {
		fprintf(stderr, "%s: bad link %s\n", who, spec);
		exit(2);
	}
	return ifname;
}

/* The advert of VRID v of a link (VIPBASE + v). */
static void link_advert(unsigned char *m, int v, int prio, int cs, struct in_addr src,
                        struct in_addr base, struct in_addr group)
{
	struct in_addr vip = {htonl(ntohl(base.s_addr) + (uint32_t)v)};

	build_advert(m, v, prio, cs, src, vip, group);
}

#endif
