/*
 * test_conf.c: tokenizer, parser, validation and dump of keepalived.conf.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conf/conf.h"
#include "conf/lex.h"
#include "lib/addr.h"

/* ---- diagnostics captured as "line:col: error|warning: msg" lines ---- */

static char diag_buf[8192];

static void capture(void *arg, enum conf_severity sev, const struct srcpos *pos, const char *msg)
{
	size_t n = strlen(diag_buf);
	snprintf(diag_buf + n, sizeof(diag_buf) - n, "%d:%d: %s: %s\n", pos ? pos->line : 0,
	         pos ? pos->col : 0, sev == CONF_ERROR ? "error" : "warning", msg);
}

static struct conf *parse(const char *text)
{
	struct conf_opts o = {.diag = capture};
	struct conf *c;

	diag_buf[0] = '\0';
	assert_int_equal(conf_load_string("t.conf", text, strlen(text), &o, &c), 0);
	conf_validate(c, &o);
	return c;
}

static char *dump(const struct conf *c)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	conf_dump(c, f);
	fclose(f);
	return buf;
}

/* ---- tokenizer ---- */

static const char *intern(void *arg, const char *name)
{
	return "t";
}

static void lex_diag(void *arg, enum conf_severity sev, const struct srcpos *pos, const char *msg)
{
	capture(arg, sev, pos, msg);
}

static void test_lex_tokens(void **state)
{
	const char *text = "a {b}\n  \"x y\" ! comment { }\n# all comment\n\"\"c#d}";
	struct lexer *lx = lex_new(lex_diag, intern, NULL);
	const struct tok *t;

	diag_buf[0] = '\0';
	lex_push_string(lx, "t", text, strlen(text));
	t = lex_next(lx);
	assert_int_equal(t->kind, TOK_WORD);
	assert_string_equal(t->text, "a");
	assert_int_equal(t->pos.line, 1);
	assert_int_equal(t->pos.col, 1);
	assert_int_equal(lex_next(lx)->kind, TOK_OPEN);
	t = lex_peek(lx);
	assert_string_equal(t->text, "b");
	t = lex_next(lx);
	assert_string_equal(t->text, "b");
	assert_int_equal(t->pos.col, 4);
	assert_int_equal(lex_next(lx)->kind, TOK_CLOSE);
	t = lex_next(lx);
	assert_true(t->quoted);
	assert_string_equal(t->text, "x y");
	assert_int_equal(t->pos.line, 2);
	assert_int_equal(t->pos.col, 3);
	t = lex_next(lx);
	assert_true(t->quoted);
	assert_string_equal(t->text, "");
	assert_int_equal(t->pos.line, 4);
	t = lex_next(lx);
	assert_string_equal(t->text, "c#d");
	assert_int_equal(lex_next(lx)->kind, TOK_CLOSE);
	assert_int_equal(lex_next(lx)->kind, TOK_EOF);
	assert_int_equal(lex_next(lx)->kind, TOK_EOF);
	assert_string_equal(diag_buf, "");
	lex_free(lx);
}

static void test_lex_unterminated(void **state)
{
	struct conf *c = parse("vrrp_script s {\n script \"/bin/true\n}\n");
	assert_non_null(strstr(diag_buf, "2:9: error: unterminated quoted string"));
	conf_free(c);
}

/* ---- values ---- */

static void test_usec(void **state)
{
	uint64_t us;

	assert_true(conf_parse_usec("1", &us));
	assert_int_equal(us, 1000000);
	assert_true(conf_parse_usec("0.01", &us));
	assert_int_equal(us, 10000);
	assert_true(conf_parse_usec("40.95", &us));
	assert_int_equal(us, 40950000);
	assert_true(conf_parse_usec("0.000001", &us));
	assert_int_equal(us, 1);
	assert_false(conf_parse_usec("0.0000001", &us));
	assert_false(conf_parse_usec("1.", &us));
	assert_false(conf_parse_usec(".5", &us));
	assert_false(conf_parse_usec("-1", &us));
	assert_false(conf_parse_usec("1s", &us));
	assert_false(conf_parse_usec("", &us));
	assert_false(conf_parse_usec("999999999999", &us));
}

/* ---- parser ---- */

static const char oneline[] =
    "global_defs { router_id lb01 } vrrp_instance VI_1 { state MASTER interface eth0 "
    "virtual_router_id 50 priority 150 advert_int 1 authentication { auth_type PASS "
    "auth_pass 1111 } virtual_ipaddress { 10.0.0.3 } }";

static const char multiline[] = "global_defs {\n"
                                "    router_id lb01\n"
                                "}\n"
                                "vrrp_instance VI_1 {\n"
                                "    state MASTER\n"
                                "    interface eth0\n"
                                "    virtual_router_id 50\n"
                                "    priority 150\n"
                                "    advert_int 1\n"
                                "    authentication {\n"
                                "        auth_type PASS\n"
                                "        auth_pass 1111\n"
                                "    }\n"
                                "    virtual_ipaddress {\n"
                                "        10.0.0.3\n"
                                "    }\n"
                                "}\n";

static void test_oneline_equals_multiline(void **state)
{
	struct conf *a = parse(oneline);
	assert_int_equal(a->errors + a->warnings, 0);
	struct conf *b = parse(multiline);
	assert_int_equal(b->errors + b->warnings, 0);
	char *da = dump(a), *db = dump(b);
	assert_string_equal(da, db);

	const struct conf_instance *in = conf_find_instance(a, "VI_1");
	assert_non_null(in);
	assert_int_equal(in->state, CONF_STATE_MASTER);
	assert_string_equal(in->ifname, "eth0");
	assert_int_equal(in->vrid, 50);
	assert_int_equal(in->priority, 150);
	assert_int_equal(in->advert_int_us, 1000000);
	assert_int_equal(in->version, 2);
	assert_int_equal(in->family, AF_INET);
	assert_int_equal(in->auth_type, CONF_AUTH_PASS);
	assert_string_equal(in->auth_pass, "1111"); /* keepalived 2.2.7 loses it in one line */
	assert_int_equal(in->vips.n, 1);
	assert_int_equal(in->vips.items[0].prefixlen, -1);
	assert_string_equal(a->global.router_id, "lb01");
	free(da);
	free(db);
	conf_free(a);
	conf_free(b);
}

static void test_dump_reparses(void **state)
{
	struct conf *a = parse(oneline);
	char *d1 = dump(a);
	struct conf *b = parse(d1);
	assert_int_equal(b->errors, 0);
	char *d2 = dump(b);
	assert_string_equal(d1, d2);
	free(d1);
	free(d2);
	conf_free(a);
	conf_free(b);
}

static void test_unknown_keyword_position(void **state)
{
	struct conf *c = parse("vrrp_instance VI_1 {\n    interface eth0\n    virtual_router_id 5\n"
	                       "    priorty 150\n    virtual_ipaddress {\n 10.0.0.3\n }\n}\n");
	assert_int_equal(c->errors, 0);
	assert_int_equal(c->warnings, 1);
	assert_string_equal(diag_buf, "4:5: warning: unknown keyword 'priorty'\n");
	assert_int_equal(conf_find_instance(c, "VI_1")->priority, 100);
	conf_free(c);
}

static void test_errors_have_positions(void **state)
{
	struct conf *c = parse("vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 256\n"
	                       " virtual_ipaddress { 10.0.0.3/40 }\n}\n");
	assert_int_equal(c->errors, 3);
	assert_non_null(strstr(diag_buf, "3:2: error: virtual_router_id: '256' is not a whole "
	                                 "number from 1 to 255"));
	assert_non_null(strstr(diag_buf, "4:22: error: '10.0.0.3/40' is not an IP address"));
	assert_non_null(strstr(diag_buf, "1:1: error: VI_1: virtual_router_id is missing"));
	conf_free(c);
}

static void test_unclosed_block(void **state)
{
	struct conf *c = parse("global_defs { router_id lb01 # comment } vrrp_instance X { }");
	assert_int_equal(c->errors, 1);
	assert_string_equal(diag_buf,
	                    "1:1: error: global_defs block is never closed (missing '}')\n");
	conf_free(c);
}

static void test_lvs_warns_once(void **state)
{
	struct conf *c = parse("virtual_server 10.0.0.3 80 { real_server 10.0.0.7 80 { weight 1 "
	                       "TCP_CHECK { connect_timeout 3 } } }");
	assert_int_equal(c->errors, 0);
	assert_int_equal(c->warnings, 1);
	assert_non_null(strstr(diag_buf, "'virtual_server' is not supported by vipd (LVS/IPVS"));
	conf_free(c);
}

static void test_v3_decimal_and_ipv6(void **state)
{
	struct conf *c = parse("vrrp_instance V6 { interface eth0 virtual_router_id 9 advert_int "
	                       "0.05 virtual_ipaddress { fd00::3/64 } }");
	const struct conf_instance *in = conf_find_instance(c, "V6");
	assert_int_equal(c->errors, 0);
	assert_int_equal(in->version, 3);
	assert_int_equal(in->family, AF_INET6);
	assert_int_equal(in->advert_int_us, 50000);
	assert_int_equal(in->vips.items[0].prefixlen, 64);
	conf_free(c);
}

static void test_track_and_scripts(void **state)
{
	struct conf *c = parse("vrrp_script chk { script \"/bin/check --x\" interval 2 weight -20 "
	                       "reverse fall 3 } vrrp_instance I { interface eth0 "
	                       "virtual_router_id 1 virtual_ipaddress { 10.0.0.3 } track_script { "
	                       "chk weight 10 nope } track_interface { eth0 eth1 weight -5 } }");
	const struct conf_script *s = conf_find_script(c, "chk");
	const struct conf_instance *in = conf_find_instance(c, "I");
	assert_non_null(s);
	assert_string_equal(s->cmd.cmd, "/bin/check --x");
	assert_int_equal(s->interval_us, 2000000);
	assert_int_equal(s->weight, -20);
	assert_true(s->weight_reverse);
	assert_int_equal(s->fall, 3);
	assert_int_equal(in->tracks[CONF_TRACK_SCRIPT].n, 2);
	assert_true(in->tracks[CONF_TRACK_SCRIPT].items[0].has_weight);
	assert_int_equal(in->tracks[CONF_TRACK_SCRIPT].items[0].weight, 10);
	assert_int_equal(in->tracks[CONF_TRACK_INTERFACE].n, 2);
	assert_int_equal(in->tracks[CONF_TRACK_INTERFACE].items[1].weight, -5);
	assert_int_equal(c->errors, 1); /* nope is not defined */
	assert_non_null(strstr(diag_buf, "vrrp_script nope is not defined"));
	conf_free(c);
}

/* bfd_instance: keepalived's defaults and end-of-block rules, track_bfd
 * weights, master_down_bfd, a session for the checker left out. */
static void test_bfd(void **state)
{
	struct conf *c = parse(
	    "bfd_instance b4 { neighbor_ip 10.0.0.2 min_rx 3.312 weight -20 reverse max_hops -1 } "
	    "bfd_instance b6 { neighbour_ip 2001:db8::2 ttl 70 max_hops 100 multihop } "
	    "bfd_instance chk { neighbor_ip 10.0.0.3 checker } "
	    "vrrp_instance I { interface eth0 virtual_router_id 1 virtual_ipaddress { 10.0.0.3 } "
	    "track_bfd { b4 b6 weight 7 } master_down_bfd b4 } "
	    "vrrp_sync_group G { group { I } track_bfd { b6 } }");
	const struct conf_bfd *b4 = conf_find_bfd(c, "b4"), *b6 = conf_find_bfd(c, "b6");
	const struct conf_instance *in = conf_find_instance(c, "I");

	assert_int_equal(c->errors, 0);
	assert_int_equal(c->bfds.n, 2); /* chk is the checker's only */
	assert_null(conf_find_bfd(c, "chk"));
	assert_non_null(b4);
	assert_int_equal(b4->min_rx_us, 3312);
	assert_int_equal(b4->min_tx_us, 10000);
	assert_int_equal(b4->idle_tx_us, 1000000);
	assert_int_equal(b4->multiplier, 5);
	assert_int_equal(b4->ttl, 255);
	assert_int_equal(b4->max_hops, 255); /* -1: not checked */
	assert_false(b4->multihop);
	assert_non_null(b6);
	assert_int_equal(b6->neighbor.family, AF_INET6);
	assert_int_equal(b6->ttl, 70);
	assert_int_equal(b6->max_hops, 70); /* above ttl: ttl, warned */
	assert_true(b6->multihop);
	assert_non_null(strstr(diag_buf, "max_hops 100 is more than hoplimit 70; 70 is used"));
	assert_non_null(strstr(diag_buf, "'checker' without 'vrrp'"));
	assert_int_equal(in->tracks[CONF_TRACK_BFD].n, 2);
	assert_int_equal(conf_track_weight(c, CONF_TRACK_BFD, &in->tracks[CONF_TRACK_BFD].items[0]),
	                 -20);
	assert_int_equal(conf_track_weight(c, CONF_TRACK_BFD, &in->tracks[CONF_TRACK_BFD].items[1]),
	                 7);
	assert_int_equal(in->master_down_bfd.n, 1);
	assert_string_equal(in->master_down_bfd.items[0].name, "b4");
	assert_false(conf_tracked(c, CONF_TRACK_BFD, "chk"));
	conf_sync_merge_tracking(c);
	assert_true(conf_tracked(c, CONF_TRACK_BFD, "b6"));
	conf_free(c);
}

static void test_bfd_errors(void **state)
{
	struct conf *c =
	    parse("bfd_instance b { source_ip 10.0.0.1 min_rx 0.9 } "
	          "bfd_instance abcdefghijabcdefghijabcdefghij12 { neighbor_ip 10.0.0.9 } "
	          "vrrp_instance I { interface eth0 virtual_router_id 1 "
	          "virtual_ipaddress { 10.0.0.3 } track_bfd { x } master_down_bfd y }");

	assert_int_equal(c->errors, 5);
	assert_non_null(strstr(diag_buf, "min_rx: '0.9' is not a number of milliseconds"));
	assert_non_null(strstr(diag_buf, "bfd_instance b has no neighbor_ip"));
	assert_non_null(strstr(diag_buf, "is empty or longer than 31 characters"));
	assert_non_null(strstr(diag_buf, "I: bfd_instance x is not defined"));
	assert_non_null(strstr(diag_buf, "I: master_down_bfd: bfd_instance y is not defined"));
	conf_free(c);
}

/* ---- include ---- */

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void test_include(void **state)
{
	char dir[] = "/tmp/vipd-test-XXXXXX", path[128];
	struct conf_opts o = {.diag = capture};
	struct conf *c;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/main.conf", dir);
	write_file(path, "include sub/*.conf\nvrrp_instance I { interface eth0 virtual_router_id 1 "
	                 "virtual_ipaddress { 10.0.0.3 } track_script { a b } }\n");
	snprintf(path, sizeof(path), "%s/sub", dir);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/sub/1.conf", dir);
	write_file(path, "vrrp_script a { script /bin/true }\n");
	snprintf(path, sizeof(path), "%s/sub/2.conf", dir);
	write_file(path, "vrrp_script b { script /bin/false }\ninclude ../main.conf\n");
	snprintf(path, sizeof(path), "%s/main.conf", dir);
	diag_buf[0] = '\0';
	assert_int_equal(conf_load(path, &o, &c), 0);
	conf_validate(c, &o);
	assert_int_equal(c->scripts.n, 2);
	assert_int_equal(c->errors, 1);
	assert_non_null(strstr(diag_buf, "include loop"));
	conf_free(c);

	snprintf(path, sizeof(path), "%s/missing.conf", dir);
	diag_buf[0] = '\0';
	assert_int_equal(conf_load(path, &o, &c), -1);
	assert_non_null(strstr(diag_buf, "cannot open"));
	conf_free(c);
	char cmd[160];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

/* Reload: the same router when only live keywords changed; anything else
 * (a route's gateway, the TTL of unicast adverts) makes another router. */
static bool same_router(const char *a, const char *b)
{
	char ta[1024], tb[1024];
	const char *fmt = "vrrp_instance I { interface eth0 virtual_router_id 1 priority 100 "
	                  "virtual_ipaddress { 10.0.0.1/32 } %s }";
	snprintf(ta, sizeof(ta), fmt, a);
	snprintf(tb, sizeof(tb), fmt, b);
	struct conf *x = parse(ta), *y = parse(tb);
	char *fx = conf_instance_fixed(&x->instances.items[0]);
	char *fy = conf_instance_fixed(&y->instances.items[0]);
	bool same = fx && fy && !strcmp(fx, fy);
	free(fx);
	free(fy);
	conf_free(x);
	conf_free(y);
	return same;
}

static void test_instance_fixed(void **state)
{
	assert_true(same_router("", ""));
	assert_true(same_router("nopreempt preempt_delay 5 down_timer_adverts 5", ""));
	assert_true(
	    same_router("lower_prio_no_advert notify_master /bin/true", "garp_master_repeat 3"));
	assert_true(same_router("track_interface { eth1 weight -20 }", ""));
	assert_false(same_router("virtual_routes { 10.9.0.0/16 via 10.0.0.254 }",
	                         "virtual_routes { 10.9.0.0/16 via 10.0.0.253 }"));
	assert_false(same_router("virtual_rules { from 10.0.0.1 table 100 }",
	                         "virtual_rules { from 10.0.0.1 table 101 }"));
	assert_false(same_router("unicast_peer { 10.0.0.2 } unicast_ttl 10",
	                         "unicast_peer { 10.0.0.2 } unicast_ttl 20"));
	assert_false(same_router("unicast_peer { 10.0.0.2 }", "unicast_peer { 10.0.0.3 }"));
	assert_false(same_router("advert_int 2", ""));
}

/* conf_find_instance, conf_find_script and conf_tracked through the name
 * indexes, on 300 of each (names that share prefixes), and without them
 * when a name is defined twice. */
static void test_find_instance(void **state)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	for (int i = 0; i < 300; i++)
		fprintf(f, "vrrp_instance VI_%d { interface eth%d virtual_router_id %d }\n", i,
		        i / 200, i % 200 + 1);
	fclose(f);
	struct conf *c = parse(text);
	assert_int_equal(c->errors, 0);
	for (int i = 0; i < 300; i++) {
		char name[16];
		snprintf(name, sizeof(name), "VI_%d", i);
		const struct conf_instance *in = conf_find_instance(c, name);
		assert_non_null(in);
		assert_string_equal(in->name, name);
		assert_int_equal(in->vrid, i % 200 + 1);
	}
	assert_null(conf_find_instance(c, "VI_300"));
	assert_null(conf_find_instance(c, "VI_"));
	assert_null(conf_find_instance(c, ""));
	conf_free(c);
	free(text);

	/* scripts and what is tracked, by name: 300 scripts, every third tracked */
	f = open_memstream(&text, &len);
	for (int i = 0; i < 300; i++)
		fprintf(f, "vrrp_script s%d { script /bin/true weight %d }\n", i, i % 50 + 1);
	fprintf(f, "vrrp_instance I { interface eth0 virtual_router_id 1 track_script {");
	for (int i = 0; i < 300; i += 3)
		fprintf(f, " s%d", i);
	fprintf(f, " } }\n");
	fclose(f);
	c = parse(text);
	assert_int_equal(c->errors, 0);
	conf_sync_merge_tracking(c);
	for (int i = 0; i < 300; i++) {
		char name[16];
		snprintf(name, sizeof(name), "s%d", i);
		assert_int_equal(conf_find_script(c, name)->weight, i % 50 + 1);
		assert_int_equal(conf_tracked(c, CONF_TRACK_SCRIPT, name), i % 3 == 0);
	}
	assert_null(conf_find_script(c, "s300"));
	assert_false(conf_tracked(c, CONF_TRACK_SCRIPT, "s300"));
	assert_false(conf_tracked(c, CONF_TRACK_FILE, "s0"));
	conf_free(c);
	free(text);

	c = parse("vrrp_instance A { interface eth0 virtual_router_id 1 }\n"
	          "vrrp_instance A { interface eth0 virtual_router_id 2 }\n");
	assert_true(c->errors > 0);
	assert_int_equal(conf_find_instance(c, "A")->vrid, 1);
	assert_null(conf_find_instance(c, "B"));
	conf_free(c);
}

/* ---- preprocessing: @ID, $NAME, ~SEQ ---- */

static struct conf *parse_id(const char *text, const char *id)
{
	struct conf_opts o = {.diag = capture, .config_id = id};
	struct conf *c;

	diag_buf[0] = '\0';
	assert_int_equal(conf_load_string("t.conf", text, strlen(text), &o, &c), 0);
	return c;
}

/* keepalived's man page example: replaced at use, not at definition. */
static void test_definitions_at_use(void **state)
{
	struct conf *c = parse_id("$BASE=10.2.${SUB}\n$SUB=0\n"
	                          "vrrp_instance A { virtual_ipaddress {\n${BASE}.100/32\n"
	                          "$SUB=10\n${BASE}.100/32\n} }\n",
	                          NULL);
	char a[64];

	assert_int_equal(c->errors, 0);
	assert_int_equal(c->instances.n, 1);
	assert_int_equal(c->instances.items[0].vips.n, 2);
	assert_string_equal(addr_ntop(&c->instances.items[0].vips.items[0].addr, a), "10.2.0.100");
	assert_string_equal(addr_ntop(&c->instances.items[0].vips.items[1].addr, a), "10.2.10.100");
	conf_free(c);
}

/* @ID / @^ID lines, and positions of the lines after them unchanged. */
static void test_conditional_lines(void **state)
{
	const char *text = "vrrp_instance A {\n@lb01 priority 150\n@lb02 priority 100\n"
	                   "@^lb01 nopreempt\n  bogus_keyword\n}\n";
	struct conf *c = parse_id(text, "lb01");

	assert_int_equal(c->instances.items[0].priority, 150);
	assert_false(c->instances.items[0].nopreempt);
	assert_non_null(strstr(diag_buf, "5:3: warning: unknown keyword 'bogus_keyword'"));
	conf_free(c);
	c = parse_id(text, "lb02");
	assert_int_equal(c->instances.items[0].priority, 100);
	assert_true(c->instances.items[0].nopreempt);
	conf_free(c);
}

/* A multi-line definition repeated by ~SEQ; random_seed makes ${_RANDOM}
 * repeat; ${_ENV} and ${_INSTANCE}. */
static void test_seq_and_predefined(void **state)
{
	const char *text =
	    "global_defs {\nrandom_seed 7\nrouter_id r${_RANDOM 1 1000}_${_INSTANCE}\n}\n"
	    "$I= \\\nvrrp_instance VI_${N} { \\\n  virtual_router_id ${N} \\\n"
	    "  priority ${_ENV VIPD_TEST_PRIO} \\\n}\n~SEQ(N, 2, 2, 6) $I\n";
	struct conf *c, *c2;

	setenv("VIPD_TEST_PRIO", "123", 1);
	c = parse_id(text, "main");
	c2 = parse_id(text, "main");
	assert_int_equal(c->errors, 0);
	assert_int_equal(c->instances.n, 3);
	assert_string_equal(c->instances.items[2].name, "VI_6");
	assert_int_equal(c->instances.items[2].vrid, 6);
	assert_int_equal(c->instances.items[1].priority, 123);
	assert_string_equal(c->global.router_id, c2->global.router_id);
	assert_non_null(strstr(c->global.router_id, "_main"));
	conf_free(c);
	conf_free(c2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_lex_tokens),
	    cmocka_unit_test(test_lex_unterminated),
	    cmocka_unit_test(test_usec),
	    cmocka_unit_test(test_oneline_equals_multiline),
	    cmocka_unit_test(test_dump_reparses),
	    cmocka_unit_test(test_unknown_keyword_position),
	    cmocka_unit_test(test_errors_have_positions),
	    cmocka_unit_test(test_unclosed_block),
	    cmocka_unit_test(test_lvs_warns_once),
	    cmocka_unit_test(test_v3_decimal_and_ipv6),
	    cmocka_unit_test(test_track_and_scripts),
	    cmocka_unit_test(test_include),
	    cmocka_unit_test(test_bfd),
	    cmocka_unit_test(test_bfd_errors),
	    cmocka_unit_test(test_instance_fixed),
	    cmocka_unit_test(test_find_instance),
	    cmocka_unit_test(test_definitions_at_use),
	    cmocka_unit_test(test_conditional_lines),
	    cmocka_unit_test(test_seq_and_predefined),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
