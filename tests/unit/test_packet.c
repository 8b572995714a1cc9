/*
 * test_packet.c: the VRRP codec against keepalived's own packets (golden
 * captures in golden/NAME.hex, made by golden/capture.sh) and every receive check.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vrrp/packet.h"

static const char *golden_dir = "tests/unit/golden";

struct golden {
	int family;
	struct vrrp_rx_meta meta;
	uint8_t msg[VRRP_MAX_PKT];
	size_t len;
};

static void load(const char *name, struct golden *g)
{
	char path[512], line[2048], key[16], val[1024];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s.hex", golden_dir, name);
	f = fopen(path, "r");
	assert_non_null(f);
	memset(g, 0, sizeof(*g));
	while (fgets(line, sizeof(line), f)) {
		if (line[0] == '#' || sscanf(line, "%15s %1023s", key, val) != 2)
			continue;
		if (!strcmp(key, "family"))
			g->family = strcmp(val, "inet6") ? AF_INET : AF_INET6;
		else if (!strcmp(key, "src"))
			assert_true(addr_parse(val, &g->meta.src));
		else if (!strcmp(key, "dst"))
			assert_true(addr_parse(val, &g->meta.dst));
		else if (!strcmp(key, "ttl"))
			g->meta.ttl = atoi(val);
		else if (!strcmp(key, "msg"))
			for (g->len = 0; val[2 * g->len] && val[2 * g->len + 1]; g->len++)
				sscanf(val + 2 * g->len, "%2hhx", &g->msg[g->len]);
	}
	fclose(f);
}

static struct addr A(const char *s) {
	struct addr a;
	assert_true(addr_parse(s, &a));
	return a;
}

/* Decodes the capture, checks the fields, re-encodes byte for byte. */
static void
roundtrip(const char *name, int version, int count, const char **vips, uint16_t maxadv,
          const char *pass)
{
	struct golden g;
	struct vrrp_pkt p, q;
	uint8_t buf[VRRP_MAX_PKT];

	load(name, &g);
	assert_int_equal(vrrp_pkt_parse(g.msg, g.len, g.family, &g.meta, &p), VRRP_RX_OK);
	assert_int_equal(p.version, version);
	assert_int_equal(p.type, 1);
	assert_int_equal(p.vrid, 50);
	assert_int_equal(p.priority, 150);
	assert_int_equal(p.count_addrs, count);
	for (int i = 0; i < count; i++) {
		struct addr v = A(vips[i]);
		assert_true(addr_eq(&p.addrs[i], &v));
	}
	if (version == 2) {
		assert_int_equal(p.auth_type, VRRP_AUTH_PASS);
		assert_int_equal(p.adver_int, 1);
		assert_memory_equal(p.auth_data, pass, 8);
	} else {
		assert_int_equal(p.max_adver_int, maxadv);
		assert_int_equal(p.csum_matched, VRRP_CSUM_PSEUDO);
	}
	/* build the same fields from scratch */
	memset(&q, 0, sizeof(q));
	q.version = p.version;
	q.vrid = p.vrid;
	q.priority = p.priority;
	q.count_addrs = p.count_addrs;
	q.family = g.family;
	q.auth_type = p.auth_type;
	q.adver_int = p.adver_int;
	q.max_adver_int = p.max_adver_int;
	memcpy(q.auth_data, p.auth_data, 8);
	for (int i = 0; i < count; i++)
		q.addrs[i] = A(vips[i]);
	assert_int_equal(
	    vrrp_pkt_build(&q, &g.meta.src, &g.meta.dst, VRRP_CSUM_PSEUDO, buf, sizeof(buf)),
	    g.len);
	assert_memory_equal(buf, g.msg, g.len);
	assert_int_equal(q.checksum, p.checksum);
}

static void test_golden_v2_pass(void **state)
{
	const char *v[] = {"10.0.0.3"};
	roundtrip("v2-pass", 2, 1, v, 0, "1111\0\0\0\0");
}

static void test_golden_v3_ipv4(void **state)
{
	const char *v[] = {"10.0.0.3", "10.0.0.4"};
	roundtrip("v3-ipv4", 3, 2, v, 100, NULL);
}

static void test_golden_v3_ipv4_fast(void **state)
{
	const char *v[] = {"10.0.0.3"};
	roundtrip("v3-ipv4-fast", 3, 1, v, 10, NULL);
}

static void test_golden_v3_ipv6(void **state)
{
	const char *v[] = {"fd00:50::3", "fd00:50::4"};
	roundtrip("v3-ipv6", 3, 2, v, 100, NULL);
}

/* ---- receive checks ---- */

static struct golden v2, v3, v6;

static int setup(void **state)
{
	load("v2-pass", &v2);
	load("v3-ipv4", &v3);
	load("v3-ipv6", &v6);
	return 0;
}

static enum vrrp_rx_reason parse(const struct golden *g, const uint8_t *msg, size_t len,
                                 struct vrrp_pkt *p)
{
	return vrrp_pkt_parse(msg, len, g->family, &g->meta, p);
}

static void test_ttl(void **state)
{
	struct golden g = v2;
	struct vrrp_pkt p;

	g.meta.ttl = 254;
	assert_int_equal(parse(&g, g.msg, g.len, &p), VRRP_RX_TTL);
	g.meta.ttl = -1; /* unknown: not checked */
	assert_int_equal(parse(&g, g.msg, g.len, &p), VRRP_RX_OK);
}

static void test_version_type_family(void **state)
{
	struct golden g = v2;
	struct vrrp_pkt p;

	g.msg[0] = 0x41;
	assert_int_equal(parse(&g, g.msg, g.len, &p), VRRP_RX_VERSION);
	g.msg[0] = 0x22;
	assert_int_equal(parse(&g, g.msg, g.len, &p), VRRP_RX_TYPE);
	g = v2;
	g.family = AF_INET6; /* v2 on an IPv6 socket */
	assert_int_equal(parse(&g, g.msg, g.len, &p), VRRP_RX_FAMILY);
}

static void test_lengths(void **state)
{
	struct vrrp_pkt p;
	uint8_t big[VRRP_MAX_PKT + 8];

	assert_int_equal(parse(&v2, v2.msg, 7, &p), VRRP_RX_SHORT);
	assert_int_equal(parse(&v2, v2.msg, 0, &p), VRRP_RX_SHORT);
	assert_int_equal(parse(&v2, v2.msg, v2.len - 1, &p), VRRP_RX_TRUNCATED);
	assert_int_equal(parse(&v3, v3.msg, 12, &p), VRRP_RX_TRUNCATED);
	memcpy(big, v3.msg, v3.len);
	big[v3.len] = 0;
	assert_int_equal(parse(&v3, big, v3.len + 1, &p), VRRP_RX_COUNT_MISMATCH);
	memcpy(big, v6.msg, v6.len);
	big[3] = 1; /* count says 1, length holds 2 */
	assert_int_equal(parse(&v6, big, v6.len, &p), VRRP_RX_COUNT_MISMATCH);
	big[3] = 0;
	assert_int_equal(parse(&v6, big, v6.len, &p), VRRP_RX_COUNT_ZERO);
}

static void test_checksum(void **state)
{
	struct golden g = v3;
	struct vrrp_pkt p;

	g.msg[7] ^= 1;
	assert_int_equal(parse(&g, g.msg, g.len, &p), VRRP_RX_CHECKSUM);
	g = v2;
	g.msg[2] = 151; /* priority changed, checksum not */
	assert_int_equal(parse(&g, g.msg, g.len, &p), VRRP_RX_CHECKSUM);
	g = v6;
	g.meta.dst = A("ff02::13"); /* pseudo-header covers the destination */
	assert_int_equal(parse(&g, g.msg, g.len, &p), VRRP_RX_CHECKSUM);
}

static void test_checksum_msg_only_v3(void **state)
{
	struct vrrp_pkt q = {.version = 3,
	                     .vrid = 7,
	                     .priority = 100,
	                     .count_addrs = 1,
	                     .family = AF_INET,
	                     .max_adver_int = 100};
	struct addr src = A("10.0.0.5"), dst = A("224.0.0.18");
	struct vrrp_rx_meta meta = {.src = src, .dst = dst, .ttl = 255};
	uint8_t buf[64];
	struct vrrp_pkt p;
	size_t n;

	q.addrs[0] = A("10.0.0.3");
	n = vrrp_pkt_build(&q, &src, &dst, VRRP_CSUM_MSG_ONLY, buf, sizeof(buf));
	assert_int_equal(n, 12);
	assert_int_equal(vrrp_pkt_parse(buf, n, AF_INET, &meta, &p), VRRP_RX_OK);
	assert_int_equal(p.csum_matched, VRRP_CSUM_MSG_ONLY);
	n = vrrp_pkt_build(&q, &src, &dst, VRRP_CSUM_PSEUDO, buf, sizeof(buf));
	assert_int_equal(vrrp_pkt_parse(buf, n, AF_INET, &meta, &p), VRRP_RX_OK);
	assert_int_equal(p.csum_matched, VRRP_CSUM_PSEUDO);
	/* IPv6 has only the pseudo-header form */
	struct vrrp_pkt q6 = q;
	struct addr s6 = A("fe80::5"), d6 = A("ff02::12");
	struct vrrp_rx_meta m6 = {.src = s6, .dst = d6, .ttl = 255};
	q6.family = AF_INET6;
	q6.addrs[0] = A("fd00::3");
	n = vrrp_pkt_build(&q6, &s6, &d6, VRRP_CSUM_MSG_ONLY, buf, sizeof(buf));
	assert_int_equal(n, 24);
	assert_int_equal(vrrp_pkt_parse(buf, n, AF_INET6, &m6, &p), VRRP_RX_OK);
	assert_int_equal(p.csum_matched, VRRP_CSUM_PSEUDO);
}

static void test_v3_maxadv_zero_and_linklocal(void **state)
{
	struct vrrp_pkt q = {.version = 3,
	                     .vrid = 50,
	                     .priority = 100,
	                     .count_addrs = 1,
	                     .family = AF_INET6,
	                     .max_adver_int = 0};
	struct addr src = A("fe80::5"), dst = A("ff02::12"), glob = A("fd00:50::5");
	struct vrrp_rx_meta meta = {.src = src, .dst = dst, .ttl = 255};
	uint8_t buf[64];
	struct vrrp_pkt p;
	size_t n;

	q.addrs[0] = A("fd00:50::3");
	n = vrrp_pkt_build(&q, &src, &dst, VRRP_CSUM_PSEUDO, buf, sizeof(buf));
	assert_int_equal(vrrp_pkt_parse(buf, n, AF_INET6, &meta, &p), VRRP_RX_MAXADV_ZERO);
	q.max_adver_int = 100;
	meta.src = glob;
	n = vrrp_pkt_build(&q, &glob, &dst, VRRP_CSUM_PSEUDO, buf, sizeof(buf));
	assert_int_equal(vrrp_pkt_parse(buf, n, AF_INET6, &meta, &p), VRRP_RX_NOT_LINKLOCAL);
}

static struct vrrp_expect expect_v2(struct addr *vips, size_t n)
{
	struct vrrp_expect w = {.version = 2,
	                        .vrid = 50,
	                        .auth_type = VRRP_AUTH_PASS,
	                        .adver_int = 1,
	                        .vips = vips,
	                        .n_vips = n};
	memcpy(w.auth_data, "1111\0\0\0\0", 8);
	return w;
}

static void test_instance_checks(void **state)
{
	struct vrrp_pkt p;
	struct addr vips[2] = {A("10.0.0.3"), A("10.0.0.9")};
	struct addr own = A("10.0.0.5"), other = A("10.0.0.6");
	struct vrrp_expect w = expect_v2(vips, 1);

	assert_int_equal(parse(&v2, v2.msg, v2.len, &p), VRRP_RX_OK);
	assert_int_equal(vrrp_pkt_check(&p, &v2.meta, &w), VRRP_RX_OK);
	w.own = &own;
	w.n_own = 1;
	assert_int_equal(vrrp_pkt_check(&p, &v2.meta, &w), VRRP_RX_OWN);
	w.own = &other;
	assert_int_equal(vrrp_pkt_check(&p, &v2.meta, &w), VRRP_RX_OK);
	w.vrid = 51;
	assert_int_equal(vrrp_pkt_check(&p, &v2.meta, &w), VRRP_RX_VRID);
	w = expect_v2(vips, 1);
	memcpy(w.auth_data, "2222\0\0\0\0", 8);
	assert_int_equal(vrrp_pkt_check(&p, &v2.meta, &w), VRRP_RX_AUTH_PASS);
	w = expect_v2(vips, 1);
	w.auth_type = VRRP_AUTH_NONE;
	assert_int_equal(vrrp_pkt_check(&p, &v2.meta, &w), VRRP_RX_AUTH_TYPE);
	w = expect_v2(vips, 1);
	w.adver_int = 2;
	assert_int_equal(vrrp_pkt_check(&p, &v2.meta, &w), VRRP_RX_INTERVAL);
	w = expect_v2(vips, 2);
	assert_int_equal(vrrp_pkt_check(&p, &v2.meta, &w), VRRP_RX_ADDR_MISMATCH);
	w = expect_v2(vips + 1, 1);
	assert_int_equal(vrrp_pkt_check(&p, &v2.meta, &w), VRRP_RX_ADDR_MISMATCH);
	w = expect_v2(NULL, 0); /* address check off */
	assert_int_equal(vrrp_pkt_check(&p, &v2.meta, &w), VRRP_RX_OK);
	w.version = 3;
	assert_int_equal(vrrp_pkt_check(&p, &v2.meta, &w), VRRP_RX_VERSION);
	p.auth_type = VRRP_AUTH_AH;
	w.version = 2;
	assert_int_equal(vrrp_pkt_check(&p, &v2.meta, &w), VRRP_RX_AUTH_AH);
}

static void test_v3_instance_checks(void **state)
{
	struct vrrp_pkt p;
	struct addr vips[2] = {A("10.0.0.4"), A("10.0.0.3")}; /* order does not matter */
	struct vrrp_expect w = {
	    .version = 3, .vrid = 50, .adver_int = 9, .vips = vips, .n_vips = 2};

	assert_int_equal(parse(&v3, v3.msg, v3.len, &p), VRRP_RX_OK);
	assert_int_equal(vrrp_pkt_check(&p, &v3.meta, &w), VRRP_RX_OK);
}

static void test_255_addresses(void **state)
{
	struct vrrp_pkt q = {.version = 3,
	                     .vrid = 1,
	                     .priority = 200,
	                     .count_addrs = 255,
	                     .family = AF_INET6,
	                     .max_adver_int = 4095};
	struct addr src = A("fe80::1"), dst = A("ff02::12");
	struct vrrp_rx_meta meta = {.src = src, .dst = dst, .ttl = 255};
	static uint8_t buf[VRRP_MAX_PKT];
	static struct vrrp_pkt p;

	for (int i = 0; i < 255; i++) {
		q.addrs[i] = A("fd00::");
		q.addrs[i].u.bytes[15] = (uint8_t)i;
	}
	size_t n = vrrp_pkt_build(&q, &src, &dst, VRRP_CSUM_PSEUDO, buf, sizeof(buf));
	assert_int_equal(n, 8 + 255 * 16);
	assert_int_equal(vrrp_pkt_parse(buf, n, AF_INET6, &meta, &p), VRRP_RX_OK);
	assert_int_equal(p.count_addrs, 255);
	assert_int_equal(p.max_adver_int, 4095);
	assert_int_equal(p.addrs[254].u.bytes[15], 254);
	assert_int_equal(vrrp_pkt_build(&q, &src, &dst, VRRP_CSUM_PSEUDO, buf, n - 1), 0);
}

static void test_build_rejects(void **state)
{
	struct vrrp_pkt q = {
	    .version = 2, .vrid = 1, .priority = 1, .count_addrs = 1, .family = AF_INET6};
	struct addr s = A("10.0.0.1"), d = A("224.0.0.18");
	uint8_t buf[64];

	assert_int_equal(vrrp_pkt_build(&q, &s, &d, VRRP_CSUM_PSEUDO, buf, sizeof(buf)), 0);
	q.family = AF_INET;
	q.count_addrs = 0;
	assert_int_equal(vrrp_pkt_build(&q, &s, &d, VRRP_CSUM_PSEUDO, buf, sizeof(buf)), 0);
	q.count_addrs = 1;
	q.version = 4;
	assert_int_equal(vrrp_pkt_build(&q, &s, &d, VRRP_CSUM_PSEUDO, buf, sizeof(buf)), 0);
	q.version = 3;
	q.max_adver_int = 4096;
	assert_int_equal(vrrp_pkt_build(&q, &s, &d, VRRP_CSUM_PSEUDO, buf, sizeof(buf)), 0);
	q.max_adver_int = 100;
	struct addr s6 = A("fe80::1");
	assert_int_equal(vrrp_pkt_build(&q, &s6, &d, VRRP_CSUM_PSEUDO, buf, sizeof(buf)), 0);
	assert_int_equal(vrrp_pkt_build(&q, &s, &d, VRRP_CSUM_PSEUDO, buf, sizeof(buf)), 12);
}

static void test_reason_names(void **state)
{
	for (int r = 0; r < VRRP_RX_REASON_MAX; r++) {
		assert_non_null(vrrp_rx_reason_name(r));
		assert_true(strlen(vrrp_rx_reason_text(r)) > 3);
		for (int s = 0; s < r; s++)
			assert_string_not_equal(vrrp_rx_reason_name(r), vrrp_rx_reason_name(s));
	}
	assert_string_equal(vrrp_rx_reason_name(VRRP_RX_REASON_MAX), "unknown");
	assert_string_equal(vrrp_rx_reason_text(VRRP_RX_REASON_MAX), "unknown reason");
}

/* Each rejected advert is explained with the offending field and value. */
static void test_explain(void **state)
{
	struct vrrp_pkt p = {.version = 3,
	                     .type = 1,
	                     .vrid = 7,
	                     .priority = 100,
	                     .count_addrs = 2,
	                     .family = AF_INET,
	                     .checksum = 0xbeef,
	                     .auth_type = 1,
	                     .adver_int = 3};
	struct vrrp_rx_meta m = {.ttl = 64};
	struct vrrp_expect w = {
	    .version = 2, .vrid = 9, .auth_type = 0, .adver_int = 1, .n_vips = 1};
	char b[96];

	assert_true(addr_parse("10.0.0.9", &m.src));
	vrrp_rx_explain(VRRP_RX_TTL, &p, 0, &m, NULL, b, sizeof(b));
	assert_string_equal(b, "TTL 64, must be 255");
	vrrp_rx_explain(VRRP_RX_SHORT, &p, 5, &m, NULL, b, sizeof(b));
	assert_string_equal(b, "5 bytes, the header is 8");
	vrrp_rx_explain(VRRP_RX_VERSION, &p, 0, &m, NULL, b, sizeof(b));
	assert_string_equal(b, "version 3, not 2 or 3");
	vrrp_rx_explain(VRRP_RX_VERSION, &p, 0, &m, &w, b, sizeof(b));
	assert_string_equal(b, "version 3, ours is 2");
	vrrp_rx_explain(VRRP_RX_TYPE, &p, 0, &m, NULL, b, sizeof(b));
	assert_string_equal(b, "type 1, not 1 (advertisement)");
	vrrp_rx_explain(VRRP_RX_FAMILY, &p, 0, &m, NULL, b, sizeof(b));
	assert_string_equal(b, "VRRPv3 over IPv4");
	vrrp_rx_explain(VRRP_RX_COUNT_ZERO, &p, 0, &m, NULL, b, sizeof(b));
	assert_string_equal(b, "count 0");
	vrrp_rx_explain(VRRP_RX_TRUNCATED, &p, 12, &m, NULL, b, sizeof(b));
	assert_string_equal(b, "12 bytes, count 2 needs 16");
	vrrp_rx_explain(VRRP_RX_CHECKSUM, &p, 0, &m, NULL, b, sizeof(b));
	assert_string_equal(b, "checksum 0xbeef");
	vrrp_rx_explain(VRRP_RX_VRID, &p, 0, &m, &w, b, sizeof(b));
	assert_string_equal(b, "VRID 7, ours is 9");
	vrrp_rx_explain(VRRP_RX_VRID, &p, 0, &m, NULL, b, sizeof(b));
	assert_string_equal(b, "VRID 7, no instance here has it");
	vrrp_rx_explain(VRRP_RX_AUTH_TYPE, &p, 0, &m, &w, b, sizeof(b));
	assert_string_equal(b, "auth type 1, ours is 0");
	vrrp_rx_explain(VRRP_RX_AUTH_PASS, &p, 0, &m, &w, b, sizeof(b));
	assert_string_equal(b, "auth type 1, the password differs");
	vrrp_rx_explain(VRRP_RX_AUTH_AH, &p, 0, &m, &w, b, sizeof(b));
	assert_string_equal(b, "auth type 1 without an IPsec AH header, ours is 0");
	vrrp_rx_explain(VRRP_RX_INTERVAL, &p, 0, &m, &w, b, sizeof(b));
	assert_string_equal(b, "Adver Int 3 s, ours is 1 s");
	vrrp_rx_explain(VRRP_RX_MAXADV_ZERO, &p, 0, &m, NULL, b, sizeof(b));
	assert_string_equal(b, "Max Adver Int 0");
	vrrp_rx_explain(VRRP_RX_OWN, &p, 0, &m, &w, b, sizeof(b));
	assert_string_equal(b, "source 10.0.0.9");
	vrrp_rx_explain(VRRP_RX_ADDR_MISMATCH, &p, 0, &m, &w, b, sizeof(b));
	assert_string_equal(b, "2 address(es), ours are 1");
	vrrp_rx_explain(VRRP_RX_OK, &p, 0, &m, &w, b, sizeof(b));
	assert_string_equal(b, "reason 0");
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_explain),
	    cmocka_unit_test(test_golden_v2_pass),
	    cmocka_unit_test(test_golden_v3_ipv4),
	    cmocka_unit_test(test_golden_v3_ipv4_fast),
	    cmocka_unit_test(test_golden_v3_ipv6),
	    cmocka_unit_test(test_ttl),
	    cmocka_unit_test(test_version_type_family),
	    cmocka_unit_test(test_lengths),
	    cmocka_unit_test(test_checksum),
	    cmocka_unit_test(test_checksum_msg_only_v3),
	    cmocka_unit_test(test_v3_maxadv_zero_and_linklocal),
	    cmocka_unit_test(test_instance_checks),
	    cmocka_unit_test(test_v3_instance_checks),
	    cmocka_unit_test(test_255_addresses),
	    cmocka_unit_test(test_build_rejects),
	    cmocka_unit_test(test_reason_names),
	};
	if (argc > 1)
		golden_dir = argv[1];
	return cmocka_run_group_tests(tests, setup, NULL);
}
