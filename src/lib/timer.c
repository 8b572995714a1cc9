/*
 * timer.c: binary min-heap of timers; each timer knows its slot, so moving
 * or cancelling one is O(log n), and each entry its deadline, so sifting
 * stays in the heap's array. Due timers leave together (timer_pop_due), so
 * hundreds of periodic timers due at once cost no sift each.
 */
#include <stdlib.h>

#include "lib/timer.h"

void timer_init(struct timer *t, timer_fn fn, void *arg)
{
	t->at = 0;
	t->fn = fn;
	t->arg = arg;
	t->slot = 0;
	t->due = 0;
}

bool timer_armed(const struct timer *t)
{
	return t->slot != 0 || t->due != 0;
}

/* Takes t out of the due list (a cancel or a move before it ran). */
static void undue(struct timer_heap *h, struct timer *t)
{
	if (t->due) {
		h->due[t->due - 1] = NULL;
		t->due = 0;
	}
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
	undue(h, t);
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
	undue(h, t);
	if (t->slot)
		remove_at(h, t->slot - 1);
}

/* The due list's next timer still waiting, or NULL. */
static struct timer *due_first(const struct timer_heap *h)
{
	for (size_t i = h->due_next; i < h->n_due; i++)
		if (h->due[i])
			return h->due[i];
	return NULL;
}

vtime_t timer_next(const struct timer_heap *h)
{
	const struct timer *d = due_first(h);
	vtime_t at = h->n ? h->items[0].at : INT64_MAX;

	return d && d->at < at ? d->at : at;
}

/* Moves every timer due at now from the heap to the (empty) due list: with
 * equal deadlines each leaves the heap without a sift. */
static void take_due(struct timer_heap *h, vtime_t now)
{
	h->n_due = h->due_next = 0;
	while (h->n && h->items[0].at <= now) {
		if (h->n_due == h->due_cap) {
			size_t cap = h->due_cap ? h->due_cap * 2 : 64;
			struct timer **due = realloc(h->due, cap * sizeof(*due));
			if (!due)
				return; /* the rest stay in the heap, popped one by one */
			h->due = due;
			h->due_cap = cap;
		}
		struct timer *t = h->items[0].t;
		remove_at(h, 0);
		h->due[h->n_due++] = t;
		t->due = h->n_due;
	}
}

struct timer *timer_pop_due(struct timer_heap *h, vtime_t now)
{
	struct timer *t;

	if (!due_first(h))
		take_due(h, now);
	while (h->due_next < h->n_due) {
		t = h->due[h->due_next++];
		if (t) {
			t->due = 0;
			return t;
		}
	}
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
	for (size_t i = h->due_next; i < h->n_due; i++)
		if (h->due[i])
			h->due[i]->due = 0;
	free(h->items);
	free(h->due);
	*h = (struct timer_heap){0};
}
