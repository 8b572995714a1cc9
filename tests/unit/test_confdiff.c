/*
 * test_confdiff.c: conf_diff, what a reload keeps, restarts (and why),
 * adds and removes.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "conf/conf.h"
#include "conf/confdiff.h"

static struct conf *parse(const char *text)
{
	struct conf_opts o = {0};
	struct conf *c;

	assert_int_equal(conf_load_string("t.conf", text, strlen(text), &o, &c), 0);
	conf_validate(c, &o);
	assert_int_equal(c->errors, 0);
	return c;
}

static char *inst(char *buf, const char *name, int vrid, int prio, const char *ifname,
                  const char *vip)
{
	sprintf(buf + strlen(buf),
	        "vrrp_instance %s {\n interface %s\n virtual_router_id %d\n priority %d\n"
	        " virtual_ipaddress {\n  %s\n }\n unicast_peer {\n  10.0.0.9\n }\n}\n",
	        name, ifname, vrid, prio, vip);
	return buf;
}

static void test_kept_restarted_added_removed(void **state)
{
	char a[2048] = "", b[2048] = "";

	inst(a, "KEEP", 1, 100, "eth0", "10.0.0.1");
	inst(a, "VRID", 2, 100, "eth0", "10.0.0.2");
	inst(a, "BOTH", 3, 100, "eth0", "10.0.0.3");
	inst(a, "GONE", 4, 100, "eth0", "10.0.0.4");
	inst(b, "NEW", 5, 100, "eth0", "10.0.0.5");
	inst(b, "KEEP", 1, 200, "eth0", "10.0.0.1"); /* priority is live */
	inst(b, "VRID", 12, 100, "eth0", "10.0.0.2");
	inst(b, "BOTH", 13, 100, "eth1", "10.0.0.3");
	struct conf *old = parse(a), *nc = parse(b);
	struct conf_diff *df = conf_diff(old, nc);

	assert_non_null(df);
	assert_int_equal(df->n, 4);
	assert_int_equal(df->inst[0].kind, CONF_DIFF_ADDED);
	assert_int_equal(df->inst[1].kind, CONF_DIFF_KEPT);
	assert_true(conf_diff_kept(df, 1));
	assert_int_equal(df->inst[2].kind, CONF_DIFF_RESTARTED);
	assert_string_equal(df->inst[2].why, "virtual_router_id");
	assert_int_equal(df->inst[3].kind, CONF_DIFF_RESTARTED);
	assert_non_null(strstr(df->inst[3].why, "interface"));
	assert_non_null(strstr(df->inst[3].why, "virtual_router_id"));
	assert_false(conf_diff_kept(df, 3));
	assert_int_equal(df->n_removed, 1);
	assert_string_equal(df->removed[0], "GONE");
	conf_diff_free(df);
	conf_free(old);
	conf_free(nc);
}

static void test_block_counts_once(void **state)
{
	char a[2048] = "", b[2048] = "";

	inst(a, "V", 1, 100, "eth0", "10.0.0.1");
	inst(b, "V", 1, 100, "eth0", "10.0.0.1\n  10.0.0.7");
	struct conf *old = parse(a), *nc = parse(b);
	struct conf_diff *df = conf_diff(old, nc);

	assert_int_equal(df->inst[0].kind, CONF_DIFF_RESTARTED);
	assert_string_equal(df->inst[0].why, "virtual_ipaddress");
	conf_diff_free(df);
	df = conf_diff(NULL, nc); /* no running config: all added */
	assert_int_equal(df->inst[0].kind, CONF_DIFF_ADDED);
	assert_int_equal(df->n_removed, 0);
	conf_diff_free(df);
	conf_free(old);
	conf_free(nc);
}

/* track_bfd and master_down_bfd are live, and a bfd_instance is no part
 * of the instances that use it: changing any of them keeps the instance. */
static void test_bfd_kept(void **state)
{
	const char *a = "bfd_instance b1 {\n neighbor_ip 10.0.0.9\n}\n"
	                "vrrp_instance V {\n interface eth0\n virtual_router_id 1\n"
	                " virtual_ipaddress {\n  10.0.0.1\n }\n}\n";
	const char *b = "bfd_instance b1 {\n neighbor_ip 10.0.0.9\n min_rx 50\n multihop\n}\n"
	                "bfd_instance b2 {\n neighbor_ip 10.0.0.8\n}\n"
	                "vrrp_instance V {\n interface eth0\n virtual_router_id 1\n"
	                " virtual_ipaddress {\n  10.0.0.1\n }\n"
	                " track_bfd {\n  b1 weight -10\n  b2\n }\n master_down_bfd b1\n}\n";
	struct conf *old = parse(a), *nc = parse(b);
	struct conf_diff *df = conf_diff(old, nc);

	assert_non_null(df);
	assert_int_equal(df->inst[0].kind, CONF_DIFF_KEPT);
	conf_diff_free(df);
	df = conf_diff(nc, old);
	assert_int_equal(df->inst[0].kind, CONF_DIFF_KEPT);
	conf_diff_free(df);
	conf_free(old);
	conf_free(nc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_kept_restarted_added_removed),
	    cmocka_unit_test(test_block_counts_once),
	    cmocka_unit_test(test_bfd_kept),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
