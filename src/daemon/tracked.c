/*
 * tracked.c: the table of tracked-object kinds and what they make of an
 * instance: its effective priority (RFC 3768 / RFC 9568 priority, changed
 * by keepalived's weights) and its Fault. Adding a kind: a line in
 * conf_track_kinds (conf.c), a line here, and its view function.
 */
#include <stdio.h>
#include <string.h>

#include "daemon/tracked.h"
#include "daemon/bfdview.h"
#include "daemon/daemon.h"
#include "daemon/iface.h"
#include "daemon/instance.h"
#include "daemon/proc.h"
#include "daemon/sync.h"
#include "daemon/track.h"
#include "vrrp/fsm.h"

const struct tracked_kind tracked_kinds[CONF_TRACK_KINDS] = {
    [CONF_TRACK_SCRIPT] = {"script", script_view, true},
    [CONF_TRACK_PROCESS] = {"process", tproc_view, true},
    [CONF_TRACK_FILE] = {"file", tfile_view, false},
    [CONF_TRACK_INTERFACE] = {"interface", iface_view, true},
    [CONF_TRACK_BFD] = {"bfd", bfd_view, true},
};

int tracked_contribution(int weight, bool reverse, bool up)
{
	int c = weight > 0 ? (up ? weight : 0) : (up ? 0 : weight);

	return reverse ? -c : c;
}

/* keepalived: a sync group member's own weights are ignored (its tracked
 * objects only put it, and so the group, in Fault) unless the group has
 * sync_group_tracking_weight. */
static int member_weight(const struct instance *in, enum conf_track_kind k, int w)
{
	if (!tracked_kinds[k].group_weight)
		return w;
	return in->sync && !in->sync->c->sync_group_tracking_weight ? 0 : w;
}

void tracked_view(const struct instance *in, enum conf_track_kind k, const struct conf_track *t,
                  struct tracked_view *v)
{
	int w = conf_track_weight(in->d->conf, k, t);

	memset(v, 0, sizeof(*v));
	v->weight = w;
	tracked_kinds[k].view(in, t, member_weight(in, k, w), v);
}

/* Recomputes the instance's effective priority and tracking Fault. */
void track_update(struct instance *in)
{
	const struct conf_instance *c = in->c;
	char why[160] = "";
	int sum = 0;

	for (int k = 0; k < CONF_TRACK_KINDS; k++)
		for (size_t i = 0; i < c->tracks[k].n; i++) {
			struct tracked_view v;
			tracked_view(in, (enum conf_track_kind)k, &c->tracks[k].items[i], &v);
			if (!v.exists)
				continue;
			sum += v.contribution;
			if (v.fault[0] && !why[0])
				snprintf(why, sizeof(why), "%s", v.fault);
		}
	instance_set_tracking(in, vrrp_effective_priority(c->priority, sum), why[0] ? why : NULL);
}
