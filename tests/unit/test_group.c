/*
 * test_group.c: the vrrp_sync_group decisions (vrrp/group.c) on member
 * snapshots, and fsm_reconfigure keeping the state and deadlines.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "vrrp/fsm.h"
#include "vrrp/group.h"

#define M(s)  ((struct group_member){.state = VRRP_STATE_##s})
#define READY ((struct group_member){.state = VRRP_STATE_BACKUP, .want_master = true})

static struct fsm_out notify(enum vrrp_state from, enum vrrp_state to)
{
	return (struct fsm_out){.actions = FSM_ACT_NOTIFY, .from = from, .to = to};
}

static void test_leaving_master_takes_the_others_out(void **st)
{
	/* member 0 just went Master -> Backup; 1 and 2 are Master, 3 Backup */
	struct group_member m[] = {M(BACKUP), M(MASTER), M(MASTER), M(BACKUP)};
	struct fsm_out out = notify(VRRP_STATE_MASTER, VRRP_STATE_BACKUP);
	enum group_order o[4];

	group_after_event(m, 4, 0, &out, o);
	assert_int_equal(o[0], GROUP_NOTHING);
	assert_int_equal(o[1], GROUP_BACKUP);
	assert_int_equal(o[2], GROUP_BACKUP);
	assert_int_equal(o[3], GROUP_NOTHING);
	/* to Fault or Init is not leaving Master for Backup: nothing */
	out = notify(VRRP_STATE_MASTER, VRRP_STATE_FAULT);
	group_after_event(m, 4, 0, &out, o);
	for (int i = 0; i < 4; i++)
		assert_int_equal(o[i], GROUP_NOTHING);
}

static void test_master_only_when_every_member_is_ready(void **st)
{
	struct group_member m[] = {READY, M(BACKUP), M(MASTER)};
	struct fsm_out out = {.actions = FSM_ACT_SYNC_WANT};
	enum group_order o[3];

	group_after_event(m, 3, 0, &out, o); /* member 1 is not ready: all wait */
	for (int i = 0; i < 3; i++)
		assert_int_equal(o[i], GROUP_NOTHING);
	m[1] = READY;
	group_after_event(m, 3, 1, &out, o); /* now every one is: the Backups go */
	assert_int_equal(o[0], GROUP_MASTER);
	assert_int_equal(o[1], GROUP_MASTER);
	assert_int_equal(o[2], GROUP_NOTHING);
	/* without SYNC_WANT the same snapshot orders nothing */
	out.actions = FSM_ACT_TIMERS;
	group_after_event(m, 3, 1, &out, o);
	for (int i = 0; i < 3; i++)
		assert_int_equal(o[i], GROUP_NOTHING);
}

static void test_one_fault_holds_the_others(void **st)
{
	struct group_member m[] = {M(MASTER), M(FAULT), M(BACKUP)};
	enum group_order o[3];

	m[1].own_fault = true;
	assert_int_equal(group_after_fault(m, 3, o), 1);
	assert_int_equal(o[0], GROUP_HOLD);
	assert_int_equal(o[1], GROUP_NOTHING); /* its own fault holds it already */
	assert_int_equal(o[2], GROUP_HOLD);
	/* held ones are not held twice */
	m[0].held = m[2].held = true;
	assert_int_equal(group_after_fault(m, 3, o), 1);
	for (int i = 0; i < 3; i++)
		assert_int_equal(o[i], GROUP_NOTHING);
	/* the fault clears: every held member is released */
	m[1].own_fault = false;
	assert_int_equal(group_after_fault(m, 3, o), 3);
	assert_int_equal(o[0], GROUP_RELEASE);
	assert_int_equal(o[1], GROUP_NOTHING);
	assert_int_equal(o[2], GROUP_RELEASE);
}

static void test_group_state(void **st)
{
	struct group_member a[] = {M(MASTER), M(MASTER)}, b[] = {M(MASTER), M(BACKUP)},
	                    c[] = {M(INIT), M(INIT)}, d[] = {M(MASTER), M(FAULT)};

	assert_int_equal(group_state(a, 2), VRRP_STATE_MASTER);
	assert_int_equal(group_state(b, 2), VRRP_STATE_BACKUP);
	assert_int_equal(group_state(c, 2), VRRP_STATE_INIT);
	assert_int_equal(group_state(d, 2), VRRP_STATE_FAULT);
	assert_string_equal(group_order_name(GROUP_HOLD), "hold");
	assert_string_equal(group_order_name((enum group_order)99), "?");
}

static void test_reconfigure_keeps_state_and_deadlines(void **st)
{
	struct fsm_config c = {.version = 3,
	                       .priority = 100,
	                       .adver_int_us = VTIME_SEC,
	                       .preempt = true,
	                       .down_timer_adverts = 3};
	struct fsm f;
	struct fsm_out out;
	vtime_t down;

	assert_true(addr_parse("10.0.0.6", &c.primary));
	fsm_init(&f, &c);
	fsm_startup(&f, 1000 * VTIME_SEC, &out);
	assert_int_equal(f.state, VRRP_STATE_BACKUP);
	down = f.master_down_at;
	c.priority = 50;
	c.preempt = false;
	c.down_timer_adverts = 5;
	c.version = 2;                  /* never changes a running machine */
	c.adver_int_us = 3 * VTIME_SEC; /* nor does this */
	fsm_reconfigure(&f, &c);
	assert_int_equal(f.state, VRRP_STATE_BACKUP);
	assert_int_equal(f.master_down_at, down);
	assert_int_equal(f.cfg.priority, 50);
	assert_false(f.cfg.preempt);
	assert_int_equal(f.cfg.down_timer_adverts, 5);
	assert_int_equal(f.cfg.version, 3);
	assert_int_equal(f.cfg.adver_int_us, VTIME_SEC);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_leaving_master_takes_the_others_out),
	    cmocka_unit_test(test_master_only_when_every_member_is_ready),
	    cmocka_unit_test(test_one_fault_holds_the_others),
	    cmocka_unit_test(test_group_state),
	    cmocka_unit_test(test_reconfigure_keeps_state_and_deadlines),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
