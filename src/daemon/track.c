/*
 * track.c: tracked objects and what they do to an instance's priority, as
 * keepalived defines it. vrrp_script: run every `interval` without blocking
 * the loop, its process group killed after `timeout`; `rise` successes make
 * it OK, `fall` failures make it FAILED; `init_fail` starts it FAILED.
 * track_interface: up or down. A positive weight is added while the object
 * is OK, a negative one while it is down; `reverse` flips the direction;
 * weight 0 puts the instance in Fault while the object is down. The sum
 * gives the effective priority (clamped 1..254; an owner stays 255).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/wait.h>
#include <unistd.h>

#include "linux/child.h"
#include "daemon/daemon.h"
#include "daemon/events.h"
#include "daemon/iface.h"
#include "daemon/instance.h"
#include "daemon/proc.h"
#include "daemon/sync.h"
#include "daemon/track.h"
#include "daemon/tracked.h"
#include "lib/execpath.h"
#include "lib/log.h"
#include "linux/loop.h"
#include "lib/timer.h"

static void on_run(struct timer *t, vtime_t now, void *arg);
static void on_timeout(struct timer *t, vtime_t now, void *arg);

struct script_rt *script_find(struct vipd *d, const char *name)
{
	for (struct script_rt *s = d->scripts; s; s = s->next)
		if (!strcmp(s->name, name))
			return s;
	return NULL;
}

static void scripts_changed(struct vipd *d, const char *name)
{
	for (struct instance *in = d->instances; in; in = in->next)
		for (size_t i = 0; i < in->c->tracks[CONF_TRACK_SCRIPT].n; i++)
			if (!strcmp(in->c->tracks[CONF_TRACK_SCRIPT].items[i].name, name)) {
				track_update(in);
				break;
			}
}

static void result(struct script_rt *s, bool success, const char *what)
{
	bool was = s->ok;

	log_trace(LOG_TRACK, "vrrp_script %s: %s (%s)", s->name, what,
	          success ? "success" : "failure");
	snprintf(s->last_result, sizeof(s->last_result), "%s", what);
	if (success) {
		s->fall_count = 0;
		if (!s->ok && ++s->rise_count >= s->c->rise)
			s->ok = true;
	} else {
		s->rise_count = 0;
		if (s->ok && ++s->fall_count >= s->c->fall)
			s->ok = false;
	}
	if (s->ok == was)
		return;
	log_info("vrrp_script %s: now %s (%s)", s->name, s->ok ? "OK" : "FAILED", what);
	events_track("script", s->name, was ? "OK" : "FAILED", s->ok ? "OK" : "FAILED");
	scripts_changed(s->d, s->name);
}

static void on_exit_status(void *arg, int status)
{
	struct script_rt *s = arg;
	char what[64];

	loop_timer_cancel(s->d->loop, &s->t_timeout);
	s->pid = 0;
	if (s->timed_out)
		snprintf(what, sizeof(what), "timed out");
	else if (WIFEXITED(status))
		snprintf(what, sizeof(what), "exit %d", WEXITSTATUS(status));
	else
		snprintf(what, sizeof(what), "killed by signal %d", WTERMSIG(status));
	result(s, !s->timed_out && WIFEXITED(status) && WEXITSTATUS(status) == 0, what);
}

static void on_run(struct timer *t, vtime_t now, void *arg)
{
	struct script_rt *s = arg;
	uint64_t timeout = s->c->timeout_us ? s->c->timeout_us : s->c->interval_us;

	loop_timer_set(s->d->loop, &s->t_run, now + (vtime_t)s->c->interval_us);
	if (s->pid > 0)
		return; /* still running: keepalived does not start another */
	s->timed_out = false;
	s->runs++;
	if (s->blocked) {
		result(s, false, "not allowed to run");
		return;
	}
	s->pid = child_spawn(s->c->cmd.cmd, NULL, &s->cred, on_exit_status, s);
	log_trace(LOG_TRACK, "vrrp_script %s: started %s, pid %d", s->name, s->c->cmd.cmd,
	          (int)s->pid);
	if (s->pid < 0) {
		s->pid = 0;
		result(s, false, "could not start");
		return;
	}
	loop_timer_set(s->d->loop, &s->t_timeout, now + (vtime_t)timeout);
}

static void on_timeout(struct timer *t, vtime_t now, void *arg)
{
	struct script_rt *s = arg;

	if (s->pid <= 0)
		return;
	log_warnx("vrrp_script %s: no result after %.3f s; killing it", s->name,
	          (double)(s->c->timeout_us ? s->c->timeout_us : s->c->interval_us) / 1e6);
	s->timed_out = true;
	child_kill(s->pid);
}

/* The first runs of n scripts are spread over their interval (at most
 * 1 s), so a hundred scripts never fork in one burst that would hold up
 * an advert; each then keeps its own phase. */
static vtime_t stagger(const struct conf_script *c, size_t k, size_t n)
{
	uint64_t span = c->interval_us < 1000000 ? c->interval_us : 1000000;

	return n > 1 ? (vtime_t)(span * k / n) : 0;
}

/* Starts the scripts the config tracks; keeps the state of those that
 * stay across a reload. */
void track_start(struct vipd *d)
{
	struct script_rt *keep = NULL;
	size_t n = 0, k = 0;

	for (size_t i = 0; i < d->conf->scripts.n; i++)
		n += conf_tracked(d->conf, CONF_TRACK_SCRIPT, d->conf->scripts.items[i].name);
	for (size_t i = 0; i < d->conf->scripts.n; i++) {
		const struct conf_script *c = &d->conf->scripts.items[i];
		struct script_rt *s = script_find(d, c->name);
		if (!conf_tracked(d->conf, CONF_TRACK_SCRIPT, c->name))
			continue;
		if (s) {
			for (struct script_rt **p = &d->scripts; *p; p = &(*p)->next)
				if (*p == s) {
					*p = s->next;
					break;
				}
		} else if ((s = calloc(1, sizeof(*s)))) {
			s->d = d;
			snprintf(s->name, sizeof(s->name), "%s", c->name);
			s->ok = !c->init_fail;
			snprintf(s->last_result, sizeof(s->last_result), "not run yet");
			timer_init(&s->t_run, on_run, s);
			timer_init(&s->t_timeout, on_timeout, s);
			loop_timer_set(d->loop, &s->t_run, loop_now() + stagger(c, k++, n));
		} else {
			continue;
		}
		s->c = c;
		s->blocked = !script_allowed(d, s->name, &c->cmd, &s->cred, true);
		s->next = keep;
		keep = s;
	}
	track_stop(d);
	d->scripts = keep;
}

/* Stops every script still in d->scripts. */
void track_stop(struct vipd *d)
{
	while (d->scripts) {
		struct script_rt *s = d->scripts;
		d->scripts = s->next;
		loop_timer_cancel(d->loop, &s->t_run);
		loop_timer_cancel(d->loop, &s->t_timeout);
		if (s->pid > 0) {
			child_forget(s->pid);
			child_kill(s->pid);
		}
		free(s);
	}
}

void script_view(const struct instance *in, const struct conf_track *t, int w,
                 struct tracked_view *v)
{
	struct script_rt *s = script_find(in->d, t->name);

	if (!(v->exists = s != NULL))
		return;
	v->ok = s->ok;
	v->reverse = t->reverse || s->c->weight_reverse;
	v->state = s->ok ? "OK" : "FAILED";
	snprintf(v->result, sizeof(v->result), "%s", s->last_result);
	if (w == 0 && s->ok == v->reverse)
		snprintf(v->fault, sizeof(v->fault), "vrrp_script %s %s", s->name,
		         s->ok ? "is OK (reverse)" : "failed");
	v->contribution = tracked_contribution(w, v->reverse, s->ok);
}

/* ---- track_file: a number in a file, re-read when the file changes ---- */

struct tfile_rt *tfile_find(struct vipd *d, const char *name)
{
	for (struct tfile_rt *t = d->tfiles; t; t = t->next)
		if (!strcmp(t->name, name))
			return t;
	return NULL;
}

/* A value changed, for `vipctl events`: the old and new values. */
static void tfile_event(const struct tfile_rt *t, long long was)
{
	char from[32], to[32];

	snprintf(from, sizeof(from), "%lld", was);
	snprintf(to, sizeof(to), "%lld", t->value);
	events_track("file", t->name, from, to);
}

/* As keepalived reads it: the leading number (base 0: 0x1f, 017 too), 0
 * when the file is missing, empty or starts with no number; a number out of
 * the 32-bit range is ignored and the last value stays. Opened non-blocking,
 * so a FIFO put at the path cannot stall the loop. */
static void tfile_read(struct tfile_rt *t)
{
	char buf[128], *end;
	int fd = open(t->c->path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	ssize_t n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;
	long long was = t->value;
	bool was_number = t->number, first = !t->read_once;

	if (fd >= 0)
		close(fd);
	buf[n > 0 ? n : 0] = '\0';
	errno = 0;
	long long v = strtoll(buf, &end, 0);
	if (errno || v < INT32_MIN || v > (long long)INT32_MAX + 1) {
		log_warnx("track_file %s: %s holds %s, out of range; ignored", t->name, t->c->path,
		          buf);
		return;
	}
	t->read_once = true;
	t->number = end != buf;
	t->value = t->number ? v : 0;
	if (!first && t->number == was_number && t->value == was)
		return;
	if (!first)
		tfile_event(t, was);
	if (t->number)
		log_info("track_file %s: value %lld", t->name, t->value);
	else
		log_warnx("track_file %s: %s %s; read as 0, as keepalived does", t->name,
		          t->c->path, fd < 0 ? "cannot be read" : "holds no number");
}

static void tfiles_changed(struct vipd *d)
{
	for (struct tfile_rt *t = d->tfiles; t; t = t->next)
		tfile_read(t);
	for (struct instance *in = d->instances; in; in = in->next)
		if (in->c->tracks[CONF_TRACK_FILE].n)
			track_update(in);
}

static void on_inotify(int fd, uint32_t events, void *arg)
{
	char buf[4096];

	while (read(fd, buf, sizeof(buf)) > 0)
		;
	tfiles_changed(arg);
}

static void tfile_init(const struct conf_track_file *c)
{
	if (!c->init_file || (!c->init_overwrite && access(c->path, F_OK) == 0))
		return;
	int fd = open(c->path, O_WRONLY | O_CREAT | O_TRUNC | O_NONBLOCK | O_CLOEXEC, 0644);
	if (fd < 0 || dprintf(fd, "%lld\n", (long long)c->init_value) < 0)
		log_warn("track_file: writing %s", c->path);
	if (fd >= 0)
		close(fd);
}

/* Watches the directories of the tracked files; reads every file now. */
void tfiles_start(struct vipd *d)
{
	tfiles_stop(d);
	for (size_t i = 0; i < d->conf->track_files.n; i++) {
		const struct conf_track_file *c = &d->conf->track_files.items[i];
		struct tfile_rt *t = calloc(1, sizeof(*t));
		char dir[512];
		if (!t)
			continue;
		t->c = c;
		snprintf(t->name, sizeof(t->name), "%s", c->name);
		t->next = d->tfiles;
		d->tfiles = t;
		tfile_init(c);
		if (d->inotify_fd < 0 &&
		    (d->inotify_fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) >= 0)
			loop_add(d->loop, d->inotify_fd, on_inotify, d);
		snprintf(dir, sizeof(dir), "%s", c->path);
		char *slash = strrchr(dir, '/');
		if (slash)
			*(slash == dir ? slash + 1 : slash) = '\0';
		if (d->inotify_fd >= 0 &&
		    inotify_add_watch(d->inotify_fd, slash ? dir : ".",
		                      IN_CLOSE_WRITE | IN_MOVED_TO | IN_DELETE | IN_MOVED_FROM) < 0)
			log_warn("track_file %s: watching %s", t->name, dir);
	}
	for (struct tfile_rt *t = d->tfiles; t; t = t->next)
		tfile_read(t);
}

void tfiles_stop(struct vipd *d)
{
	while (d->tfiles) {
		struct tfile_rt *t = d->tfiles;
		d->tfiles = t->next;
		free(t);
	}
	if (d->inotify_fd >= 0) {
		loop_del(d->loop, d->inotify_fd);
		close(d->inotify_fd);
		d->inotify_fd = -1;
	}
}

/* keepalived: weight 0: a non-zero value is a failure; otherwise value x
 * weight is added, and below -253 the instance goes to Fault. */
void tfile_view(const struct instance *in, const struct conf_track *tr, int w,
                struct tracked_view *v)
{
	struct tfile_rt *t = tfile_find(in->d, tr->name);

	if (!(v->exists = t != NULL))
		return;
	v->reverse = tr->reverse || t->c->weight_reverse;
	if (t->number)
		snprintf(v->result, sizeof(v->result), "value %lld", t->value);
	else
		snprintf(v->result, sizeof(v->result), "no number, read as 0");
	long long c = t->value * (long long)w * (v->reverse ? -1 : 1);
	if (w == 0 && (t->value != 0) != v->reverse)
		snprintf(v->fault, sizeof(v->fault), "track_file %s holds %lld%s", t->name,
		         (long long)t->value, v->reverse ? " (reverse)" : "");
	else if (c < -253)
		snprintf(v->fault, sizeof(v->fault), "track_file %s gives %lld", t->name, c);
	else
		v->contribution = (int)(c > 253 ? 253 : c);
	v->ok = !v->fault[0];
	v->state = v->ok ? "OK" : "FAILED";
}

/* keepalived's script_user: the configured one, else keepalived_script if
 * that user exists, else root with a warning. */
void script_user_init(struct vipd *d)
{
	const struct conf_global *g = &d->conf->global;
	char why[128];

	memset(&d->script_cred, 0, sizeof(d->script_cred));
	if (g->script_user) {
		if (!child_cred_lookup(g->script_user, g->script_group, &d->script_cred, why,
		                       sizeof(why)))
			log_warnx("script_user: %s; scripts run as root", why);
	} else if (!child_cred_lookup("keepalived_script", NULL, &d->script_cred, why,
	                              sizeof(why)) &&
	           (d->conf->scripts.n || d->conf->instances.n)) {
		log_debug("the default script user keepalived_script does not exist; scripts run "
		          "as root");
	}
}

bool script_allowed(struct vipd *d, const char *what, const struct conf_cmd *cmd,
                    struct child_cred *cred, bool at_load)
{
	char why[256], path[4096], prog[4096];

	*cred = d->script_cred;
	if (cmd->user && !child_cred_lookup(cmd->user, cmd->group, cred, why, sizeof(why))) {
		log_warnx("%s: %s; not run", what, why);
		return false;
	}
	cred->secure_path =
	    d->conf->global.enable_script_security && (!cred->set || cred->uid == 0);
	exec_program(cmd->cmd, prog, sizeof(prog));
	if (!exec_find(prog, path, sizeof(path))) {
		if (strchr(prog, '/'))
			log_warnx("%s: %s: %s", what, prog,
			          access(prog, X_OK) < 0 ? strerror(errno) : "not a regular file");
		else
			log_warnx("%s: %s is not in PATH (%s)", what, prog, exec_search_path());
		return true; /* it fails when run, as a failed check */
	}
	if (!strchr(prog, '/') && at_load)
		log_info("%s: %s found by PATH search: %s", what, prog, path);
	if (cred->secure_path && !child_path_secure(path, NULL, 0, why, sizeof(why))) {
		log_warnx("%s: %s; not run (enable_script_security)", what, why);
		return false;
	}
	return true;
}
