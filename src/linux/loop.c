/*
 * loop.c: epoll loop with a timer heap behind one timerfd.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "lib/log.h"
#include "linux/loop.h"
#include "lib/timer.h"

#define LOOP_LATE_US 100000 /* a wake-up this late means the process was stalled */

struct watch {
	int fd;
	io_fn fn;
	void *arg;
	struct watch *next;
};

struct loop {
	int epfd;
	int tfd;
	struct timer_heap timers;
	vtime_t armed; /* the deadline the timerfd holds */
	struct watch *watches;
	struct watch *dead; /* removed during dispatch; freed after */
	int running;
	struct loop_stats stats;
	void (*idle)(void *arg);
	void *idle_arg;
	void (*late_fn)(void *arg, vtime_t late_us);
	void *late_arg;
};

const vtime_t loop_late_bounds_us[LOOP_LATE_BUCKETS - 1] = {
    100, 500, 1000, 2000, 5000, 10000, 20000, 50000, 100000, 500000, 1000000};

const struct loop_stats *loop_stats(const struct loop *l)
{
	return &l->stats;
}

void loop_stats_clear(struct loop *l)
{
	memset(&l->stats, 0, sizeof(l->stats));
}

static void count_late(struct loop *l, vtime_t late)
{
	int b = 0;

	while (b < LOOP_LATE_BUCKETS - 1 && late > loop_late_bounds_us[b])
		b++;
	l->stats.timer_turns++;
	l->stats.late_hist[b]++;
	l->stats.late_sum_us += late;
	if (late > l->stats.late_max_us)
		l->stats.late_max_us = late;
}

void loop_on_idle(struct loop *l, void (*fn)(void *arg), void *arg)
{
	l->idle = fn;
	l->idle_arg = arg;
}

void loop_on_late(struct loop *l, void (*fn)(void *arg, vtime_t late_us), void *arg)
{
	l->late_fn = fn;
	l->late_arg = arg;
}

vtime_t loop_next_timer(const struct loop *l)
{
	return timer_next(&l->timers);
}

vtime_t loop_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (vtime_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

vtime_t loop_arrival(int64_t rx_ns)
{
	vtime_t now = loop_now();
	struct timespec ts;

	if (!rx_ns || clock_gettime(CLOCK_REALTIME, &ts) < 0)
		return now;
	int64_t ago = ((int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec - rx_ns) / 1000;
	if (ago < 0 || ago > 1000000) /* the wall clock was stepped: ignore it */
		return now;
	return now - ago;
}

/* One read takes every expiry so far (a second would only fail). */
static void on_timerfd(int fd, uint32_t events, void *arg)
{
	uint64_t n;

	if (read(fd, &n, sizeof(n)) < 0 && errno != EAGAIN)
		log_warn("reading the timerfd");
}

struct loop *loop_new(void)
{
	struct loop *l = calloc(1, sizeof(*l));

	if (!l)
		return NULL;
	l->epfd = epoll_create1(EPOLL_CLOEXEC);
	l->tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (l->epfd < 0 || l->tfd < 0 || loop_add(l, l->tfd, on_timerfd, l) < 0) {
		loop_free(l);
		return NULL;
	}
	l->armed = INT64_MAX;
	return l;
}

void loop_free(struct loop *l)
{
	if (!l)
		return;
	for (struct watch *w = l->watches, *n; w; w = n) {
		n = w->next;
		free(w);
	}
	for (struct watch *w = l->dead, *n; w; w = n) {
		n = w->next;
		free(w);
	}
	timer_heap_free(&l->timers);
	if (l->tfd >= 0)
		close(l->tfd);
	if (l->epfd >= 0)
		close(l->epfd);
	free(l);
}

int loop_add(struct loop *l, int fd, io_fn fn, void *arg)
{
	struct watch *w = calloc(1, sizeof(*w));
	struct epoll_event ev = {.events = EPOLLIN};

	if (!w)
		return -1;
	w->fd = fd;
	w->fn = fn;
	w->arg = arg;
	ev.data.ptr = w;
	if (epoll_ctl(l->epfd, EPOLL_CTL_ADD, fd, &ev) < 0) {
		free(w);
		return -1;
	}
	w->next = l->watches;
	l->watches = w;
	return 0;
}

int loop_set_events(struct loop *l, int fd, uint32_t events)
{
	for (struct watch *w = l->watches; w; w = w->next)
		if (w->fd == fd) {
			struct epoll_event ev = {.events = events, .data.ptr = w};
			return epoll_ctl(l->epfd, EPOLL_CTL_MOD, fd, &ev);
		}
	errno = ENOENT;
	return -1;
}

void loop_del(struct loop *l, int fd)
{
	for (struct watch **p = &l->watches; *p; p = &(*p)->next) {
		if ((*p)->fd != fd)
			continue;
		struct watch *w = *p;
		*p = w->next;
		epoll_ctl(l->epfd, EPOLL_CTL_DEL, fd, NULL);
		w->fn = NULL; /* an event already fetched for it is dropped */
		w->next = l->dead;
		l->dead = w;
		return;
	}
}

void loop_timer_set(struct loop *l, struct timer *t, vtime_t at)
{
	if (!timer_set(&l->timers, t, at))
		log_warnx("out of memory arming a timer");
}

void loop_timer_cancel(struct loop *l, struct timer *t)
{
	timer_cancel(&l->timers, t);
}

static void arm_timerfd(struct loop *l)
{
	vtime_t next = timer_next(&l->timers);
	struct itimerspec its = {0};

	if (next == l->armed)
		return;
	l->armed = next;
	if (next != INT64_MAX) {
		if (next <= 0)
			next = 1;
		its.it_value.tv_sec = next / 1000000;
		its.it_value.tv_nsec = (next % 1000000) * 1000;
	}
	if (timerfd_settime(l->tfd, TFD_TIMER_ABSTIME, &its, NULL) < 0)
		log_warn("timerfd_settime");
}

static void run_timers(struct loop *l)
{
	vtime_t now = loop_now();

	for (struct timer *t; (t = timer_pop_due(&l->timers, now));)
		t->fn(t, now, t->arg);
}

static void reap_dead(struct loop *l)
{
	for (struct watch *w = l->dead, *n; w; w = n) {
		n = w->next;
		free(w);
	}
	l->dead = NULL;
}

int loop_run(struct loop *l)
{
	struct epoll_event evs[64];

	l->running = 1;
	while (l->running) {
		run_timers(l);
		if (l->idle)
			l->idle(l->idle_arg);
		if (!l->running)
			break;
		arm_timerfd(l);
		int n = epoll_wait(l->epfd, evs, 64, -1);
		int err = errno;
		vtime_t late = loop_now() - l->armed; /* also after a stop (EINTR) */
		if (l->armed != INT64_MAX && late >= 0) {
			count_late(l, late);
			if (l->late_fn)
				l->late_fn(l->late_arg, late);
		}
		if (l->armed != INT64_MAX && late > LOOP_LATE_US)
			log_warnx(
			    "timers are running %lld.%03lld s late (the process was stalled); "
			    "reading queued packets before acting on them",
			    (long long)(late / 1000000), (long long)(late % 1000000 / 1000));
		if (n < 0 && err == EINTR) /* stopped and continued: what came meanwhile first */
			n = epoll_wait(l->epfd, evs, 64, 0), err = errno;
		if (n < 0) {
			if (err == EINTR)
				continue;
			errno = err;
			log_warn("epoll_wait");
			return -1;
		}
		for (int i = 0; i < n; i++) {
			struct watch *w = evs[i].data.ptr;
			if (w->fn)
				w->fn(w->fd, evs[i].events, w->arg);
		}
		reap_dead(l);
	}
	return 0;
}

void loop_stop(struct loop *l)
{
	l->running = 0;
}
