/*
 * bfdview.c: what a track_bfd reference makes of its bfd_instance's
 * session, as keepalived's VRRP process hears it from its BFD process: down
 * until the session's first Up, up from then until it falls from Up for a
 * reason other than the neighbor's AdminDown (a peer under maintenance
 * keeps the last word); weights and reverse as for the other tracked
 * objects.
 */
#include <stdio.h>

#include "daemon/bfdview.h"
#include "daemon/bfd.h"
#include "daemon/instance.h"

void bfd_view(const struct instance *in, const struct conf_track *t, int w, struct tracked_view *v)
{
	struct bfd_rt *b = bfd_find(in->d, t->name);
	bool up;

	if (!(v->exists = b != NULL))
		return;
	up = b->tracked_up;
	v->ok = up;
	v->reverse = t->reverse || b->c->weight_reverse;
	v->state = up ? "UP" : "DOWN";
	snprintf(v->result, sizeof(v->result), "%s, neighbor %s",
	         bfd_state_str(b->s.session_state), bfd_state_str(b->s.remote_session_state));
	if (w == 0 && up == v->reverse)
		snprintf(v->fault, sizeof(v->fault), "bfd_instance %s %s", b->name,
		         up ? "is up (reverse)" : "is down");
	v->contribution = tracked_contribution(w, v->reverse, up);
}
