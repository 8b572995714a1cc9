/*
 * advert.h: adverts out (advert.c).
 */
#ifndef VIPD_ADVERT_H
#define VIPD_ADVERT_H

#include <stdint.h>

struct addr;
struct instance;

/* The multicast group of in's adverts (mcast_dst_ip, or the global one). */
const struct addr *advert_group(const struct instance *in);
/* Queues an advert with priority prio (0: shutdown) on every way out. */
void advert_send(struct instance *in, uint8_t prio);

#endif
