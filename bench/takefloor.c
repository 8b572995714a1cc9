/*
 * takefloor.c: the takeover floor. The least a VRRP backup can do to take
 * over: it hears the master's VRRPv3 IPv4 adverts on raw sockets (arrival
 * times from the kernel, SO_TIMESTAMPNS, as vipd), and when a VRID's
 * Master_Down_Interval has passed since its last advert it sends that
 * VRID's advert (built once at start) in one sendmmsg per link with every
 * other VRID due then, and again each interval. No state machine, no
 * addresses, no log: the gap between the master's last advert and this
 * one's first, past the bound, is the least this machine allows.
 *
 * Usage: takefloor DOWN_US INTERVAL_MS PRIORITY N_PER_LINK IFNAME,SOURCE,VIPBASE ...
 * Adverts are those of floor.c (VRIDs 1..N, one address VIPBASE + VRID).
 * Runs until SIGTERM, then prints "took N sent M".
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
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "advert3.h"

#define MAX_LINKS 64
#define MAX_VRIDS 255
#define RING      (1 << 17) /* deadlines in arrival order: N x (down / interval + 1) */
#define BATCH     64

struct link {
	int fd;
	unsigned char pkt[MAX_VRIDS][ADV_LEN];
	struct iovec iov[MAX_VRIDS];
	struct mmsghdr mm[MAX_VRIDS];   /* the adverts due, gathered per pass */
	int64_t down_at[MAX_VRIDS + 1]; /* 0: never heard; INT64_MAX: ours */
	int64_t adver_at[MAX_VRIDS + 1];
	unsigned due;
};

struct entry {
	int64_t at;
	uint16_t link;
	uint8_t vrid;
};

static struct link links[MAX_LINKS];
static int nlinks, per_link;
static struct entry ring[RING];
static size_t head, tail;
static struct sockaddr_in group;
static volatile sig_atomic_t stop;
static int64_t down_us, adv_us, adver_next = INT64_MAX; /* the earliest of ours */
static unsigned long long took, sent;

static void on_term(int sig)
{
	(void)sig;
	stop = 1;
}

static int64_t mono_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* The kernel's arrival time (CLOCK_REALTIME ns) on the monotonic clock. */
static int64_t arrival_us(int64_t rx_ns, int64_t now)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	int64_t ago = ((int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec - rx_ns) / 1000;
	return ago < 0 || ago > 1000000 ? now : now - ago;
}

/* A sender that also hears the group, with the kernel's arrival times. */
static void setup(struct link *l, char *spec, int n, int prio, int cs)
{
	struct in_addr s, b;
	struct ip_mreqn mr;
	char *ifname = parse_link(spec, &s, &b, "takefloor");

	l->fd = open_sender(ifname, SOCK_RAW | SOCK_NONBLOCK, &mr);
	if (set(l->fd, SOL_SOCKET, SO_TIMESTAMPNS, 1) < 0 ||
	    set(l->fd, SOL_SOCKET, SO_RCVBUFFORCE, 4 << 20) < 0 ||
	    setsockopt(l->fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mr, sizeof(mr)) < 0) {
		perror(ifname);
		exit(1);
	}
	for (int v = 1; v <= n; v++)
		link_advert(l->pkt[v - 1], v, prio, cs, s, b, group.sin_addr);
}

/* A master's advert heard: its VRID's Master_Down_Interval starts again. */
static void heard(int k, const unsigned char *p, size_t n, int64_t at)
{
	size_t hl = n ? (size_t)(p[0] & 0x0f) * 4 : 0;

	if (n < hl + 8 || p[hl] != 0x31 || p[hl + 1] < 1 || p[hl + 1] > per_link)
		return;
	uint8_t vrid = p[hl + 1];
	if (links[k].down_at[vrid] == INT64_MAX)
		return; /* ours now */
	links[k].down_at[vrid] = at + down_us;
	if (tail - head < RING)
		ring[tail++ % RING] = (struct entry){at + down_us, (uint16_t)k, vrid};
}

static void read_link(int k, int64_t now)
{
	static unsigned char buf[BATCH][256];
	static char cbuf[BATCH][64];
	struct iovec iov[BATCH];
	struct mmsghdr mm[BATCH];
	int r;

	do {
		for (int i = 0; i < BATCH; i++) {
			iov[i] = (struct iovec){buf[i], sizeof(buf[i])};
			mm[i].msg_hdr = (struct msghdr){.msg_iov = &iov[i],
			                                .msg_iovlen = 1,
			                                .msg_control = cbuf[i],
			                                .msg_controllen = sizeof(cbuf[i])};
		}
		r = recvmmsg(links[k].fd, mm, BATCH, MSG_DONTWAIT, NULL);
		for (int i = 0; i < r; i++) {
			int64_t at = now;
			for (struct cmsghdr *c = CMSG_FIRSTHDR(&mm[i].msg_hdr); c;
			     c = CMSG_NXTHDR(&mm[i].msg_hdr, c))
				if (c->cmsg_level == SOL_SOCKET &&
				    c->cmsg_type == SCM_TIMESTAMPNS) {
					struct timespec ts;
					memcpy(&ts, CMSG_DATA(c), sizeof(ts));
					at = arrival_us(
					    (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec, now);
				}
			heard(k, buf[i], mm[i].msg_len, at);
		}
	} while (r == BATCH);
}

static void queue(int k, int vrid)
{
	struct link *l = &links[k];
	unsigned i = l->due++;

	l->iov[i] = (struct iovec){l->pkt[vrid - 1], ADV_LEN};
	l->mm[i].msg_hdr = (struct msghdr){.msg_name = &group,
	                                   .msg_namelen = sizeof(group),
	                                   .msg_iov = &l->iov[i],
	                                   .msg_iovlen = 1};
}

/* Master-down deadlines passed: those VRIDs are ours; ours due: again. */
static int64_t run(int64_t now)
{
	int64_t next = INT64_MAX;

	while (head < tail && ring[head % RING].at <= now) {
		struct entry e = ring[head++ % RING];
		struct link *l = &links[e.link];
		if (l->down_at[e.vrid] != e.at)
			continue; /* a later advert moved it */
		l->down_at[e.vrid] = INT64_MAX;
		l->adver_at[e.vrid] = now + adv_us;
		if (now + adv_us < adver_next)
			adver_next = now + adv_us;
		took++;
		queue(e.link, e.vrid);
	}
	if (adver_next <= now) { /* a scan only when one of ours is due */
		adver_next = INT64_MAX;
		for (int k = 0; k < nlinks; k++)
			for (int v = 1; v <= per_link; v++) {
				int64_t *a = &links[k].adver_at[v];
				if (*a && *a <= now) {
					*a += adv_us;
					queue(k, v);
				}
				if (*a && *a < adver_next)
					adver_next = *a;
			}
	}
	next = adver_next;
	for (int k = 0; k < nlinks; k++) {
		struct link *l = &links[k];
		if (l->due) {
			int r = sendmmsg(l->fd, l->mm, l->due, 0);
			sent += r > 0 ? (unsigned)r : 0;
			l->due = 0;
		}
	}
	if (head < tail && ring[head % RING].at < next)
		next = ring[head % RING].at;
	return next;
}

int main(int argc, char **argv)
{
	nlinks = argc - 5;
	if (argc < 6 || nlinks > MAX_LINKS) {
		fprintf(stderr, "usage: takefloor DOWN_US INTERVAL_MS PRIORITY N_PER_LINK "
		                "IFNAME,SRC,VIPBASE ...\n");
		return 2;
	}
	down_us = atoll(argv[1]);
	int ms = atoi(argv[2]), prio = atoi(argv[3]);
	per_link = atoi(argv[4]);
	if (down_us <= 0 || ms <= 0 || prio < 1 || prio > 254 || per_link < 1 ||
	    per_link > MAX_VRIDS)
		return 2;
	adv_us = (int64_t)ms * 1000;
	group.sin_family = AF_INET;
	inet_pton(AF_INET, GROUP, &group.sin_addr);
	int ep = epoll_create1(0), tfd = timerfd_create(CLOCK_MONOTONIC, 0);
	if (ep < 0 || tfd < 0) {
		perror("takefloor");
		return 1;
	}
	for (int k = 0; k < nlinks; k++) {
		setup(&links[k], argv[5 + k], per_link, prio, ms / 10);
		struct epoll_event ev = {.events = EPOLLIN, .data.u32 = (uint32_t)k};
		epoll_ctl(ep, EPOLL_CTL_ADD, links[k].fd, &ev);
	}
	struct epoll_event tev = {.events = EPOLLIN, .data.u32 = UINT32_MAX};
	epoll_ctl(ep, EPOLL_CTL_ADD, tfd, &tev);
	struct sigaction sa = {.sa_handler = on_term};
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	while (!stop) {
		struct epoll_event evs[MAX_LINKS + 1];
		int64_t next = run(mono_us());
		struct itimerspec its = {0};
		if (next != INT64_MAX) {
			its.it_value.tv_sec = next / 1000000;
			its.it_value.tv_nsec = next % 1000000 * 1000;
		}
		timerfd_settime(tfd, TFD_TIMER_ABSTIME, &its, NULL);
		int n = epoll_wait(ep, evs, MAX_LINKS + 1, -1);
		int64_t now = mono_us();
		for (int i = 0; i < n; i++) {
			if (evs[i].data.u32 == UINT32_MAX) {
				uint64_t x;
				if (read(tfd, &x, sizeof(x)) < 0 && errno != EAGAIN)
					perror("timerfd");
			} else {
				read_link((int)evs[i].data.u32, now);
			}
		}
	}
	printf("took %llu sent %llu\n", took, sent);
	return 0;
}
