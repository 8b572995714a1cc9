/*
 * bfdmaster.c: master_down_bfd (a vipd extension, bfdmaster.h). The guards
 * against a false takeover: only a session that was Up and went Down (a
 * session that never came up says nothing), and only by its own Detection
 * Time running out (Diag 1): a Down the neighbor signals comes from a live
 * master (its own Detection Time ran out: our packets are lost, or a LAN
 * host spoofed it), and its AdminDown is no failure of the path either
 * (RFC 5882 3.2; a master that stops says so with priority 0 anyway); only
 * on a Backup that follows a master
 * at the session's neighbor address (vrrp/fsm.c fsm_peer_down), and an
 * advert from that master before Skew_Time ends puts the normal
 * Master_Down_Timer back. The instance's transition, when it comes, says
 * why; each decision here is traced.
 */
#include <stdio.h>
#include <string.h>

#include "daemon/bfdmaster.h"
#include "daemon/bfd.h"
#include "daemon/daemon.h"
#include "daemon/instance.h"
#include "lib/log.h"
#include "vrrp/fsm.h"

static bool names(const struct conf_instance *c, const char *name)
{
	for (size_t i = 0; i < c->master_down_bfd.n; i++)
		if (!strcmp(c->master_down_bfd.items[i].name, name))
			return true;
	return false;
}

void bfdmaster_down(struct vipd *d, const struct bfd_rt *b, const struct bfd_out *o, vtime_t now)
{
	char why[96], a[ADDR_STRLEN];
	const char *skip = o->to != BFD_DOWN               ? "not a Down"
	                   : o->diag != BFD_DIAG_EXPIRED     ? "the neighbor said so: it lives"
	                   : !b->rx_interval_us              ? "no interval known"
	                                                     : NULL;

	snprintf(why, sizeof(why), "bfd_instance %s went down", b->name);
	for (struct instance *in = d->instances; in; in = in->next) {
		struct fsm_out out;
		if (!names(in->c, b->name))
			continue;
		if (skip) {
			log_trace(LOG_FSM, "%s: master_down_bfd %s: ignored (%s: %s)", in->name,
			          b->name, skip, o->why);
			continue;
		}
		fsm_peer_down(&in->fsm, now, &b->c->neighbor, b->rx_interval_us, why, &out);
		if (out.actions & FSM_ACT_TIMERS)
			log_info("%s: master %s: %s (%s); taking over in %llu us (Skew_Time on "
			         "the session's %u us)",
			         in->name, addr_ntop(&b->c->neighbor, a), why, o->why,
			         (unsigned long long)(in->fsm.master_down_at - now), b->rx_interval_us);
		else
			log_trace(LOG_FSM,
			          "%s: master_down_bfd %s: ignored (%s, master %s heard, timer "
			          "sooner)",
			          in->name, b->name, vrrp_state_name(in->fsm.state),
			          addr_is_set(&in->fsm.master_addr)
			              ? addr_ntop(&in->fsm.master_addr, a)
			              : "none");
		instance_step(in, now, &out);
	}
}
