/*
 * bfdmaster.h: the vipd extension master_down_bfd: a BFD session to the
 * master that goes down after Up is, to a Backup that follows that master,
 * the master's death (bfdmaster.c).
 */
#ifndef VIPD_BFDMASTER_H
#define VIPD_BFDMASTER_H

#include "bfd/session.h"

struct bfd_rt;
struct vipd;

/* b left Up (o: its change): every Backup whose master_down_bfd names it
 * and which follows the master at b's neighbor address sets its
 * Master_Down_Timer to Skew_Time on the session's scale (fsm_peer_down). */
void bfdmaster_down(struct vipd *d, const struct bfd_rt *b, const struct bfd_out *o,
                    vtime_t now);

#endif
