/*
 * vips.c: the instance's addresses in the kernel and their announcements:
 * virtual_ipaddress (and virtual_routes, virtual_rules) added and removed
 * through the netlink batch, only what vipd added ever removed (owned.c);
 * gratuitous ARP / unsolicited NA bursts with keepalived's garp_master_*
 * delay, repeat, refresh and pacing.
 *
 * RFC 3768 6.4.2, 6.4.3 / RFC 9568 6.4.2, 6.4.3 (on becoming Master, for
 * each address: gratuitous ARP, or unsolicited Neighbor Advertisement).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/vips.h"
#include "daemon/daemon.h"
#include "daemon/garpq.h"
#include "daemon/iface.h"
#include "daemon/instance.h"
#include "lib/log.h"
#include "linux/garp.h"
#include "linux/loop.h"
#include "linux/netlink.h"
#include "linux/owned.h"
#include "vrrp/fsm.h"

static void on_garp_timer(struct timer *t, vtime_t now, void *arg);

static int64_t g_i64(int64_t v, int64_t global)
{
	return v >= 0 ? v : global;
}

/* Where VIPs without a dev go: the vmac, or the interface. */
static int vip_ifindex(const struct instance *in)
{
	return in->vmac.ifindex > 0 ? in->vmac.ifindex : in->ifindex;
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

void vips_change(struct instance *in, bool add)
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

/* Another program (netplan, networkd, an operator) deleted an address vipd
 * added: while Master, a VIP of this instance is added again at once, as
 * keepalived does, unless it is marked no_track. True if it was one. */
bool vips_restore(struct instance *in, const struct nl_addr *gone)
{
	const struct conf_instance *c = in->c;
	char a[ADDR_STRLEN];
	struct nl_addr key;
	int rc;

	if (in->fsm.state != VRRP_STATE_MASTER)
		return false;
	for (size_t i = 0; i < c->vips.n + c->vips_excluded.n; i++) {
		const struct conf_vip *v =
		    i < c->vips.n ? &c->vips.items[i] : &c->vips_excluded.items[i - c->vips.n];
		if (nl_addr_key(vip_ifindex(in), v, &key) < 0 || key.ifindex != gone->ifindex ||
		    key.prefixlen != gone->prefixlen || !addr_eq(&key.addr, &gone->addr))
			continue;
		if (v->no_track) {
			log_info("%s: VIP %s/%d was deleted by another program; not added again "
			         "(no_track)",
			         in->name, addr_ntop(&v->addr, a), key.prefixlen);
			return true;
		}
		log_warnx("%s: VIP %s/%d was deleted by another program; adding it again", in->name,
		          addr_ntop(&v->addr, a), key.prefixlen);
		vipd_nl_batch(in->d);
		if ((rc = vip_change(in, vip_ifindex(in), v, true)) < 0) {
			in->st.vip_errors++;
			log_warnx("%s: adding %s: %s", in->name, a, strerror(-rc));
		}
		return true;
	}
	return false;
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

/* Sends announcement k of a round: VIP k % n, on the VIP's interface (from
 * the virtual MAC on the vmac), paced per link (garpq.c). */
static void announce_one(struct instance *in, size_t k)
{
	const struct conf_vip *v = announced(in, k % n_announced(in));
	struct iface *ifc =
	    v->dev[0] ? iface_by_name(in->d, v->dev) : iface_by_index(in->d, in->ifindex);

	if (!v->dev[0] && in->vmac.ifindex > 0)
		garpq_send(in, in->vmac.ifindex, in->ifindex, in->vmac.mac, &v->addr);
	else if (ifc)
		garpq_send(in, ifc->ifindex, 0, ifc->mac, &v->addr);
}

/* One round of GARP / unsolicited NA for every VIP, `repeat` times each. */
void vips_announce(struct instance *in, int repeat)
{
	size_t total = (size_t)(repeat > 0 ? repeat : 0) * n_announced(in);

	for (size_t k = 0; k < total; k++)
		announce_one(in, k);
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
		vips_announce(in, (int)g_i64(in->c->garp_master_repeat, g->garp_master_repeat));
		in->garp_phase = 2;
	} else {
		vips_announce(in, (int)g_i64(in->c->garp_master_refresh_repeat,
		                             g->garp_master_refresh_repeat));
	}
	garp_arm(in, now);
}

/* keepalived's garp_extra_if: while Master, every interval one GARP / NA
 * for the first VIP on each interface other than the instance's (and its
 * vmac) that holds a VIP, so switches keep that MAC; "all" is
 * needed for them (keepalived's default covers per-VIP vmacs, which vipd
 * has not). With vmac_xmit_base the instance's vmac is refreshed too. As in
 * keepalived, nothing is sent when no VIP is on another interface. */
static const struct conf_garp_extra *extra_of(const struct instance *in)
{
	const struct conf_garp_extra *x = &in->c->garp_extra_if;

	return x->interval_s >= 0 ? x : &in->d->conf->global.garp_extra_if;
}

/* Whether VIP v is announced in a round (ifc: its dev, NULL for the
 * instance's own interface); *other: it is on another interface. */
static bool extra_link(const struct instance *in, const struct conf_vip *v, struct iface **ifc,
                       bool *other)
{
	bool vmac = in->vmac.ifindex > 0;

	*ifc = v->dev[0] ? iface_by_name(in->d, v->dev) : NULL;
	*other = *ifc && (*ifc)->ifindex != in->ifindex && (*ifc)->ifindex != in->vmac.ifindex;
	if (*ifc && !*other)
		*ifc = NULL;
	return *other ? extra_of(in)->all : vmac && in->c->vmac_xmit_base;
}

static bool extra_wanted(const struct instance *in)
{
	struct iface *ifc;
	bool other;

	for (size_t i = 0; i < n_announced(in); i++)
		if (extra_link(in, announced(in, i), &ifc, &other) && other)
			return true;
	return false;
}

static void extra_round(struct instance *in)
{
	int done[16];
	size_t nd = 0;

	for (size_t i = 0; i < n_announced(in); i++) {
		const struct conf_vip *v = announced(in, i);
		struct iface *ifc;
		bool other;
		if (!extra_link(in, v, &ifc, &other))
			continue;
		int ifindex = ifc ? ifc->ifindex : in->vmac.ifindex;
		bool seen = false;
		for (size_t k = 0; k < nd; k++)
			seen |= done[k] == ifindex;
		if (seen)
			continue;
		if (nd < sizeof(done) / sizeof(done[0]))
			done[nd++] = ifindex;
		garpq_send(in, ifindex, ifc ? 0 : in->ifindex, ifc ? ifc->mac : in->vmac.mac,
		           &v->addr);
		log_debug("%s: garp_extra_if: %s announced on interface %d", in->name,
		          v->addr.family == AF_INET ? "GARP" : "NA", ifindex);
	}
}

static void on_extra_timer(struct timer *t, vtime_t now, void *arg)
{
	struct instance *in = arg;
	int secs = extra_of(in)->interval_s;

	if (in->fsm.state != VRRP_STATE_MASTER || secs <= 0 || !extra_wanted(in))
		return;
	extra_round(in);
	loop_timer_set(in->d->loop, &in->t_extra, now + (vtime_t)secs * VTIME_SEC);
}

static void extra_arm(struct instance *in, vtime_t now)
{
	const struct conf_global *g = &in->d->conf->global;
	int secs = extra_of(in)->interval_s;
	int64_t delay = g_i64(in->c->garp_master_delay_us, g->garp_master_delay_us);

	if (secs > 0 && extra_wanted(in))
		loop_timer_set(in->d->loop, &in->t_extra,
		               now + (delay > 0 ? delay : 0) + (vtime_t)secs * VTIME_SEC);
}

/* Announcements go out once the addresses are in the kernel. */
void vips_announce_work(struct instance *in, const struct fsm_out *out)
{
	const struct conf_global *g = &in->d->conf->global;

	if (out->actions & FSM_ACT_ANNOUNCE && in->fsm.state == VRRP_STATE_MASTER) {
		vips_announce(in, (int)g_i64(in->c->garp_master_repeat, g->garp_master_repeat));
		in->garp_phase = 1;
		garp_arm(in, loop_now());
		extra_arm(in, loop_now());
	}
}

/* keepalived's garp_lower_prio_*: a master that hears a lower priority
 * (another host became master meanwhile and announced the VIPs) announces
 * them garp_lower_prio_repeat times at once and again after
 * garp_lower_prio_delay (defaults: garp_master_repeat and _delay; none in
 * strict mode). vipd sends at most one such round per second, so a flood of
 * lower-priority adverts cannot turn into a flood of announcements. */
static int lower_prio_repeat(const struct instance *in)
{
	const struct conf_global *g = &in->d->conf->global;
	bool strict = in->c->strict == CONF_YES || (in->c->strict == CONF_UNSET && g->vrrp_strict);
	int64_t r = g_i64(in->c->garp_lower_prio_repeat, g->garp_lower_prio_repeat);

	if (r < 0)
		r = strict ? 0 : g_i64(in->c->garp_master_repeat, g->garp_master_repeat);
	return (int)r;
}

static void on_lower_timer(struct timer *t, vtime_t now, void *arg)
{
	struct instance *in = arg;

	if (in->fsm.state == VRRP_STATE_MASTER)
		vips_announce(in, in->lower_garp_repeat);
}

void vips_lower_prio(struct instance *in, vtime_t now)
{
	const struct conf_global *g = &in->d->conf->global;
	int rep = lower_prio_repeat(in);
	int64_t delay = g_i64(in->c->garp_lower_prio_delay_us, g->garp_lower_prio_delay_us);

	if (rep <= 0 || (in->lower_garp_at && now - in->lower_garp_at < VTIME_SEC))
		return;
	if (delay < 0)
		delay = g_i64(in->c->garp_master_delay_us, g->garp_master_delay_us);
	in->lower_garp_at = now;
	in->lower_garp_repeat = rep;
	log_info("%s: a lower priority was heard while master: announcing the VIPs %d time(s)%s",
	         in->name, rep, delay > 0 ? ", and again later (garp_lower_prio_delay)" : "");
	vips_announce(in, rep);
	if (delay > 0)
		loop_timer_set(in->d->loop, &in->t_lower, now + delay);
}

void vips_init(struct instance *in)
{
	timer_init(&in->t_lower, on_lower_timer, in);
	timer_init(&in->t_garp, on_garp_timer, in);
	timer_init(&in->t_extra, on_extra_timer, in);
}
