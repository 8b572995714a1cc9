/*
 * test_timer.c: the timer heap: order, moves, cancels, many timers.
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

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_order_and_moves),
	    cmocka_unit_test(test_many),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
