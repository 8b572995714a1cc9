/*
 * test_addr.c: address parsing, formatting and ordering.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <stdio.h>
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

/* IPv4 text as inet_ntop makes it, every octet width. */
static void test_ntop_v4(void **state)
{
	const char *cases[] = {"0.0.0.0",       "255.255.255.255", "10.64.0.1",
	                       "192.168.100.9", "1.22.133.0",      "224.0.0.18"};
	char buf[ADDR_STRLEN];
	struct addr a;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_true(addr_parse(cases[i], &a));
		assert_string_equal(addr_ntop(&a, buf), cases[i]);
	}
	for (unsigned v = 0; v < 256; v++) {
		char want[ADDR_STRLEN];
		a.u.bytes[0] = a.u.bytes[3] = (uint8_t)v;
		a.u.bytes[1] = (uint8_t)(255 - v);
		a.u.bytes[2] = (uint8_t)(v / 3);
		snprintf(want, sizeof(want), "%u.%u.%u.%u", v, 255 - v, v / 3, v);
		assert_string_equal(addr_ntop(&a, buf), want);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parse_v4_v6),
	    cmocka_unit_test(test_parse_prefix),
	    cmocka_unit_test(test_compare),
	    cmocka_unit_test(test_multicast),
	    cmocka_unit_test(test_ntop_v4),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
