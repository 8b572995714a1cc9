/*
 * lifescript.c: keepalived's startup_script and shutdown_script. The
 * startup script runs once, before the instances start (they start when it
 * exits, or when startup_script_timeout kills it; the loop keeps running
 * meanwhile); the shutdown script runs once the instances have stopped and
 * released their VIPs, and vipd waits for it up to shutdown_script_timeout.
 * Both run as notify scripts do (script_user, enable_script_security).
 * The struct lifescript in struct vipd belongs to this file.
 */
#include <errno.h>
#include <sys/wait.h>
#include <unistd.h>

#include "daemon/lifescript.h"
#include "daemon/daemon.h"
#include "daemon/track.h"
#include "lib/log.h"
#include "linux/child.h"
#include "linux/loop.h"

static void report(const char *what, int status)
{
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		log_info("%s exited 0", what);
	else if (WIFEXITED(status))
		log_warnx("%s exited %d", what, WEXITSTATUS(status));
	else
		log_warnx("%s killed by signal %d", what, WTERMSIG(status));
}

static void startup_over(struct vipd *d)
{
	struct lifescript *ls = &d->lifescript;

	loop_timer_cancel(d->loop, &ls->t);
	ls->pid = 0;
	if (ls->then) {
		void (*then)(struct vipd *) = ls->then;
		ls->then = NULL;
		then(d);
	}
}

static void on_startup_exit(void *arg, int status)
{
	report("startup_script", status);
	startup_over(arg);
}

static void on_startup_timeout(struct timer *t, vtime_t now, void *arg)
{
	struct vipd *d = arg;

	log_warnx("startup_script still running after %.1f s (startup_script_timeout); killed, "
	          "starting the instances",
	          (double)d->conf->global.startup_script_timeout_us / 1e6);
	child_forget(d->lifescript.pid);
	child_kill(d->lifescript.pid);
	startup_over(d);
}

void lifescript_startup(struct vipd *d, void (*then)(struct vipd *d))
{
	const struct conf_global *g = &d->conf->global;
	struct lifescript *ls = &d->lifescript;
	struct child_cred cred;

	ls->then = then;
	timer_init(&ls->t, on_startup_timeout, d);
	script_user_init(d); /* script_user, for this script too */
	if (!g->startup_script.cmd ||
	    !script_allowed(d, "startup_script", &g->startup_script, &cred, true)) {
		startup_over(d);
		return;
	}
	log_info("running startup_script %s before the instances start", g->startup_script.cmd);
	if ((ls->pid = child_spawn(g->startup_script.cmd, NULL, &cred, on_startup_exit, d)) < 0) {
		log_warnx("startup_script %s could not be started", g->startup_script.cmd);
		startup_over(d);
		return;
	}
	loop_timer_set(d->loop, &ls->t, loop_now() + (vtime_t)g->startup_script_timeout_us);
}

void lifescript_shutdown(struct vipd *d)
{
	const struct conf_global *g = &d->conf->global;
	struct lifescript *ls = &d->lifescript;
	struct child_cred cred;
	int status = 0;

	if (ls->pid > 0) { /* stopped while the startup script ran */
		child_forget(ls->pid);
		child_kill(ls->pid);
		ls->pid = 0;
	}
	loop_timer_cancel(d->loop, &ls->t);
	if (!g->shutdown_script.cmd ||
	    !script_allowed(d, "shutdown_script", &g->shutdown_script, &cred, true))
		return;
	pid_t pid = child_spawn(g->shutdown_script.cmd, NULL, &cred, NULL, NULL);
	if (pid < 0) {
		log_warnx("shutdown_script %s could not be started", g->shutdown_script.cmd);
		return;
	}
	child_forget(pid);
	vtime_t end = loop_now() + (vtime_t)g->shutdown_script_timeout_us;
	pid_t r;
	while ((r = waitpid(pid, &status, WNOHANG)) == 0 && loop_now() < end)
		usleep(5000);
	if (r == pid) {
		report("shutdown_script", status);
		return;
	}
	log_warnx("shutdown_script still running after %.1f s (shutdown_script_timeout); killed",
	          (double)g->shutdown_script_timeout_us / 1e6);
	child_kill(pid);
	waitpid(pid, NULL, 0);
}
