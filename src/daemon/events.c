/*
 * events.c: the live event stream of `vipctl events`. ctl.c hands over a
 * client that asked "events" or "events json"; this file then owns it
 * (struct sub). Each event is formatted once, as the log line says it
 * and as one JSON object, and queued to every subscriber; the queue is
 * written as the socket takes it, never blocking. A subscriber whose queue
 * is full (it stopped reading) is dropped with a log line, so it holds at
 * most SUB_QUEUE bytes and never the loop.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "daemon/ctl.h"
#include "daemon/daemon.h"
#include "daemon/events.h"
#include "daemon/instance.h"
#include "lib/log.h"
#include "lib/memtext.h"
#include "linux/loop.h"

#define SUB_QUEUE  (64 * 1024) /* bytes queued per subscriber, at most */
#define SUB_SNDBUF (32 * 1024) /* the socket's own share, kept small too */
#define SUBS_MAX   16

struct sub {
	struct vipd *d;
	int fd;
	bool json;
	char q[SUB_QUEUE];
	size_t off, len; /* q[off..len) is still to send */
	struct sub *next;
};

static struct sub *subs;
static int n_subs;

static void sub_close(struct sub *s, const char *why)
{
	for (struct sub **p = &subs; *p; p = &(*p)->next)
		if (*p == s) {
			*p = s->next;
			break;
		}
	n_subs--;
	if (why)
		log_warnx("events subscriber %d dropped: %s", s->fd, why);
	else
		log_trace(LOG_CTL, "events subscriber %d closed", s->fd);
	loop_del(s->d->loop, s->fd);
	close(s->fd);
	free(s);
}

/* Sends what the socket takes; false when the subscriber is gone. */
static bool flush(struct sub *s)
{
	while (s->off < s->len) {
		ssize_t n = send(s->fd, s->q + s->off, s->len - s->off, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			break;
		if (n <= 0)
			return false;
		s->off += (size_t)n;
	}
	if (s->off == s->len)
		s->off = s->len = 0;
	loop_set_events(s->d->loop, s->fd, s->len ? EPOLLIN | EPOLLOUT : EPOLLIN);
	return true;
}

static void on_sub(int fd, uint32_t events, void *arg)
{
	struct sub *s = arg;
	char buf[256];
	ssize_t n;

	if (events & EPOLLIN) { /* a subscriber says nothing more: only its end */
		while ((n = read(fd, buf, sizeof(buf))) > 0)
			;
		if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
			sub_close(s, NULL);
			return;
		}
	}
	if (!flush(s))
		sub_close(s, NULL);
}

void events_subscribe(struct vipd *d, int fd, bool json)
{
	static const char busy[] = "error: too many events subscribers\n";
	int sndbuf = SUB_SNDBUF;
	struct sub *s;

	if (n_subs >= SUBS_MAX || !(s = calloc(1, sizeof(*s)))) {
		ssize_t n = send(fd, busy, sizeof(busy) - 1, MSG_NOSIGNAL | MSG_DONTWAIT);
		(void)n;
		close(fd);
		return;
	}
	s->d = d, s->fd = fd, s->json = json;
	setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf));
	if (loop_add(d->loop, fd, on_sub, s) < 0) {
		close(fd);
		free(s);
		return;
	}
	s->next = subs;
	subs = s;
	n_subs++;
	log_trace(LOG_CTL, "events subscriber %d (%s)", fd, json ? "json" : "text");
}

static void queue(struct sub *s, const char *line, size_t n)
{
	if (s->len + n > SUB_QUEUE && s->off) {
		memmove(s->q, s->q + s->off, s->len - s->off);
		s->len -= s->off;
		s->off = 0;
	}
	if (s->len + n > SUB_QUEUE) {
		sub_close(s, "not reading (its queue is full)");
		return;
	}
	memcpy(s->q + s->len, line, n);
	s->len += n;
	if (!flush(s))
		sub_close(s, NULL);
}

/* The wall-clock time, as JSON and text show it. */
static void stamp(char *buf, size_t len)
{
	struct timespec ts;
	struct tm tm;

	clock_gettime(CLOCK_REALTIME, &ts);
	localtime_r(&ts.tv_sec, &tm);
	size_t n = strftime(buf, len, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf + n, len - n, ".%03ld", ts.tv_nsec / 1000000);
}

/* Queues one event to each subscriber: text is the log line, json the
 * object's fields after "time". */
static void publish(const char *text, const char *json)
{
	char t[40], *tl = NULL, *jl = NULL;
	int tn, jn;

	if (!subs)
		return;
	stamp(t, sizeof(t));
	tn = asprintf(&tl, "%s %s\n", t, text);
	jn = asprintf(&jl, "{\"time\":\"%s\",%s}\n", t, json);
	for (struct sub *s = subs, *next; s; s = next) {
		next = s->next;
		if (s->json ? jn > 0 : tn > 0)
			queue(s, s->json ? jl : tl, (size_t)(s->json ? jn : tn));
	}
	free(tl);
	free(jl);
}

/* JSON fields, written with ctl_json_str; NULL when out of memory. */
struct ev {
	const char *kind, *instance, *type, *name, *from, *to, *why;
	unsigned pfrom, pto;
};

static void ev_json(FILE *f, void *arg)
{
	const struct ev *e = arg;

	fprintf(f, "\"event\":\"%s\"", e->kind);
	if (e->instance)
		fputs(",\"instance\":", f), ctl_json_str(f, e->instance);
	if (e->type)
		fprintf(f, ",\"type\":\"%s\",\"name\":", e->type), ctl_json_str(f, e->name);
	if (e->from) {
		fputs(",\"from\":", f), ctl_json_str(f, e->from);
		fputs(",\"to\":", f), ctl_json_str(f, e->to);
	} else {
		fprintf(f, ",\"from\":%u,\"to\":%u", e->pfrom, e->pto);
	}
	if (e->why)
		fputs(",\"reason\":", f), ctl_json_str(f, e->why);
}

static void emit(struct ev *e, const char *text)
{
	char *j = memtext(ev_json, e);

	if (j)
		publish(text, j);
	free(j);
}

void events_transition(const struct instance *in, const char *from, const char *to, const char *why)
{
	struct ev e = {"transition", in->name, .from = from, .to = to, .why = why};
	char *text;

	if (subs && asprintf(&text, "%s: %s -> %s: %s", in->name, from, to, why) >= 0) {
		emit(&e, text);
		free(text);
	}
}

void events_priority(const struct instance *in, unsigned from, unsigned to)
{
	struct ev e = {"priority", in->name, .pfrom = from, .pto = to};
	char *text;

	if (subs && asprintf(&text, "%s: priority %u -> %u", in->name, from, to) >= 0) {
		emit(&e, text);
		free(text);
	}
}

void events_track(const char *type, const char *name, const char *from, const char *to)
{
	struct ev e = {"track", .type = type, .name = name, .from = from, .to = to};
	char *text;

	if (subs && asprintf(&text, "%s %s: %s -> %s", type, name, from, to) >= 0) {
		emit(&e, text);
		free(text);
	}
}

void events_close(struct vipd *d)
{
	while (subs)
		sub_close(subs, NULL);
}
