/*
 * routewatch.c: routes and rules vipd set that another program deleted
 * (an operator's "ip route flush", networkd, a routing daemon), put back:
 * an instance's virtual_routes and virtual_rules while it is Master, the
 * static ones always; no_track opts out. keepalived instead leaves Master
 * and takes it again after the master down interval; vipd adds the entry
 * again at once, as it does for a deleted VIP, without a flap.
 *
 * A deleted route is known by keepalived's keys (table, destination and
 * length, metric, tos, type); a rule by family, action, table, priority,
 * from, to, iif, oif and fwmark. The monitor hears routes and rules only
 * while some configured one is tracked.
 */
#include <string.h>
#include <stdio.h>
#include <linux/fib_rules.h>
#include <linux/rtnetlink.h>

#include "daemon/routewatch.h"
#include "daemon/daemon.h"
#include "daemon/instance.h"
#include "daemon/statics.h"
#include "lib/log.h"
#include "vrrp/fsm.h"

static int full_len(int family)
{
	return family == AF_INET ? 32 : 128;
}

bool route_matches(const struct conf_route *r, const struct nl_route_gone *g)
{
	int family = r->dst.family;
	uint32_t metric = r->metric >= 0 ? (uint32_t)r->metric : family == AF_INET6 ? 1024 : 0;

	return family == g->dst.family &&
	       (r->dst_len >= 0 ? r->dst_len : full_len(family)) == g->dst_len &&
	       addr_eq(&r->dst, &g->dst) && (r->table ? r->table : RT_TABLE_MAIN) == g->table &&
	       metric == g->metric && (r->tos >= 0 ? r->tos : 0) == g->tos && r->type == g->type;
}

static bool prefix_same(const struct addr *a, int len, const struct addr *b, int glen)
{
	if (!addr_is_set(a))
		return b->family == AF_UNSPEC || glen == 0;
	return b->family != AF_UNSPEC && addr_eq(a, b) &&
	       (len >= 0 ? len : full_len(a->family)) == glen;
}

bool rule_matches(const struct conf_rule *r, const struct nl_rule_gone *g)
{
	int family = addr_is_set(&r->from) ? r->from.family
	             : addr_is_set(&r->to) ? r->to.family
	                                   : AF_INET;

	return family == g->family && r->action == g->action && r->invert == g->invert &&
	       (!r->table || r->table == g->table) &&
	       (r->priority < 0 || r->priority == g->priority) &&
	       prefix_same(&r->from, r->from_len, &g->from, g->from_len) &&
	       prefix_same(&r->to, r->to_len, &g->to, g->to_len) && !strcmp(r->iif, g->iif) &&
	       !strcmp(r->oif, g->oif) && r->fwmark == g->fwmark;
}

static void put_back(struct instance *in, const char *what, size_t i, bool no_track)
{
	if (no_track) {
		log_info("%s: virtual %s %zu was deleted by another program; not added again "
		         "(no_track)",
		         in->name, what, i + 1);
		return;
	}
	log_warnx("%s: virtual %s %zu was deleted by another program; adding it again", in->name,
	          what, i + 1);
}

void routewatch_route_gone(void *arg, const struct nl_route_gone *g)
{
	struct vipd *d = arg;
	int rc;

	for (struct instance *in = d->instances; in; in = in->next) {
		const struct conf_instance *c = in->c;
		for (size_t i = 0; in->fsm.state == VRRP_STATE_MASTER && i < c->routes.n; i++) {
			const struct conf_route *r = &c->routes.items[i];
			if (!route_matches(r, g))
				continue;
			put_back(in, "route", i, r->no_track);
			vipd_nl_batch(d);
			if (!r->no_track && (rc = nl_route_add(d->nl, in->ifindex, r)) < 0)
				log_warnx("%s: virtual route %zu: %s", in->name, i + 1,
				          strerror(-rc));
		}
	}
	statics_route_gone(d, g);
}

void routewatch_rule_gone(void *arg, const struct nl_rule_gone *g)
{
	struct vipd *d = arg;
	int rc;

	for (struct instance *in = d->instances; in; in = in->next) {
		const struct conf_instance *c = in->c;
		for (size_t i = 0; in->fsm.state == VRRP_STATE_MASTER && i < c->rules.n; i++) {
			const struct conf_rule *r = &c->rules.items[i];
			if (!rule_matches(r, g))
				continue;
			put_back(in, "rule", i, r->no_track);
			vipd_nl_batch(d);
			if (!r->no_track && (rc = nl_rule_add(d->nl, r)) < 0)
				log_warnx("%s: virtual rule %zu: %s", in->name, i + 1,
				          strerror(-rc));
		}
	}
	statics_rule_gone(d, g);
}

/* Whether any route (rules: any rule) of the config is tracked. */
static void tracked(const struct conf *c, bool *routes, bool *rules)
{
	*routes = *rules = false;
	for (size_t i = 0; i < c->statics.routes.n; i++)
		*routes |= !c->statics.routes.items[i].no_track;
	for (size_t i = 0; i < c->statics.rules.n; i++)
		*rules |= !c->statics.rules.items[i].no_track;
	for (size_t k = 0; k < c->instances.n; k++) {
		const struct conf_instance *in = &c->instances.items[k];
		for (size_t i = 0; i < in->routes.n; i++)
			*routes |= !in->routes.items[i].no_track;
		for (size_t i = 0; i < in->rules.n; i++)
			*rules |= !in->rules.items[i].no_track;
	}
}

void routewatch_start(struct vipd *d)
{
	bool routes, rules;
	int rc;

	tracked(d->conf, &routes, &rules);
	routes &= !d->watch_routes;
	rules &= !d->watch_rules;
	if (!routes && !rules)
		return; /* joined already: a group is not left again */
	if ((rc = nl_watch_routes(d->nl, routes, rules)) < 0) {
		log_warnx(
		    "netlink: cannot watch routes and rules: %s; a deleted one is not put back",
		    strerror(-rc));
		return;
	}
	d->watch_routes |= routes;
	d->watch_rules |= rules;
	log_debug("watching deleted%s%s", routes ? " routes" : "", rules ? " rules" : "");
}
