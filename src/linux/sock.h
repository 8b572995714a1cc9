/*
 * sock.h: raw IP protocol 112 sockets for VRRP adverts (51 for auth_type AH).
 *
 * RFC 3768 5.2.3 / RFC 9568 5.1.1.3, 5.1.2.3: TTL / Hop Limit 255 on send, checked
 * on receive. One socket per (interface, family); multicast group joined
 * unless the instance is unicast.
 */
#ifndef VIPD_SOCK_H
#define VIPD_SOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "lib/addr.h"
#include "vrrp/packet.h"

/* Opens a non-blocking raw socket bound to ifindex, of protocol proto:
 * VRRP_IPPROTO, or VRRP_AH_IPPROTO (IPv4 only; sent with IP_HDRINCL, the
 * caller writing the whole datagram). group: the multicast
 * group to send to (and join when join is set), or NULL for unicast.
 * ttl: TTL/hop limit to send with. A socket that does not join only sends
 * (use_vmac). IPv6 ones may send from an address their interface does not
 * hold (a vmac, with its base's link-local address). */
int vrrp_sock_open(int family, int proto, int ifindex, const struct addr *group, int ttl,
                   bool join);

/* Joins group on another interface too (0 or -1 with errno). */
int vrrp_sock_join(int fd, int family, int ifindex, const struct addr *group);

/* Receives one packet: copies the VRRP message (IPv4 header stripped) into
 * buf, fills meta (src, dst, ttl; with AH, meta->ah and the IP and AH
 * headers) and *ifindex. Returns the message length,
 * 0 for a packet to skip, or -1 with errno (EAGAIN when drained). */
ssize_t vrrp_sock_recv(int fd, uint8_t *buf, size_t len, struct vrrp_rx_meta *meta, int *ifindex);
/* What vrrp_sock_recv does with what recvmsg gave (no I/O): the source
 * (IPv4: from the IP header, which is stripped), TTL / hop limit, the
 * destination, the arrival time and interface from the control messages.
 * Returns the VRRP message's length, 0 for something to drop. */
struct msghdr;
ssize_t vrrp_rx_decode(const struct msghdr *mh, uint8_t *buf, size_t n, struct vrrp_rx_meta *meta,
                       int *ifindex);

/* Queued adverts leave on vrrp_sock_flush(), in one sendmmsg per socket
 * (the queue is flushed first when it holds VRRP_TX_MAX); fail is called
 * for one that could not be sent. */
#define VRRP_TX_MAX 65536
/* The advert just queued is a transition's (a new master's first, a
 * leaving master's priority 0): once VRRP_TX_URGENT such wait, the queue
 * leaves at once, so a thousand takeovers in one pass do not all wait for
 * the last. */
#define VRRP_TX_URGENT 32
void vrrp_sock_urgent(void);
typedef void (*vrrp_tx_fail)(void *arg, int err);
void vrrp_sock_queue(int fd, int ifindex, const struct addr *src, const struct addr *dst,
                     const uint8_t *msg, size_t len, vrrp_tx_fail fail, void *arg);
void vrrp_sock_flush(void);

#endif
