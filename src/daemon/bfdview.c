/*
 * bfdview.c: what a track_bfd reference makes of its bfd_instance's
 * session, as keepalived decides it: the object is up while the session is
 * Up and down in every other state (Down, Init, AdminDown, and before its
 * first Up); weights and reverse as for the other tracked objects.
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
	up = b->s.session_state == BFD_UP;
	v->ok = up;
	v->reverse = t->reverse || b->c->weight_reverse;
	v->state = up ? "UP" : "DOWN";
	snprintf(v->result, sizeof(v->result), "%s, neighbor %s",
	         bfd_state_str(b->s.session_state), bfd_state_str(b->s.remote_session_state));
	if (w == 0 && up == v->reverse)
		snprintf(v->fault, sizeof(v->fault), "bfd_instance %s %s", b->name,
		         up ? "is Up (reverse)" : "is down");
	v->contribution = tracked_contribution(w, v->reverse, up);
}
