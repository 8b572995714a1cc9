/*
 * test_bfd_packet.c: the BFD Control packet codec: the RFC 5880 4.1 layout
 * byte for byte, the round trip, packets in the shape keepalived and FRR
 * send, and every receive check of 6.8.6 with the value it reports.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "bfd/packet.h"

/* A valid packet: Up, both discriminators, 50 ms both ways, mult 3. */
static struct bfd_ctl up_ctl(void)
{
	return (struct bfd_ctl){.sta = BFD_UP,
	                        .detect_mult = 3,
	                        .my_disc = 0x11223344,
	                        .your_disc = 0x55667788,
	                        .desired_min_tx = 50000,
	                        .required_min_rx = 50000};
}

static void build_up(uint8_t b[BFD_CTL_LEN])
{
	struct bfd_ctl c = up_ctl();

	assert_int_equal(bfd_build(&c, b), BFD_CTL_LEN);
}

static void same(const struct bfd_ctl *a, const struct bfd_ctl *b)
{
	assert_int_equal(a->vers, b->vers);
	assert_int_equal(a->diag, b->diag);
	assert_int_equal(a->sta, b->sta);
	assert_int_equal(a->poll, b->poll);
	assert_int_equal(a->final, b->final);
	assert_int_equal(a->cpi, b->cpi);
	assert_int_equal(a->auth, b->auth);
	assert_int_equal(a->demand, b->demand);
	assert_int_equal(a->multipoint, b->multipoint);
	assert_int_equal(a->detect_mult, b->detect_mult);
	assert_int_equal(a->length, b->length);
	assert_int_equal(a->my_disc, b->my_disc);
	assert_int_equal(a->your_disc, b->your_disc);
	assert_int_equal(a->desired_min_tx, b->desired_min_tx);
	assert_int_equal(a->required_min_rx, b->required_min_rx);
	assert_int_equal(a->required_min_echo_rx, b->required_min_echo_rx);
}

/* bfd_parse's verdict on b[0..len) and the value it reports */
static void expect(const uint8_t *b, size_t len, enum bfd_rx_reason r, uint32_t bad)
{
	struct bfd_ctl c;
	uint32_t got = 0xdeadbeef;

	assert_int_equal(bfd_parse(b, len, &c, &got), r);
	assert_int_equal(got, bad);
}

static void test_layout(void **state)
{
	struct bfd_ctl c = {.diag = BFD_DIAG_ADMIN_DOWN,
	                    .sta = BFD_INIT,
	                    .poll = true,
	                    .demand = true,
	                    .detect_mult = 5,
	                    .my_disc = 0x01020304,
	                    .your_disc = 0xa0b0c0d0,
	                    .desired_min_tx = 1000000,
	                    .required_min_rx = 10000,
	                    .required_min_echo_rx = 0x0badcafe};
	const uint8_t want[BFD_CTL_LEN] = {
	    0x27, /* Vers 1, Diag 7 */
	    0xa2, /* Sta Init (2), P, D */
	    5,    24,   0x01, 0x02, 0x03, 0x04, 0xa0, 0xb0, 0xc0, 0xd0,
	    0x00, 0x0f, 0x42, 0x40, /* 1000000 */
	    0x00, 0x00, 0x27, 0x10, /* 10000 */
	    0x0b, 0xad, 0xca, 0xfe,
	};
	uint8_t b[BFD_CTL_LEN];

	c.vers = 7;    /* set by bfd_build */
	c.length = 99; /* likewise */
	assert_int_equal(bfd_build(&c, b), BFD_CTL_LEN);
	assert_memory_equal(b, want, BFD_CTL_LEN);
	c.poll = c.demand = false;
	c.final = c.cpi = c.auth = c.multipoint = true;
	bfd_build(&c, b);
	assert_int_equal(b[1], 0x80 | 0x10 | 0x08 | 0x04 | 0x01);
}

static void test_roundtrip(void **state)
{
	uint8_t b[BFD_CTL_LEN];
	struct bfd_ctl c = up_ctl(), d;
	uint32_t bad = 1;

	c.diag = 31;
	c.final = c.cpi = c.demand = true;
	c.required_min_echo_rx = 0xffffffff;
	bfd_build(&c, b);
	assert_int_equal(bfd_parse(b, sizeof(b), &d, &bad), BFD_RX_OK);
	assert_int_equal(bad, 0);
	c.vers = BFD_VERSION;
	c.length = BFD_CTL_LEN;
	same(&c, &d);
	/* every state, Poll alone */
	for (unsigned sta = BFD_ADMIN_DOWN; sta <= BFD_UP; sta++) {
		c = up_ctl();
		c.sta = (uint8_t)sta;
		c.poll = true;
		bfd_build(&c, b);
		assert_int_equal(bfd_parse(b, sizeof(b), &d, NULL), BFD_RX_OK);
		assert_int_equal(d.sta, sta);
		assert_true(d.poll);
		assert_false(d.final);
	}
}

/* keepalived 2.2.7 (bfd_build_packet): Down with idle_tx 1 s, min_rx
 * 10 ms, multiplier 5, Your Discriminator 0 before it has heard us. */
static void test_keepalived_shape(void **state)
{
	const uint8_t b[] = {0x20, 0x40, 5, 24, 0x6b, 0x8b, 0x45, 0x67, 0, 0, 0, 0,
	                     0x00, 0x0f, 0x42, 0x40, 0x00, 0x00, 0x27, 0x10, 0, 0, 0, 0};
	struct bfd_ctl c;

	assert_int_equal(bfd_parse(b, sizeof(b), &c, NULL), BFD_RX_OK);
	assert_int_equal(c.sta, BFD_DOWN);
	assert_int_equal(c.diag, 0);
	assert_int_equal(c.detect_mult, 5);
	assert_int_equal(c.my_disc, 0x6b8b4567);
	assert_int_equal(c.your_disc, 0);
	assert_int_equal(c.desired_min_tx, 1000000);
	assert_int_equal(c.required_min_rx, 10000);
}

/* FRR bfdd: Up with Poll announcing 300 ms after its slow 1 s timers. */
static void test_frr_shape(void **state)
{
	const uint8_t b[] = {0x20, 0xe0, 3, 24, 0, 0, 0, 1, 0x12, 0x34, 0x56, 0x78,
	                     0x00, 0x04, 0x93, 0xe0, 0x00, 0x04, 0x93, 0xe0, 0x00, 0x00, 0xc3, 0x50};
	struct bfd_ctl c;

	assert_int_equal(bfd_parse(b, sizeof(b), &c, NULL), BFD_RX_OK);
	assert_int_equal(c.sta, BFD_UP);
	assert_true(c.poll);
	assert_int_equal(c.detect_mult, 3);
	assert_int_equal(c.my_disc, 1);
	assert_int_equal(c.your_disc, 0x12345678);
	assert_int_equal(c.desired_min_tx, 300000);
	assert_int_equal(c.required_min_rx, 300000);
	assert_int_equal(c.required_min_echo_rx, 50000);
}

static void test_short(void **state)
{
	uint8_t b[BFD_CTL_LEN];

	build_up(b);
	expect(b, 23, BFD_RX_SHORT, 23);
	expect(b, 0, BFD_RX_SHORT, 0);
}

static void test_version(void **state)
{
	uint8_t b[BFD_CTL_LEN];

	build_up(b);
	b[0] = (uint8_t)(2 << 5 | (b[0] & 0x1f));
	expect(b, sizeof(b), BFD_RX_VERSION, 2);
	b[0] &= 0x1f; /* version 0 (RFC 5880 appendix: the old draft) */
	expect(b, sizeof(b), BFD_RX_VERSION, 0);
}

static void test_length(void **state)
{
	uint8_t b[BFD_CTL_LEN + 8] = {0};

	build_up(b);
	b[3] = 23; /* under the mandatory section */
	expect(b, BFD_CTL_LEN, BFD_RX_LENGTH, 23);
	b[3] = 25; /* past the payload */
	expect(b, BFD_CTL_LEN, BFD_RX_LENGTH, 25);
	b[3] = 24; /* the A bit needs 26 */
	b[1] |= 0x04;
	expect(b, sizeof(b), BFD_RX_LENGTH, 24);
	b[1] &= (uint8_t)~0x04;
	expect(b, sizeof(b), BFD_RX_OK, 0); /* a payload longer than Length is fine */
	b[3] = BFD_CTL_LEN + 8;
	expect(b, sizeof(b), BFD_RX_OK, 0);
}

static void test_detect_mult(void **state)
{
	uint8_t b[BFD_CTL_LEN];

	build_up(b);
	b[2] = 0;
	expect(b, sizeof(b), BFD_RX_DETECT_MULT, 0);
}

static void test_multipoint(void **state)
{
	uint8_t b[BFD_CTL_LEN];

	build_up(b);
	b[1] |= 0x01;
	expect(b, sizeof(b), BFD_RX_MULTIPOINT, 0xc1);
}

static void test_my_disc(void **state)
{
	uint8_t b[BFD_CTL_LEN];

	build_up(b);
	memset(b + 4, 0, 4);
	expect(b, sizeof(b), BFD_RX_MY_DISC, 0);
}

static void test_your_disc(void **state)
{
	struct bfd_ctl c = up_ctl();
	uint8_t b[BFD_CTL_LEN];

	c.your_disc = 0;
	bfd_build(&c, b);
	expect(b, sizeof(b), BFD_RX_YOUR_DISC, BFD_UP);
	c.sta = BFD_INIT;
	bfd_build(&c, b);
	expect(b, sizeof(b), BFD_RX_YOUR_DISC, BFD_INIT);
	c.sta = BFD_DOWN; /* before the peer has heard us: allowed */
	bfd_build(&c, b);
	expect(b, sizeof(b), BFD_RX_OK, 0);
	c.sta = BFD_ADMIN_DOWN;
	bfd_build(&c, b);
	expect(b, sizeof(b), BFD_RX_OK, 0);
}

static void test_auth(void **state)
{
	uint8_t b[BFD_CTL_LEN + 2 + 8] = {0};

	build_up(b);
	b[1] |= 0x04;
	b[3] = sizeof(b);
	b[24] = 1; /* Auth Type: Simple Password */
	b[25] = 10;
	expect(b, sizeof(b), BFD_RX_AUTH, 1);
	b[24] = 4; /* Meticulous Keyed MD5 */
	expect(b, sizeof(b), BFD_RX_AUTH, 4);
}

static void test_poll_final(void **state)
{
	struct bfd_ctl c = up_ctl();
	uint8_t b[BFD_CTL_LEN];

	c.poll = c.final = true;
	bfd_build(&c, b);
	expect(b, sizeof(b), BFD_RX_POLL_FINAL, 0xc0 | 0x20 | 0x10);
}

/* The checks come in RFC 5880 6.8.6's order: the first failing one wins. */
static void test_order(void **state)
{
	uint8_t b[BFD_CTL_LEN];

	build_up(b);
	b[0] = 0;    /* version 0 */
	b[2] = 0;    /* and Detect Mult 0 */
	b[1] |= 0x31; /* and P, F, M */
	expect(b, sizeof(b), BFD_RX_VERSION, 0);
	b[0] = 0x20;
	expect(b, sizeof(b), BFD_RX_DETECT_MULT, 0);
	b[2] = 1;
	expect(b, sizeof(b), BFD_RX_MULTIPOINT, 0xf1);
	b[1] &= (uint8_t)~0x01;
	expect(b, sizeof(b), BFD_RX_POLL_FINAL, 0xf0);
}

static void test_names(void **state)
{
	for (int i = 0; i < BFD_RX_REASONS; i++) {
		const char *name = bfd_rx_reason_name((enum bfd_rx_reason)i);
		assert_true(name[0] && strcmp(name, "unknown"));
		assert_true(strcmp(bfd_rx_reason_str((enum bfd_rx_reason)i), "unknown reason"));
		for (int j = 0; j < i; j++)
			assert_string_not_equal(name, bfd_rx_reason_name((enum bfd_rx_reason)j));
	}
	assert_string_equal(bfd_rx_reason_name(BFD_RX_VERSION), "version");
	assert_string_equal(bfd_rx_reason_name(BFD_RX_REASONS), "unknown");
	assert_string_equal(bfd_rx_reason_str(BFD_RX_REASONS), "unknown reason");
	assert_string_equal(bfd_state_str(BFD_ADMIN_DOWN), "AdminDown");
	assert_string_equal(bfd_state_str(BFD_DOWN), "Down");
	assert_string_equal(bfd_state_str(BFD_INIT), "Init");
	assert_string_equal(bfd_state_str(BFD_UP), "Up");
	assert_string_equal(bfd_state_str((enum bfd_state)4), "unknown");
	assert_string_equal(bfd_diag_str(0), "No Diagnostic");
	assert_string_equal(bfd_diag_str(BFD_DIAG_EXPIRED), "Control Detection Time Expired");
	assert_string_equal(bfd_diag_str(BFD_DIAG_NEIGHBOR_DOWN), "Neighbor Signaled Session Down");
	assert_string_equal(bfd_diag_str(BFD_DIAG_ADMIN_DOWN), "Administratively Down");
	assert_string_equal(bfd_diag_str(BFD_DIAG_REV_CONCAT_DOWN), "Reverse Concatenated Path Down");
	assert_string_equal(bfd_diag_str(9), "reserved");
	assert_string_equal(bfd_diag_str(BFD_DIAG_MAX), "reserved");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_layout),         cmocka_unit_test(test_roundtrip),
	    cmocka_unit_test(test_keepalived_shape), cmocka_unit_test(test_frr_shape),
	    cmocka_unit_test(test_short),          cmocka_unit_test(test_version),
	    cmocka_unit_test(test_length),         cmocka_unit_test(test_detect_mult),
	    cmocka_unit_test(test_multipoint),     cmocka_unit_test(test_my_disc),
	    cmocka_unit_test(test_your_disc),      cmocka_unit_test(test_auth),
	    cmocka_unit_test(test_poll_final),     cmocka_unit_test(test_order),
	    cmocka_unit_test(test_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
