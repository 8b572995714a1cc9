/*
 * test_ah.c: auth_type AH (vrrp/ah.c) against keepalived 2.2.7's own AH
 * adverts (golden/v2-ah.hex multicast, golden/v2-ah-unicast.hex, made by
 * golden/capture.sh with auth_pass "secret"): received through
 * vrrp_rx_decode and the checks, rebuilt byte for byte; wrong keys,
 * altered fields and the sequence number counter.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "linux/sock.h"
#include "vrrp/ah.h"
#include "vrrp/packet.h"

static const char *golden_dir = "tests/unit/golden";
static const uint8_t KEY[VRRP_AH_KEY_LEN] = "secret\0";

struct cap {
	uint8_t ip[VRRP_AH_MAX_DGRAM];
	size_t len;
	struct addr src, dst;
};

static void load(const char *name, struct cap *c)
{
	char path[512], line[4096], key[16], val[3000];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s.hex", golden_dir, name);
	f = fopen(path, "r");
	assert_non_null(f);
	memset(c, 0, sizeof(*c));
	while (fgets(line, sizeof(line), f)) {
		if (line[0] == '#' || sscanf(line, "%15s %2999s", key, val) != 2)
			continue;
		if (!strcmp(key, "src"))
			assert_true(addr_parse(val, &c->src));
		else if (!strcmp(key, "dst"))
			assert_true(addr_parse(val, &c->dst));
		else if (!strcmp(key, "ip"))
			for (c->len = 0; val[2 * c->len] && val[2 * c->len + 1]; c->len++)
				sscanf(val + 2 * c->len, "%2hhx", &c->ip[c->len]);
	}
	fclose(f);
	assert_true(c->len > 44);
}

/* What recvmsg gives for the datagram, through the receive decoding. */
static ssize_t decode(const uint8_t *ip, size_t len, bool unicast, uint8_t *msg,
                      struct vrrp_rx_meta *meta)
{
	struct sockaddr_in from = {.sin_family = AF_INET};
	struct iovec iov = {msg, VRRP_AH_MAX_DGRAM};
	struct msghdr mh = {
	    .msg_name = &from, .msg_namelen = sizeof(from), .msg_iov = &iov, .msg_iovlen = 1};
	int ifindex;

	memcpy(msg, ip, len);
	ssize_t n = vrrp_rx_decode(&mh, msg, len, meta, &ifindex);
	meta->unicast = unicast;
	return n;
}

static struct vrrp_expect expect(const uint8_t *key, struct vrrp_ah_seq *seq)
{
	struct vrrp_expect w = {
	    .version = 2, .vrid = 50, .auth_type = VRRP_AUTH_AH, .adver_int = 1, .ah_seq = seq};

	memcpy(w.auth_data, key, VRRP_AH_KEY_LEN);
	return w;
}

/* Decodes, parses and checks ip; the reason. */
static enum vrrp_rx_reason rx(const uint8_t *ip, size_t len, bool unicast, const uint8_t *key,
                              struct vrrp_ah_seq *seq)
{
	static uint8_t msg[VRRP_AH_MAX_DGRAM];
	static struct vrrp_pkt p;
	struct vrrp_rx_meta meta;
	struct vrrp_expect w = expect(key, seq);
	ssize_t n = decode(ip, len, unicast, msg, &meta);
	enum vrrp_rx_reason r;

	assert_true(n > 0);
	assert_true(meta.ah);
	r = vrrp_pkt_parse(msg, (size_t)n, AF_INET, &meta, &p);
	return r != VRRP_RX_OK ? r : vrrp_pkt_check(&p, &meta, &w);
}

static void test_golden_receive(void **state)
{
	struct cap c;
	uint8_t msg[VRRP_AH_MAX_DGRAM];
	struct vrrp_rx_meta meta;
	struct vrrp_pkt p;
	struct vrrp_ah_seq seq = {0};

	load("v2-ah", &c);
	ssize_t n = decode(c.ip, c.len, false, msg, &meta);
	assert_int_equal(n, c.len - 20 - VRRP_AH_LEN);
	assert_true(meta.ah);
	assert_int_equal(meta.ah_hdr_len, 20 + VRRP_AH_LEN);
	assert_int_equal(meta.ttl, 255);
	assert_true(addr_eq(&meta.src, &c.src));
	assert_int_equal(vrrp_ah_next_header(&meta), VRRP_IPPROTO);
	assert_int_equal(vrrp_ah_spi(&meta), 0x0a000005);
	assert_int_equal(vrrp_ah_seq_of(&meta), 1);
	assert_int_equal(vrrp_pkt_parse(msg, (size_t)n, AF_INET, &meta, &p), VRRP_RX_OK);
	assert_int_equal(p.auth_type, VRRP_AUTH_AH);
	assert_memory_equal(p.auth_data, "\0\0\0\0\0\0\0\0", 8); /* left zero with AH */
	assert_int_equal(p.count_addrs, 2);
	struct vrrp_expect w = expect(KEY, &seq);
	assert_int_equal(vrrp_pkt_check(&p, &meta, &w), VRRP_RX_OK);
	assert_int_equal(seq.last, 1);
	/* the same advert again is a replay */
	assert_int_equal(vrrp_pkt_check(&p, &meta, &w), VRRP_RX_AH_SEQ);
	char why[96];
	vrrp_rx_explain(VRRP_RX_AH_SEQ, &p, 0, &meta, &w, why, sizeof(why));
	assert_string_equal(why, "AH sequence 1, last accepted 1");
	/* unicast: keepalived leaves the TTL out of the ICV */
	load("v2-ah-unicast", &c);
	seq.last = 0;
	assert_int_equal(rx(c.ip, c.len, true, KEY, &seq), VRRP_RX_OK);
	c.ip[8] = 64; /* a TTL a router changed */
	seq.last = 0;
	assert_int_equal(rx(c.ip, c.len, true, KEY, &seq), VRRP_RX_OK);
}

static void test_golden_build(void **state)
{
	static const char *names[] = {"v2-ah", "v2-ah-unicast"};

	for (int i = 0; i < 2; i++) {
		struct cap c;
		uint8_t out[VRRP_AH_MAX_DGRAM];
		load(names[i], &c);
		struct vrrp_ah_ip ip = {.src = &c.src,
		                        .dst = &c.dst,
		                        .id = 1,
		                        .tos = 0xc0,
		                        .ttl = 255,
		                        .unicast = i == 1};
		const uint8_t *msg = c.ip + 20 + VRRP_AH_LEN;
		size_t len = c.len - 20 - VRRP_AH_LEN;
		assert_int_equal(vrrp_ah_build(&ip, KEY, 1, msg, len, out, sizeof(out)), c.len);
		assert_memory_equal(out, c.ip, c.len); /* IP checksum included */
		assert_int_equal(vrrp_ah_build(&ip, KEY, 1, msg, len, out, c.len - 1), 0);
	}
}

static void test_wrong_key_and_altered(void **state)
{
	struct cap c, m;
	struct vrrp_ah_seq seq = {0};
	static const uint8_t other[VRRP_AH_KEY_LEN] = "secreT\0";
	static const uint8_t longer[VRRP_AH_KEY_LEN] = "secret1";

	load("v2-ah", &c);
	assert_int_equal(rx(c.ip, c.len, false, other, &seq), VRRP_RX_AH_ICV);
	assert_int_equal(rx(c.ip, c.len, false, longer, &seq), VRRP_RX_AH_ICV);
	assert_int_equal(seq.last, 0); /* a rejected advert does not move the counter */
	/* mutable fields: TOS, flags and fragment offset, checksum */
	m = c;
	m.ip[1] = 0;
	m.ip[6] = 0x40;
	m.ip[10] ^= 0xff;
	assert_int_equal(rx(m.ip, m.len, false, KEY, &seq), VRRP_RX_OK);
	/* the rest is covered: TTL (multicast), IP ID, source, priority, VIPs */
	static const size_t covered[] = {8, 4, 15, 20 + VRRP_AH_LEN + 2, 20 + VRRP_AH_LEN + 11};
	for (size_t i = 0; i < sizeof(covered) / sizeof(covered[0]); i++) {
		m = c;
		m.ip[covered[i]] ^= 1;
		seq.last = 0;
		enum vrrp_rx_reason r = rx(m.ip, m.len, false, KEY, &seq);
		assert_true(r == VRRP_RX_AH_ICV || r == VRRP_RX_TTL || r == VRRP_RX_CHECKSUM);
	}
	/* the ICV itself */
	m = c;
	m.ip[20 + 12] ^= 0x80;
	seq.last = 0;
	assert_int_equal(rx(m.ip, m.len, false, KEY, &seq), VRRP_RX_AH_ICV);
}

/* An advert whose ICV is right but whose SPI is not its source (as no
 * keepalived sends): the HMAC redone by hand. */
static void test_spi(void **state)
{
	struct cap c;
	struct vrrp_ah_seq seq = {0};
	uint8_t d[VRRP_AH_MAX_DGRAM], md[EVP_MAX_MD_SIZE];
	unsigned int mdlen;

	load("v2-ah", &c);
	c.ip[20 + 7] = 9; /* SPI 10.0.0.9 */
	memcpy(d, c.ip, c.len);
	d[1] = 0;
	d[10] = d[11] = 0;
	memset(d + 32, 0, 12);
	assert_non_null(HMAC(EVP_md5(), KEY, 8, d, c.len, md, &mdlen));
	memcpy(c.ip + 32, md, 12);
	assert_int_equal(rx(c.ip, c.len, false, KEY, &seq), VRRP_RX_AH_SPI);
}

static void test_not_ah_or_not_vrrp(void **state)
{
	struct cap c;
	struct vrrp_ah_seq seq = {0};
	uint8_t msg[VRRP_AH_MAX_DGRAM];
	struct vrrp_rx_meta meta;
	struct vrrp_pkt p;

	load("v2-ah", &c);
	c.ip[20] = 6; /* AH for TCP */
	ssize_t n = decode(c.ip, c.len, false, msg, &meta);
	assert_int_equal(vrrp_pkt_parse(msg, (size_t)n, AF_INET, &meta, &p), VRRP_RX_AH_HDR);
	/* too short for an AH header: skipped by the decoding */
	load("v2-ah", &c);
	c.ip[3] = 20 + 23;
	assert_int_equal(decode(c.ip, 20 + 23, false, msg, &meta), 0);
	/* an AH advert to an instance without AH, and auth type 2 without AH */
	load("v2-ah", &c);
	n = decode(c.ip, c.len, false, msg, &meta);
	assert_int_equal(vrrp_pkt_parse(msg, (size_t)n, AF_INET, &meta, &p), VRRP_RX_OK);
	struct vrrp_expect w = expect(KEY, &seq);
	w.auth_type = VRRP_AUTH_PASS;
	assert_int_equal(vrrp_pkt_check(&p, &meta, &w), VRRP_RX_AUTH_AH);
	meta.ah = false;
	w.auth_type = VRRP_AUTH_AH;
	assert_int_equal(vrrp_pkt_check(&p, &meta, &w), VRRP_RX_AUTH_AH);
	meta.ah = true;
	p.auth_type = VRRP_AUTH_NONE;
	assert_int_equal(vrrp_pkt_check(&p, &meta, &w), VRRP_RX_AUTH_AH);
	char why[96];
	vrrp_rx_explain(VRRP_RX_AUTH_AH, &p, 0, &meta, &w, why, sizeof(why));
	assert_string_equal(why, "auth type 0 with an IPsec AH header, ours is 2");
	vrrp_rx_explain(VRRP_RX_AH_SPI, &p, 0, &meta, &w, why, sizeof(why));
	assert_string_equal(why, "AH SPI 0x0a000005, source 10.0.0.5");
	assert_string_equal(vrrp_rx_reason_name(VRRP_RX_AH_ICV), "ah_icv");
}

static void test_sequence(void **state)
{
	struct vrrp_ah_seq s = {0};

	assert_int_equal(vrrp_ah_seq_next(&s), 1);
	assert_int_equal(vrrp_ah_seq_next(&s), 2);
	assert_false(vrrp_ah_seq_accept(&s, 2)); /* our own number, or a replay */
	assert_true(vrrp_ah_seq_accept(&s, 10));
	assert_false(vrrp_ah_seq_accept(&s, 9));
	assert_int_equal(vrrp_ah_seq_next(&s), 11); /* a backup carries on above its master */
	/* a master hearing a lower priority syncs to its number + 1 */
	vrrp_ah_seq_heard(&s, 40, true, true, false);
	assert_int_equal(vrrp_ah_seq_next(&s), 42);
	/* the end of the counter: it stays, and restarts on becoming master */
	s.last = VRRP_AH_SEQ_MAX - 1;
	assert_int_equal(vrrp_ah_seq_next(&s), VRRP_AH_SEQ_MAX);
	assert_false(s.cycle);
	assert_int_equal(vrrp_ah_seq_next(&s), VRRP_AH_SEQ_MAX);
	assert_true(s.cycle);
	vrrp_ah_seq_heard(&s, 5, true, false, true); /* priority 0 to a master: stays */
	assert_true(s.cycle);
	vrrp_ah_seq_master(&s);
	assert_false(s.cycle);
	assert_int_equal(vrrp_ah_seq_next(&s), 1);
	vrrp_ah_seq_master(&s); /* not cycled: kept */
	assert_int_equal(s.last, 1);
	s.cycle = true;
	vrrp_ah_seq_heard(&s, 5, false, false, false); /* a backup hears its master */
	assert_false(s.cycle);
	assert_int_equal(s.last, 1);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_golden_receive),        cmocka_unit_test(test_golden_build),
	    cmocka_unit_test(test_wrong_key_and_altered), cmocka_unit_test(test_spi),
	    cmocka_unit_test(test_not_ah_or_not_vrrp),    cmocka_unit_test(test_sequence),
	};
	if (argc > 1)
		golden_dir = argv[1];
	return cmocka_run_group_tests(tests, NULL, NULL);
}
