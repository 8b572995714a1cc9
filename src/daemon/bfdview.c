/*
 * bfdview.c: what a track_bfd reference shows. No BFD session runs yet, so
 * the bfd_instance does not exist at run time: it adds nothing to the
 * priority, holds nothing in Fault, and status shows it MISSING.
 */
#include "daemon/bfdview.h"

void bfd_view(const struct instance *in, const struct conf_track *t, int w, struct tracked_view *v)
{
	v->exists = false;
	v->state = "MISSING";
}
