/*
 * procname.c: global_defs' process_name and vrrp_process_name as vipd's
 * comm (prctl PR_SET_NAME: what pidof, pgrep -x, ps -o comm and top show).
 * keepalived names its main process and its VRRP child apart; vipd is both
 * at once, and does the VRRP child's work, so vrrp_process_name (also set
 * by process_names, to keepalived_vrrp) wins over process_name: a check
 * for keepalived's VRRP process finds vipd. With neither, the comm vipd
 * started with; a reload applies a change. Owns the comm it started with.
 */
#include <string.h>
#include <sys/prctl.h>

#include "conf/conf.h"
#include "daemon/procname.h"
#include "lib/log.h"

static char started_as[CONF_COMM_MAX + 1];

void procname_apply(const struct conf_global *g)
{
	char now[CONF_COMM_MAX + 1] = "";
	const char *want = g->vrrp_process_name ? g->vrrp_process_name : g->process_name;

	prctl(PR_GET_NAME, now, 0, 0, 0);
	if (!started_as[0])
		memcpy(started_as, now, sizeof(started_as));
	if (!want)
		want = started_as;
	if (!strcmp(now, want))
		return;
	if (prctl(PR_SET_NAME, want, 0, 0, 0) < 0)
		log_warn("process name %s", want);
	else
		log_info("process name %s (was %s)", want, now);
}
