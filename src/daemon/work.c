/*
 * work.c: what a transition leaves to do after its advert: the addresses
 * (one netlink batch for the whole pass), the log line, notify, then the
 * announcements; the machine's trace lines (-D) go first. Transitions of
 * one loop pass queue here (struct vipd's work list, owned by this file)
 * and are worked off in slices that never hold up an advert or a timer:
 * with hundreds of takeovers at once, every advert still leaves on time.
 *
 * RFC 9568 6.4.2: a new master sends its advert first.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "daemon/work.h"
#include "daemon/advert.h"
#include "daemon/garpq.h"
#include "daemon/daemon.h"
#include "daemon/events.h"
#include "daemon/instance.h"
#include "daemon/notify.h"
#include "daemon/splitbrain.h"
#include "daemon/vrrpmib.h"
#include "daemon/vips.h"
#include "lib/log.h"
#include "linux/loop.h"
#include "linux/sock.h"
#include "vrrp/fsm.h"

#define WORK_SLICE_US    1000  /* transition work between looks at the timers */
#define WORK_HORIZON_US  2000  /* no work when a timer is due sooner */
#define WORK_MAX_WAIT_US 50000 /* work that waited this long goes ahead */
#define WORK_ACTIONS     (FSM_ACT_ADD_VIPS | FSM_ACT_DEL_VIPS | FSM_ACT_ANNOUNCE | FSM_ACT_NOTIFY)

/* The work of a transition after its advert: VIPs, log line, notify. */
static void transition_work(struct instance *in, const struct fsm_out *out)
{
	instance_traces_write(in->pend_trace, SIZE_MAX); /* the machine's lines first */
	if (out->actions & FSM_ACT_ADD_VIPS)
		vips_change(in, true);
	if (out->actions & FSM_ACT_DEL_VIPS) {
		vips_change(in, false);
		loop_timer_cancel(in->d->loop, &in->t_garp);
		garpq_forget(in->d, in); /* what waited to be announced */
		in->garp_phase = 0;
	}
	if (out->actions & FSM_ACT_NOTIFY && out->to != VRRP_STATE_MASTER && in->sb_active)
		split_brain_over(in, "this host is no longer master");
	if (out->actions & FSM_ACT_NOTIFY) {
		in->st.transitions++;
		in->st.by_cause[out->cause]++;
		in->st.became_master += out->to == VRRP_STATE_MASTER;
		in->st.left_master += out->from == VRRP_STATE_MASTER;
		in->last_transition_at = in->pend_at;
		in->last_from = out->from;
		if (!in->up_at && out->from == VRRP_STATE_INIT)
			in->up_at = in->pend_at;
		if (out->to == VRRP_STATE_MASTER)
			in->master_why = out->cause, in->was_master = true;
		char b[FSM_WHY_LEN];
		const char *why = fsm_why_text(&out->why, b, sizeof(b));
		log_info("%s: %s -> %s: %s", in->name, vrrp_state_name(out->from),
		         vrrp_state_name(out->to), why);
		events_transition(in, vrrp_state_name(out->from), vrrp_state_name(out->to), why);
		notify_transition(in, out->to);
		if (out->to == VRRP_STATE_MASTER)
			vrrpmib_new_master(in);
		else
			advert_prepare(in); /* a backup's, for its takeover */
	}
}

/* Takes in out of the work queue (rare: a second transition in one pass,
 * or the instance going away). */
static void unlink_pending(struct instance *in)
{
	struct vipd *d = in->d;
	struct instance **p = &d->work;

	while (*p) {
		if (*p == in)
			*p = in->pend_next;
		else
			p = &(*p)->pend_next;
	}
	d->work_tail = p;
	in->pend_next = NULL;
	in->pending = false;
}

/* Since when the oldest waits: a transition's work, or trace lines. */
static vtime_t waiting_since(const struct vipd *d)
{
	vtime_t t;

	if (!instance_traces_waiting(&t) || (d->work && d->work->pend_at < t))
		t = d->work->pend_at;
	return t;
}

/* Whether a timer (an advert, a master-down) comes due too soon for a
 * slice of work; work that has waited WORK_MAX_WAIT_US goes ahead anyway. */
static bool timers_first(struct vipd *d, vtime_t now)
{
	vtime_t next = loop_next_timer(d->loop);

	if (next == VTIME_NEVER || next - now >= WORK_HORIZON_US)
		return false;
	if (now - waiting_since(d) >= WORK_MAX_WAIT_US)
		return false;
	loop_timer_set(d->loop, &d->t_work, next + 1);
	return true;
}

/* One slice of transition work, about WORK_SLICE_US all told (the kernel's
 * share, committing the addresses and sending the announcements, counted
 * from the last slice's cost per transition) and only while no timer is
 * about to come due: during a burst of takeovers every advert leaves on
 * time and the addresses follow right after the burst. */
static void run_work(struct vipd *d, bool now)
{
	vtime_t start = loop_now();
	struct instance *slice = NULL, **tail = &slice;
	vtime_t n = 0, most = WORK_SLICE_US / (d->work_cost_us ? d->work_cost_us : 1);

	if (!now && timers_first(d, start))
		return;
	if (!most)
		most = 1;
	while (d->work && n < most && loop_now() - start < WORK_SLICE_US) {
		struct instance *in = d->work;
		if (!(d->work = in->pend_next))
			d->work_tail = &d->work;
		in->pend_next = NULL;
		transition_work(in, &in->pend);
		*tail = in;
		tail = &in->pend_next;
		n++;
	}
	instance_traces_write(UINT64_MAX, now ? SIZE_MAX : (size_t)most); /* of no transition */
	vipd_nl_flush(d);
	while (slice) {
		struct instance *in = slice;
		slice = in->pend_next;
		in->pend_next = NULL;
		in->pending = false;
		vips_announce_work(in, &in->pend);
	}
	if (n)
		d->work_cost_us = (loop_now() - start) / n;
	if (d->work || instance_traces_waiting(NULL))
		loop_timer_set(d->loop, &d->t_work, loop_now());
}

static void on_work_timer(struct timer *t, vtime_t now, void *arg)
{
	instances_flush(arg);
}

void instances_init(struct vipd *d)
{
	d->work = NULL;
	d->work_tail = &d->work;
	timer_init(&d->t_work, on_work_timer, d);
}

/* After every loop pass: first every queued advert leaves (RFC 9568 6.4:
 * a new master advertises at once), then the transitions of the pass are
 * worked off in slices: addresses changed in one netlink batch, then
 * announced. Hundreds of simultaneous transitions thus never hold up each
 * other's adverts or timers. */
void instances_flush(struct vipd *d)
{
	vrrp_sock_flush();
	if (d->work || instance_traces_waiting(NULL))
		run_work(d, false);
}

/* Shutdown and reload: all of it, now. */
void instances_flush_all(struct vipd *d)
{
	instances_flush(d);
	instance_traces_flush();
	while (d->work)
		run_work(d, true); /* timers or not */
	loop_timer_cancel(d->loop, &d->t_work);
}

void work_queue(struct instance *in, vtime_t now, const struct fsm_out *out)
{
	if (!(out->actions & WORK_ACTIONS))
		return;
	if (in->pending) { /* a second transition in one pass: the first is done now */
		unlink_pending(in);
		vrrp_sock_flush();
		transition_work(in, &in->pend);
		vipd_nl_flush(in->d);
		vips_announce_work(in, &in->pend);
	}
	in->pend = *out;
	in->pend.actions &= WORK_ACTIONS;
	in->pend_at = now;
	in->pend_trace = instance_traces_made();
	in->pending = true;
	*in->d->work_tail = in;
	in->d->work_tail = &in->pend_next;
}

void work_cancel(struct instance *in)
{
	if (in->pending) { /* its last transition's work still runs */
		unlink_pending(in);
		vrrp_sock_flush();
		transition_work(in, &in->pend);
	}
}
