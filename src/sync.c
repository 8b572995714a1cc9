/*
 * sync.c: vrrp_sync_group (keepalived): the members of a group change state
 * together.
 *
 * - A member in Fault (its interface, its tracking) holds every other
 *   member in Fault.
 * - A member leaving Master takes the others out of Master; they send
 *   priority 0 so the peer's group takes over after Skew_Time.
 * - A member ready for Master (its Master_Down_Timer ran out, or it
 *   preempts) waits until every member is ready; then all go together.
 * - The group's own track_script / track_interface / track_file /
 *   track_process apply to each member: Fault while down, or their weights
 *   with sync_group_tracking_weight.
 * - Group notify scripts run on the group's transitions (GROUP name STATE).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon.h"
#include "log.h"

static void warn_list(const struct instance *in, const char *group, const struct conf_track *t,
                      size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (t[i].has_weight && t[i].weight)
			log_warnx("%s: weight of %s ignored in vrrp_sync_group %s (a failure "
			          "means Fault; see sync_group_tracking_weight)",
			          in->name, t[i].name, group);
}

static void warn_weights(const struct instance *in, const char *group)
{
	const struct conf_instance *c = in->c;

	warn_list(in, group, c->track_scripts.items, c->track_scripts.n);
	warn_list(in, group, c->track_interfaces.items, c->track_interfaces.n);
	warn_list(in, group, c->track_processes.items, c->track_processes.n);
	for (size_t i = 0; i < c->track_scripts.n; i++) {
		const struct conf_track *t = &c->track_scripts.items[i];
		for (size_t k = 0; !t->has_weight && k < in->d->conf->scripts.n; k++)
			if (!strcmp(in->d->conf->scripts.items[k].name, t->name) &&
			    in->d->conf->scripts.items[k].weight)
				log_warnx("%s: weight of %s ignored in vrrp_sync_group %s (a "
				          "failure means Fault; see sync_group_tracking_weight)",
				          in->name, t->name, group);
	}
}

void sync_stop(struct vipd *d)
{
	for (struct instance *in = d->instances; in; in = in->next) {
		in->sync = NULL;
		in->fsm.cfg.sync = false;
	}
	while (d->syncs) {
		struct sync_rt *g = d->syncs;
		d->syncs = g->next;
		free(g->m);
		free(g);
	}
}

void sync_start(struct vipd *d)
{
	sync_stop(d);
	for (size_t i = 0; i < d->conf->sync_groups.n; i++) {
		const struct conf_sync_group *c = &d->conf->sync_groups.items[i];
		struct sync_rt *g = calloc(1, sizeof(*g));
		if (!g || !(g->m = calloc(c->members.n + 1, sizeof(*g->m)))) {
			free(g);
			continue;
		}
		g->c = c;
		g->state = VRRP_STATE_INIT;
		for (struct instance *in = d->instances; in; in = in->next)
			for (size_t k = 0; k < c->members.n; k++)
				if (!strcmp(in->name, c->members.items[k])) {
					g->m[g->n++] = in;
					in->sync = g;
					in->fsm.cfg.sync = true;
				}
		g->next = d->syncs;
		d->syncs = g;
		if (!c->sync_group_tracking_weight)
			for (size_t k = 0; k < g->n; k++)
				warn_weights(g->m[k], c->name);
	}
}

static enum vrrp_state group_state(const struct sync_rt *g)
{
	size_t master = 0, init = 0;

	for (size_t i = 0; i < g->n; i++) {
		if (g->m[i]->fsm.state == VRRP_STATE_FAULT)
			return VRRP_STATE_FAULT;
		master += g->m[i]->fsm.state == VRRP_STATE_MASTER;
		init += g->m[i]->fsm.state == VRRP_STATE_INIT;
	}
	return master == g->n ? VRRP_STATE_MASTER
	       : init == g->n ? VRRP_STATE_INIT
	                      : VRRP_STATE_BACKUP;
}

static void group_changed(struct sync_rt *g)
{
	enum vrrp_state s = group_state(g);

	if (s == g->state)
		return;
	log_info("vrrp_sync_group %s: %s -> %s", g->c->name, vrrp_state_name(g->state),
	         vrrp_state_name(s));
	g->state = s;
	notify_group(g, s);
}

/* Every member Master, or Backup and ready for it: go. */
static void try_master(struct sync_rt *g, vtime_t now)
{
	char why[160];

	for (size_t i = 0; i < g->n; i++) {
		const struct fsm *f = &g->m[i]->fsm;
		if (f->state != VRRP_STATE_MASTER &&
		    !(f->state == VRRP_STATE_BACKUP && f->want_master))
			return;
	}
	snprintf(why, sizeof(why), "vrrp_sync_group %s: every member is ready for Master",
	         g->c->name);
	for (size_t i = 0; i < g->n; i++) {
		struct fsm_out out;
		fsm_sync_master(&g->m[i]->fsm, now, why, &out);
		instance_apply(g->m[i], now, &out);
	}
}

/* After a member's state machine ran (instance.c apply). */
void sync_event(struct instance *in, vtime_t now, const struct fsm_out *out)
{
	struct sync_rt *g = in->sync;
	char why[160];

	if (!g || in->d->in_sync)
		return;
	in->d->in_sync = true;
	if (out->actions & FSM_ACT_NOTIFY && out->from == VRRP_STATE_MASTER &&
	    out->to == VRRP_STATE_BACKUP) {
		snprintf(why, sizeof(why), "vrrp_sync_group %s: %s left Master", g->c->name,
		         in->name);
		for (size_t i = 0; i < g->n; i++) {
			struct fsm_out o;
			if (g->m[i] == in || g->m[i]->fsm.state != VRRP_STATE_MASTER)
				continue;
			fsm_sync_backup(&g->m[i]->fsm, now, why, &o);
			instance_apply(g->m[i], now, &o);
		}
	}
	if (out->actions & FSM_ACT_SYNC_WANT)
		try_master(g, now);
	in->d->in_sync = false;
	if (out->actions & FSM_ACT_NOTIFY || out->actions & FSM_ACT_SYNC_WANT)
		group_changed(g);
}

/* A member's own fault (interface, tracking) changed: every other member
 * is held in Fault while any member is. */
void sync_fault_update(struct instance *in)
{
	struct sync_rt *g = in->sync;
	const struct instance *cause = NULL;
	vtime_t now = loop_now();
	char why[160];

	if (!g)
		return;
	for (size_t i = 0; i < g->n && !cause; i++)
		if (g->m[i]->if_fault || g->m[i]->track_fault)
			cause = g->m[i];
	snprintf(why, sizeof(why), "vrrp_sync_group %.60s: %.60s %s", g->c->name,
	         cause ? cause->name : "every member", cause ? "is in Fault" : "is out of Fault");
	for (size_t i = 0; i < g->n; i++) {
		struct instance *m = g->m[i];
		bool hold = cause && !m->if_fault && !m->track_fault;
		struct fsm_out out;
		if (hold == m->sync_fault)
			continue;
		m->sync_fault = hold;
		fsm_fault(&m->fsm, now, hold, why, &out);
		instance_apply(m, now, &out);
	}
	group_changed(g);
}
