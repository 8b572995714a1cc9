/*
 * timer.h: a binary min-heap of timers on one clock (microseconds).
 * Pure: the loop (loop.c) maps the earliest deadline onto a timerfd.
 */
#ifndef VIPD_TIMER_H
#define VIPD_TIMER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/vtime.h"

struct timer;
typedef void (*timer_fn)(struct timer *t, vtime_t now, void *arg);

struct timer {
	vtime_t at;
	timer_fn fn;
	void *arg;
	size_t slot; /* index in the heap + 1; 0 when not there */
	size_t due;  /* index in the heap's due list + 1; 0 when not there */
};

/* A heap entry holds the deadline beside the timer: sifting reads the
 * heap's own array, not each timer's owner. */
struct timer_ent {
	vtime_t at;
	struct timer *t;
};

/* Due timers leave the heap together (see timer_pop_due) into the due
 * list, where a cancel or a move takes them out again (NULL). */
struct timer_heap {
	struct timer_ent *items;
	size_t n, cap;
	struct timer **due;
	size_t n_due, due_next, due_cap;
};

void timer_init(struct timer *t, timer_fn fn, void *arg);
/* Arms (or moves) t to fire at `at`. Returns false only when out of memory. */
bool timer_set(struct timer_heap *h, struct timer *t, vtime_t at);
void timer_cancel(struct timer_heap *h, struct timer *t);
bool timer_armed(const struct timer *t); /* in the heap, or due and not yet popped */
/* Earliest deadline, or INT64_MAX when empty. */
vtime_t timer_next(const struct timer_heap *h);
/* Removes and returns the earliest timer due at or before now, or NULL.
 * Every timer due then leaves the heap at the first call, in deadline
 * order, and the next calls return them: a timer its callback arms again
 * (a periodic one) then goes back without sifting through the others that
 * are due with it. One armed due by a callback comes after those. */
struct timer *timer_pop_due(struct timer_heap *h, vtime_t now);
void timer_heap_free(struct timer_heap *h);

#endif
