/*
 * test_timer.c: the timer heap: order, moves, cancels, many timers, timers
 * due together.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>

#include "lib/timer.h"

static void fired(struct timer *t, vtime_t now, void *arg)
{
}

static void test_order_and_moves(void **state)
{
	struct timer_heap h = {0};
	struct timer a, b, c;

	timer_init(&a, fired, NULL);
	timer_init(&b, fired, NULL);
	timer_init(&c, fired, NULL);
	assert_int_equal(timer_next(&h), INT64_MAX);
	assert_true(timer_set(&h, &a, 30));
	assert_true(timer_set(&h, &b, 10));
	assert_true(timer_set(&h, &c, 20));
	assert_int_equal(timer_next(&h), 10);
	assert_true(timer_set(&h, &b, 40)); /* move later */
	assert_int_equal(timer_next(&h), 20);
	assert_true(timer_set(&h, &a, 5)); /* move earlier */
	assert_int_equal(timer_next(&h), 5);
	timer_cancel(&h, &c);
	assert_false(timer_armed(&c));
	timer_cancel(&h, &c); /* twice: harmless */
	assert_null(timer_pop_due(&h, 4));
	assert_ptr_equal(timer_pop_due(&h, 100), &a);
	assert_false(timer_armed(&a));
	assert_ptr_equal(timer_pop_due(&h, 100), &b);
	assert_null(timer_pop_due(&h, 100));
	timer_heap_free(&h);
}

static void test_many(void **state)
{
	enum { N = 10000 };
	struct timer_heap h = {0};
	struct timer *t = calloc(N, sizeof(*t));
	vtime_t last = -1;
	size_t n = 0;

	srand(7);
	for (int i = 0; i < N; i++) {
		timer_init(&t[i], fired, NULL);
		assert_true(timer_set(&h, &t[i], rand() % 100000));
	}
	for (int i = 0; i < N; i += 3) /* cancel a third, move a third */
		timer_cancel(&h, &t[i]);
	for (int i = 1; i < N; i += 3)
		assert_true(timer_set(&h, &t[i], rand() % 100000));
	for (struct timer *x; (x = timer_pop_due(&h, INT64_MAX)); n++) {
		assert_true(x->at >= last);
		last = x->at;
	}
	assert_int_equal(n, N - (N + 2) / 3);
	timer_heap_free(&h);
	free(t);
}

/* Timers due together leave the heap at the first pop; one cancelled or
 * moved meanwhile does not come out, one re-armed goes back for later. */
static void test_due_together(void **state)
{
	struct timer_heap h = {0};
	struct timer a, b, c, d;

	timer_init(&a, fired, NULL);
	timer_init(&b, fired, NULL);
	timer_init(&c, fired, NULL);
	timer_init(&d, fired, NULL);
	assert_true(timer_set(&h, &a, 10));
	assert_true(timer_set(&h, &b, 10));
	assert_true(timer_set(&h, &c, 12));
	assert_true(timer_set(&h, &d, 50));
	assert_ptr_equal(timer_pop_due(&h, 20), &a);
	assert_true(timer_armed(&b)); /* due, not yet popped */
	assert_int_equal(timer_next(&h), 10);
	assert_true(timer_set(&h, &a, 110)); /* periodic: a goes back */
	timer_cancel(&h, &b);
	assert_false(timer_armed(&b));
	assert_true(timer_set(&h, &c, 60)); /* moved: not due any more */
	assert_true(timer_set(&h, &b, 15)); /* armed due by a callback: after the rest */
	assert_ptr_equal(timer_pop_due(&h, 20), &b);
	assert_null(timer_pop_due(&h, 20));
	assert_int_equal(timer_next(&h), 50);
	assert_ptr_equal(timer_pop_due(&h, 200), &d);
	assert_ptr_equal(timer_pop_due(&h, 200), &c);
	assert_ptr_equal(timer_pop_due(&h, 200), &a);
	assert_null(timer_pop_due(&h, 200));
	assert_true(timer_set(&h, &a, 300));
	assert_true(timer_set(&h, &b, 300));
	assert_ptr_equal(timer_pop_due(&h, 300), &a);
	timer_heap_free(&h); /* b waited in the due list */
	assert_false(timer_armed(&b));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_order_and_moves),
	    cmocka_unit_test(test_many),
	    cmocka_unit_test(test_due_together),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
