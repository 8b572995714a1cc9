/*
 * splitbrain.c: split brain (a vipd extension): a master that hears another
 * master for its VRID, at any priority, while staying master: both may hold
 * the VIPs. Logged and reported (notify_split_brain) once per episode, the
 * episodes rate-limited; an episode ends when that master has been silent
 * for 4 advert intervals or this host leaves Master. The fields are the
 * instance's (sb_*), owned here.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/splitbrain.h"
#include "daemon/daemon.h"
#include "daemon/instance.h"
#include "daemon/notify.h"
#include "lib/log.h"
#include "linux/loop.h"
#include "vrrp/fsm.h"

#define SB_LOG_EVERY (10 * VTIME_SEC)
#define SB_BURST     3                /* episodes reported back to back */
#define SB_REFILL_US (20 * VTIME_SEC) /* then one more every 20 s */

static vtime_t sb_quiet(const struct instance *in)
{
	return 4 * (vtime_t)in->c->advert_int_us;
}

/* May a new episode be logged and notified? A LAN host that sends adverts
 * from ever new sources (or stops and starts) gets SB_BURST reports, then
 * one per SB_REFILL_US; the rest are counted. */
static bool sb_may_report(struct instance *in, vtime_t now)
{
	if (!in->sb_refill_at) {
		in->sb_tokens = SB_BURST;
		in->sb_refill_at = now;
	}
	while (in->sb_tokens < SB_BURST && now - in->sb_refill_at >= SB_REFILL_US) {
		in->sb_tokens++;
		in->sb_refill_at += SB_REFILL_US;
	}
	if (in->sb_tokens == SB_BURST)
		in->sb_refill_at = now;
	if (in->sb_tokens == 0)
		return false;
	in->sb_tokens--;
	return true;
}

static void split_brain_start(struct instance *in, const struct addr *src, uint8_t prio,
                              vtime_t now)
{
	char a[ADDR_STRLEN];

	in->sb_active = true;
	in->sb_peer = *src;
	in->sb_since = now;
	in->sb_logged = now;
	in->sb_others = 0;
	in->st.split_brains++;
	in->sb_reported = sb_may_report(in, now);
	if (in->sb_reported) {
		log_warnx("%s: split brain: %s also advertises as master of VRID %d (priority %u, "
		          "ours %u); both may hold the VIPs",
		          in->name, addr_ntop(src, a), in->c->vrid, prio, in->fsm.priority);
		notify_split_brain(in, true);
		return;
	}
	in->sb_held++;
	if (now - in->sb_held_logged >= SB_LOG_EVERY) {
		in->sb_held_logged = now;
		log_warnx("%s: split brain again (%s, priority %u); %llu episode(s) not reported "
		          "one by one (more than %d in %d s)",
		          in->name, addr_ntop(src, a), prio, (unsigned long long)in->sb_held,
		          SB_BURST, (int)(SB_REFILL_US / VTIME_SEC));
	}
}

void split_brain_heard(struct instance *in, const struct addr *src, uint8_t prio, vtime_t now)
{
	char a[ADDR_STRLEN];

	in->sb_adverts++;
	in->sb_last = now;
	if (!in->sb_active) {
		in->sb_prio = prio;
		split_brain_start(in, src, prio, now);
	} else if (!addr_eq(&in->sb_peer, src)) {
		in->sb_others++; /* one episode, whatever the number of sources */
	} else {
		in->sb_prio = prio;
	}
	if (in->sb_active && in->sb_reported && now - in->sb_logged >= SB_LOG_EVERY) {
		in->sb_logged = now;
		log_warnx("%s: split brain goes on: %s still advertises as master (%.0f s)%s",
		          in->name, addr_ntop(&in->sb_peer, a), (double)(now - in->sb_since) / 1e6,
		          in->sb_others ? "; other sources too" : "");
	}
	loop_timer_set(in->d->loop, &in->t_sb, now + sb_quiet(in));
}

void split_brain_over(struct instance *in, const char *why)
{
	char a[ADDR_STRLEN];

	in->sb_active = false;
	loop_timer_cancel(in->d->loop, &in->t_sb);
	if (!in->sb_reported)
		return;
	log_info("%s: split brain over after %.1f s: %s (other master %s)", in->name,
	         (double)(loop_now() - in->sb_since) / 1e6, why, addr_ntop(&in->sb_peer, a));
	notify_split_brain(in, false);
}

static void on_sb_timer(struct timer *t, vtime_t now, void *arg)
{
	struct instance *in = arg;

	if (in->sb_active && now - in->sb_last >= sb_quiet(in))
		split_brain_over(in, "the other master has gone quiet");
}

void split_brain_init(struct instance *in)
{
	timer_init(&in->t_sb, on_sb_timer, in);
}
