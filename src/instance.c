/*
 * instance.c: one virtual router at run time. Feeds the state machine
 * (fsm.c) with received adverts and timer ticks, and carries out what it
 * returns, in order: send the advert, add or remove the VIPs (netlink),
 * announce them (GARP/NA, keepalived's garp_master_* pacing), notify.
 *
 * RFC 3768 7.1 / RFC 9568 7.1 (receive checks, via packet.c), 7.2
 * (transmitting), 7.3 (virtual router addresses).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "daemon.h"
#include "garp.h"
#include "log.h"
#include "netlink.h"
#include "owned.h"
#include "path.h"
#include "sock.h"
#include "vmac.h"

#define WORK_SLICE_US    1000  /* transition work between looks at the timers */
#define WORK_HORIZON_US  2000  /* no work when a timer is due sooner */
#define WORK_MAX_WAIT_US 50000 /* work that waited this long goes ahead */
#define DROP_LOG_EVERY   (10 * VTIME_SEC)
#define LATE_LOG_US      10000
#define RX_BURST         256

static void on_fsm_timer(struct timer *t, vtime_t now, void *arg);
static void on_garp_timer(struct timer *t, vtime_t now, void *arg);

/* ---- settings resolved against global_defs ---- */

static int64_t g_i64(int64_t v, int64_t global)
{
	return v >= 0 ? v : global;
}

static const struct addr *mcast_group(const struct instance *in)
{
	const struct conf_global *g = &in->d->conf->global;

	if (addr_is_set(&in->c->mcast_dst_ip))
		return &in->c->mcast_dst_ip;
	return in->c->family == AF_INET6 ? &g->vrrp_mcast_group6 : &g->vrrp_mcast_group4;
}

/* ---- receive ---- */

static bool log_due(vtime_t *last, vtime_t now)
{
	if (*last && now - *last < DROP_LOG_EVERY)
		return false;
	*last = now;
	return true;
}

static void fill_expect(const struct instance *in, struct vrrp_expect *w)
{
	memset(w, 0, sizeof(*w));
	w->version = (uint8_t)in->c->version;
	w->vrid = (uint8_t)in->c->vrid;
	w->auth_type = in->c->auth_type == CONF_AUTH_PASS ? VRRP_AUTH_PASS : VRRP_AUTH_NONE;
	memcpy(w->auth_data, in->c->auth_pass, strnlen(in->c->auth_pass, VRRP_AUTH_LEN));
	w->adver_int = (uint8_t)(in->c->advert_int_us / 1000000);
	if (!in->c->skip_check_adv_addr && !in->d->conf->global.skip_check_adv_addr) {
		w->vips = in->vips;
		w->n_vips = in->n_vips < VRRP_MAX_ADDRS ? in->n_vips : VRRP_MAX_ADDRS;
	}
	w->own = &in->primary;
	w->n_own = addr_is_set(&in->primary) ? 1 : 0;
}

static void apply(struct instance *in, vtime_t now, const struct fsm_out *out);
static void split_brain_heard(struct instance *in, const struct addr *src, uint8_t prio,
                              vtime_t now);

static bool from_peer(const struct instance *in, const struct addr *src)
{
	if (!in->c->unicast_peers.n)
		return true;
	for (size_t i = 0; i < in->c->unicast_peers.n; i++)
		if (addr_eq(&in->c->unicast_peers.items[i].addr, src))
			return true;
	return false;
}

/* When the advert arrived, on the loop's clock: the kernel's receive time,
 * so adverts read late (a burst of hundreds, a stalled process) still
 * start their timers when they came (RFC 9568 6.4.2: on reception). */
static vtime_t arrival(const struct vrrp_rx_meta *meta)
{
	vtime_t now = loop_now();
	struct timespec ts;

	if (!meta->rx_ns || clock_gettime(CLOCK_REALTIME, &ts) < 0)
		return now;
	int64_t ago = ((int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec - meta->rx_ns) / 1000;
	if (ago < 0 || ago > 1000000) /* the wall clock was stepped: ignore it */
		return now;
	return now - ago;
}

static void instance_rx(struct instance *in, const struct vrrp_pkt *p,
                        const struct vrrp_rx_meta *meta, struct inst_path *path)
{
	struct vrrp_expect w;
	char src[ADDR_STRLEN];
	vtime_t now = arrival(meta);
	enum vrrp_rx_reason r;

	fill_expect(in, &w);
	if (path)
		w.own = &path->src;
	r = vrrp_pkt_check(p, meta, &w);
	if (r != VRRP_RX_OK) {
		in->st.drops[r]++;
		if (log_due(&in->last_log[r], now))
			log_warnx("%s: advert from %s %s: %s", in->name, addr_ntop(&meta->src, src),
			          r == VRRP_RX_ADDR_MISMATCH ? "accepted" : "dropped",
			          vrrp_rx_reason_text(r));
		if (r != VRRP_RX_ADDR_MISMATCH)
			return;
	}
	in->st.adverts_received++;
	struct fsm_advert a = {.priority = p->priority, .src = meta->src};
	if (path) {
		path->rx++;
		a.local = path->src;
		a.no_tie =
		    in->main_rx_at && now - in->main_rx_at < (vtime_t)fsm_master_down_us(&in->fsm);
	} else {
		in->main_rx_at = now;
	}
	a.adver_int_us =
	    p->version == 3 ? (uint64_t)p->max_adver_int * 10000 : (uint64_t)p->adver_int * 1000000;
	struct fsm_out out;
	fsm_advert(&in->fsm, now, &a, &out);
	apply(in, now, &out);
	if (in->fsm.state == VRRP_STATE_MASTER && p->priority > 0)
		split_brain_heard(in, &meta->src, p->priority, now);
}

/* Whether in takes an advert from src on vs: on its own socket from a
 * listed peer (if any), or by one of its advert paths (*path set). */
static bool hears(struct instance *in, const struct vsock *vs, const struct addr *src,
                  struct inst_path **path)
{
	*path = NULL;
	if (in->sock == vs && from_peer(in, src))
		return true;
	return in->n_paths && (*path = path_heard(in, vs, src));
}

static bool listens(const struct instance *in, const struct vsock *vs)
{
	for (size_t i = 0; i < in->n_paths; i++)
		if (in->paths[i].sock == vs)
			return true;
	return in->sock == vs;
}

/* The instance for a VRID on a socket; *stranger set to one whose unicast
 * peers do not include src. */
static struct instance *find_by_vrid(struct vipd *d, const struct vsock *vs, int vrid,
                                     const struct addr *src, struct instance **stranger,
                                     struct inst_path **path)
{
	struct instance *hint = vs->by_vrid[vrid & 0xff];

	*stranger = NULL;
	if (hint && hint->c->vrid == vrid && hears(hint, vs, src, path))
		return hint;
	for (struct instance *in = d->instances; in; in = in->next)
		if (in->c->vrid == vrid && listens(in, vs)) {
			if (hears(in, vs, src, path))
				return in;
			*stranger = in;
		}
	return NULL;
}

void vsock_read(struct vipd *d, struct vsock *vs)
{
	static uint8_t buf[65536];
	static struct vrrp_pkt p;
	char src[ADDR_STRLEN];

	for (int i = 0; i < RX_BURST; i++) {
		struct vrrp_rx_meta meta;
		int ifindex;
		ssize_t n = vrrp_sock_recv(vs->fd, buf, sizeof(buf), &meta, &ifindex);
		if (n < 0) {
			if (errno != EAGAIN && errno != EINTR)
				log_warn("receiving on interface %d", vs->ifindex);
			return;
		}
		if (n == 0)
			continue;
		vtime_t now = loop_now();
		struct instance *in = NULL, *stranger = NULL;
		struct inst_path *path = NULL;
		meta.unicast = vs->unicast;
		enum vrrp_rx_reason r = vrrp_pkt_parse(buf, (size_t)n, vs->family, &meta, &p);
		if (r == VRRP_RX_OK &&
		    !(in = find_by_vrid(d, vs, p.vrid, &meta.src, &stranger, &path)))
			r = stranger ? VRRP_RX_NOT_PEER : VRRP_RX_VRID;
		if (stranger && !in) {
			stranger->st.drops[r]++;
			if (log_due(&stranger->last_log[r], now))
				log_warnx("%s: advert from %s dropped: %s", stranger->name,
				          addr_ntop(&meta.src, src), vrrp_rx_reason_text(r));
			continue;
		}
		if (r != VRRP_RX_OK) {
			vs->drops[r]++;
			if (r != VRRP_RX_VRID && log_due(&vs->last_log[r], now))
				log_warnx("advert from %s dropped: %s", addr_ntop(&meta.src, src),
				          vrrp_rx_reason_text(r));
			continue;
		}
		instance_rx(in, &p, &meta, path);
	}
}

/* ---- split brain (vipd extension: detection, notify_split_brain) ----
 * A master that hears another master for its VRID, at any priority, while
 * staying master: both may hold the VIPs. Cleared when that master has been
 * silent for 4 advert intervals or this host leaves Master. */

#define SB_LOG_EVERY (10 * VTIME_SEC)
#define SB_BURST     3                /* episodes reported back to back */
#define SB_REFILL_US (20 * VTIME_SEC) /* then one more every 20 s */

static vtime_t sb_quiet(const struct instance *in)
{
	return 4 * (vtime_t)in->c->advert_int_us;
}

/* May a new episode be logged and notified? A LAN host that sends adverts
 * from ever new sources (or stops and starts) gets SB_BURST reports, then
 * one per SB_REFILL_US; the rest are counted. */
static bool sb_may_report(struct instance *in, vtime_t now)
{
	if (!in->sb_refill_at) {
		in->sb_tokens = SB_BURST;
		in->sb_refill_at = now;
	}
	while (in->sb_tokens < SB_BURST && now - in->sb_refill_at >= SB_REFILL_US) {
		in->sb_tokens++;
		in->sb_refill_at += SB_REFILL_US;
	}
	if (in->sb_tokens == SB_BURST)
		in->sb_refill_at = now;
	if (in->sb_tokens == 0)
		return false;
	in->sb_tokens--;
	return true;
}

static void split_brain_start(struct instance *in, const struct addr *src, uint8_t prio,
                              vtime_t now)
{
	char a[ADDR_STRLEN];

	in->sb_active = true;
	in->sb_peer = *src;
	in->sb_since = now;
	in->sb_logged = now;
	in->sb_others = 0;
	in->st.split_brains++;
	in->sb_reported = sb_may_report(in, now);
	if (in->sb_reported) {
		log_warnx("%s: split brain: %s also advertises as master of VRID %d (priority %u, "
		          "ours %u); both may hold the VIPs",
		          in->name, addr_ntop(src, a), in->c->vrid, prio, in->fsm.priority);
		notify_split_brain(in, true);
		return;
	}
	in->sb_held++;
	if (now - in->sb_held_logged >= SB_LOG_EVERY) {
		in->sb_held_logged = now;
		log_warnx("%s: split brain again (%s, priority %u); %llu episode(s) not reported "
		          "one by one (more than %d in %d s)",
		          in->name, addr_ntop(src, a), prio, (unsigned long long)in->sb_held,
		          SB_BURST, (int)(SB_REFILL_US / VTIME_SEC));
	}
}

static void split_brain_heard(struct instance *in, const struct addr *src, uint8_t prio,
                              vtime_t now)
{
	char a[ADDR_STRLEN];

	in->sb_adverts++;
	in->sb_last = now;
	if (!in->sb_active) {
		in->sb_prio = prio;
		split_brain_start(in, src, prio, now);
	} else if (!addr_eq(&in->sb_peer, src)) {
		in->sb_others++; /* one episode, whatever the number of sources */
	} else {
		in->sb_prio = prio;
	}
	if (in->sb_active && in->sb_reported && now - in->sb_logged >= SB_LOG_EVERY) {
		in->sb_logged = now;
		log_warnx("%s: split brain goes on: %s still advertises as master (%.0f s)%s",
		          in->name, addr_ntop(&in->sb_peer, a), (double)(now - in->sb_since) / 1e6,
		          in->sb_others ? "; other sources too" : "");
	}
	loop_timer_set(in->d->loop, &in->t_sb, now + sb_quiet(in));
}

static void split_brain_over(struct instance *in, const char *why)
{
	char a[ADDR_STRLEN];

	in->sb_active = false;
	loop_timer_cancel(in->d->loop, &in->t_sb);
	if (!in->sb_reported)
		return;
	log_info("%s: split brain over after %.1f s: %s (other master %s)", in->name,
	         (double)(loop_now() - in->sb_since) / 1e6, why, addr_ntop(&in->sb_peer, a));
	notify_split_brain(in, false);
}

static void on_sb_timer(struct timer *t, vtime_t now, void *arg)
{
	struct instance *in = arg;

	if (in->sb_active && now - in->sb_last >= sb_quiet(in))
		split_brain_over(in, "the other master has gone quiet");
}

/* ---- actions ---- */

static void advert_failed(void *arg, int err)
{
	struct instance *in = arg;

	in->st.adverts_sent--;
	if (log_due(&in->last_log[0], loop_now()))
		log_warnx("%s: sending advert: %s", in->name, strerror(err));
}

/* Queued: adverts due in one loop pass leave together (instances_flush),
 * before any other work of that pass. */
static void send_advert(struct instance *in, uint8_t prio)
{
	static struct vrrp_pkt p;
	uint8_t buf[VRRP_MAX_PKT];
	const struct conf_instance *c = in->c;
	size_t n;

	struct vsock *tx = in->tx_sock ? in->tx_sock : in->sock;

	if ((!tx || !addr_is_set(&in->primary)) && !in->n_paths)
		return;
	memset(&p, 0, offsetof(struct vrrp_pkt, addrs));
	p.version = (uint8_t)c->version;
	p.vrid = (uint8_t)c->vrid;
	p.priority = prio;
	p.family = c->family;
	p.count_addrs = (uint8_t)(in->n_vips < VRRP_MAX_ADDRS ? in->n_vips : VRRP_MAX_ADDRS);
	for (unsigned i = 0; i < p.count_addrs; i++)
		p.addrs[i] = in->vips[i];
	if (c->version == 2) {
		p.auth_type = c->auth_type == CONF_AUTH_PASS ? VRRP_AUTH_PASS : VRRP_AUTH_NONE;
		memcpy(p.auth_data, c->auth_pass, strnlen(c->auth_pass, VRRP_AUTH_LEN));
		p.adver_int = (uint8_t)(c->advert_int_us / 1000000);
	} else {
		p.max_adver_int = (uint16_t)(c->advert_int_us / 10000);
	}
	enum vrrp_csum_mode mode = c->v3_checksum_as_v2 ? VRRP_CSUM_MSG_ONLY : VRRP_CSUM_PSEUDO;
	size_t peers = c->unicast_peers.n;
	bool main_ok = tx && addr_is_set(&in->primary);
	for (size_t i = 0; main_ok && i < (peers ? peers : 1); i++) {
		const struct addr *dst = peers ? &c->unicast_peers.items[i].addr : mcast_group(in);
		n = vrrp_pkt_build(&p, &in->primary, dst, mode, buf, sizeof(buf));
		if (n == 0)
			continue;
		vrrp_sock_queue(tx->fd, tx->ifindex, &in->primary, dst, buf, n, advert_failed, in);
		in->st.adverts_sent++;
	}
	paths_send(in, &p, mcast_group(in), mode, advert_failed);
}

/* Where VIPs without a dev go: the vmac, or the interface. */
static int vip_ifindex(const struct instance *in)
{
	return in->vmac_ifindex > 0 ? in->vmac_ifindex : in->ifindex;
}

/* Adds a VIP, or removes it if vipd added it: an address that was there
 * before (EEXIST: the host's own, an address owner's) is left alone. */
static int vip_change(struct instance *in, int ifindex, const struct conf_vip *v, bool add)
{
	struct nl_addr key;
	char a[ADDR_STRLEN];

	if (nl_addr_key(ifindex, v, &key) < 0)
		return -ENODEV;
	if (add) {
		owned_request_add(&key);
		return nl_addr_add(in->d->nl, ifindex, v);
	}
	if (owned_has(key.ifindex, &key.addr, key.prefixlen))
		return nl_addr_del(in->d->nl, ifindex, v);
	log_debug("%s: leaving %s/%d: vipd did not add it", in->name, addr_ntop(&v->addr, a),
	          key.prefixlen);
	return 0;
}

static void vips_change(struct instance *in, bool add)
{
	const struct conf_instance *c = in->c;
	struct nl *nl = in->d->nl;
	int ifindex = vip_ifindex(in);
	int rc;

	vipd_nl_batch(in->d);
	for (size_t i = 0; i < c->vips.n + c->vips_excluded.n; i++) {
		const struct conf_vip *v =
		    i < c->vips.n ? &c->vips.items[i] : &c->vips_excluded.items[i - c->vips.n];
		rc = vip_change(in, ifindex, v, add);
		if (rc < 0) {
			char a[ADDR_STRLEN];
			in->st.vip_errors++;
			log_warnx("%s: %s %s: %s", in->name, add ? "adding" : "removing",
			          addr_ntop(&v->addr, a), strerror(-rc));
		}
	}
	for (size_t i = 0; i < c->routes.n; i++)
		if ((rc = add ? nl_route_add(nl, in->ifindex, &c->routes.items[i])
		              : nl_route_del(nl, in->ifindex, &c->routes.items[i])) < 0)
			log_warnx("%s: virtual route %zu: %s", in->name, i + 1, strerror(-rc));
	for (size_t i = 0; i < c->rules.n; i++)
		if ((rc = add ? nl_rule_add(nl, &c->rules.items[i])
		              : nl_rule_del(nl, &c->rules.items[i])) < 0)
			log_warnx("%s: virtual rule %zu: %s", in->name, i + 1, strerror(-rc));
}

static size_t n_announced(const struct instance *in)
{
	return in->c->vips.n + in->c->vips_excluded.n;
}

static const struct conf_vip *announced(const struct instance *in, size_t i)
{
	const struct conf_instance *c = in->c;

	return i < c->vips.n ? &c->vips.items[i] : &c->vips_excluded.items[i - c->vips.n];
}

/* Sends announcement k of a round: VIP k % n, on the VIP's interface.
 * Returns the pause keepalived's garp_interval / gna_interval asks for. */
static int64_t announce_one(struct instance *in, size_t k)
{
	const struct conf_global *g = &in->d->conf->global;
	const struct conf_vip *v = announced(in, k % n_announced(in));
	struct iface *ifc =
	    v->dev[0] ? iface_by_name(in->d, v->dev) : iface_by_index(in->d, in->ifindex);

	if (!v->dev[0] && in->vmac_ifindex > 0) /* from the virtual MAC */
		garp_send(in->d->garp, in->vmac_ifindex, in->vmac_mac, &v->addr);
	else if (ifc)
		garp_send(in->d->garp, ifc->ifindex, ifc->mac, &v->addr);
	return v->addr.family == AF_INET ? g->garp_interval_us : g->gna_interval_us;
}

static void on_pace_timer(struct timer *t, vtime_t now, void *arg)
{
	struct instance *in = arg;

	if (in->fsm.state != VRRP_STATE_MASTER || in->pace_next >= in->pace_total)
		return;
	int64_t pause = announce_one(in, in->pace_next++);
	if (in->pace_next < in->pace_total)
		loop_timer_set(in->d->loop, &in->t_pace, now + (pause > 0 ? pause : 0));
}

/* One round of GARP / unsolicited NA for every VIP, `repeat` times each:
 * back to back, or paced by garp_interval / gna_interval. */
static void announce(struct instance *in, int repeat)
{
	const struct conf_global *g = &in->d->conf->global;
	size_t total = (size_t)(repeat > 0 ? repeat : 0) * n_announced(in);

	if (!total)
		return;
	if (g->garp_interval_us <= 0 && g->gna_interval_us <= 0) {
		for (size_t k = 0; k < total; k++)
			announce_one(in, k);
		return;
	}
	in->pace_next = 0;
	in->pace_total = total;
	on_pace_timer(&in->t_pace, loop_now(), in);
}

static void garp_arm(struct instance *in, vtime_t now)
{
	const struct conf_global *g = &in->d->conf->global;
	int64_t delay = g_i64(in->c->garp_master_delay_us, g->garp_master_delay_us);
	int64_t refresh = g_i64(in->c->garp_master_refresh_us, g->garp_master_refresh_us);

	if (in->garp_phase == 1 && delay > 0)
		loop_timer_set(in->d->loop, &in->t_garp, now + delay);
	else if (refresh > 0 && (in->garp_phase = 2))
		loop_timer_set(in->d->loop, &in->t_garp, now + refresh);
	else
		in->garp_phase = 0;
}

static void on_garp_timer(struct timer *t, vtime_t now, void *arg)
{
	struct instance *in = arg;
	const struct conf_global *g = &in->d->conf->global;

	if (in->fsm.state != VRRP_STATE_MASTER)
		return;
	if (in->garp_phase == 1) {
		announce(in, (int)g_i64(in->c->garp_master_repeat, g->garp_master_repeat));
		in->garp_phase = 2;
	} else {
		announce(in, (int)g_i64(in->c->garp_master_refresh_repeat,
		                        g->garp_master_refresh_repeat));
	}
	garp_arm(in, now);
}

static void rearm(struct instance *in)
{
	vtime_t next = fsm_next_deadline(&in->fsm);

	if (next == VTIME_NEVER)
		loop_timer_cancel(in->d->loop, &in->t_fsm);
	else
		loop_timer_set(in->d->loop, &in->t_fsm, next);
}

/* The work of a transition after its advert: VIPs, log line, notify. */
static void transition_work(struct instance *in, const struct fsm_out *out)
{
	if (out->actions & FSM_ACT_ADD_VIPS)
		vips_change(in, true);
	if (out->actions & FSM_ACT_DEL_VIPS) {
		vips_change(in, false);
		loop_timer_cancel(in->d->loop, &in->t_garp);
		loop_timer_cancel(in->d->loop, &in->t_pace);
		in->garp_phase = 0;
	}
	if (out->actions & FSM_ACT_NOTIFY && out->to != VRRP_STATE_MASTER && in->sb_active)
		split_brain_over(in, "this host is no longer master");
	if (out->actions & FSM_ACT_NOTIFY) {
		in->st.transitions++;
		in->last_transition_at = in->pend_at;
		in->last_from = out->from;
		log_info("%s: %s -> %s: %s", in->name, vrrp_state_name(out->from),
		         vrrp_state_name(out->to), out->why);
		notify_transition(in, out->to);
	}
}

/* Announcements go out once the addresses are in the kernel. */
static void announce_work(struct instance *in, const struct fsm_out *out)
{
	const struct conf_global *g = &in->d->conf->global;

	if (out->actions & FSM_ACT_ANNOUNCE && in->fsm.state == VRRP_STATE_MASTER) {
		announce(in, (int)g_i64(in->c->garp_master_repeat, g->garp_master_repeat));
		in->garp_phase = 1;
		garp_arm(in, loop_now());
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

/* Whether a timer (an advert, a master-down) comes due too soon for a
 * slice of work; work that has waited WORK_MAX_WAIT_US goes ahead anyway. */
static bool timers_first(struct vipd *d, vtime_t now)
{
	vtime_t next = loop_next_timer(d->loop);

	if (next == VTIME_NEVER || next - now >= WORK_HORIZON_US)
		return false;
	if (now - d->work->pend_at >= WORK_MAX_WAIT_US)
		return false;
	loop_timer_set(d->loop, &d->t_work, next + 1);
	return true;
}

/* One slice of transition work, at most WORK_SLICE_US and only while no
 * timer is about to come due: during a burst of takeovers every advert
 * leaves on time and the addresses follow right after the burst. */
static void run_work(struct vipd *d, bool now)
{
	vtime_t start = loop_now();
	struct instance *slice = NULL, **tail = &slice;

	if (!now && timers_first(d, start))
		return;
	while (d->work && loop_now() - start < WORK_SLICE_US) {
		struct instance *in = d->work;
		if (!(d->work = in->pend_next))
			d->work_tail = &d->work;
		in->pend_next = NULL;
		transition_work(in, &in->pend);
		*tail = in;
		tail = &in->pend_next;
	}
	vipd_nl_flush(d);
	while (slice) {
		struct instance *in = slice;
		slice = in->pend_next;
		in->pend_next = NULL;
		in->pending = false;
		announce_work(in, &in->pend);
	}
	if (d->work)
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
	if (d->work)
		run_work(d, false);
}

/* Shutdown and reload: all of it, now. */
void instances_flush_all(struct vipd *d)
{
	instances_flush(d);
	while (d->work)
		run_work(d, true); /* timers or not */
	loop_timer_cancel(d->loop, &d->t_work);
}

static void apply(struct instance *in, vtime_t now, const struct fsm_out *out)
{
	const unsigned work =
	    FSM_ACT_ADD_VIPS | FSM_ACT_DEL_VIPS | FSM_ACT_ANNOUNCE | FSM_ACT_NOTIFY;

	if (out->actions & FSM_ACT_SEND_ADVERT)
		send_advert(in, out->adv_priority);
	if (out->actions & FSM_ACT_TIMERS)
		rearm(in);
	if (!(out->actions & work)) {
		sync_event(in, now, out);
		return;
	}
	if (in->pending) { /* a second transition in one pass: the first is done now */
		unlink_pending(in);
		vrrp_sock_flush();
		transition_work(in, &in->pend);
		vipd_nl_flush(in->d);
		announce_work(in, &in->pend);
	}
	in->pend = *out;
	in->pend.actions &= work;
	in->pend_at = now;
	in->pending = true;
	*in->d->work_tail = in;
	in->d->work_tail = &in->pend_next;
	sync_event(in, now, out);
}

/* Stall safety: a master-down deadline that expired while the process was
 * not running is checked against the adverts already queued first. */
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
		if (in->sock)
			vsock_read(in->d, in->sock);
		for (size_t i = 0; i < in->n_paths; i++)
			if (in->paths[i].sock)
				vsock_read(in->d, in->paths[i].sock);
		now = loop_now();
	}
	fsm_timer(&in->fsm, now, &out);
	apply(in, now, &out);
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
	apply(in, now, &out);
	sync_fault_update(in);
}

void instance_apply(struct instance *in, vtime_t now, const struct fsm_out *out)
{
	apply(in, now, out);
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
	bool vmac = in->vmac_ifindex > 0 && !c->vmac_xmit_base;
	int rxif = vmac && !uni ? in->vmac_ifindex : ifc->ifindex;
	int ttl = c->unicast_ttl >= 0 ? c->unicast_ttl : 255;

	if ((in->sock && in->sock->ifindex != rxif) ||
	    (in->tx_sock && in->tx_sock->ifindex != in->vmac_ifindex))
		release_sock(in);
	if (!in->sock) {
		in->sock = vsock_get(in->d, c->family, rxif, uni, uni ? NULL : mcast_group(in), ttl,
		                     false);
		if (in->sock && !in->sock->by_vrid[c->vrid & 0xff])
			in->sock->by_vrid[c->vrid & 0xff] = in;
		/* membership shown by the base (the vmac's own reports are dropped,
		 * nft.c): switches then forward the group to this port without
		 * learning the virtual MAC from a backup */
		if (in->sock && rxif != ifc->ifindex &&
		    vrrp_sock_join(in->sock->fd, c->family, ifc->ifindex, mcast_group(in)) < 0)
			log_warn("%s: joining the VRRP group on %s", in->name, ifc->name);
	}
	if (vmac && uni && !in->tx_sock)
		in->tx_sock =
		    vsock_get(in->d, c->family, in->vmac_ifindex, uni, mcast_group(in), ttl, true);
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
		vmac_drop(in);
		paths_update(in, mcast_group(in));
		in->ifindex = 0;
		snprintf(why, sizeof(why), "interface %s is missing", c->ifname);
		set_if_fault(in, true, why);
		return;
	}
	if (in->ifindex != ifc->ifindex) {
		release_sock(in);
		vmac_drop(in);
	}
	in->ifindex = ifc->ifindex;
	char vwhy[96] = "";
	int made = vmac_setup(in, ifc, vwhy, sizeof(vwhy));
	if (made < 0)
		release_sock(in);
	if (addr_is_set(&c->mcast_src_ip))
		in->primary = c->mcast_src_ip;
	else if (addr_is_set(&c->unicast_src_ip))
		in->primary = c->unicast_src_ip;
	else
		in->primary = c->family == AF_INET6 ? ifc->ll6 : ifc->v4;
	in->fsm.cfg.primary = in->primary; /* the tie-break address */
	open_socks(in, ifc);
	paths_update(in, mcast_group(in));
	if (made > 0 && in->fsm.state == VRRP_STATE_MASTER) { /* VIPs went with the old one */
		log_info("%s: vmac %s made again; VIPs back on it", in->name, in->vmac_name);
		vips_change(in, true);
		vipd_nl_flush(in->d);
		announce(in, 1);
	}
	if (!ifc->up && !c->dont_track_primary)
		snprintf(why, sizeof(why), "interface %s is down", c->ifname);
	else if (!addr_is_set(&in->primary))
		snprintf(why, sizeof(why), "interface %s has no %s address", c->ifname,
		         c->family == AF_INET6 ? "link-local IPv6" : "IPv4");
	else if (vwhy[0])
		snprintf(why, sizeof(why), "%s", vwhy);
	else if (!in->sock ||
	         (in->vmac_ifindex > 0 && !c->vmac_xmit_base && !in->tx_sock && c->unicast_peers.n))
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
	in->n_vips = in->c->vips.n;
	in->vips = calloc(in->n_vips ? in->n_vips : 1, sizeof(*in->vips));
	for (size_t i = 0; in->vips && i < in->n_vips; i++)
		in->vips[i] = in->c->vips.items[i].addr;
	if (!in->vips)
		in->n_vips = 0;
}

struct instance *instance_new(struct vipd *d, const struct conf_instance *c)
{
	struct instance *in = calloc(1, sizeof(*in));
	struct fsm_config fc = {0};
	const struct conf_global *g = &d->conf->global;

	if (!in)
		return NULL;
	in->d = d;
	in->c = c;
	snprintf(in->name, sizeof(in->name), "%s", c->name);
	load_vips(in);
	paths_init(in);
	vmac_pick_name(in);
	fc.version = (uint8_t)c->version;
	fc.priority = (uint8_t)c->priority;
	fc.adver_int_us = c->advert_int_us;
	fc.preempt = !c->nopreempt;
	fc.preempt_delay_us = c->preempt_delay_us;
	fc.preempt_lower_master = c->preempt_lower_master;
	fc.init_master = c->state == CONF_STATE_MASTER;
	fc.down_timer_adverts = c->down_timer_adverts;
	fc.lower_prio_no_advert = c->lower_prio_no_advert == CONF_UNSET
	                              ? g->lower_prio_no_advert
	                              : c->lower_prio_no_advert == CONF_YES;
	fsm_init(&in->fsm, &fc);
	timer_init(&in->t_fsm, on_fsm_timer, in);
	timer_init(&in->t_garp, on_garp_timer, in);
	timer_init(&in->t_pace, on_pace_timer, in);
	timer_init(&in->t_sb, on_sb_timer, in);
	notify_init(in);
	return in;
}

void instance_set_tracking(struct instance *in, uint8_t prio, const char *fault_why)
{
	struct fsm_out out;
	vtime_t now = loop_now();
	bool fault = fault_why != NULL;

	if (prio != in->fsm.priority) {
		if (in->fsm.state != VRRP_STATE_INIT)
			log_info("%s: priority %u -> %u (tracking)", in->name, in->fsm.priority,
			         prio);
		fsm_set_priority(&in->fsm, now, prio, &out);
		apply(in, now, &out);
	}
	if (fault != in->track_fault) {
		in->track_fault = fault;
		fsm_fault(&in->fsm, now, fault, fault ? fault_why : "tracked objects recovered",
		          &out);
		apply(in, now, &out);
		sync_fault_update(in);
	}
}

void instance_start(struct instance *in)
{
	struct fsm_out out;
	vtime_t now = loop_now();

	track_update(in);
	instance_iface_changed(in);
	in->fsm.cfg.primary = in->primary;
	fsm_startup(&in->fsm, now, &out);
	apply(in, now, &out);
}

void instance_stop(struct instance *in)
{
	struct fsm_out out;
	vtime_t now = loop_now();

	fsm_shutdown(&in->fsm, now, &out);
	apply(in, now, &out);
	loop_timer_cancel(in->d->loop, &in->t_fsm);
	loop_timer_cancel(in->d->loop, &in->t_garp);
	loop_timer_cancel(in->d->loop, &in->t_pace);
}

void instance_free(struct instance *in)
{
	if (!in)
		return;
	if (in->pending) { /* its last transition's work still runs */
		unlink_pending(in);
		vrrp_sock_flush();
		transition_work(in, &in->pend);
	}
	vrrp_sock_flush(); /* queued adverts point at it */
	loop_timer_cancel(in->d->loop, &in->t_fsm);
	loop_timer_cancel(in->d->loop, &in->t_garp);
	loop_timer_cancel(in->d->loop, &in->t_pace);
	loop_timer_cancel(in->d->loop, &in->t_sb);
	notify_drop(in);
	release_sock(in);
	paths_free(in);
	vmac_remove(in);
	free(in->vips);
	free(in);
}

/* Reload: same router, new settings (priority and the like). */
void instance_set_conf(struct instance *in, const struct conf_instance *c)
{
	struct fsm_out out;
	vtime_t now = loop_now();

	in->c = c;
	load_vips(in);
	paths_set_conf(in);
	in->fsm.cfg.preempt = !c->nopreempt;
	in->fsm.cfg.preempt_delay_us = c->preempt_delay_us;
	in->fsm.cfg.preempt_lower_master = c->preempt_lower_master;
	in->fsm.cfg.priority = (uint8_t)c->priority;
	(void)out;
	(void)now;
	track_update(in); /* the base priority or the tracked objects may have changed */
}

static bool vips_equal(const struct conf_instance *a, const struct conf_instance *b)
{
	if (a->vips.n != b->vips.n || a->vips_excluded.n != b->vips_excluded.n)
		return false;
	for (size_t i = 0; i < a->vips.n; i++)
		if (!addr_eq(&a->vips.items[i].addr, &b->vips.items[i].addr) ||
		    a->vips.items[i].prefixlen != b->vips.items[i].prefixlen ||
		    strcmp(a->vips.items[i].dev, b->vips.items[i].dev))
			return false;
	for (size_t i = 0; i < a->vips_excluded.n; i++)
		if (!addr_eq(&a->vips_excluded.items[i].addr, &b->vips_excluded.items[i].addr))
			return false;
	return true;
}

static bool paths_equal(const struct conf_instance *a, const struct conf_instance *b)
{
	if (a->paths.n != b->paths.n)
		return false;
	for (size_t i = 0; i < a->paths.n; i++) {
		const struct conf_path *x = &a->paths.items[i], *y = &b->paths.items[i];
		if (strcmp(x->ifname, y->ifname) || !addr_eq(&x->peer, &y->peer) ||
		    !addr_eq(&x->src, &y->src))
			return false;
	}
	return true;
}

/* Can a running router take the new settings without restarting? */
bool instance_same_router(const struct conf_instance *a, const struct conf_instance *b)
{
	return !strcmp(a->name, b->name) && !strcmp(a->ifname, b->ifname) && a->vrid == b->vrid &&
	       a->family == b->family && a->version == b->version &&
	       a->advert_int_us == b->advert_int_us && a->auth_type == b->auth_type &&
	       !strcmp(a->auth_pass, b->auth_pass) && vips_equal(a, b) &&
	       a->routes.n == b->routes.n && a->rules.n == b->rules.n &&
	       a->unicast_peers.n == b->unicast_peers.n &&
	       addr_eq(&a->mcast_src_ip, &b->mcast_src_ip) &&
	       addr_eq(&a->unicast_src_ip, &b->unicast_src_ip) &&
	       addr_eq(&a->mcast_dst_ip, &b->mcast_dst_ip) && a->use_vmac == b->use_vmac &&
	       !strcmp(a->vmac_name, b->vmac_name) && a->vmac_xmit_base == b->vmac_xmit_base &&
	       paths_equal(a, b);
}
