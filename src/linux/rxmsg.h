/*
 * rxmsg.h: one datagram read with its sender's address and its control
 * messages (arrival time, interface, hop limit), for the VRRP and BFD
 * sockets (sock.c, bfdsock.c), whose decoders read the struct msghdr.
 * The caller owns struct rx_msg (on its stack) and the buffer.
 */
#ifndef VIPD_RXMSG_H
#define VIPD_RXMSG_H

#include <stddef.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/uio.h>

struct rx_msg {
	struct sockaddr_storage from;
	_Alignas(struct cmsghdr) char ctl[256];
	struct iovec iov;
	struct msghdr mh; /* ready for the decoder after rx_msg_recv */
};

/* recvmsg() of one datagram into buf (len bytes): its size, or -1 (errno). */
ssize_t rx_msg_recv(int fd, struct rx_msg *m, void *buf, size_t len);

#endif
