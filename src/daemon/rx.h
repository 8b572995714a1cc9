/*
 * rx.h: adverts in (rx.c).
 */
#ifndef VIPD_RX_H
#define VIPD_RX_H

struct vipd;
struct vsock;

/* Reads what is waiting on vs (a burst at most) and hands each advert
 * that passes the checks to its instance. */
void vsock_read(struct vipd *d, struct vsock *vs);

#endif
