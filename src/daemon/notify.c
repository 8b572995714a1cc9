/*
 * notify.c: keepalived's notify scripts and notify FIFO on every transition.
 *
 * notify_master / notify_backup / notify_fault / notify_stop run first, then
 * the generic "notify" with four more arguments: INSTANCE, the name, the new
 * state (MASTER, BACKUP, FAULT, STOP) and the priority. Scripts run without
 * a shell (the command is split into words, "quoted" words kept whole), in
 * their own process group, without blocking the loop; SIGCHLD reaps them.
 * An instance's scripts run one after another, in the order of its
 * transitions: the next starts when the previous exits (or, after
 * NOTIFY_WAIT_US, is killed with its process group, logged), so a quick
 * MASTER-BACKUP-MASTER never ends with the backup script's work done last.
 * At most NOTIFY_MAX_WAITING wait; when more come, the oldest waiting one
 * gives way. notify_split_brain reports run in a lane of their own, where
 * one waits at most (the newest), so a transition never waits behind
 * reports, however many a LAN host provokes.
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

#include "linux/child.h"
#include "daemon/alert.h"
#include "daemon/daemon.h"
#include "daemon/instance.h"
#include "daemon/notify.h"
#include "daemon/sync.h"
#include "daemon/sync.h"
#include "daemon/track.h"
#include "lib/safefile.h"
#include "lib/log.h"
#include "linux/loop.h"
#include "vrrp/fsm.h"
#include "lib/timer.h"

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
	else
		log_trace(LOG_NOTIFY, "started %s, pid %d", j->cmd, (int)pid);
	return pid;
}

/* ---- lanes: one script at a time, bounded, each within its limit ---- */

static void lane_next(struct notify_lane *l);

static void on_job_exit(void *arg, int status)
{
	struct notify_lane *l = arg;

	l->pid = 0;
	loop_timer_cancel(l->d->loop, &l->t);
	lane_next(l);
}

static void on_job_limit(struct timer *t, vtime_t now, void *arg)
{
	struct notify_lane *l = arg;

	log_warnx("%s: notify script (pid %d) still running after %d s; killed, starting the "
	          "next one",
	          l->name, (int)l->pid, NOTIFY_WAIT_US / 1000000);
	child_forget(l->pid);
	child_kill(l->pid);
	l->pid = 0;
	lane_next(l);
}

static struct notify_job *lane_pop(struct notify_lane *l)
{
	struct notify_job *j = l->q;

	if (j) {
		l->q = j->next;
		l->n--;
	}
	return j;
}

/* Starts the next script if none is running; one at a time, so a backlog
 * never starts at once. */
static void lane_next(struct notify_lane *l)
{
	while (l->pid <= 0 && l->q) {
		struct notify_job *j = lane_pop(l);
		l->pid = job_spawn(j, on_job_exit, l);
		job_free(j);
	}
	if (l->pid > 0)
		loop_timer_set(l->d->loop, &l->t, loop_now() + NOTIFY_WAIT_US);
}

static void lane_push(struct notify_lane *l, struct notify_job *j)
{
	struct notify_job **p;

	if (l->n >= l->max) { /* full: the oldest waiting one gives way */
		struct notify_job *old = lane_pop(l);
		vtime_t now = loop_now();
		if (now - l->dropped_logged > 10 * VTIME_SEC) {
			log_warnx("%s: %zu notify scripts waiting; %s is dropped", l->name, l->max,
			          old->cmd);
			l->dropped_logged = now;
		}
		job_free(old);
	}
	for (p = &l->q; *p; p = &(*p)->next)
		;
	*p = j;
	l->n++;
	lane_next(l);
}

static void lane_init(struct notify_lane *l, struct vipd *d, const char *name, size_t max)
{
	memset(l, 0, sizeof(*l));
	l->d = d;
	l->max = max;
	snprintf(l->name, sizeof(l->name), "%s", name);
	timer_init(&l->t, on_job_limit, l);
}

/* The lane's owner goes: its waiting scripts move to `to` (NULL: dropped),
 * the running one is left to finish. */
static void lane_hand_over(struct notify_lane *l, struct notify_lane *to)
{
	struct notify_job *j;

	loop_timer_cancel(l->d->loop, &l->t);
	if (l->pid > 0)
		child_forget(l->pid);
	l->pid = 0;
	while ((j = lane_pop(l))) {
		if (to)
			lane_push(to, j);
		else
			job_free(j);
	}
}

static void wait_pid(pid_t pid, vtime_t end)
{
	while (loop_now() < end && waitpid(pid, NULL, WNOHANG) == 0)
		usleep(5000);
}

/* Shutdown: the lane's scripts still run in order, each waited for until
 * end; after that each starts without waiting. */
static void lane_drain(struct notify_lane *l, vtime_t end)
{
	loop_timer_cancel(l->d->loop, &l->t);
	while (l->pid > 0 || l->q) {
		if (l->pid > 0) {
			child_forget(l->pid);
			wait_pid(l->pid, end);
			l->pid = 0;
		}
		struct notify_job *j = lane_pop(l);
		if (j) {
			l->pid = job_spawn(j, NULL, NULL);
			job_free(j);
		}
	}
}

static struct notify_job *job_new(struct instance *in, const struct conf_cmd *cmd,
                                  const char *const *extra)
{
	struct notify_job *j = calloc(1, sizeof(*j));
	char what[96];

	snprintf(what, sizeof(what), "%s: notify", in->name);
	if (!j || !script_allowed(in->d, what, cmd, &j->cred, false) ||
	    !(j->cmd = strdup(cmd->cmd))) {
		free(j);
		return NULL;
	}
	for (int i = 0; extra && extra[i] && i < 4; i++)
		j->extra[i] = strdup(extra[i]);
	return j;
}

static void enqueue(struct instance *in, const struct conf_cmd *cmd, const char *const *extra)
{
	struct notify_job *j = job_new(in, cmd, extra);

	if (j)
		lane_push(&in->nl_trans, j);
}

#define NOTIFY_MAX_WAITING 16 /* transitions of one instance */
#define NOTIFY_MAX_ORPHANS 32

void notify_init(struct instance *in)
{
	char name[CONF_NAME_MAX + 16];

	lane_init(&in->nl_trans, in->d, in->name, NOTIFY_MAX_WAITING);
	snprintf(name, sizeof(name), "%s (split brain)", in->name);
	lane_init(&in->nl_reports, in->d, name, 1); /* the newest report replaces one waiting */
	if (!in->d->orphans.d)
		lane_init(&in->d->orphans, in->d, "removed instances", NOTIFY_MAX_ORPHANS);
}

void notify_drain(struct vipd *d)
{
	vtime_t end = loop_now() + NOTIFY_DRAIN_US;

	for (struct instance *in = d->instances; in; in = in->next) {
		lane_drain(&in->nl_trans, end);
		lane_drain(&in->nl_reports, end);
	}
	if (d->orphans.d)
		lane_drain(&d->orphans, end);
}

/* The instance goes away: its transition scripts still run, one at a
 * time, in the daemon's lane; waiting reports are dropped. */
void notify_drop(struct instance *in)
{
	lane_hand_over(&in->nl_trans, &in->d->orphans);
	lane_hand_over(&in->nl_reports, NULL);
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

/* An instance line on the notify FIFO: INSTANCE "name" WHAT priority */
static void fifo_instance(struct instance *in, const char *what)
{
	const struct conf_global *g = &in->d->conf->global;
	char line[160];

	if (!g->notify_fifo.cmd)
		return;
	snprintf(line, sizeof(line), "INSTANCE \"%s\" %s %u\n", in->name, what, in->fsm.priority);
	fifo_write(in->d, g->notify_fifo.cmd, line);
}

/* keepalived's notify_master_rx_lower_pri: the script, and
 * MASTER_RX_LOWER_PRI on the FIFO. */
void notify_rx_lower(struct instance *in)
{
	if (in->c->notify.master_rx_lower_pri.cmd)
		enqueue(in, &in->c->notify.master_rx_lower_pri, NULL);
	fifo_instance(in, "MASTER_RX_LOWER_PRI");
}

/* notify_priority_changes (the instance's, its sync group's or
 * vrrp_notify_priority_changes): MASTER_PRIORITY / BACKUP_PRIORITY lines. */
void notify_priority(struct instance *in)
{
	if (!in->c->notify.priority_changes && !in->d->conf->global.notify_priority_changes &&
	    !(in->sync && in->sync->c->notify.priority_changes))
		return;
	if (in->fsm.state == VRRP_STATE_INIT)
		return;
	fifo_instance(in,
	              in->fsm.state == VRRP_STATE_MASTER ? "MASTER_PRIORITY" : "BACKUP_PRIORITY");
}

/* fifo_write_vrrp_states_on_reload: every instance's and group's state. */
void notify_reload_states(struct vipd *d)
{
	if (!d->conf->global.fifo_write_states_on_reload || !d->conf->global.notify_fifo.cmd)
		return;
	for (struct instance *in = d->instances; in; in = in->next)
		fifo_instance(in, notify_state(in->fsm.state));
	for (struct sync_rt *g = d->syncs; g; g = g->next) {
		char line[160];
		snprintf(line, sizeof(line), "GROUP \"%s\" %s 0\n", g->c->name,
		         notify_state(g->state));
		fifo_write(d, d->conf->global.notify_fifo.cmd, line);
	}
}

void notify_transition(struct instance *in, enum vrrp_state to)
{
	const struct conf_notify *n = &in->c->notify;
	const struct conf_cmd *which = state_cmd(n, to);
	const char *state = notify_state(to);
	char prio[8];

	if (to == VRRP_STATE_INIT && in->deleted) { /* keepalived: a reload dropped it */
		state = n->deleted_set ? "DELETED" : "FAULT";
		which = n->deleted_set ? &n->deleted : &n->fault;
	}

	snprintf(prio, sizeof(prio), "%u", in->fsm.priority);
	if (which->cmd)
		enqueue(in, which, NULL);
	if (n->any.cmd) {
		const char *extra[] = {"INSTANCE", in->name, state, prio, NULL};
		enqueue(in, &n->any, extra);
	}
	fifo_instance(in, state);
	alert_instance(in, to);
}

/* vipd extension: notify_split_brain INSTANCE name SPLIT_BRAIN|SPLIT_BRAIN_OVER
 * other-master-address */
void notify_split_brain(struct instance *in, bool on)
{
	char a[ADDR_STRLEN];
	const char *extra[] = {"INSTANCE", in->name, on ? "SPLIT_BRAIN" : "SPLIT_BRAIN_OVER",
	                       addr_ntop(&in->sb_peer, a), NULL};

	struct notify_job *j;
	if (in->c->notify.split_brain.cmd && (j = job_new(in, &in->c->notify.split_brain, extra)))
		lane_push(&in->nl_reports, j);
}

/* A sync group's transition: its notify_* scripts, then the generic one with
 * GROUP name STATE, in the queue of its first member. */
void notify_group(struct sync_rt *g, enum vrrp_state to)
{
	const struct conf_notify *n = &g->c->notify;
	const struct conf_cmd *which = state_cmd(n, to);
	const char *state = notify_state(to);
	const char *extra[] = {"GROUP", g->c->name, state, "0", NULL}; /* keepalived: priority 0 */
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
		snprintf(line, sizeof(line), "GROUP \"%s\" %s 0\n", g->c->name, state);
		fifo_write(g->m[0]->d, gl->notify_fifo.cmd, line);
	}
	alert_group(g, to);
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
	fifo_script_start(arg);
}

static void fifo_script_start(struct vipd *d)
{
	const struct conf_global *g = &d->conf->global;
	struct child_cred cred;
	const char *extra[] = {g->notify_fifo.cmd, NULL};

	if (!script_allowed(d, "notify_fifo_script", &g->notify_fifo_script, &cred, true))
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
