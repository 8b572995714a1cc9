/*
 * vips.h: the instance's addresses and their announcements (vips.c).
 */
#ifndef VIPD_VIPS_H
#define VIPD_VIPS_H

#include <stdbool.h>

#include "lib/vtime.h"

struct fsm_out;
struct instance;
struct nl_addr;

void vips_init(struct instance *in);
/* Adds (add) or removes every VIP, route and rule of in, batched. */
void vips_change(struct instance *in, bool add);
/* A VIP of in deleted by another program: added again while Master
 * (unless no_track). True if gone was one of in's. */
bool vips_restore(struct instance *in, const struct nl_addr *gone);
/* A master heard a lower priority: garp_lower_prio_repeat announcements now
 * and after garp_lower_prio_delay (at most once a second). */
void vips_lower_prio(struct instance *in, vtime_t now);
/* A burst of repeat announcements of every VIP (paced per link: garpq.c). */
void vips_announce(struct instance *in, int repeat);
/* After a transition's addresses are in: its first burst, then the
 * delayed one and the refreshes (garp_master_*). */
void vips_announce_work(struct instance *in, const struct fsm_out *out);

#endif
