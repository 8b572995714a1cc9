/*
 * notify.c: keepalived's notify scripts and notify FIFO on every transition.
 *
 * notify_master / notify_backup / notify_fault / notify_stop run first, then
 * the generic "notify" with four more arguments: INSTANCE, the name, the new
 * state (MASTER, BACKUP, FAULT, STOP) and the priority. Scripts run without
 * a shell (the command is split into words, "quoted" words kept whole), in
 * their own process group, without blocking the loop; SIGCHLD reaps them.
 * An instance's scripts run one after another, in the order of its
 * transitions: the next starts when the previous exits (or has run for
 * NOTIFY_WAIT_US, logged), so a quick MASTER-BACKUP-MASTER never ends with
 * the backup script's work done last.
 *
 * notify_fifo gets one line per transition, as keepalived writes it:
 *   INSTANCE "VI_1" MASTER 150
 * With notify_fifo_script, vipd creates the FIFO, keeps it open and runs
 * the script with the FIFO's path as its argument (restarted if it exits).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "child.h"
#include "daemon.h"
#include "safefile.h"
#include "log.h"

#define NOTIFY_WAIT_US  10000000 /* the queue moves on after this long */
#define FIFO_RESTART_US 1000000
#define NOTIFY_DRAIN_US 5000000 /* at exit, for the scripts still queued */

struct notify_job {
	char *cmd;
	char *extra[5]; /* INSTANCE name state prio NULL, or all NULL */
	struct child_cred cred;
	struct notify_job *next;
};

static void job_free(struct notify_job *j)
{
	free(j->cmd);
	for (int i = 0; j->extra[i]; i++)
		free(j->extra[i]);
	free(j);
}

static pid_t job_spawn(struct notify_job *j, child_fn fn, void *arg)
{
	pid_t pid = child_spawn(j->cmd, (const char *const *)j->extra, &j->cred, fn, arg);

	if (pid < 0)
		log_warnx("notify script %s could not be started", j->cmd);
	return pid;
}

static void run_next(struct instance *in);

static void on_job_exit(void *arg, int status)
{
	struct instance *in = arg;

	(void)status;
	in->nq_pid = 0;
	loop_timer_cancel(in->d->loop, &in->t_notify);
	run_next(in);
}

static void on_job_wait(struct timer *t, vtime_t now, void *arg)
{
	struct instance *in = arg;

	(void)t;
	(void)now;
	log_warnx("%s: notify script (pid %d) still running after %d s; starting the next one",
	          in->name, (int)in->nq_pid, NOTIFY_WAIT_US / 1000000);
	child_forget(in->nq_pid);
	in->nq_pid = 0;
	run_next(in);
}

static void run_next(struct instance *in)
{
	while (in->nq_pid <= 0 && in->nq) {
		struct notify_job *j = in->nq;
		in->nq = j->next;
		in->nq_pid = job_spawn(j, on_job_exit, in);
		job_free(j);
	}
	if (in->nq_pid > 0)
		loop_timer_set(in->d->loop, &in->t_notify, loop_now() + NOTIFY_WAIT_US);
}

static void enqueue(struct instance *in, const struct conf_cmd *cmd, const char *const *extra)
{
	struct notify_job *j = calloc(1, sizeof(*j)), **p;
	char what[96];

	snprintf(what, sizeof(what), "%s: notify", in->name);
	if (!j || !script_allowed(in->d, what, cmd, &j->cred) || !(j->cmd = strdup(cmd->cmd))) {
		free(j);
		return;
	}
	for (int i = 0; extra && extra[i] && i < 4; i++)
		j->extra[i] = strdup(extra[i]);
	for (p = &in->nq; *p; p = &(*p)->next)
		;
	*p = j;
	run_next(in);
}

void notify_init(struct instance *in)
{
	timer_init(&in->t_notify, on_job_wait, in);
}

static void wait_pid(pid_t pid, vtime_t end)
{
	while (loop_now() < end && waitpid(pid, NULL, WNOHANG) == 0)
		usleep(5000);
}

/* Shutdown: what is queued (notify_stop, ...) still runs in order, each
 * waited for while NOTIFY_DRAIN_US lasts; after that the rest starts at
 * once and vipd exits. */
void notify_drain(struct vipd *d)
{
	vtime_t end = loop_now() + NOTIFY_DRAIN_US;

	for (struct instance *in = d->instances; in; in = in->next) {
		loop_timer_cancel(d->loop, &in->t_notify);
		while (in->nq_pid > 0 || in->nq) {
			if (in->nq_pid > 0) {
				child_forget(in->nq_pid);
				wait_pid(in->nq_pid, end);
				in->nq_pid = 0;
			}
			if (in->nq) {
				struct notify_job *j = in->nq;
				in->nq = j->next;
				in->nq_pid = job_spawn(j, NULL, NULL);
				job_free(j);
			}
		}
	}
}

/* The instance goes away: what is queued still runs, all at once. */
void notify_drop(struct instance *in)
{
	loop_timer_cancel(in->d->loop, &in->t_notify);
	if (in->nq_pid > 0)
		child_forget(in->nq_pid);
	while (in->nq) {
		struct notify_job *j = in->nq;
		in->nq = j->next;
		job_spawn(j, NULL, NULL);
		job_free(j);
	}
	in->nq_pid = 0;
}

/* A FIFO vipd writes to: not a link, root's (or the script user's), that
 * nobody else can write into. */
static int fifo_open(struct vipd *d, const char *path, int flags)
{
	char why[512];
	uid_t user = d->script_cred.set ? d->script_cred.uid : 0;
	int fd = safe_open(path, flags | O_NONBLOCK, 0, S_IFIFO, user, why, sizeof(why));

	if (fd < 0 && errno != ENXIO && errno != ENOENT) /* ENXIO: nobody is reading */
		log_warnx("notify_fifo %s; not used", why);
	return fd;
}

static void fifo_write(struct vipd *d, const char *path, const char *line)
{
	int fd = d->fifo_fd >= 0 ? d->fifo_fd : fifo_open(d, path, O_WRONLY);

	if (fd < 0)
		return; /* nobody is reading */
	if (write(fd, line, strlen(line)) < 0) {
		if (errno == EAGAIN)
			log_warnx("%s is full; a notify line was dropped", path);
		else
			log_warn("writing to %s", path);
	}
	if (fd != d->fifo_fd)
		close(fd);
}

/* notify_master / _backup / _fault / _stop for a new state */
static const struct conf_cmd *state_cmd(const struct conf_notify *n, enum vrrp_state to)
{
	return to == VRRP_STATE_MASTER   ? &n->master
	       : to == VRRP_STATE_BACKUP ? &n->backup
	       : to == VRRP_STATE_FAULT  ? &n->fault
	                                 : &n->stop;
}

/* keepalived's name of a state in notify arguments and FIFO lines */
static const char *notify_state(enum vrrp_state to)
{
	return to == VRRP_STATE_INIT ? "STOP" : vrrp_state_name(to);
}

void notify_transition(struct instance *in, enum vrrp_state to)
{
	const struct conf_notify *n = &in->c->notify;
	const struct conf_cmd *which = state_cmd(n, to);
	const char *state = notify_state(to);
	char prio[8], line[160];

	snprintf(prio, sizeof(prio), "%u", in->fsm.priority);
	if (which->cmd)
		enqueue(in, which, NULL);
	if (n->any.cmd) {
		const char *extra[] = {"INSTANCE", in->name, state, prio, NULL};
		enqueue(in, &n->any, extra);
	}
	const struct conf_global *g = &in->d->conf->global;
	if (g->notify_fifo.cmd) {
		snprintf(line, sizeof(line), "INSTANCE \"%s\" %s %s\n", in->name, state, prio);
		fifo_write(in->d, g->notify_fifo.cmd, line);
	}
}

/* vipd extension: notify_split_brain INSTANCE name SPLIT_BRAIN|SPLIT_BRAIN_OVER
 * other-master-address */
void notify_split_brain(struct instance *in, bool on)
{
	char a[ADDR_STRLEN];
	const char *extra[] = {"INSTANCE", in->name, on ? "SPLIT_BRAIN" : "SPLIT_BRAIN_OVER",
	                       addr_ntop(&in->sb_peer, a), NULL};

	if (in->c->notify.split_brain.cmd)
		enqueue(in, &in->c->notify.split_brain, extra);
}

/* A sync group's transition: its notify_* scripts, then the generic one with
 * GROUP name STATE, in the queue of its first member. */
void notify_group(struct sync_rt *g, enum vrrp_state to)
{
	const struct conf_notify *n = &g->c->notify;
	const struct conf_cmd *which = state_cmd(n, to);
	const char *state = notify_state(to);
	const char *extra[] = {"GROUP", g->c->name, state, NULL};
	const struct conf_global *gl;
	char line[160];

	if (!g->n)
		return;
	if (which->cmd)
		enqueue(g->m[0], which, NULL);
	if (n->any.cmd)
		enqueue(g->m[0], &n->any, extra);
	gl = &g->m[0]->d->conf->global;
	if (gl->notify_fifo.cmd) {
		snprintf(line, sizeof(line), "GROUP \"%s\" %s\n", g->c->name, state);
		fifo_write(g->m[0]->d, gl->notify_fifo.cmd, line);
	}
}

static void fifo_script_start(struct vipd *d);

static void on_fifo_script_exit(void *arg, int status)
{
	struct vipd *d = arg;

	d->fifo_pid = 0;
	log_warnx("notify_fifo_script %s %s; restarting it", d->fifo_script,
	          WIFEXITED(status) ? "exited" : "was killed");
	loop_timer_set(d->loop, &d->t_fifo, loop_now() + FIFO_RESTART_US);
}

static void on_fifo_restart(struct timer *t, vtime_t now, void *arg)
{
	(void)t;
	(void)now;
	fifo_script_start(arg);
}

static void fifo_script_start(struct vipd *d)
{
	const struct conf_global *g = &d->conf->global;
	struct child_cred cred;
	const char *extra[] = {g->notify_fifo.cmd, NULL};

	if (!script_allowed(d, "notify_fifo_script", &g->notify_fifo_script, &cred))
		return;
	d->fifo_pid = child_spawn(g->notify_fifo_script.cmd, extra, &cred, on_fifo_script_exit, d);
	if (d->fifo_pid < 0) {
		d->fifo_pid = 0;
		log_warnx("notify_fifo_script %s could not be started", g->notify_fifo_script.cmd);
	}
}

/* notify_fifo (and notify_fifo_script): at start and on reload. */
void notify_fifo_start(struct vipd *d)
{
	const struct conf_global *g = &d->conf->global;

	if (d->fifo_fd >= 0 && g->notify_fifo.cmd && g->notify_fifo_script.cmd &&
	    !strcmp(d->fifo_path, g->notify_fifo.cmd) &&
	    !strcmp(d->fifo_script, g->notify_fifo_script.cmd))
		return; /* reload without a change: the reader keeps running */
	notify_fifo_stop(d, true);
	timer_init(&d->t_fifo, on_fifo_restart, d);
	if (!g->notify_fifo.cmd || !g->notify_fifo_script.cmd)
		return; /* a plain FIFO: written if somebody has it open */
	if (mkfifo(g->notify_fifo.cmd, 0600) < 0 && errno != EEXIST) {
		log_warn("notify_fifo %s", g->notify_fifo.cmd);
		return;
	}
	/* read-write: opening never blocks, and lines wait for the reader */
	if ((d->fifo_fd = fifo_open(d, g->notify_fifo.cmd, O_RDWR)) < 0)
		return;
	snprintf(d->fifo_path, sizeof(d->fifo_path), "%s", g->notify_fifo.cmd);
	snprintf(d->fifo_script, sizeof(d->fifo_script), "%s", g->notify_fifo_script.cmd);
	fifo_script_start(d);
}

/* kill: on a change of config; at exit the script reads what is left and
 * sees the end of the FIFO. */
void notify_fifo_stop(struct vipd *d, bool kill)
{
	if (d->loop)
		loop_timer_cancel(d->loop, &d->t_fifo);
	if (d->fifo_pid > 0) {
		child_forget(d->fifo_pid);
		if (kill)
			child_kill(d->fifo_pid);
	}
	d->fifo_pid = 0;
	if (d->fifo_fd >= 0)
		close(d->fifo_fd);
	d->fifo_fd = -1;
}

void notify_reap(void)
{
	child_reap();
}
