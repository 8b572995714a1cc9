/*
 * instance.c: one virtual router at run time. instance.c owns struct
 * instance: made from its config, started, changed by a reload, stopped and
 * freed. It feeds the state machine (vrrp/fsm.c) with the instance's own
 * events (timers, interface, tracking; rx.c brings the adverts) and carries
 * out what the machine returns, in its order: the advert (advert.c), the
 * timers, then the addresses, announcements and notify (work.c, vips.c).
 * A sync group's decision (vrrp/group.c) after a member's event is carried
 * out here on the other members, and goes no further.
 *
 * RFC 3768 6.4 / RFC 9568 6.4 (the state machine's actions).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/instance.h"
#include "daemon/garpq.h"
#include "daemon/advert.h"
#include "daemon/daemon.h"
#include "daemon/events.h"
#include "daemon/iface.h"
#include "daemon/notify.h"
#include "daemon/path.h"
#include "daemon/rx.h"
#include "daemon/splitbrain.h"
#include "daemon/sync.h"
#include "daemon/track.h"
#include "daemon/vips.h"
#include "daemon/vsock.h"
#include "daemon/work.h"
#include "lib/log.h"
#include "lib/timer.h"
#include "linux/loop.h"
#include "linux/sock.h"
#include "linux/sysctl.h"
#include "linux/vmac.h"
#include "vrrp/fsm.h"
#include "vrrp/group.h"

#define LATE_LOG_US 10000

static void on_fsm_timer(struct timer *t, vtime_t now, void *arg);
static void apply(struct instance *in, vtime_t now, const struct fsm_out *out);

/* ---- the machine's actions ---- */

static void rearm(struct instance *in)
{
	vtime_t next = fsm_next_deadline(&in->fsm);

	if (next == VTIME_NEVER)
		loop_timer_cancel(in->d->loop, &in->t_fsm);
	else
		loop_timer_set(in->d->loop, &in->t_fsm, next);
}

/* The steady events of every advert (a master's Adver_Timer, a backup
 * following its master) are traced with the packets, not with -D. */
static bool steady(const struct fsm_out *out)
{
	const struct fsm_step *st = &out->steps[0];

	return out->n_steps == 1 && st->from == st->to &&
	       (st->event == FSM_EV_ADVER_TIMER || st->event == FSM_EV_ADV_ACCEPT);
}

/* -D: each event the machine saw, its row (or none), and what it asked,
 * one line per event (the last one with the actions). The lines are made
 * with the transitions' work (work.c: after the pass's adverts have left,
 * while no timer is about to come due): with a thousand takeovers at once,
 * tracing them costs no advert any time. */
struct fsm_trace {
	vtime_t at;
	char name[CONF_NAME_MAX];
	enum log_cat cat;
	unsigned actions, n_steps;
	struct fsm_step steps[FSM_STEPS_MAX];
};
_Static_assert(sizeof(((struct fsm_trace *)0)->name) == sizeof(((struct instance *)0)->name),
               "a trace keeps the whole name");
#define TRACES_MAX 4096
static struct fsm_trace *traces;
static size_t n_traces, traces_done; /* traces[traces_done..n_traces) wait */
static uint64_t traces_base;         /* how many were made before traces[0] */

static void trace_lines(const struct fsm_trace *t)
{
	char acts[96];

	fsm_actions_text(t->actions, acts, sizeof(acts));
	for (unsigned i = 0; i < t->n_steps; i++) {
		const struct fsm_step *st = &t->steps[i];
		const char *tail = i + 1 == t->n_steps ? acts : "";
		const char *sep = i + 1 == t->n_steps ? "; actions " : "";
		if (st->action)
			log_trace(t->cat, "%s: %s + %s: %s -> %s%s%s", t->name,
			          vrrp_state_name(st->from), fsm_event_name(st->event), st->action,
			          vrrp_state_name(st->to), sep, tail);
		else
			log_trace(t->cat, "%s: %s + %s: no table row, ignored%s%s", t->name,
			          vrrp_state_name(st->from), fsm_event_name(st->event), sep, tail);
	}
}

bool instance_traces_waiting(vtime_t *since)
{
	if (since && n_traces > traces_done)
		*since = traces[traces_done].at;
	return n_traces > traces_done;
}

uint64_t instance_traces_made(void)
{
	return traces_base + n_traces;
}

void instance_traces_write(uint64_t upto, size_t most)
{
	while (traces_done < n_traces && traces_base + traces_done < upto && most--)
		trace_lines(&traces[traces_done++]);
	if (traces_done == n_traces) {
		traces_base += n_traces;
		n_traces = traces_done = 0;
	}
}

void instance_traces_flush(void)
{
	instance_traces_write(UINT64_MAX, SIZE_MAX);
}

static void trace_out(const struct instance *in, vtime_t now, const struct fsm_out *out)
{
	enum log_cat cat = steady(out) ? LOG_PACKET : LOG_FSM;
	struct fsm_trace *t;

	if (!log_on(cat))
		return;
	if (!traces && !(traces = calloc(TRACES_MAX, sizeof(*traces))))
		return;
	if (n_traces == TRACES_MAX)
		instance_traces_flush();
	t = &traces[n_traces++];
	t->at = now;
	memcpy(t->name, in->name, sizeof(t->name)); /* both CONF_NAME_MAX, terminated */
	t->cat = cat;
	t->actions = out->actions;
	t->n_steps = out->n_steps;
	memcpy(t->steps, out->steps, sizeof(t->steps));
}

/* What the machine asked, in its order: the advert, the timers, then the
 * rest queued behind every advert of this pass (work.c). */
static void apply(struct instance *in, vtime_t now, const struct fsm_out *out)
{
	if (out->n_steps && (log_on(LOG_FSM) || log_on(LOG_PACKET)))
		trace_out(in, now, out);
	if (out->actions & FSM_ACT_NOTIFY && out->to == VRRP_STATE_MASTER)
		vrrp_ah_seq_master(&in->ah_seq); /* auth_type AH: a cycled counter restarts */
	if (out->actions & FSM_ACT_SEND_ADVERT) {
		advert_send(in, out->adv_priority);
		if (out->actions & FSM_ACT_NOTIFY)
			vrrp_sock_urgent();
	}
	if (out->actions & FSM_ACT_TIMERS)
		rearm(in);
	if (out->actions & FSM_ACT_RX_LOWER && in->fsm.state == VRRP_STATE_MASTER) {
		vips_lower_prio(in, now);
		notify_rx_lower(in);
	}
	work_queue(in, now, out);
}

/* The group's orders after member i changed, carried out on the members. */
static void group_event(struct instance *in, vtime_t now, const struct fsm_out *out)
{
	struct sync_rt *g = in->sync;
	struct group_member *m;
	enum group_order *o;
	char left[160], ready[160];

	if (!g || !(out->actions & (FSM_ACT_NOTIFY | FSM_ACT_SYNC_WANT)))
		return;
	m = calloc(g->n ? g->n : 1, sizeof(*m));
	o = calloc(g->n ? g->n : 1, sizeof(*o));
	if (m && o) {
		sync_snapshot(g, m);
		group_after_event(m, g->n, sync_index(g, in), out, o);
		snprintf(left, sizeof(left), "vrrp_sync_group %s: %s left Master", g->c->name,
		         in->name);
		snprintf(ready, sizeof(ready),
		         "vrrp_sync_group %s: every member is ready for Master", g->c->name);
		for (size_t k = 0; k < g->n; k++) {
			struct fsm_out mo;
			if (o[k] == GROUP_NOTHING)
				continue;
			log_trace(LOG_SYNC, "%s: vrrp_sync_group %s orders %s", g->m[k]->name,
			          g->c->name, group_order_name(o[k]));
			if (o[k] == GROUP_BACKUP)
				fsm_sync_backup(&g->m[k]->fsm, now, left, &mo);
			else
				fsm_sync_master(&g->m[k]->fsm, now, ready, &mo);
			apply(g->m[k], now, &mo); /* orders do not come back to the group */
		}
	}
	free(m);
	free(o);
	sync_changed(g);
}

/* An event of in's own: its machine, then its group. */
void instance_step(struct instance *in, vtime_t now, const struct fsm_out *out)
{
	apply(in, now, out);
	if (out->actions & (FSM_ACT_NOTIFY | FSM_ACT_SYNC_WANT)) /* the group's only concerns */
		group_event(in, now, out);
}

/* A member's own fault changed: the others are held in Fault while any
 * member is. */
static void group_fault(struct instance *in)
{
	struct sync_rt *g = in->sync;
	struct group_member *m;
	enum group_order *o;
	vtime_t now = loop_now();
	char why[160];

	if (!g)
		return;
	m = calloc(g->n ? g->n : 1, sizeof(*m));
	o = calloc(g->n ? g->n : 1, sizeof(*o));
	if (m && o) {
		sync_snapshot(g, m);
		size_t cause = group_after_fault(m, g->n, o);
		snprintf(why, sizeof(why), "vrrp_sync_group %.60s: %.60s %s", g->c->name,
		         cause < g->n ? g->m[cause]->name : "every member",
		         cause < g->n ? "is in Fault" : "is out of Fault");
		for (size_t k = 0; k < g->n; k++) {
			struct instance *mi = g->m[k];
			struct fsm_out mo;
			if (o[k] == GROUP_NOTHING)
				continue;
			log_trace(LOG_SYNC, "%s: vrrp_sync_group %s orders %s", mi->name,
			          g->c->name, group_order_name(o[k]));
			mi->sync_fault = o[k] == GROUP_HOLD;
			fsm_fault(&mi->fsm, now, mi->sync_fault, why, &mo);
			instance_step(mi, now, &mo);
		}
	}
	free(m);
	free(o);
	sync_changed(g);
}

/* The adverts that came by vs before now, read (unless a read begun since
 * did: hundreds of master-down timers of one pass read a socket once). */
static void read_before(struct instance *in, struct vsock *vs, vtime_t now)
{
	if (vs && vs->drained_at < now)
		vsock_read(in->d, vs);
}

/* Stall safety: a master-down deadline that expired while the process was
 * not running is checked against the adverts already queued first. The
 * machine then runs at the pass's time, not the clock's: the masters a pass
 * makes keep one phase, and their adverts leave in one pass from then on. */
static void on_fsm_timer(struct timer *t, vtime_t now, void *arg)
{
	struct instance *in = arg;
	vtime_t due = fsm_next_deadline(&in->fsm);
	struct fsm_out out;

	if (now - due > LATE_LOG_US)
		log_warnx("%s: timer fired %lld.%03lld s late", in->name,
		          (long long)((now - due) / 1000000),
		          (long long)((now - due) % 1000000 / 1000));
	if (in->fsm.master_down_at <= now) {
		read_before(in, in->sock, now);
		for (size_t i = 0; i < in->n_paths; i++)
			read_before(in, in->paths[i].sock, now);
	}
	fsm_timer(&in->fsm, now, &out);
	instance_step(in, now, &out);
	if (!timer_armed(&in->t_fsm))
		rearm(in);
}

/* ---- interface ---- */

static void set_if_fault(struct instance *in, bool fault, const char *why)
{
	struct fsm_out out;
	vtime_t now = loop_now();

	snprintf(in->if_why, sizeof(in->if_why), "%s", why);
	if (fault == in->if_fault)
		return;
	in->if_fault = fault;
	fsm_fault(&in->fsm, now, fault, why, &out);
	instance_step(in, now, &out);
	group_fault(in);
}

static bool vmac_taken(void *arg, const char *name)
{
	struct vipd *d = arg;

	for (struct instance *in = d->instances; in; in = in->next)
		if (in->vmac.name[0] && !strcmp(in->vmac.name, name))
			return true;
	return false;
}

static void inst_vmac_drop(struct instance *in)
{
	if (in->vmac.ifindex <= 0)
		return;
	vipd_nl_flush(in->d);
	vmac_drop(in->d->nl, &in->vmac, in->name);
}

static int inst_vmac_setup(struct instance *in, const struct iface *ifc, char *why, size_t len)
{
	if (!in->c->use_vmac)
		return 0;
	vipd_nl_flush(in->d);
	return vmac_setup(in->d->nl, &in->vmac, in->name, ifc->ifindex, ifc->name, why, len);
}

static void release_sock(struct instance *in)
{
	vsock_put(in, &in->sock);
	vsock_put(in, &in->tx_sock);
}

/* The sockets: on the interface; with use_vmac, multicast adverts are sent
 * and received on the vmac (a peer's adverts carry the same virtual MAC,
 * and the macvlan hands such frames to the vmac only), unicast ones are
 * received on the interface and sent from the vmac; vmac_xmit_base keeps
 * both on the interface. */
static void open_socks(struct instance *in, const struct iface *ifc)
{
	const struct conf_instance *c = in->c;
	bool uni = c->unicast_peers.n > 0;
	bool vmac = in->vmac.ifindex > 0 && !c->vmac_xmit_base;
	int rxif = vmac && !uni ? in->vmac.ifindex : ifc->ifindex;
	int ttl = c->unicast_ttl >= 0 ? c->unicast_ttl : 255;

	if ((in->sock && in->sock->ifindex != rxif) ||
	    (in->tx_sock && in->tx_sock->ifindex != in->vmac.ifindex))
		release_sock(in);
	if (!in->sock) {
		in->sock = vsock_get(in->d, c->family, vsock_proto(c), rxif, uni,
		                     uni ? NULL : advert_group(in), ttl, false);
		if (in->sock && !in->sock->by_vrid[c->vrid & 0xff])
			in->sock->by_vrid[c->vrid & 0xff] = in;
		/* membership shown by the base (the vmac's own reports are dropped,
		 * nft.c): switches then forward the group to this port without
		 * learning the virtual MAC from a backup */
		if (in->sock && rxif != ifc->ifindex &&
		    vrrp_sock_join(in->sock->fd, c->family, ifc->ifindex, advert_group(in)) < 0)
			log_warn("%s: joining the VRRP group on %s", in->name, ifc->name);
	}
	if (vmac && uni && !in->tx_sock)
		in->tx_sock = vsock_get(in->d, c->family, vsock_proto(c), in->vmac.ifindex, uni,
		                        advert_group(in), ttl, true);
}

/* Re-reads the interface: index, up/down, primary address, socket. */
void instance_iface_changed(struct instance *in)
{
	struct vipd *d = in->d;
	const struct conf_instance *c = in->c;
	struct iface *ifc = iface_by_name(d, c->ifname);
	char why[96];

	if (!ifc) {
		release_sock(in);
		inst_vmac_drop(in);
		paths_update(in, advert_group(in));
		in->ifindex = 0;
		snprintf(why, sizeof(why), "interface %s is missing", c->ifname);
		set_if_fault(in, true, why);
		return;
	}
	if (in->ifindex != ifc->ifindex) {
		release_sock(in);
		inst_vmac_drop(in);
	}
	in->ifindex = ifc->ifindex;
	char vwhy[96] = "";
	int made = inst_vmac_setup(in, ifc, vwhy, sizeof(vwhy));
	if (made < 0)
		release_sock(in);
	if (addr_is_set(&c->mcast_src_ip))
		in->primary = c->mcast_src_ip;
	else if (addr_is_set(&c->unicast_src_ip))
		in->primary = c->unicast_src_ip;
	else
		in->primary = c->family == AF_INET6 ? ifc->ll6 : ifc->v4;
	instance_fsm_config(in); /* the tie-break address */
	open_socks(in, ifc);
	paths_update(in, advert_group(in));
	if (made > 0 && in->fsm.state == VRRP_STATE_MASTER) { /* VIPs went with the old one */
		log_info("%s: vmac %s made again; VIPs back on it", in->name, in->vmac.name);
		vips_change(in, true);
		vipd_nl_flush(in->d);
		vips_announce(in, 1);
	}
	if (!(c->if_delays_off ? ifc->up_now : ifc->up) && !c->dont_track_primary)
		snprintf(why, sizeof(why), "interface %s is down", c->ifname);
	else if (!addr_is_set(&in->primary))
		snprintf(why, sizeof(why), "interface %s has no %s address", c->ifname,
		         c->family == AF_INET6 ? "link-local IPv6" : "IPv4");
	else if (c->track_src_ip && !iface_has_addr(ifc, &in->primary)) {
		char a[ADDR_STRLEN];
		snprintf(why, sizeof(why), "source address %s is not on %s (track_src_ip)",
		         addr_ntop(&in->primary, a), c->ifname);
	} else if (vwhy[0])
		snprintf(why, sizeof(why), "%s", vwhy);
	else if (!in->sock ||
	         (in->vmac.ifindex > 0 && !c->vmac_xmit_base && !in->tx_sock && c->unicast_peers.n))
		snprintf(why, sizeof(why), "cannot open a VRRP socket on %s", c->ifname);
	else
		why[0] = '\0';
	if (why[0])
		set_if_fault(in, true, why);
	else {
		snprintf(why, sizeof(why), "interface %s is up", c->ifname);
		set_if_fault(in, false, why);
	}
}

/* ---- life cycle ---- */

static void load_vips(struct instance *in)
{
	free(in->vips);
	advert_changed(in); /* addresses, and every other setting of the advert */
	in->n_vips = in->c->vips.n;
	in->vips = calloc(in->n_vips ? in->n_vips : 1, sizeof(*in->vips));
	for (size_t i = 0; in->vips && i < in->n_vips; i++)
		in->vips[i] = in->c->vips.items[i].addr;
	if (!in->vips)
		in->n_vips = 0;
}

/* The machine's settings from the config in force, the primary address
 * and the sync group. */
static void fsm_config_of(const struct instance *in, struct fsm_config *fc)
{
	const struct conf_instance *c = in->c;
	const struct conf_global *g = &in->d->conf->global;

	*fc = (struct fsm_config){
	    .version = (uint8_t)c->version,
	    .priority = (uint8_t)c->priority,
	    .adver_int_us = c->advert_int_us,
	    .preempt = !c->nopreempt,
	    .timer_expired_backup = (uint8_t)c->timer_expired_backup,
	    .preempt_delay_us = c->preempt_delay_us,
	    .preempt_lower_master = c->preempt_lower_master,
	    .init_master = c->state == CONF_STATE_MASTER && g->fast_master_start,
	    .down_timer_adverts = c->down_timer_adverts,
	    .lower_prio_no_advert = c->lower_prio_no_advert == CONF_UNSET
	                                ? g->lower_prio_no_advert
	                                : c->lower_prio_no_advert == CONF_YES,
	    .higher_prio_send_advert = c->higher_prio_send_advert == CONF_UNSET
	                                   ? g->higher_prio_send_advert
	                                   : c->higher_prio_send_advert == CONF_YES,
	    .primary = in->primary,
	    .sync = in->sync != NULL,
	};
}

void instance_fsm_config(struct instance *in)
{
	struct fsm_config fc;

	fsm_config_of(in, &fc);
	fsm_reconfigure(&in->fsm, &fc);
}

struct instance *instance_new(struct vipd *d, const struct conf_instance *c)
{
	struct instance *in = calloc(1, sizeof(*in));
	struct fsm_config fc;

	if (!in)
		return NULL;
	in->d = d;
	in->c = c;
	snprintf(in->name, sizeof(in->name), "%s", c->name);
	load_vips(in);
	paths_init(in);
	if (c->use_vmac)
		vmac_pick_name(&in->vmac, c->vmac_name, d->conf->global.vmac_prefix, c->family,
		               c->vrid, vmac_taken, d);
	fsm_config_of(in, &fc);
	fsm_init(&in->fsm, &fc);
	timer_init(&in->t_fsm, on_fsm_timer, in);
	vips_init(in);
	split_brain_init(in);
	notify_init(in);
	return in;
}

void instance_set_tracking(struct instance *in, uint8_t prio, const char *fault_why)
{
	struct fsm_out out;
	vtime_t now = loop_now();
	bool fault = fault_why != NULL;

	if (prio != in->fsm.priority) {
		if (in->fsm.state != VRRP_STATE_INIT) {
			log_info("%s: priority %u -> %u (configured priority and tracking)",
			         in->name, in->fsm.priority, prio);
			events_priority(in, in->fsm.priority, prio);
		}
		fsm_set_priority(&in->fsm, now, prio, &out);
		instance_step(in, now, &out);
		notify_priority(in);
		advert_prepare(in);
	}
	if (fault != in->track_fault) {
		in->track_fault = fault;
		fsm_fault(&in->fsm, now, fault, fault ? fault_why : "tracked objects recovered",
		          &out);
		instance_step(in, now, &out);
		group_fault(in);
	}
}

vtime_t instance_start_base(const struct instance *in, vtime_t *base)
{
	vtime_t now = loop_now();

	if (!*base || now - *base > (vtime_t)in->c->advert_int_us)
		*base = now;
	return *base;
}

void instance_start(struct instance *in, vtime_t at)
{
	struct fsm_out out;
	vtime_t now = loop_now();

	track_update(in);
	if (in->c->promote_secondaries && in->c->family == AF_INET) {
		/* keepalived: deleting a VIP keeps the addresses of its subnet */
		snprintf(in->promoted, sizeof(in->promoted), "%s", in->c->ifname);
		sysctl_take(in->promoted, "promote_secondaries", "1");
	}
	instance_iface_changed(in);
	instance_fsm_config(in);
	if (in->c->unicast_fault_no_peer && !in->c->unicast_peers.n) {
		/* keepalived 2.2.4+: no fallback to multicast */
		fsm_fault(&in->fsm, now, true, "unicast_fault_no_peer and no unicast_peer", &out);
		instance_step(in, now, &out);
	}
	fsm_startup(&in->fsm, at, &out);
	instance_step(in, at, &out);
}

void instance_stop(struct instance *in)
{
	struct fsm_out out;
	vtime_t now = loop_now();

	fsm_shutdown(&in->fsm, now, &out);
	instance_step(in, now, &out);
	loop_timer_cancel(in->d->loop, &in->t_fsm);
	loop_timer_cancel(in->d->loop, &in->t_garp);
	loop_timer_cancel(in->d->loop, &in->t_lower);
	loop_timer_cancel(in->d->loop, &in->t_extra);
}

void instance_free(struct instance *in)
{
	if (!in)
		return;
	work_cancel(in);
	vrrp_sock_flush(); /* queued adverts point at it */
	loop_timer_cancel(in->d->loop, &in->t_fsm);
	loop_timer_cancel(in->d->loop, &in->t_garp);
	loop_timer_cancel(in->d->loop, &in->t_lower);
	loop_timer_cancel(in->d->loop, &in->t_extra);
	loop_timer_cancel(in->d->loop, &in->t_sb);
	notify_drop(in);
	garpq_forget(in->d, in);
	release_sock(in);
	paths_free(in);
	if (in->vmac.ifindex > 0) {
		vipd_nl_flush(in->d);
		vmac_remove(in->d->nl, &in->vmac, in->name);
	}
	if (in->promoted[0]) { /* after its VIPs are gone */
		vipd_nl_flush(in->d);
		sysctl_release(in->promoted, "promote_secondaries");
	}
	free(in->vips);
	advert_free(in);
	free(in);
}

/* Reload: same router, new settings. The priority (base and tracked
 * objects) follows with track_update, which reload.c runs in slices. */
void instance_take_conf(struct instance *in, const struct conf_instance *c)
{
	in->c = c;
	load_vips(in);
	paths_set_conf(in);
	instance_fsm_config(in); /* every live setting of the machine */
	advert_prepare(in);
}
