/*
 * floor.c: the per-advert floor. Sends the VRRPv3 IPv4 adverts the bench's
 * configs make vipd send (same sizes, group 224.0.0.18, TTL 255, TOS 0xc0,
 * the same VRIDs on the same links, at the same interval) and nothing else:
 * the packets are built once, a timerfd ticks, and each tick sends all of a
 * link's adverts in one sendmmsg on a raw IP protocol 112 socket. Its CPU
 * time per advert is the least any VRRP daemon can spend on this machine.
 *
 * Usage: floor INTERVAL_MS PRIORITY N_PER_LINK IFNAME,SOURCE,VIPBASE ...
 * Link k sends VRIDs 1..N with the one address VIPBASE + VRID (10.64.0.0:
 * 10.64.0.1, ...). Runs until SIGTERM, then prints "sent N failed M".
 * Built by bench.py (cc -O2); standalone, no project code.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "advert3.h"

#define MAX_LINKS 64
#define MAX_VRIDS 255

struct link {
	int fd;
	unsigned char pkt[MAX_VRIDS][ADV_LEN];
	struct iovec iov[MAX_VRIDS];
	struct mmsghdr mm[MAX_VRIDS];
};

static struct link links[MAX_LINKS];
static struct sockaddr_in group;
static volatile sig_atomic_t stop;

static void on_term(int sig)
{
	(void)sig;
	stop = 1;
}

/* "eth0,10.0.0.5,10.64.0.0": the link's adverts, built once. */
static void setup(struct link *l, char *spec, int n, int prio, int cs)
{
	struct in_addr s, b;
	struct ip_mreqn mr;
	char *ifname = parse_link(spec, &s, &b, "floor");

	l->fd = open_sender(ifname, SOCK_RAW, &mr);
	for (int v = 1; v <= n; v++) {
		link_advert(l->pkt[v - 1], v, prio, cs, s, b, group.sin_addr);
		l->iov[v - 1] = (struct iovec){l->pkt[v - 1], ADV_LEN};
		l->mm[v - 1].msg_hdr = (struct msghdr){.msg_name = &group,
		                                       .msg_namelen = sizeof(group),
		                                       .msg_iov = &l->iov[v - 1],
		                                       .msg_iovlen = 1};
	}
}

int main(int argc, char **argv)
{
	unsigned long long sent = 0, failed = 0;
	int nlinks = argc - 4;

	if (argc < 5 || nlinks > MAX_LINKS) {
		fprintf(stderr,
		        "usage: floor INTERVAL_MS PRIORITY N_PER_LINK IFNAME,SRC,VIPBASE ...\n");
		return 2;
	}
	int ms = atoi(argv[1]), prio = atoi(argv[2]), n = atoi(argv[3]);
	if (ms <= 0 || prio < 1 || prio > 255 || n < 1 || n > MAX_VRIDS)
		return 2;
	group.sin_family = AF_INET;
	inet_pton(AF_INET, GROUP, &group.sin_addr);
	for (int k = 0; k < nlinks; k++)
		setup(&links[k], argv[4 + k], n, prio, ms / 10);
	struct sigaction sa = {.sa_handler = on_term}; /* no SA_RESTART: read returns */
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	int tfd = timerfd_create(CLOCK_MONOTONIC, 0);
	struct itimerspec its = {{ms / 1000, ms % 1000 * 1000000L}, {0, 1}};
	if (tfd < 0 || timerfd_settime(tfd, 0, &its, NULL) < 0) {
		perror("timerfd");
		return 1;
	}
	while (!stop) {
		uint64_t ticks;
		if (read(tfd, &ticks, sizeof(ticks)) < 0)
			continue; /* EINTR: stop is set */
		for (int k = 0; k < nlinks; k++) {
			int r = sendmmsg(links[k].fd, links[k].mm, (unsigned)n, 0);
			sent += r > 0 ? (unsigned)r : 0;
			failed += r < n ? (unsigned)(n - (r > 0 ? r : 0)) : 0;
		}
	}
	printf("sent %llu failed %llu\n", sent, failed);
	return 0;
}
