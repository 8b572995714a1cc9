/*
 * loop.h: the one event loop: epoll for file descriptors, one timerfd
 * (absolute CLOCK_MONOTONIC deadlines) for the timer heap.
 */
#ifndef VIPD_LOOP_H
#define VIPD_LOOP_H

#include <stdint.h>

#include "timer.h"

struct loop;
typedef void (*io_fn)(int fd, uint32_t events, void *arg);

struct loop *loop_new(void);
void loop_free(struct loop *l);
int loop_add(struct loop *l, int fd, io_fn fn, void *arg); /* EPOLLIN */
void loop_del(struct loop *l, int fd);
void loop_timer_set(struct loop *l, struct timer *t, vtime_t at);
void loop_timer_cancel(struct loop *l, struct timer *t);
/* Runs until loop_stop(); returns 0, or -1 on a fatal epoll error. */
int loop_run(struct loop *l);
void loop_stop(struct loop *l);
/* fn runs once per loop turn, after the events and timers of that turn. */
void loop_on_idle(struct loop *l, void (*fn)(void *arg), void *arg);
/* CLOCK_MONOTONIC in microseconds. */
vtime_t loop_now(void);
vtime_t loop_next_timer(const struct loop *l); /* earliest deadline, or VTIME_NEVER */

#endif
