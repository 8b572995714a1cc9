/*
 * iface.c: the interfaces vipd knows, from netlink's dump and watch: index,
 * name, up/down, MAC, primary IPv4 and link-local IPv6 addresses. Changes
 * are passed on to the instances (Fault when an interface goes down or
 * away, recovery when it comes back or appears after start).
 */
#include <stdlib.h>
#include <string.h>

#include "daemon/daemon.h"
#include "daemon/events.h"
#include "daemon/iface.h"
#include "daemon/tracked.h"
#include "daemon/instance.h"
#include "daemon/vips.h"
#include "daemon/notify.h"
#include "daemon/path.h"
#include "daemon/track.h"
#include "linux/owned.h"
#include "lib/log.h"
#include "linux/netlink.h"
#include "daemon/routewatch.h"
#include "daemon/statics.h"
#include "linux/loop.h"
#include "lib/timer.h"

struct iface *iface_by_name(struct vipd *d, const char *name)
{
	for (struct iface *i = d->ifaces; i; i = i->next)
		if (!strcmp(i->name, name))
			return i;
	return NULL;
}

struct iface *iface_by_index(struct vipd *d, int ifindex)
{
	for (struct iface *i = d->ifaces; i; i = i->next)
		if (i->ifindex == ifindex)
			return i;
	return NULL;
}

static void notify_instances(struct vipd *d, const char *name)
{
	for (struct instance *in = d->instances; in; in = in->next) {
		if (!strcmp(in->c->ifname, name) || !strcmp(in->vmac.name, name) ||
		    paths_use_iface(in, name))
			instance_iface_changed(in);
		for (size_t i = 0; i < in->c->tracks[CONF_TRACK_INTERFACE].n; i++)
			if (!strcmp(in->c->tracks[CONF_TRACK_INTERFACE].items[i].name, name)) {
				track_update(in);
				break;
			}
	}
}

/* interface_up_down_delays: how long a change to up must last to count. */
static int64_t delay_of(const struct vipd *d, const char *name, bool up)
{
	for (size_t k = 0; k < d->conf->if_delays.n; k++)
		if (!strcmp(d->conf->if_delays.items[k].ifname, name))
			return up ? d->conf->if_delays.items[k].up_us
			          : d->conf->if_delays.items[k].down_us;
	return 0;
}

/* The state vipd counts changes: instances and tracking read it again. */
static void count_state(struct iface *i, bool up)
{
	bool came_up = up && !i->up;

	if (up != i->up)
		events_track("interface", i->name, i->up ? "UP" : "DOWN", up ? "UP" : "DOWN");
	i->up = up;
	if (came_up)
		statics_iface_up(i->d, i->name);
	if (i->d->instances)
		log_debug("interface %s is %s", i->name, i->up ? "up" : "down");
	notify_instances(i->d, i->name);
}

static void on_delay(struct timer *t, vtime_t now, void *arg)
{
	struct iface *i = arg;

	log_info("interface %s has stayed %s (interface_up_down_delays)", i->name,
	         i->up_now ? "up" : "down");
	count_state(i, i->up_now);
}

static void link_gone(struct vipd *d, struct iface *i)
{
	char name[IFNAMSIZ];

	snprintf(name, sizeof(name), "%s", i->name);
	for (struct iface **p = &d->ifaces; *p; p = &(*p)->next)
		if (*p == i) {
			*p = i->next;
			break;
		}
	loop_timer_cancel(d->loop, &i->t_delay);
	owned_forget_ifindex(i->ifindex);
	free(i->own);
	free(i);
	log_info("interface %s removed", name);
	notify_instances(d, name);
}

/* A link's state, through interface_up_down_delays: a change that goes
 * back before its delay is over is not counted at all. */
static void link_state(struct iface *i, bool up, bool fresh)
{
	int64_t delay = fresh ? 0 : delay_of(i->d, i->name, up);

	i->up_now = up;
	if (up == i->up) {
		if (timer_armed(&i->t_delay))
			log_info("interface %s is %s again before its delay: not counted", i->name,
			         up ? "up" : "down");
		loop_timer_cancel(i->d->loop, &i->t_delay);
	} else if (delay > 0) {
		log_info("interface %s is %s; counted if it stays so %.3f s "
		         "(interface_up_down_delays)",
		         i->name, up ? "up" : "down", (double)delay / 1e6);
		loop_timer_set(i->d->loop, &i->t_delay, loop_now() + delay);
	} else {
		loop_timer_cancel(i->d->loop, &i->t_delay);
		count_state(i, up);
	}
}

static void on_link(void *arg, enum nl_event ev, const struct nl_link *l)
{
	struct vipd *d = arg;
	struct iface *i = iface_by_index(d, l->ifindex);
	char name[IFNAMSIZ];
	bool fresh = !i;

	if (ev == NL_LINK_DEL) {
		if (i)
			link_gone(d, i);
		return;
	}
	if (!i) {
		if (!(i = calloc(1, sizeof(*i))))
			return;
		i->ifindex = l->ifindex;
		i->d = d;
		timer_init(&i->t_delay, on_delay, i);
		i->next = d->ifaces;
		d->ifaces = i;
	} else if (i->up_now == l->up && !strcmp(i->name, l->name)) {
		return;
	}
	snprintf(name, sizeof(name), "%s", i->name);
	snprintf(i->name, sizeof(i->name), "%s", l->name);
	if (l->mac_len == 6)
		memcpy(i->mac, l->mac, 6);
	bool renamed = name[0] && strcmp(name, i->name);
	if (renamed)
		notify_instances(d, name); /* renamed away */
	if (fresh || i->up_now != l->up)
		link_state(i, l->up, fresh);
	else if (renamed)
		notify_instances(d, i->name);
}

bool iface_has_addr(const struct iface *i, const struct addr *a)
{
	for (size_t k = 0; k < i->n_own; k++)
		if (addr_eq(&i->own[k], a))
			return true;
	return false;
}

/* The interface's own addresses, kept for track_src_ip. True when the
 * address is the source an instance tracks (its state is read again). */
static bool own_addr(struct vipd *d, struct iface *i, enum nl_event ev, const struct addr *a)
{
	bool have = iface_has_addr(i, a);

	if (ev == NL_ADDR_NEW && !have) {
		if (i->n_own == i->cap_own) {
			size_t cap = i->cap_own ? 2 * i->cap_own : 4;
			struct addr *n = realloc(i->own, cap * sizeof(*n));
			if (!n)
				return false;
			i->own = n, i->cap_own = cap;
		}
		i->own[i->n_own++] = *a;
	} else if (ev == NL_ADDR_DEL && have) {
		for (size_t k = 0; k < i->n_own; k++)
			if (addr_eq(&i->own[k], a))
				i->own[k] = i->own[--i->n_own];
	} else {
		return false;
	}
	for (const struct instance *in = d->instances; in; in = in->next)
		if (in->c->track_src_ip &&
		    (addr_eq(&in->c->mcast_src_ip, a) || addr_eq(&in->c->unicast_src_ip, a)))
			return true;
	return false;
}

static void on_addr(void *arg, enum nl_event ev, const struct nl_addr *a)
{
	struct vipd *d = arg;
	struct iface *i = iface_by_index(d, a->ifindex);

	if (i && ev == NL_ADDR_DEL && owned_has(a->ifindex, &a->addr, a->prefixlen)) {
		if (statics_restore_addr(d, a))
			return;
		for (struct instance *in = d->instances; in; in = in->next)
			if (vips_restore(in, a))
				break;
		return;
	}
	if (!i || owned_has(a->ifindex, &a->addr, a->prefixlen))
		return; /* a VIP vipd added is not the interface's own address */
	bool src = own_addr(d, i, ev, &a->addr);
	struct addr *slot = a->addr.family == AF_INET      ? &i->v4
	                    : addr_is_linklocal6(&a->addr) ? &i->ll6
	                                                   : NULL;
	if (slot && ev == NL_ADDR_NEW && !a->secondary && !addr_is_set(slot))
		*slot = a->addr;
	else if (slot && ev == NL_ADDR_DEL && addr_eq(slot, &a->addr))
		memset(slot, 0, sizeof(*slot));
	else if (!src)
		return;
	notify_instances(d, i->name);
}

static const struct nl_handlers handlers = {on_link, on_addr, NULL, routewatch_route_gone,
                                            routewatch_rule_gone};

#define RESYNC_RETRY_US 1000000

/* The state could not be read again after lost events: tried again each
 * second until it can, so interfaces are never left stale. */
static void on_resync(struct timer *t, vtime_t now, void *arg)
{
	struct vipd *d = arg;
	struct nl_handlers h = handlers;
	int rc;

	h.arg = d;
	if ((rc = nl_dump(d->nl, &h)) < 0) {
		log_warnx("netlink: reading the interfaces again: %s; retrying", strerror(-rc));
		loop_timer_set(d->loop, &d->t_resync, now + RESYNC_RETRY_US);
	} else {
		log_info("netlink: interfaces read again");
	}
}

static void on_monitor(int fd, uint32_t events, void *arg)
{
	struct vipd *d = arg;
	struct nl_handlers h = handlers;
	int rc;

	h.arg = d;
	if ((rc = nl_monitor_read(d->nl, &h)) < 0) {
		log_warnx("reading netlink events: %s; reading the state again", strerror(-rc));
		loop_timer_set(d->loop, &d->t_resync, loop_now() + RESYNC_RETRY_US);
	}
}

int iface_init(struct vipd *d)
{
	struct nl_handlers h = handlers;

	timer_init(&d->t_resync, on_resync, d);
	if (h.arg = d, nl_dump(d->nl, &h) < 0)
		return -1;
	return loop_add(d->loop, nl_monitor_fd(d->nl), on_monitor, d);
}

/* VIPs a crashed run added (RUN_DIR/addrs.owned) still on their
 * interface: found in a dump, removed after it (the request socket is busy
 * during the dump). Nothing else is touched: not the host's addresses, not
 * an address owner's VIP, which stays as this run's. */
struct stale {
	struct nl_addr *a;
	size_t n, cap;
};

static void on_stale(void *arg, enum nl_event ev, const struct nl_addr *a)
{
	struct stale *s = arg;

	if (!owned_is_leftover(a))
		return;
	if (s->n == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 16;
		struct nl_addr *p = realloc(s->a, cap * sizeof(*p));
		if (!p)
			return;
		s->a = p;
		s->cap = cap;
	}
	s->a[s->n++] = *a;
}

static bool owner_vip(struct vipd *d, const struct addr *a)
{
	for (size_t i = 0; i < d->conf->instances.n; i++) {
		const struct conf_instance *c = &d->conf->instances.items[i];
		if (c->priority != 255) /* the address owner */
			continue;
		for (size_t k = 0; k < c->vips.n; k++)
			if (addr_eq(&c->vips.items[k].addr, a))
				return true;
	}
	return false;
}

void iface_remove_stale_vips(struct vipd *d)
{
	struct stale s = {0};
	struct nl_handlers h = {NULL, on_stale, &s};
	char buf[ADDR_STRLEN];

	int rc = nl_dump(d->nl, &h);
	if (rc < 0) /* nothing is removed on a partial view; the record is kept */
		log_warnx("netlink: reading addresses: %s; leftovers of an earlier run are kept",
		          strerror(-rc));
	for (size_t i = 0; rc == 0 && i < s.n; i++) {
		const struct nl_addr *a = &s.a[i];
		struct iface *ifc = iface_by_index(d, a->ifindex);
		if (owner_vip(d, &a->addr)) {
			owned_adopt(a);
			continue;
		}
		struct conf_vip v = {
		    .addr = a->addr, .prefixlen = a->prefixlen, .scope = -1, .preferred_lft = -1};
		log_info("removing %s/%d, left on %s by an earlier run", addr_ntop(&v.addr, buf),
		         a->prefixlen, ifc ? ifc->name : "?");
		nl_addr_del(d->nl, a->ifindex, &v);
	}
	free(s.a);
	if (rc == 0) {
		owned_drop_leftovers();
		owned_sync();
	}
}

void iface_free_all(struct vipd *d)
{
	for (struct iface *i = d->ifaces, *n; i; i = n) {
		n = i->next;
		loop_timer_cancel(d->loop, &i->t_delay);
		free(i->own);
		free(i);
	}
	d->ifaces = NULL;
}

void iface_view(const struct instance *in, const struct conf_track *t, int w,
                struct tracked_view *v)
{
	struct iface *ifc = iface_by_name(in->d, t->name);

	v->exists = true; /* a missing interface counts as down */
	v->ok = ifc && ifc->up;
	v->reverse = t->reverse;
	v->state = !ifc ? "MISSING" : ifc->up ? "UP" : "DOWN";
	if (w == 0 && v->ok == t->reverse)
		snprintf(v->fault, sizeof(v->fault), "tracked interface %s is %s", t->name,
		         v->ok ? "up (reverse)"
		         : ifc ? "down"
		               : "missing");
	v->contribution = tracked_contribution(w, t->reverse, v->ok);
}
