/*
 * confload.c: reads the config for a reload in a thread of its own. At
 * 10,000 instances the read (parse, checks, and the comparison of every
 * instance with the running one) takes 40-130 ms, more than a reload may
 * hold up adverts (50 ms); in the loop's thread it would. The worker only
 * runs the conf layer, which keeps no state of its own and does not log:
 * its diagnostics are collected and logged by the loop. It reads the
 * running config, which nothing writes while vipd runs and which the
 * daemon frees only after the callback. The end of a read is signalled on
 * an eventfd watched by the loop, which joins the thread there.
 * A check (`vipctl reload --check`) is one such read with a callback of
 * its own and its diagnostics kept for it, not logged.
 * Owns: the thread, the eventfd, the result until the callback.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "conf/conf.h"
#include "conf/confdiff.h"
#include "daemon/confload.h"
#include "lib/log.h"
#include "linux/loop.h"

#define DIAGS_LOGGED 50

struct confload {
	struct loop *loop;
	confload_fn fn; /* the reload's */
	void *arg;
	confload_fn read_fn; /* the read under way's: fn, or a check's */
	void *read_arg;
	bool check; /* the read under way is a check */
	int efd;
	pthread_t thread;
	bool busy, again;
	char path[4096];                /* the reload's */
	char read_path[4096];           /* the read under way's */
	char config_id[256];            /* -i; empty: the host name */
	struct conf *const *running_at; /* where the daemon keeps the config in force */
	const struct conf *running;     /* which, for the read under way */
	/* the worker's result */
	struct conf *c;
	struct conf_diff *diff;
	char *diags;
	size_t diags_len;
	bool fatal;
	vtime_t read_us; /* how long the last read took */
};

static void collect(void *arg, enum conf_severity sev, const struct srcpos *pos, const char *msg)
{
	FILE *f = arg;

	if (pos && pos->file)
		fprintf(f, "%s:%d:%d: %s: %s\n", pos->file, pos->line, pos->col,
		        sev == CONF_ERROR ? "error" : "warning", msg);
	else
		fprintf(f, "%s: %s\n", sev == CONF_ERROR ? "error" : "warning", msg);
}

static void *worker(void *arg)
{
	struct confload *cl = arg;
	FILE *f = open_memstream(&cl->diags, &cl->diags_len);
	struct conf_opts opts = {
	    .diag = collect, .diag_arg = f, .config_id = cl->config_id[0] ? cl->config_id : NULL};
	uint64_t one = 1;
	vtime_t t0 = loop_now();

	if (!f) {
		cl->fatal = true;
	} else {
		if (conf_load(cl->read_path, &opts, &cl->c) == 0)
			conf_validate(cl->c, &opts);
		else
			cl->fatal = true;
		fclose(f);
	}
	if (cl->c && !cl->fatal && !cl->c->errors) {
		conf_sync_merge_tracking(cl->c);
		cl->diff = conf_diff(cl->running, cl->c);
	}
	cl->read_us = loop_now() - t0;
	while (write(cl->efd, &one, sizeof(one)) < 0 && errno == EINTR)
		;
	return NULL;
}

/* The read's errors and warnings, into the log; at most DIAGS_LOGGED of
 * them (`vipd -t` lists them all), so that a config with thousands of
 * warnings does not hold up the loop. */
static void log_diags(const struct confload *cl)
{
	unsigned n = 0, more = 0;

	for (char *line = cl->diags, *end; line && *line; line = end + 1) {
		if (!(end = strchr(line, '\n')))
			end = line + strlen(line);
		if (n < DIAGS_LOGGED) {
			log_warnx("%.*s", (int)(end - line), line);
			n++;
		} else {
			more++;
		}
		if (!*end)
			break;
	}
	if (more)
		log_warnx("%s: %u more error(s) and warning(s); vipd -t -f %s lists them all",
		          cl->read_path, more, cl->read_path);
}

/* The worker is done: hand its result over. */
static void on_done(int fd, uint32_t events, void *arg)
{
	struct confload *cl = arg;
	uint64_t v;
	struct conf *c;

	if (read(fd, &v, sizeof(v)) != (ssize_t)sizeof(v))
		return;
	pthread_join(cl->thread, NULL);
	cl->busy = false;
	if (!cl->check)
		log_diags(cl);
	c = cl->c;
	if (c && (cl->fatal || c->errors || !cl->diff)) {
		if (!cl->check)
			log_warnx("%s: %d error(s); not used", cl->read_path,
			          c->errors ? c->errors : 1);
		conf_free(c);
		c = NULL;
	} else if (!c && !cl->check) {
		log_warnx("%s: could not be read; not used", cl->read_path);
	}
	cl->read_fn(cl->read_arg, c, cl->diff);
	conf_diff_free(cl->diff);
	free(cl->diags);
	cl->c = NULL, cl->diff = NULL, cl->diags = NULL, cl->diags_len = 0, cl->fatal = false;
	if (cl->again) {
		cl->again = false;
		log_info("reloading again: asked while the config was being read");
		confload_request(cl, cl->path);
	}
}

void confload_config_id(struct confload *cl, const char *id)
{
	snprintf(cl->config_id, sizeof(cl->config_id), "%s", id ? id : "");
}

struct confload *confload_new(struct loop *l, struct conf *const *running, confload_fn fn,
                              void *arg)
{
	struct confload *cl = calloc(1, sizeof(*cl));

	if (!cl)
		return NULL;
	cl->loop = l, cl->running_at = running, cl->fn = fn, cl->arg = arg;
	if ((cl->efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) < 0 ||
	    loop_add(l, cl->efd, on_done, cl) < 0) {
		if (cl->efd >= 0)
			close(cl->efd);
		free(cl);
		return NULL;
	}
	return cl;
}

vtime_t confload_read_us(const struct confload *cl)
{
	return cl->read_us;
}

const char *confload_diags(const struct confload *cl)
{
	return cl->diags ? cl->diags : "";
}

/* Starts the worker on path for fn; false (fn told) when it cannot. */
static bool start(struct confload *cl, const char *path, confload_fn fn, void *arg)
{
	sigset_t all, old;
	int e;

	snprintf(cl->read_path, sizeof(cl->read_path), "%s", path);
	cl->read_fn = fn, cl->read_arg = arg;
	cl->running = *cl->running_at;
	/* the worker takes no signal: they stay with the loop's signalfd */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	e = pthread_create(&cl->thread, NULL, worker, cl);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (e) {
		log_warnx("reload: cannot start the config reader: %s", strerror(e));
		fn(arg, NULL, NULL);
		return false;
	}
	cl->busy = true;
	return true;
}

void confload_request(struct confload *cl, const char *path)
{
	if (path != cl->path)
		snprintf(cl->path, sizeof(cl->path), "%s", path);
	if (cl->busy) {
		cl->again = true;
		log_info("reload asked while the config is being read; it is read again after");
		return;
	}
	cl->check = false;
	start(cl, cl->path, cl->fn, cl->arg);
}

int confload_check(struct confload *cl, const char *path, confload_fn fn, void *arg)
{
	if (cl->busy)
		return -1;
	cl->check = true;
	start(cl, path, fn, arg);
	return 0;
}

void confload_free(struct confload *cl)
{
	if (!cl)
		return;
	if (cl->busy) {
		pthread_join(cl->thread, NULL);
		conf_free(cl->c);
		conf_diff_free(cl->diff);
		free(cl->diags);
	}
	loop_del(cl->loop, cl->efd);
	close(cl->efd);
	free(cl);
}
