/*
 * loop.h: the one event loop: epoll for file descriptors, one timerfd
 * (absolute CLOCK_MONOTONIC deadlines) for the timer heap.
 */
#ifndef VIPD_LOOP_H
#define VIPD_LOOP_H

#include <stdint.h>

#include "lib/timer.h"

struct loop;
typedef void (*io_fn)(int fd, uint32_t events, void *arg);

struct loop *loop_new(void);
void loop_free(struct loop *l);
int loop_add(struct loop *l, int fd, io_fn fn, void *arg); /* EPOLLIN */
void loop_del(struct loop *l, int fd);
/* What fd is watched for (EPOLLIN, EPOLLOUT, ...); the callback stays. */
int loop_set_events(struct loop *l, int fd, uint32_t events);
void loop_timer_set(struct loop *l, struct timer *t, vtime_t at);
void loop_timer_cancel(struct loop *l, struct timer *t);
/* Runs until loop_stop(); returns 0, or -1 on a fatal epoll error. */
int loop_run(struct loop *l);
void loop_stop(struct loop *l);
/* fn runs once per loop turn, after the events and timers of that turn. */
void loop_on_idle(struct loop *l, void (*fn)(void *arg), void *arg);
/* fn hears how late each timer wake-up came (max_auto_priority). */
void loop_on_late(struct loop *l, void (*fn)(void *arg, vtime_t late_us), void *arg);
/* CLOCK_MONOTONIC in microseconds. */
vtime_t loop_now(void);
vtime_t loop_next_timer(const struct loop *l); /* earliest deadline, or VTIME_NEVER */
/* When a packet arrived, on the loop's clock, from the kernel's receive
 * time (SO_TIMESTAMPNS, CLOCK_REALTIME ns; 0: now): packets read late (a
 * burst, a stalled process) still count from when they came. */
vtime_t loop_arrival(int64_t rx_ns);

/* Lateness: how long after a timer's deadline the loop got to it (wake-up
 * delay plus whatever work ran before it). late_hist[i] counts timer
 * turns with lateness <= loop_late_bounds_us[i] (and above the bound
 * before); the last bucket has no upper bound. */
#define LOOP_LATE_BUCKETS 12
extern const vtime_t loop_late_bounds_us[LOOP_LATE_BUCKETS - 1];
struct loop_stats {
	uint64_t timer_turns;
	vtime_t late_max_us;
	vtime_t late_sum_us;
	uint64_t late_hist[LOOP_LATE_BUCKETS];
};
const struct loop_stats *loop_stats(const struct loop *l);
void loop_stats_clear(struct loop *l);

#endif
