/*
 * daemon.c: the vipd process: event loop, instances, signals.
 */
#include "log.h"
#include "vipd.h"

int vipd_run(const struct vipd_opts *o)
{
	(void)o;
	log_warnx("the daemon is not built yet");
	return 1;
}
