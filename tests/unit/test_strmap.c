/*
 * test_strmap.c: the string map behind the config's duplicate checks:
 * first value kept, look-ups after growth, many keys.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>

#include "lib/strmap.h"

static void test_first_value_kept(void **state)
{
	struct strmap m = {0};

	assert_int_equal(strmap_get(&m, "a"), -1);
	assert_int_equal(strmap_put(&m, "a", 1), 1);
	assert_int_equal(strmap_put(&m, "a", 2), 1);
	assert_int_equal(strmap_get(&m, "a"), 1);
	assert_int_equal(strmap_get(&m, "b"), -1);
	assert_int_equal(strmap_put(&m, "", 7), 7);
	assert_int_equal(strmap_get(&m, ""), 7);
	strmap_free(&m);
	assert_int_equal(strmap_get(&m, "a"), -1);
}

static void test_many_keys(void **state)
{
	struct strmap m = {0};
	char k[32];

	for (long i = 0; i < 100000; i++) {
		snprintf(k, sizeof(k), "eth%ld|%ld", i / 255, i % 255);
		assert_int_equal(strmap_put(&m, k, i), i);
	}
	for (long i = 0; i < 100000; i++) {
		snprintf(k, sizeof(k), "eth%ld|%ld", i / 255, i % 255);
		assert_int_equal(strmap_get(&m, k), i);
	}
	assert_int_equal(strmap_get(&m, "eth0|255"), -1);
	assert_int_equal(m.n, 100000);
	strmap_free(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_first_value_kept),
	    cmocka_unit_test(test_many_keys),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
