/*
 * test_addr.c: address parsing, formatting and ordering.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <string.h>

#include "lib/addr.h"

static void test_parse_v4_v6(void **state)
{
	struct addr a;
	char buf[ADDR_STRLEN];

	assert_true(addr_parse("10.0.0.3", &a));
	assert_int_equal(a.family, AF_INET);
	assert_string_equal(addr_ntop(&a, buf), "10.0.0.3");
	assert_int_equal(addr_len(&a), 4);
	assert_true(addr_parse("fe80::1", &a));
	assert_int_equal(a.family, AF_INET6);
	assert_true(addr_is_linklocal6(&a));
	assert_string_equal(addr_ntop(&a, buf), "fe80::1");
	assert_false(addr_parse("10.0.0", &a));
	assert_false(addr_parse("", &a));
	assert_false(addr_parse("10.0.0.3/24", &a));
	assert_int_equal(a.family, AF_UNSPEC);
	assert_false(addr_is_set(&a));
	assert_string_equal(addr_ntop(&a, buf), "(none)");
}

static void test_parse_prefix(void **state)
{
	struct addr a;
	int plen;

	assert_true(addr_parse_prefix("10.0.0.3", &a, &plen));
	assert_int_equal(plen, -1);
	assert_true(addr_parse_prefix("10.0.0.3/24", &a, &plen));
	assert_int_equal(plen, 24);
	assert_true(addr_parse_prefix("fd00::3/128", &a, &plen));
	assert_int_equal(plen, 128);
	assert_false(addr_parse_prefix("10.0.0.3/33", &a, &plen));
	assert_false(addr_parse_prefix("fd00::3/129", &a, &plen));
	assert_false(addr_parse_prefix("10.0.0.3/", &a, &plen));
	assert_false(addr_parse_prefix("10.0.0.3/-1", &a, &plen));
	assert_false(addr_parse_prefix("10.0.0.3/2x", &a, &plen));
	assert_false(addr_parse_prefix("10.0.0.3/0024", &a, &plen));
	assert_false(
	    addr_parse_prefix("1111:2222:3333:4444:5555:6666:7777:8888:9999/64", &a, &plen));
}

static void test_compare(void **state)
{
	struct addr a, b, c;

	addr_parse("10.0.0.5", &a);
	addr_parse("10.0.0.6", &b);
	addr_parse("10.0.0.5", &c);
	assert_true(addr_cmp(&a, &b) < 0);
	assert_true(addr_cmp(&b, &a) > 0);
	assert_int_equal(addr_cmp(&a, &c), 0);
	assert_true(addr_eq(&a, &c));
	assert_false(addr_eq(&a, &b));
	/* network order, not host order: 10.0.1.0 > 10.0.0.255 */
	addr_parse("10.0.1.0", &a);
	addr_parse("10.0.0.255", &b);
	assert_true(addr_cmp(&a, &b) > 0);
	addr_parse("fe80::1", &c);
	assert_true(addr_cmp(&a, &c) != 0);
	assert_false(addr_eq(&a, &c));
}

static void test_multicast(void **state)
{
	struct addr a;

	addr_parse("224.0.0.18", &a);
	assert_true(addr_is_multicast(&a));
	addr_parse("ff02::12", &a);
	assert_true(addr_is_multicast(&a));
	assert_false(addr_is_linklocal6(&a));
	addr_parse("10.0.0.3", &a);
	assert_false(addr_is_multicast(&a));
	assert_false(addr_is_linklocal6(&a));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parse_v4_v6),
	    cmocka_unit_test(test_parse_prefix),
	    cmocka_unit_test(test_compare),
	    cmocka_unit_test(test_multicast),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
