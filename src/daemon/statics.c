/*
 * statics.c: keepalived's static_ipaddress, static_routes and static_rules:
 * set when vipd starts (before any instance, whatever the VRRP state), put
 * back when another program deletes one or when their interface comes up
 * again, changed by a reload entry by entry, removed when vipd stops.
 * Addresses go through the record of what vipd added (owned.c), so one that
 * was on the host before vipd is never removed. no_track: not put back.
 *
 * The conf (d->conf->statics) owns the entries; nothing is kept here.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "daemon/statics.h"
#include "daemon/daemon.h"
#include "daemon/iface.h"
#include "daemon/routewatch.h"
#include "lib/log.h"
#include "linux/netlink.h"
#include "linux/owned.h"

enum { ADDR, ROUTE, RULE };

static size_t count(const struct conf_statics *s, int kind)
{
	return kind == ADDR ? s->vips.n : kind == ROUTE ? s->routes.n : s->rules.n;
}

static const void *entry(const struct conf_statics *s, int kind, size_t i)
{
	return kind == ADDR    ? (const void *)&s->vips.items[i]
	       : kind == ROUTE ? (const void *)&s->routes.items[i]
	                       : (const void *)&s->rules.items[i];
}

static const char *what_of(int kind)
{
	return kind == ADDR ? "address" : kind == ROUTE ? "route" : "rule";
}

/* An entry's canonical text, to know it again across a reload. */
static const char *text_of(char *buf, size_t n, int kind, const void *e)
{
	FILE *f = fmemopen(buf, n, "w");

	buf[0] = '\0';
	if (!f)
		return buf;
	if (kind == ADDR)
		conf_dump_vip(f, e);
	else if (kind == ROUTE)
		conf_dump_route(f, e);
	else
		conf_dump_rule(f, e);
	fclose(f);
	return buf;
}

static int addr_change(struct vipd *d, const struct conf_vip *v, bool add)
{
	struct nl_addr key;

	if (nl_addr_key(0, v, &key) < 0)
		return -ENODEV;
	if (add) {
		owned_request_add(&key);
		return nl_addr_add(d->nl, 0, v);
	}
	return owned_has(key.ifindex, &key.addr, key.prefixlen) ? nl_addr_del(d->nl, 0, v) : 0;
}

static void change(struct vipd *d, int kind, const void *e, bool add)
{
	char t[512];
	int rc = kind == ADDR    ? addr_change(d, e, add)
	         : kind == ROUTE ? (add ? nl_route_add : nl_route_del)(d->nl, 0, e)
	         : add           ? nl_rule_add(d->nl, e)
	                         : nl_rule_del(d->nl, e);

	if (rc < 0)
		log_warnx("%s static %s %s: %s", add ? "adding" : "removing", what_of(kind),
		          text_of(t, sizeof(t), kind, e), strerror(-rc));
	else
		log_debug("static %s %s: %s", what_of(kind), text_of(t, sizeof(t), kind, e),
		          add ? "set" : "removed");
}

static bool has_entry(const struct conf_statics *s, int kind, const char *text)
{
	char t[512];

	for (size_t i = 0; i < count(s, kind); i++)
		if (!strcmp(text_of(t, sizeof(t), kind, entry(s, kind, i)), text))
			return true;
	return false;
}

void statics_apply(struct vipd *d, const struct conf *old)
{
	const struct conf_statics *s = &d->conf->statics;
	char t[512];

	vipd_nl_batch(d);
	for (int kind = RULE; old && kind >= ADDR; kind--) /* rules first, addresses last */
		for (size_t i = 0; i < count(&old->statics, kind); i++) {
			const void *e = entry(&old->statics, kind, i);
			if (!has_entry(s, kind, text_of(t, sizeof(t), kind, e)))
				change(d, kind, e, false);
		}
	for (int kind = ADDR; kind <= RULE; kind++)
		for (size_t i = 0; i < count(s, kind); i++)
			change(d, kind, entry(s, kind, i), true);
	vipd_nl_flush(d);
	d->statics_set = true;
	if (s->vips.n + s->routes.n + s->rules.n)
		log_info("static entries set: %zu address(es), %zu route(s), %zu rule(s)",
		         s->vips.n, s->routes.n, s->rules.n);
	routewatch_start(d);
}

void statics_remove(struct vipd *d)
{
	const struct conf_statics *s = &d->conf->statics;

	vipd_nl_batch(d);
	for (int kind = RULE; kind >= ADDR; kind--)
		for (size_t i = 0; i < count(s, kind); i++)
			change(d, kind, entry(s, kind, i), false);
	vipd_nl_flush(d);
	d->statics_set = false;
}

/* Put back: logged as keepalived does ("Restoring deleted static ..."). */
static void put_back(struct vipd *d, int kind, const void *e, bool no_track)
{
	char t[512];
	const char *what = what_of(kind);

	text_of(t, sizeof(t), kind, e);
	if (no_track) {
		log_info("static %s %s was deleted by another program; not added again (no_track)",
		         what, t);
		return;
	}
	log_warnx("static %s %s was deleted by another program; adding it again", what, t);
	vipd_nl_batch(d);
	change(d, kind, e, true);
}

bool statics_restore_addr(struct vipd *d, const struct nl_addr *gone)
{
	const struct conf_statics *s = &d->conf->statics;
	struct nl_addr key;

	for (size_t i = 0; i < s->vips.n; i++) {
		const struct conf_vip *v = &s->vips.items[i];
		if (nl_addr_key(0, v, &key) < 0 || key.ifindex != gone->ifindex ||
		    key.prefixlen != gone->prefixlen || !addr_eq(&key.addr, &gone->addr))
			continue;
		put_back(d, ADDR, v, v->no_track);
		return true;
	}
	return false;
}

void statics_route_gone(struct vipd *d, const struct nl_route_gone *g)
{
	const struct conf_statics *s = &d->conf->statics;

	for (size_t i = 0; i < s->routes.n; i++) {
		const struct conf_route *r = &s->routes.items[i];
		const struct iface *ifc = r->dev[0] ? iface_by_name(d, r->dev) : NULL;
		if (!route_matches(r, g))
			continue;
		if (r->dev[0] && (!ifc || !ifc->up))
			log_info("static route on %s went with the link; set again when it is up",
			         r->dev);
		else
			put_back(d, ROUTE, r, r->no_track);
	}
}

void statics_rule_gone(struct vipd *d, const struct nl_rule_gone *g)
{
	const struct conf_statics *s = &d->conf->statics;

	for (size_t i = 0; i < s->rules.n; i++)
		if (rule_matches(&s->rules.items[i], g))
			put_back(d, RULE, &s->rules.items[i], s->rules.items[i].no_track);
}

/* An interface came up (or appeared): its static addresses and routes are
 * set again, as keepalived does; those still there are left as they are. */
void statics_iface_up(struct vipd *d, const char *ifname)
{
	const struct conf_statics *s = &d->conf->statics;
	bool any = false;

	if (!d->statics_set)
		return;
	for (size_t i = 0; i < s->vips.n; i++)
		if (!strcmp(s->vips.items[i].dev, ifname) && !s->vips.items[i].no_track)
			vipd_nl_batch(d), change(d, ADDR, &s->vips.items[i], true), any = true;
	for (size_t i = 0; i < s->routes.n; i++)
		if (!strcmp(s->routes.items[i].dev, ifname) && !s->routes.items[i].no_track)
			vipd_nl_batch(d), change(d, ROUTE, &s->routes.items[i], true), any = true;
	if (any)
		log_info("interface %s is up: its static addresses and routes are set again",
		         ifname);
}
