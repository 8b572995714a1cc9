/*
 * rxmsg.c: one datagram with its sender and control messages (rxmsg.h).
 */
#include "linux/rxmsg.h"

ssize_t rx_msg_recv(int fd, struct rx_msg *m, void *buf, size_t len)
{
	m->iov = (struct iovec){buf, len};
	m->mh = (struct msghdr){.msg_name = &m->from,
	                        .msg_namelen = sizeof(m->from),
	                        .msg_iov = &m->iov,
	                        .msg_iovlen = 1,
	                        .msg_control = m->ctl,
	                        .msg_controllen = sizeof(m->ctl)};
	return recvmsg(fd, &m->mh, 0);
}
