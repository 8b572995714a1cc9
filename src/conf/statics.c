/*
 * statics.c: the checks of static_ipaddress, static_routes, static_rules
 * and track_group, and the tracking a track_group gives its instances.
 *
 * keepalived's rules: a static address without a dev goes on
 * default_interface (eth0 when unset), where keepalived 2.2.7 puts it; a
 * track_group must be defined; its instances follow the interface of each
 * static entry that names it (the address's dev, the route's dev, the
 * rule's iif) and go to Fault while it is down. track_group belongs to
 * static entries only.
 * The conf (conf.h) owns every structure here.
 */
#include <stdio.h>
#include <string.h>
#include <linux/rtnetlink.h>

#include "conf/parse.h"

#define CHECK_ERR(c, o, pos, ...)  conf_diag(c, o, CONF_ERROR, pos, __VA_ARGS__)
#define CHECK_WARN(c, o, pos, ...) conf_diag(c, o, CONF_WARNING, pos, __VA_ARGS__)

const struct conf_track_group *conf_find_track_group(const struct conf *c, const char *name)
{
	for (size_t i = 0; i < c->track_groups.n; i++)
		if (!strcmp(c->track_groups.items[i].name, name))
			return &c->track_groups.items[i];
	return NULL;
}

/* A static entry's track_group: defined, not with no_track, and with an
 * interface to follow (what); cleared when it cannot be used. */
static void check_tg(struct conf *c, const struct conf_opts *o, char *tg, bool no_track,
                     const char *ifname, const char *what, const struct srcpos *pos)
{
	if (!tg[0])
		return;
	if (!conf_find_track_group(c, tg))
		CHECK_ERR(c, o, pos, "%s: track_group %s is not defined", what, tg);
	else if (no_track)
		CHECK_WARN(c, o, pos, "%s has both track_group and no_track; not tracked", what);
	else if (!ifname[0] && !strcmp(what, "static rule"))
		CHECK_WARN(c, o, pos, "static rule: track_group without an iif follows nothing");
	else if (!ifname[0])
		CHECK_ERR(c, o, pos, "%s: track_group needs a dev", what);
	else
		return;
	tg[0] = '\0';
}

/* track_group in an instance's virtual_* list: keepalived's is static only. */
static void check_virtual_tg(struct conf *c, const struct conf_opts *o, char *tg,
                             const struct srcpos *pos)
{
	if (tg[0])
		CHECK_WARN(c, o, pos,
		           "track_group applies to static_ipaddress, static_routes and "
		           "static_rules only; ignored");
	tg[0] = '\0';
}

static void check_instances_tg(struct conf *c, const struct conf_opts *o)
{
	for (size_t i = 0; i < c->instances.n; i++) {
		struct conf_instance *in = &c->instances.items[i];
		for (size_t k = 0; k < in->vips.n; k++)
			check_virtual_tg(c, o, in->vips.items[k].track_group,
			                 &in->vips.items[k].pos);
		for (size_t k = 0; k < in->vips_excluded.n; k++)
			check_virtual_tg(c, o, in->vips_excluded.items[k].track_group,
			                 &in->vips_excluded.items[k].pos);
		for (size_t k = 0; k < in->routes.n; k++)
			check_virtual_tg(c, o, in->routes.items[k].track_group,
			                 &in->routes.items[k].pos);
		for (size_t k = 0; k < in->rules.n; k++)
			check_virtual_tg(c, o, in->rules.items[k].track_group,
			                 &in->rules.items[k].pos);
	}
}

static void check_groups(struct conf *c, const struct conf_opts *o)
{
	for (size_t i = 0; i < c->track_groups.n; i++) {
		const struct conf_track_group *g = &c->track_groups.items[i];
		if (!g->members.n)
			CHECK_WARN(c, o, &g->pos, "track_group %s has no vrrp instance", g->name);
		for (size_t m = 0; m < g->members.n; m++)
			if (!conf_find_instance(c, g->members.items[m]))
				CHECK_WARN(
				    c, o, &g->pos,
				    "track_group %s: vrrp_instance %s is not defined; ignored",
				    g->name, g->members.items[m]);
	}
}

void conf_check_statics(struct conf *c, const struct conf_opts *o)
{
	struct conf_statics *s = &c->statics;

	check_groups(c, o);
	check_instances_tg(c, o);
	for (size_t i = 0; i < s->vips.n; i++) {
		struct conf_vip *v = &s->vips.items[i];
		if (!v->dev[0]) {
			const char *dflt = c->global.default_interface;
			snprintf(v->dev, sizeof(v->dev), "%s", dflt[0] ? dflt : "eth0");
		}
		if (v->use_vmac)
			CHECK_WARN(c, o, &v->pos,
			           "static_ipaddress: use_vmac is for VIPs; ignored");
		v->use_vmac = false;
		check_tg(c, o, v->track_group, v->no_track, v->dev, "static address", &v->pos);
	}
	for (size_t i = 0; i < s->routes.n; i++) {
		struct conf_route *r = &s->routes.items[i];
		bool gw = addr_is_set(&r->via) || r->n_nexthops;
		if (r->type == RTN_UNICAST && !r->dev[0] && !gw)
			CHECK_ERR(c, o, &r->pos, "static_routes: a route needs a dev or a via");
		check_tg(c, o, r->track_group, r->no_track, r->dev, "static route", &r->pos);
	}
	for (size_t i = 0; i < s->rules.n; i++) {
		struct conf_rule *r = &s->rules.items[i];
		check_tg(c, o, r->track_group, r->no_track, r->iif, "static rule", &r->pos);
	}
}

static void track_iface(struct conf *c, const char *group, const char *ifname)
{
	const struct conf_track_group *g = conf_find_track_group(c, group);

	for (size_t m = 0; g && m < g->members.n; m++) {
		struct conf_instance *in =
		    (struct conf_instance *)conf_find_instance(c, g->members.items[m]);
		struct conf_tracks *t = in ? &in->tracks[CONF_TRACK_INTERFACE] : NULL;
		bool have = false;
		for (size_t k = 0; t && k < t->n; k++)
			have |= !strcmp(t->items[k].name, ifname);
		struct conf_track *slot = t && !have ? VEC_PUSH(t) : NULL;
		if (slot) {
			*slot = (struct conf_track){.weight = 0, .has_weight = true};
			snprintf(slot->name, sizeof(slot->name), "%s", ifname);
		}
	}
}

/* The daemon's view: each track_group member tracks the interfaces of the
 * static entries naming the group, weight 0 (Fault while down). */
void conf_statics_merge_tracking(struct conf *c)
{
	const struct conf_statics *s = &c->statics;

	for (size_t i = 0; i < s->vips.n; i++)
		if (s->vips.items[i].track_group[0])
			track_iface(c, s->vips.items[i].track_group, s->vips.items[i].dev);
	for (size_t i = 0; i < s->routes.n; i++)
		if (s->routes.items[i].track_group[0])
			track_iface(c, s->routes.items[i].track_group, s->routes.items[i].dev);
	for (size_t i = 0; i < s->rules.n; i++)
		if (s->rules.items[i].track_group[0])
			track_iface(c, s->rules.items[i].track_group, s->rules.items[i].iif);
}
