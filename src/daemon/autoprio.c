/*
 * autoprio.c: keepalived's max_auto_priority and min_auto_priority_delay.
 * When a timer comes due more than min_auto_priority_delay late (the
 * machine is too busy to run vipd in time), vipd moves to SCHED_RR at the
 * lowest realtime priority, or one step higher if it runs there already,
 * up to max_auto_priority; each step is logged with how late the timer
 * was. Scripts do not inherit it (SCHED_RESET_ON_FORK). vrrp_rlimit_rttime
 * applies from the first step when configured (vipd sets no limit itself).
 */
#include <sched.h>
#include <sys/resource.h>

#include "daemon/autoprio.h"
#include "daemon/daemon.h"
#include "lib/log.h"
#include "linux/loop.h"

static void on_late(void *arg, vtime_t late)
{
	struct vipd *d = arg;
	const struct conf_global *g = &d->conf->global;
	struct sched_param sp;

	if (g->max_auto_priority <= 0 || late <= g->min_auto_priority_delay_us)
		return;
	int cur = sched_getscheduler(0) & ~SCHED_RESET_ON_FORK;
	sp.sched_priority = cur == SCHED_RR ? 0 : sched_get_priority_min(SCHED_RR) - 1;
	if (cur == SCHED_RR && sched_getparam(0, &sp) < 0)
		return;
	if (sp.sched_priority >= g->max_auto_priority)
		return;
	sp.sched_priority++;
	log_warnx("a timer ran %lld.%06lld s late: running SCHED_RR at priority %d "
	          "(max_auto_priority %d)",
	          (long long)(late / 1000000), (long long)(late % 1000000), sp.sched_priority,
	          g->max_auto_priority);
	if (sched_setscheduler(0, SCHED_RR | SCHED_RESET_ON_FORK, &sp) < 0) {
		log_warn("max_auto_priority: SCHED_RR priority %d", sp.sched_priority);
		return;
	}
	if (cur != SCHED_RR && g->rlimit_rttime_us > 0) {
		struct rlimit rl = {(rlim_t)g->rlimit_rttime_us / 2, (rlim_t)g->rlimit_rttime_us};
		if (setrlimit(RLIMIT_RTTIME, &rl) < 0)
			log_warn("vrrp_rlimit_rttime %d", g->rlimit_rttime_us);
	}
}

void autoprio_start(struct vipd *d)
{
	loop_on_late(d->loop, on_late, d);
}
