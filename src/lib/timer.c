/*
 * timer.c: binary min-heap of timers; each timer knows its slot, so moving
 * or cancelling one is O(log n), and each entry its deadline, so sifting
 * stays in the heap's array.
 */
#include <stdlib.h>

#include "lib/timer.h"

void timer_init(struct timer *t, timer_fn fn, void *arg)
{
	t->at = 0;
	t->fn = fn;
	t->arg = arg;
	t->slot = 0;
}

bool timer_armed(const struct timer *t)
{
	return t->slot != 0;
}

static void place(struct timer_heap *h, size_t i, struct timer_ent e)
{
	h->items[i] = e;
	e.t->slot = i + 1;
}

static void sift_up(struct timer_heap *h, size_t i)
{
	struct timer_ent e = h->items[i];

	while (i > 0) {
		size_t parent = (i - 1) / 2;
		if (h->items[parent].at <= e.at)
			break;
		place(h, i, h->items[parent]);
		i = parent;
	}
	place(h, i, e);
}

static void sift_down(struct timer_heap *h, size_t i)
{
	struct timer_ent e = h->items[i];

	for (;;) {
		size_t c = 2 * i + 1;
		if (c >= h->n)
			break;
		if (c + 1 < h->n && h->items[c + 1].at < h->items[c].at)
			c++;
		if (e.at <= h->items[c].at)
			break;
		place(h, i, h->items[c]);
		i = c;
	}
	place(h, i, e);
}

static void remove_at(struct timer_heap *h, size_t i)
{
	struct timer_ent last = h->items[--h->n];

	h->items[i].t->slot = 0;
	if (i == h->n)
		return;
	place(h, i, last);
	sift_down(h, i);
	sift_up(h, last.t->slot - 1);
}

bool timer_set(struct timer_heap *h, struct timer *t, vtime_t at)
{
	if (t->slot) {
		t->at = at;
		h->items[t->slot - 1].at = at;
		sift_down(h, t->slot - 1);
		sift_up(h, t->slot - 1);
		return true;
	}
	if (h->n == h->cap) {
		size_t cap = h->cap ? h->cap * 2 : 64;
		struct timer_ent *items = realloc(h->items, cap * sizeof(*items));
		if (!items)
			return false;
		h->items = items;
		h->cap = cap;
	}
	t->at = at;
	place(h, h->n++, (struct timer_ent){at, t});
	sift_up(h, h->n - 1);
	return true;
}

void timer_cancel(struct timer_heap *h, struct timer *t)
{
	if (t->slot)
		remove_at(h, t->slot - 1);
}

vtime_t timer_next(const struct timer_heap *h)
{
	return h->n ? h->items[0].at : INT64_MAX;
}

struct timer *timer_pop_due(struct timer_heap *h, vtime_t now)
{
	struct timer *t;

	if (!h->n || h->items[0].at > now)
		return NULL;
	t = h->items[0].t;
	remove_at(h, 0);
	return t;
}

void timer_heap_free(struct timer_heap *h)
{
	for (size_t i = 0; i < h->n; i++)
		h->items[i].t->slot = 0;
	free(h->items);
	h->items = NULL;
	h->n = h->cap = 0;
}
