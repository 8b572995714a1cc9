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
 *
 * sync.c owns the run-time groups (struct sync_rt) and their membership;
 * what a group decides is pure (vrrp/group.c), and the member instances
 * carry it out (instance.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/daemon.h"
#include "daemon/instance.h"
#include "daemon/notify.h"
#include "daemon/sync.h"
#include "daemon/tracked.h"
#include "lib/log.h"
#include "linux/loop.h"
#include "vrrp/fsm.h"
#include "vrrp/group.h"

/* keepalived: in a group without sync_group_tracking_weight the members'
 * weights do not count (a failure means Fault): say so where one is set. */
static void warn_weights(const struct instance *in, const char *group)
{
	for (int k = 0; k < CONF_TRACK_KINDS; k++)
		for (size_t i = 0; tracked_kinds[k].group_weight && i < in->c->tracks[k].n; i++) {
			const struct conf_track *t = &in->c->tracks[k].items[i];
			if (conf_track_weight(in->d->conf, (enum conf_track_kind)k, t))
				log_warnx(
				    "%s: weight of %s ignored in vrrp_sync_group %s (a failure "
				    "means Fault; see sync_group_tracking_weight)",
				    in->name, t->name, group);
		}
}

void sync_stop(struct vipd *d)
{
	for (struct instance *in = d->instances; in; in = in->next) {
		in->sync = NULL;
		instance_fsm_config(in);
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
					instance_fsm_config(in);
				}
		g->next = d->syncs;
		d->syncs = g;
		if (!c->sync_group_tracking_weight)
			for (size_t k = 0; k < g->n; k++)
				warn_weights(g->m[k], c->name);
	}
}

/* The members as the group's decision sees them (m: g->n items). */
void sync_snapshot(const struct sync_rt *g, struct group_member *m)
{
	for (size_t i = 0; i < g->n; i++) {
		const struct instance *in = g->m[i];
		m[i] = (struct group_member){
		    .state = in->fsm.state,
		    .want_master = in->fsm.want_master,
		    .own_fault = in->if_fault || in->track_fault,
		    .held = in->sync_fault,
		};
	}
}

size_t sync_index(const struct sync_rt *g, const struct instance *in)
{
	size_t i = 0;

	while (i < g->n && g->m[i] != in)
		i++;
	return i;
}

void sync_changed(struct sync_rt *g)
{
	struct group_member *m = calloc(g->n ? g->n : 1, sizeof(*m));
	enum vrrp_state s;

	if (!m)
		return;
	sync_snapshot(g, m);
	s = group_state(m, g->n);
	free(m);
	if (s == g->state)
		return;
	log_info("vrrp_sync_group %s: %s -> %s", g->c->name, vrrp_state_name(g->state),
	         vrrp_state_name(s));
	g->state = s;
	notify_group(g, s);
}
