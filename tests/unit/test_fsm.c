/*
 * test_fsm.c: the VRRP state machine on a fake clock: every table row and
 * the RFC 3768 / RFC 9568 timer rules with exact values.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "vrrp/fsm.h"

#define S  VTIME_SEC
#define T0 (1000 * S) /* the fake clock starts here */

/* The transition's reason as text (made when read, why.c). */
static const char *why(const struct fsm_out *o)
{
	static char buf[FSM_WHY_LEN];

	return fsm_why_text(&o->why, buf, sizeof(buf));
}

static struct addr A(const char *s) {
	struct addr a;
	assert_true(addr_parse(s, &a));
	return a;
}

static struct fsm_config
cfg(int version, int prio, uint64_t adver_us)
{
	struct fsm_config c = {.version = (uint8_t)version,
	                       .priority = (uint8_t)prio,
	                       .adver_int_us = adver_us,
	                       .preempt = true};
	c.primary = A("10.0.0.6");
	return c;
}

static struct fsm_advert adv(int prio, uint64_t int_us, const char *src)
{
	struct fsm_advert a = {.priority = (uint8_t)prio, .adver_int_us = int_us};
	a.src = A(src);
	return a;
}

/* A backup started at T0. */
static void start(struct fsm *f, struct fsm_config c)
{
	struct fsm_out o;

	fsm_init(f, &c);
	fsm_startup(f, T0, &o);
}

static void test_timer_arithmetic(void **state)
{
	struct fsm f;

	fsm_init(&f, &(struct fsm_config){.version = 3, .priority = 100, .adver_int_us = S});
	assert_int_equal(fsm_skew_us(&f), 609375); /* (156 * 1 s) / 256 */
	assert_int_equal(fsm_master_down_us(&f), 3609375);
	fsm_init(&f, &(struct fsm_config){.version = 3, .priority = 100, .adver_int_us = 10000});
	assert_int_equal(fsm_skew_us(&f), 6093); /* multiply before divide */
	assert_int_equal(fsm_master_down_us(&f), 36093);
	fsm_init(&f, &(struct fsm_config){.version = 2, .priority = 150, .adver_int_us = 2 * S});
	assert_int_equal(fsm_skew_us(&f), 414062); /* v2: (256 - 150) / 256 s */
	assert_int_equal(fsm_master_down_us(&f), 6414062);
	fsm_init(&f,
	         &(struct fsm_config){
	             .version = 3, .priority = 254, .adver_int_us = S, .down_timer_adverts = 5});
	assert_int_equal(fsm_master_down_us(&f), 5 * S + 7812);
}

static void test_effective_priority(void **state)
{
	assert_int_equal(vrrp_effective_priority(100, 50), 150);
	assert_int_equal(vrrp_effective_priority(100, 200), 254);
	assert_int_equal(vrrp_effective_priority(100, -150), 1);
	assert_int_equal(vrrp_effective_priority(255, -100), 255);
	assert_int_equal(vrrp_effective_priority(200, 0), 200);
}

/* 6.4.1: a non-owner starts in Backup with Master_Down_Timer armed */
static void test_startup_backup(void **state)
{
	struct fsm f;
	struct fsm_out o;
	struct fsm_config c = cfg(3, 100, S);

	fsm_init(&f, &c);
	fsm_startup(&f, T0, &o);
	assert_int_equal(f.state, VRRP_STATE_BACKUP);
	assert_int_equal(o.actions, FSM_ACT_NOTIFY | FSM_ACT_TIMERS);
	assert_int_equal(o.from, VRRP_STATE_INIT);
	assert_int_equal(o.to, VRRP_STATE_BACKUP);
	assert_int_equal(f.master_down_at, T0 + 3609375);
	assert_int_equal(fsm_next_deadline(&f), T0 + 3609375);
	assert_int_equal(f.adver_at, VTIME_NEVER);
}

/* keepalived's "state MASTER" below 255: Backup, but the first wait is one
 * advert interval and the smallest skew; a master heard meanwhile wins */
static void test_startup_state_master(void **state)
{
	struct fsm f;
	struct fsm_out o;
	struct fsm_config c = cfg(3, 100, S);
	struct fsm_advert a = adv(150, S, "10.0.0.5");

	c.init_master = true;
	fsm_init(&f, &c);
	fsm_startup(&f, T0, &o);
	assert_int_equal(f.state, VRRP_STATE_BACKUP);
	assert_int_equal(f.master_down_at, T0 + S + 7812); /* 1 s + (2 * 1 s) / 256 */
	fsm_timer(&f, T0 + S + 7812, &o);
	assert_int_equal(f.state, VRRP_STATE_MASTER);
	assert_string_equal(why(&o), "no advert heard for 1.007 s");
	fsm_init(&f, &c);
	fsm_startup(&f, T0, &o);
	fsm_advert(&f, T0 + S / 2, &a, &o);
	assert_int_equal(f.master_down_at, T0 + S / 2 + 3609375); /* then the usual interval */
	fsm_fault(&f, T0 + S, true, "link down", &o); /* leaving Fault: the whole interval */
	fsm_fault(&f, T0 + 2 * S, false, "link up", &o);
	assert_int_equal(f.state, VRRP_STATE_BACKUP);
	assert_int_equal(f.master_down_at, T0 + 2 * S + 3609375);
	c = cfg(2, 100, S); /* v2: the skew is in seconds too */
	c.init_master = true;
	fsm_init(&f, &c);
	fsm_startup(&f, T0, &o);
	assert_int_equal(f.master_down_at, T0 + S + 7812);
}

/* 6.4.1: the address owner goes to Master at once */
static void test_startup_owner(void **state)
{
	struct fsm f;
	struct fsm_out o;

	fsm_init(&f, &(struct fsm_config){.version = 3, .priority = 255, .adver_int_us = S});
	fsm_startup(&f, T0, &o);
	assert_int_equal(f.state, VRRP_STATE_MASTER);
	assert_true(o.actions & FSM_ACT_SEND_ADVERT);
	assert_true(o.actions & FSM_ACT_ADD_VIPS);
	assert_true(o.actions & FSM_ACT_ANNOUNCE);
	assert_true(o.actions & FSM_ACT_NOTIFY);
	assert_int_equal(o.adv_priority, 255);
	assert_int_equal(f.adver_at, T0 + S);
	assert_string_equal(why(&o), "startup: address owner (priority 255)");
}

/* 6.4.2: Master_Down_Timer fires: Master, advert first */
static void test_master_down(void **state)
{
	struct fsm f;
	struct fsm_out o;

	start(&f, cfg(3, 100, S));
	fsm_timer(&f, T0 + 3609374, &o);
	assert_int_equal(o.actions, 0);
	assert_int_equal(f.state, VRRP_STATE_BACKUP);
	fsm_timer(&f, T0 + 3609375, &o);
	assert_int_equal(f.state, VRRP_STATE_MASTER);
	assert_int_equal(o.actions, FSM_ACT_SEND_ADVERT | FSM_ACT_ADD_VIPS | FSM_ACT_ANNOUNCE |
	                                FSM_ACT_NOTIFY | FSM_ACT_TIMERS);
	assert_int_equal(o.adv_priority, 100);
	assert_int_equal(f.adver_at, T0 + 3609375 + S);
	assert_int_equal(f.master_down_at, VTIME_NEVER);
	assert_string_equal(why(&o), "no advert heard for 3.609 s");
	assert_int_equal(f.transitions, 2);
}

/* 6.4.2: adverts reset the timer; learning Master_Adver_Interval (v3) */
static void test_backup_follows_and_learns(void **state)
{
	struct fsm f;
	struct fsm_out o;
	struct fsm_advert a = adv(150, 2 * S, "10.0.0.5");

	start(&f, cfg(3, 100, S));
	fsm_advert(&f, T0 + S, &a, &o);
	assert_int_equal(o.actions, FSM_ACT_TIMERS);
	assert_int_equal(f.master_adver_int_us, 2 * S);
	/* 3 * 2 s + (156 * 2 s) / 256 */
	assert_int_equal(f.master_down_at, T0 + S + 6 * S + 1218750);
	assert_true(addr_eq(&f.master_addr, &a.src));
	assert_int_equal(f.master_priority, 150);
	fsm_timer(&f, T0 + S + 7218750, &o);
	assert_int_equal(f.state, VRRP_STATE_MASTER);
	assert_string_equal(why(&o), "no advert from 10.0.0.5 for 7.218 s");
}

/* v2 has no learning */
static void test_v2_no_learning(void **state)
{
	struct fsm f;
	struct fsm_out o;
	struct fsm_advert a = adv(150, 2 * S, "10.0.0.5");

	start(&f, cfg(2, 100, S));
	fsm_advert(&f, T0, &a, &o);
	assert_int_equal(f.master_adver_int_us, S);
	assert_int_equal(f.master_down_at, T0 + 3609375);
}

/* 6.4.2: priority 0: take over after Skew_Time */
static void test_backup_prio0(void **state)
{
	struct fsm f;
	struct fsm_out o;
	struct fsm_advert a = adv(0, S, "10.0.0.5");

	start(&f, cfg(3, 100, S));
	fsm_advert(&f, T0 + S, &a, &o);
	assert_int_equal(f.master_down_at, T0 + S + 609375);
	fsm_timer(&f, T0 + S + 609375, &o);
	assert_int_equal(f.state, VRRP_STATE_MASTER);
	assert_string_equal(
	    why(&o), "master 10.0.0.5 stopped (priority 0); took over after 0.609 s of skew");
}

/* vipd: a backup that follows a master takes priority 0 only from it; a
 * stranger's priority 0 (a LAN host) changes nothing; by an advert path
 * (local set) any source counts. */
static void test_backup_prio0_only_from_its_master(void **state)
{
	struct fsm f;
	struct fsm_out o;
	struct fsm_advert m = adv(150, S, "10.0.0.5"), z = adv(0, S, "10.0.0.99");

	start(&f, cfg(3, 100, S));
	fsm_advert(&f, T0 + S, &m, &o);
	vtime_t down = f.master_down_at;
	fsm_advert(&f, T0 + 2 * S, &z, &o);
	assert_int_equal(o.n_steps, 1);
	assert_int_equal(o.steps[0].event, FSM_EV_ADV_PRIO0_OTHER);
	assert_int_equal(o.actions, 0);
	assert_int_equal(f.master_down_at, down);
	assert_true(addr_eq(&f.master_addr, &m.src));
	z.local = m.src; /* by an advert path: its sources are the peer's there */
	fsm_advert(&f, T0 + 2 * S, &z, &o);
	assert_int_equal(f.master_down_at, T0 + 2 * S + 609375);
	fsm_advert(&f, T0 + 3 * S, &m, &o);
	struct fsm_advert m0 = adv(0, S, "10.0.0.5"); /* the master itself stops */
	fsm_advert(&f, T0 + 4 * S, &m0, &o);
	assert_int_equal(o.steps[0].event, FSM_EV_ADV_PRIO0);
	assert_int_equal(f.master_down_at, T0 + 4 * S + 609375);
	assert_string_equal(fsm_event_name(FSM_EV_ADV_PRIO0_OTHER), "adv-prio0-other");
}

/* vipd master_down_bfd: the master's BFD session down makes a Backup that
 * follows that master take over after Skew_Time on the session's scale;
 * anything else (another address, no master heard, Master, a master at
 * priority 0 already skewing) is ignored; an advert from the master before
 * the timer fires puts the normal one back. */
static void test_backup_peer_down(void **state)
{
	struct fsm f;
	struct fsm_out o;
	struct fsm_advert m = adv(150, S, "10.0.0.5");
	struct addr master = A("10.0.0.5"), other = A("10.0.0.7");

	start(&f, cfg(3, 100, S));
	fsm_peer_down(&f, T0 + 10, &master, 50000, "down", &o); /* no master heard yet */
	assert_int_equal(o.actions, 0);
	assert_int_equal(o.steps[0].event, FSM_EV_PEER_DOWN);
	assert_null(o.steps[0].action);
	fsm_advert(&f, T0 + S, &m, &o);
	fsm_peer_down(&f, T0 + S + 100, &other, 50000, "down", &o); /* not the master */
	assert_int_equal(o.actions, 0);
	assert_int_equal(f.master_down_at, T0 + S + 3609375);
	/* the master: (256 - 100) * 50 ms / 256 = 30.468 ms */
	fsm_peer_down(&f, T0 + S + 150000, &master, 50000,
	              "BFD session b1 down (no packet for 150.000 ms)", &o);
	assert_int_equal(o.actions, FSM_ACT_TIMERS);
	assert_int_equal(f.master_down_at, T0 + S + 150000 + 30468);
	assert_int_equal(f.state, VRRP_STATE_BACKUP);
	fsm_timer(&f, T0 + S + 180468, &o);
	assert_int_equal(f.state, VRRP_STATE_MASTER);
	assert_int_equal(o.cause, FSM_CAUSE_PEER_DOWN);
	assert_string_equal(why(&o), "master 10.0.0.5: BFD session b1 down (no packet for 150.000 "
	                             "ms); took over 0.180 s after its last advert");
	fsm_peer_down(&f, T0 + 2 * S, &master, 50000, "down", &o); /* Master: nothing */
	assert_int_equal(o.actions, 0);

	/* an advert from the master during the skew: the normal timer again */
	start(&f, cfg(3, 100, S));
	fsm_advert(&f, T0 + S, &m, &o);
	fsm_peer_down(&f, T0 + S + 150000, &master, 50000, "down", &o);
	fsm_advert(&f, T0 + S + 160000, &m, &o);
	assert_false(f.peer_down);
	assert_int_equal(f.master_down_at, T0 + S + 160000 + 3609375);
	fsm_timer(&f, T0 + S + 160000 + 3609375, &o);
	assert_int_equal(o.cause, FSM_CAUSE_MASTER_DOWN);

	/* the master stopping with priority 0 already runs Skew_Time: the
	 * session's down afterwards does not shorten it below that... */
	struct fsm_advert z = adv(0, S, "10.0.0.5");
	start(&f, cfg(3, 100, S));
	fsm_advert(&f, T0 + S, &m, &o);
	fsm_advert(&f, T0 + 2 * S, &z, &o);
	fsm_peer_down(&f, T0 + 2 * S + 1000, &master, 50000, "down", &o);
	assert_int_equal(o.actions, 0);
	assert_int_equal(f.master_down_at, T0 + 2 * S + 609375);
	/* ... and a timer due sooner than the skew is never pushed back */
	start(&f, cfg(3, 100, S));
	fsm_advert(&f, T0 + S, &m, &o);
	fsm_peer_down(&f, T0 + S + 3609375 - 1000, &master, 50000, "down", &o);
	assert_int_equal(o.actions, 0);
	assert_int_equal(f.master_down_at, T0 + S + 3609375);
	assert_string_equal(fsm_event_name(FSM_EV_PEER_DOWN), "peer-down");
	assert_string_equal(fsm_cause_name(FSM_CAUSE_PEER_DOWN), "peer_down");
}

/* 6.4.2: preempt on: a lower priority master is discarded and preempted */
static void test_backup_discards_lower(void **state)
{
	struct fsm f;
	struct fsm_out o;
	struct fsm_advert a = adv(50, S, "10.0.0.5");

	start(&f, cfg(3, 100, S));
	fsm_advert(&f, T0 + S, &a, &o);
	assert_int_equal(o.actions, 0);
	assert_int_equal(f.master_down_at, T0 + 3609375);
	assert_true(f.lower_seen);
	fsm_timer(&f, T0 + 3609375, &o);
	assert_int_equal(f.state, VRRP_STATE_MASTER);
	assert_string_equal(why(&o), "preempting 10.0.0.5, whose priority 50 is lower");
}

/* vipd preempt_lower_master: a lower master is preempted at once, or after
 * preempt_delay; a higher one is still followed */
static void test_preempt_lower_master(void **state)
{
	struct fsm f;
	struct fsm_out o;
	struct fsm_config c = cfg(3, 100, S);
	struct fsm_advert lo = adv(90, S, "10.0.0.5"), hi = adv(150, S, "10.0.0.5");

	c.preempt_lower_master = true;
	start(&f, c);
	fsm_advert(&f, T0 + S, &hi, &o);
	assert_int_equal(f.state, VRRP_STATE_BACKUP);
	fsm_advert(&f, T0 + 2 * S, &lo, &o);
	assert_int_equal(f.state, VRRP_STATE_MASTER);
	assert_true(o.actions & FSM_ACT_SEND_ADVERT);
	assert_string_equal(
	    why(&o), "preempting 10.0.0.5, whose priority 90 is lower (preempt_lower_master)");
	c.preempt_delay_us = S / 2;
	start(&f, c);
	fsm_advert(&f, T0 + S, &lo, &o);
	assert_int_equal(f.state, VRRP_STATE_BACKUP);
	assert_int_equal(f.preempt_at, T0 + S + S / 2);
	fsm_advert(&f, T0 + S + 100, &lo, &o); /* the delay is not restarted */
	assert_int_equal(f.preempt_at, T0 + S + S / 2);
	fsm_timer(&f, T0 + S + S / 2, &o);
	assert_int_equal(f.state, VRRP_STATE_MASTER);
	c.preempt = false; /* nopreempt wins */
	start(&f, c);
	fsm_advert(&f, T0 + S, &lo, &o);
	assert_int_equal(f.state, VRRP_STATE_BACKUP);
}

/* vrrp_sync_group: a member ready for Master waits for its group; a
 * master heard ends the wait; the group moves it; leaving Master by the
 * group sends priority 0 first */
static void test_sync_group(void **state)
{
	struct fsm f;
	struct fsm_out o;
	struct fsm_config c = cfg(3, 100, S);
	struct fsm_advert hi = adv(150, S, "10.0.0.5");

	c.sync = true;
	start(&f, c);
	fsm_timer(&f, T0 + fsm_master_down_us(&f), &o);
	assert_int_equal(f.state, VRRP_STATE_BACKUP);
	assert_true(f.want_master);
	assert_true(o.actions & FSM_ACT_SYNC_WANT);
	assert_int_equal(fsm_next_deadline(&f), VTIME_NEVER);
	fsm_set_priority(&f, T0 + 4 * S, 110, &o); /* still waiting */
	assert_true(f.want_master);
	fsm_advert(&f, T0 + 5 * S, &hi, &o); /* a master: follow it again */
	assert_false(f.want_master);
	assert_int_equal(f.master_down_at, T0 + 5 * S + (vtime_t)fsm_master_down_us(&f));
	fsm_sync_master(&f, T0 + 5 * S, "group", &o); /* not waiting: nothing */
	assert_int_equal(f.state, VRRP_STATE_BACKUP);
	fsm_timer(&f, f.master_down_at, &o);
	assert_true(f.want_master);
	fsm_sync_master(&f, T0 + 10 * S, "vrrp_sync_group G: every member is ready", &o);
	assert_int_equal(f.state, VRRP_STATE_MASTER);
	assert_true(o.actions & FSM_ACT_SEND_ADVERT && o.actions & FSM_ACT_ADD_VIPS);
	assert_string_equal(why(&o), "vrrp_sync_group G: every member is ready");
	fsm_sync_backup(&f, T0 + 11 * S, "vrrp_sync_group G: VI_2 left Master", &o);
	assert_int_equal(f.state, VRRP_STATE_BACKUP);
	assert_int_equal(o.adv_priority, 0);
	assert_true(o.actions & FSM_ACT_SEND_ADVERT && o.actions & FSM_ACT_DEL_VIPS);
	assert_int_equal(f.master_down_at, T0 + 11 * S + (vtime_t)fsm_master_down_us(&f));
	fsm_sync_backup(&f, T0 + 12 * S, "again", &o); /* only from Master */
	assert_int_equal(o.actions, 0);
}

/* 6.4.2: equal priority is followed */
static void test_backup_equal_followed(void **state)
{
	struct fsm f;
	struct fsm_out o;
	struct fsm_advert a = adv(100, S, "10.0.0.1");

	start(&f, cfg(3, 100, S));
	fsm_advert(&f, T0 + 2 * S, &a, &o);
	assert_int_equal(f.master_down_at, T0 + 2 * S + 3609375);
}

/* nopreempt: lower priority is followed too */
static void test_nopreempt(void **state)
{
	struct fsm f;
	struct fsm_out o;
	struct fsm_config c = cfg(3, 200, S);
	struct fsm_advert a = adv(50, S, "10.0.0.5");

	c.preempt = false;
	start(&f, c);
	fsm_advert(&f, T0 + S, &a, &o);
	assert_int_equal(f.master_down_at, T0 + S + 3 * S + (56 * S) / 256);
	assert_false(f.lower_seen);
}

/* keepalived preempt_delay: at startup and against a lower master */
static void test_preempt_delay(void **state)
{
	struct fsm f;
	struct fsm_out o;
	struct fsm_config c = cfg(3, 100, S);
	struct fsm_advert hi = adv(150, S, "10.0.0.5");

	c.preempt_delay_us = 2 * S;
	start(&f, c);
	fsm_timer(&f, T0 + 3609375, &o);
	assert_int_equal(f.state, VRRP_STATE_BACKUP);
	assert_int_equal(f.preempt_at, T0 + 5609375);
	assert_int_equal(fsm_next_deadline(&f), T0 + 5609375);
	fsm_timer(&f, T0 + 5609375, &o);
	assert_int_equal(f.state, VRRP_STATE_MASTER);
	assert_string_equal(why(&o), "preempt_delay of 2.000 s elapsed");

	/* a higher master cancels a pending preemption */
	start(&f, c);
	fsm_timer(&f, T0 + 3609375, &o);
	fsm_advert(&f, T0 + 4 * S, &hi, &o);
	assert_int_equal(f.preempt_at, VTIME_NEVER);
	assert_int_equal(f.master_down_at, T0 + 4 * S + 3609375);
	/* after following a master, a plain master-down takes over at once */
	fsm_timer(&f, T0 + 4 * S + 3609375, &o);
	assert_int_equal(f.state, VRRP_STATE_MASTER);
}

/* 6.4.3: Adver_Timer: advertise and re-arm */
static void test_master_adver_timer(void **state)
{
	struct fsm f;
	struct fsm_out o;

	start(&f, cfg(3, 100, S));
	fsm_timer(&f, T0 + 3609375, &o);
	vtime_t t = f.adver_at;
	fsm_timer(&f, t, &o);
	assert_int_equal(o.actions, FSM_ACT_SEND_ADVERT | FSM_ACT_TIMERS);
	assert_int_equal(o.adv_priority, 100);
	assert_int_equal(f.adver_at, t + S);
	/* late by 2.5 intervals: one advert, re-armed from now */
	fsm_timer(&f, t + 3 * S + S / 2, &o);
	assert_int_equal(o.actions, FSM_ACT_SEND_ADVERT | FSM_ACT_TIMERS);
	assert_int_equal(f.adver_at, t + 4 * S + S / 2);
}

static void make_master(struct fsm *f, struct fsm_config c)
{
	struct fsm_out o;

	start(f, c);
	fsm_timer(f, T0 + 10 * S, &o);
	assert_int_equal(f->state, VRRP_STATE_MASTER);
}

/* keepalived timer_expired_backup 200 (nopreempt), v3 at 1 s: the Adver_Timer
 * later than 2 intervals + the skew of 200 (56/256 s) sends the Master to
 * Backup without priority 0; less late, it advertises as ever. */
static void test_timer_expired_backup(void **state)
{
	struct fsm f;
	struct fsm_out o;
	struct fsm_config c = cfg(3, 100, S);

	c.preempt = false;
	c.timer_expired_backup = 200;
	make_master(&f, c);
	vtime_t t = f.adver_at;
	fsm_timer(&f, t + 2 * S, &o); /* bound: 2 s + 218750 us */
	assert_int_equal(f.state, VRRP_STATE_MASTER);
	assert_true(o.actions & FSM_ACT_SEND_ADVERT);
	t = f.adver_at;
	fsm_timer(&f, t + 2 * S + 218750, &o);
	assert_int_equal(f.state, VRRP_STATE_BACKUP);
	assert_int_equal(o.actions & (FSM_ACT_SEND_ADVERT | FSM_ACT_DEL_VIPS), FSM_ACT_DEL_VIPS);
	assert_true(o.actions & FSM_ACT_NOTIFY);
	assert_non_null(strstr(why(&o), "timer_expired_backup"));
	assert_int_equal(o.steps[0].event, FSM_EV_ADVER_LATE);
	assert_true(f.master_down_at > t + 2 * S + 218750);
	/* an advert read before the late timer: the Master leaves first, then
	 * follows the new master */
	make_master(&f, c);
	t = f.adver_at;
	struct fsm_advert a = adv(90, S, "10.0.0.7");
	fsm_advert(&f, t + 3 * S, &a, &o);
	assert_int_equal(f.state, VRRP_STATE_BACKUP);
	assert_int_equal(o.steps[0].event, FSM_EV_ADVER_LATE);
	assert_int_equal(o.steps[1].event, FSM_EV_ADV_ACCEPT);
	assert_false(o.actions & FSM_ACT_SEND_ADVERT);
}

/* 6.4.3: higher priority: to Backup, VIPs removed, timer from the advert */
static void test_master_yields_higher(void **state)
{
	struct fsm f;
	struct fsm_out o;
	struct fsm_advert a = adv(150, 2 * S, "10.0.0.5");

	make_master(&f, cfg(3, 100, S));
	fsm_advert(&f, T0 + 11 * S, &a, &o);
	assert_int_equal(f.state, VRRP_STATE_BACKUP);
	assert_int_equal(o.actions, FSM_ACT_DEL_VIPS | FSM_ACT_NOTIFY | FSM_ACT_TIMERS);
	assert_string_equal(why(&o), "higher priority 150 from 10.0.0.5");
	assert_int_equal(f.adver_at, VTIME_NEVER);
	assert_int_equal(f.master_adver_int_us, 2 * S);
	assert_int_equal(f.master_down_at, T0 + 11 * S + 6 * S + 1218750);
}

/* 6.4.3: equal priority: the higher primary address wins */
static void test_master_tie_break(void **state)
{
	struct fsm f;
	struct fsm_out o;
	struct fsm_advert hi = adv(100, S, "10.0.0.7"), lo = adv(100, S, "10.0.0.5");

	make_master(&f, cfg(3, 100, S)); /* we are 10.0.0.6 */
	fsm_advert(&f, T0 + 11 * S, &lo, &o);
	assert_int_equal(f.state, VRRP_STATE_MASTER);
	assert_int_equal(o.actions, FSM_ACT_SEND_ADVERT | FSM_ACT_TIMERS | FSM_ACT_RX_LOWER);
	fsm_advert(&f, T0 + 11 * S, &hi, &o);
	assert_int_equal(f.state, VRRP_STATE_BACKUP);
	assert_string_equal(why(&o), "equal priority 100 from higher address 10.0.0.7");
}

/* vipd's advert_path: an advert by a second path is tied against our
 * address on that path, not the primary one */
static void test_master_tie_break_on_a_path(void **state)
{
	struct fsm f;
	struct fsm_out o;
	struct fsm_advert a = adv(100, S, "10.1.0.5"); /* above 10.0.0.6, below 10.1.0.6 */

	make_master(&f, cfg(3, 100, S)); /* we are 10.0.0.6, and 10.1.0.6 on the path */
	a.local = A("10.1.0.6");
	fsm_advert(&f, T0 + 11 * S, &a, &o);
	assert_int_equal(f.state, VRRP_STATE_MASTER);
	a.local = A("10.1.0.4");
	a.no_tie = true; /* the main path is heard: it alone breaks ties */
	fsm_advert(&f, T0 + 11 * S, &a, &o);
	assert_int_equal(f.state, VRRP_STATE_MASTER);
	a.no_tie = false;
	fsm_advert(&f, T0 + 11 * S, &a, &o);
	assert_int_equal(f.state, VRRP_STATE_BACKUP);
	assert_string_equal(why(&o), "equal priority 100 from higher address 10.1.0.5");
}

/* 6.4.3 (RFC 9568): lower priority: advertise at once; RFC 3768: ignore.
 * Either way the shell hears of it (keepalived's garp_lower_prio_*,
 * notify_master_rx_lower_pri). */
static void test_master_lower(void **state)
{
	struct fsm f;
	struct fsm_out o;
	struct fsm_config c = cfg(3, 100, S);
	struct fsm_advert a = adv(50, S, "10.0.0.9");

	make_master(&f, c);
	fsm_advert(&f, T0 + 10 * S + 200000, &a, &o);
	assert_int_equal(o.actions, FSM_ACT_SEND_ADVERT | FSM_ACT_TIMERS | FSM_ACT_RX_LOWER);
	assert_int_equal(f.adver_at, T0 + 11 * S + 200000);
	c.lower_prio_no_advert = true;
	make_master(&f, c);
	fsm_advert(&f, T0 + 10 * S + 200000, &a, &o);
	assert_int_equal(o.actions, FSM_ACT_RX_LOWER);
}

/* keepalived's higher_prio_send_advert: one advert, then Backup */
static void test_master_higher_send_advert(void **state)
{
	struct fsm f;
	struct fsm_out o;
	struct fsm_config c = cfg(3, 100, S);
	struct fsm_advert a = adv(150, S, "10.0.0.9");

	make_master(&f, c);
	fsm_advert(&f, T0 + 10 * S, &a, &o);
	assert_int_equal(f.state, VRRP_STATE_BACKUP);
	assert_false(o.actions & FSM_ACT_SEND_ADVERT);
	c.higher_prio_send_advert = true;
	make_master(&f, c);
	fsm_advert(&f, T0 + 10 * S, &a, &o);
	assert_int_equal(f.state, VRRP_STATE_BACKUP);
	assert_true(o.actions & FSM_ACT_SEND_ADVERT);
	assert_int_equal(o.adv_priority, 100);
	assert_true(o.actions & FSM_ACT_DEL_VIPS);
	assert_int_equal(f.adver_at, VTIME_NEVER);
}

/* 6.4.3: priority 0 heard by a master: advertise now */
static void test_master_prio0(void **state)
{
	struct fsm f;
	struct fsm_out o;
	struct fsm_advert a = adv(0, S, "10.0.0.9");

	make_master(&f, cfg(3, 100, S));
	fsm_advert(&f, T0 + 10 * S + 1, &a, &o);
	assert_int_equal(f.state, VRRP_STATE_MASTER);
	assert_int_equal(o.actions, FSM_ACT_SEND_ADVERT | FSM_ACT_TIMERS);
	assert_int_equal(f.adver_at, T0 + 11 * S + 1);
}

/* 6.4.3 Shutdown: priority 0, VIPs removed, Initialize */
static void test_shutdown_each_state(void **state)
{
	struct fsm f;
	struct fsm_out o;

	make_master(&f, cfg(3, 100, S));
	fsm_shutdown(&f, T0 + 20 * S, &o);
	assert_int_equal(f.state, VRRP_STATE_INIT);
	assert_int_equal(o.actions,
	                 FSM_ACT_SEND_ADVERT | FSM_ACT_DEL_VIPS | FSM_ACT_NOTIFY | FSM_ACT_TIMERS);
	assert_int_equal(o.adv_priority, 0);
	assert_int_equal(fsm_next_deadline(&f), VTIME_NEVER);

	start(&f, cfg(3, 100, S));
	fsm_shutdown(&f, T0 + S, &o);
	assert_int_equal(f.state, VRRP_STATE_INIT);
	assert_int_equal(o.actions, FSM_ACT_NOTIFY | FSM_ACT_TIMERS);
	assert_int_equal(o.to, VRRP_STATE_INIT);

	start(&f, cfg(3, 100, S));
	fsm_fault(&f, T0 + S, true, "interface eth0 down", &o);
	fsm_shutdown(&f, T0 + 2 * S, &o);
	assert_int_equal(f.state, VRRP_STATE_INIT);
	assert_false(o.actions & FSM_ACT_SEND_ADVERT);

	fsm_shutdown(&f, T0 + 3 * S, &o); /* already stopped: nothing */
	assert_int_equal(o.actions, 0);
}

/* Graceful handover: master stops, backup takes over after Skew_Time */
static void test_graceful_handover(void **state)
{
	struct fsm m, b;
	struct fsm_out o;
	struct fsm_config mc = cfg(3, 150, S), bc = cfg(3, 100, S);

	mc.primary = A("10.0.0.5");
	make_master(&m, mc);
	start(&b, bc);
	struct fsm_advert a = adv(150, S, "10.0.0.5");
	fsm_advert(&b, T0 + S, &a, &o);
	fsm_shutdown(&m, T0 + 2 * S, &o);
	assert_int_equal(o.adv_priority, 0);
	struct fsm_advert z = adv(o.adv_priority, S, "10.0.0.5");
	fsm_advert(&b, T0 + 2 * S, &z, &o);
	assert_int_equal(fsm_next_deadline(&b), T0 + 2 * S + 609375);
	fsm_timer(&b, T0 + 2 * S + 609375, &o);
	assert_int_equal(b.state, VRRP_STATE_MASTER);
}

/* Fault from each state; holds nest; leaving Fault restarts Backup */
static void test_fault(void **state)
{
	struct fsm f;
	struct fsm_out o;

	make_master(&f, cfg(3, 100, S));
	fsm_fault(&f, T0 + 11 * S, true, "interface eth0 down", &o);
	assert_int_equal(f.state, VRRP_STATE_FAULT);
	assert_int_equal(o.actions,
	                 FSM_ACT_SEND_ADVERT | FSM_ACT_DEL_VIPS | FSM_ACT_NOTIFY | FSM_ACT_TIMERS);
	assert_int_equal(o.adv_priority, 0);
	assert_string_equal(why(&o), "interface eth0 down");
	assert_int_equal(fsm_next_deadline(&f), VTIME_NEVER);
	fsm_fault(&f, T0 + 12 * S, true, "script chk failed", &o);
	assert_int_equal(o.actions, 0);
	assert_int_equal(f.fault_holds, 2);
	fsm_fault(&f, T0 + 13 * S, false, "interface eth0 up", &o);
	assert_int_equal(f.state, VRRP_STATE_FAULT);
	assert_int_equal(o.actions, 0);
	fsm_fault(&f, T0 + 14 * S, false, "script chk ok", &o);
	assert_int_equal(f.state, VRRP_STATE_BACKUP);
	assert_int_equal(o.from, VRRP_STATE_FAULT);
	assert_int_equal(f.master_down_at, T0 + 14 * S + 3609375);
	fsm_fault(&f, T0 + 15 * S, false, "spurious", &o);
	assert_int_equal(f.fault_holds, 0);
	assert_int_equal(o.actions, 0);

	/* from Backup: no advert */
	start(&f, cfg(3, 100, S));
	fsm_fault(&f, T0 + S, true, "down", &o);
	assert_int_equal(o.actions, FSM_ACT_NOTIFY | FSM_ACT_TIMERS);
	/* adverts in Fault are ignored */
	struct fsm_advert a = adv(150, S, "10.0.0.5");
	fsm_advert(&f, T0 + 2 * S, &a, &o);
	assert_int_equal(o.actions, 0);
}

/* Fault before startup: start in Fault; an owner leaves Fault as Master */
static void test_fault_before_startup_and_owner(void **state)
{
	struct fsm f;
	struct fsm_out o;
	struct fsm_config c = cfg(3, 255, S);

	fsm_init(&f, &c);
	fsm_fault(&f, T0, true, "interface eth0 missing", &o);
	assert_int_equal(o.actions, 0);
	fsm_startup(&f, T0, &o);
	assert_int_equal(f.state, VRRP_STATE_FAULT);
	assert_string_equal(why(&o), "startup: interface eth0 missing");
	fsm_fault(&f, T0 + S, false, "interface eth0 up", &o);
	assert_int_equal(f.state, VRRP_STATE_MASTER);
	assert_true(o.actions & FSM_ACT_ADD_VIPS);
	/* fault cleared before startup: a normal start */
	fsm_init(&f, &c);
	fsm_fault(&f, T0, true, "x", &o);
	fsm_fault(&f, T0, false, "x", &o);
	assert_int_equal(f.state, VRRP_STATE_INIT);
	fsm_startup(&f, T0, &o);
	assert_int_equal(f.state, VRRP_STATE_MASTER);
}

/* Priority changes: skew recomputed from the timer's start; Master re-advertises */
static void test_priority_change(void **state)
{
	struct fsm f;
	struct fsm_out o;

	start(&f, cfg(3, 100, S));
	fsm_set_priority(&f, T0 + S, 200, &o);
	assert_int_equal(f.priority, 200);
	assert_int_equal(f.master_down_at, T0 + 3 * S + (56 * S) / 256);
	fsm_set_priority(&f, T0 + S, 200, &o); /* unchanged: nothing */
	assert_int_equal(o.actions, 0);

	make_master(&f, cfg(3, 100, S));
	fsm_set_priority(&f, T0 + 10 * S + 5, 50, &o);
	assert_int_equal(f.state, VRRP_STATE_MASTER); /* others preempt it */
	assert_int_equal(o.actions, FSM_ACT_SEND_ADVERT | FSM_ACT_TIMERS);
	assert_int_equal(o.adv_priority, 50);

	fsm_init(&f, &(struct fsm_config){.version = 3, .priority = 100, .adver_int_us = S});
	fsm_set_priority(&f, T0, 120, &o); /* before startup */
	assert_int_equal(o.actions, 0);
	assert_int_equal(f.priority, 120);
	fsm_fault(&f, T0, true, "x", &o);
	fsm_startup(&f, T0, &o);
	fsm_set_priority(&f, T0, 130, &o); /* in Fault */
	assert_int_equal(o.actions, 0);
}

/* A backup whose priority rises above a followed master keeps following it
 * (RFC: it will discard the lower adverts and wait out the timer). */
static void test_backup_priority_rise_rfc(void **state)
{
	struct fsm f;
	struct fsm_out o;
	struct fsm_advert a = adv(120, S, "10.0.0.5");

	start(&f, cfg(3, 100, S));
	fsm_advert(&f, T0 + S, &a, &o);
	fsm_set_priority(&f, T0 + S + 1, 150, &o);
	assert_int_equal(f.state, VRRP_STATE_BACKUP);
	fsm_advert(&f, T0 + 2 * S, &a, &o); /* now lower: discarded */
	assert_int_equal(o.actions, 0);
	fsm_timer(&f, f.master_down_at, &o);
	assert_int_equal(f.state, VRRP_STATE_MASTER);
}

/* Events a state has no row for do nothing */
static void test_ignored_events(void **state)
{
	struct fsm f;
	struct fsm_out o;
	struct fsm_advert a = adv(150, S, "10.0.0.5");

	fsm_init(&f, &(struct fsm_config){.version = 3, .priority = 100, .adver_int_us = S});
	fsm_advert(&f, T0, &a, &o); /* Initialize */
	assert_int_equal(o.actions, 0);
	fsm_timer(&f, T0 + 100 * S, &o);
	assert_int_equal(o.actions, 0);
	fsm_shutdown(&f, T0, &o);
	assert_int_equal(o.actions, 0);
	assert_int_equal(f.state, VRRP_STATE_INIT);
	make_master(&f, cfg(3, 100, S));
	fsm_startup(&f, T0 + 11 * S, &o); /* already running */
	assert_int_equal(o.actions, 0);
}

/* Each dispatch is traced with its row, and an event with no row is too. */
static void test_steps_traced(void **state)
{
	struct fsm f;
	struct fsm_out o;
	struct fsm_advert a = adv(150, S, "10.0.0.5");
	char buf[128];

	fsm_init(&f, &(struct fsm_config){.version = 3, .priority = 100, .adver_int_us = S});
	fsm_advert(&f, T0, &a, &o); /* Initialize: no row */
	assert_int_equal(o.n_steps, 1);
	assert_int_equal(o.steps[0].event, FSM_EV_ADV_HIGHER);
	assert_int_equal(o.steps[0].from, VRRP_STATE_INIT);
	assert_null(o.steps[0].action);
	fsm_startup(&f, T0, &o);
	assert_int_equal(o.n_steps, 1);
	assert_int_equal(o.steps[0].event, FSM_EV_STARTUP);
	assert_int_equal(o.steps[0].to, VRRP_STATE_BACKUP);
	assert_string_equal(o.steps[0].action, "start_backup");
	assert_string_equal(fsm_actions_text(o.actions, buf, sizeof(buf)), "notify,timers");
	assert_string_equal(fsm_actions_text(0, buf, sizeof(buf)), "none");
	fsm_timer(&f, T0 + 10 * S, &o); /* the deadlines' events are traced too */
	assert_int_equal(f.state, VRRP_STATE_MASTER);
	assert_int_equal(o.n_steps, 1);
	assert_int_equal(o.steps[0].event, FSM_EV_MASTER_DOWN);
	assert_string_equal(o.steps[0].action, "become_master");
	assert_int_equal(o.steps[0].to, VRRP_STATE_MASTER);
	assert_string_equal(
	    fsm_actions_text(FSM_ACT_SEND_ADVERT | FSM_ACT_SYNC_WANT, buf, sizeof(buf)),
	    "send_advert,sync_want");
}

static void test_names(void **state)
{
	assert_string_equal(vrrp_state_name(VRRP_STATE_MASTER), "MASTER");
	assert_string_equal(vrrp_state_name(VRRP_STATE_BACKUP), "BACKUP");
	assert_string_equal(vrrp_state_name(VRRP_STATE_FAULT), "FAULT");
	assert_string_equal(vrrp_state_name(VRRP_STATE_INIT), "INIT");
	assert_string_equal(vrrp_state_name(VRRP_STATE_MAX), "UNKNOWN");
	for (int e = 0; e < FSM_EV_MAX; e++)
		assert_non_null(fsm_event_name(e));
	assert_string_equal(fsm_event_name(FSM_EV_MAX), "unknown");
	assert_string_equal(fsm_event_name(FSM_EV_MASTER_DOWN), "master-down");
}

/* Each transition carries the class of its cause (the metrics' reason). */
static void test_transition_causes(void **state)
{
	struct fsm f;
	struct fsm_out o;
	struct fsm_advert zero = adv(0, S, "10.0.0.5"), high = adv(200, S, "10.0.0.5");

	fsm_init(&f, &(struct fsm_config){.version = 3, .priority = 100, .adver_int_us = S});
	fsm_startup(&f, T0, &o);
	assert_int_equal(o.cause, FSM_CAUSE_STARTUP);
	fsm_timer(&f, T0 + 3609375, &o); /* silence */
	assert_int_equal(o.cause, FSM_CAUSE_MASTER_DOWN);
	fsm_advert(&f, T0 + 4 * S, &high, &o);
	assert_int_equal(f.state, VRRP_STATE_BACKUP);
	assert_int_equal(o.cause, FSM_CAUSE_HIGHER_PRIORITY);
	fsm_advert(&f, T0 + 5 * S, &zero, &o); /* the master stops */
	fsm_timer(&f, T0 + 5 * S + 609375, &o);
	assert_int_equal(f.state, VRRP_STATE_MASTER);
	assert_int_equal(o.cause, FSM_CAUSE_PRIORITY_ZERO);
	fsm_fault(&f, T0 + 6 * S, true, "link down", &o);
	assert_int_equal(o.cause, FSM_CAUSE_FAULT);
	fsm_fault(&f, T0 + 7 * S, false, "link up", &o);
	assert_int_equal(o.cause, FSM_CAUSE_FAULT_CLEAR);
	fsm_shutdown(&f, T0 + 8 * S, &o);
	assert_int_equal(o.cause, FSM_CAUSE_SHUTDOWN);
	for (int c = 0; c < FSM_CAUSE_MAX; c++)
		assert_non_null(fsm_cause_name(c));
	assert_string_equal(fsm_cause_name(FSM_CAUSE_PRIORITY_ZERO), "priority_zero");
}

/* Each kind of reason reads as it did when the machine wrote text. */
static void test_why_texts(void **state)
{
	struct addr a = A("10.0.0.5"), v6 = A("fe80::1");
	struct fsm_why w;
	char b[FSM_WHY_LEN];
	static const struct {
		enum fsm_why_kind kind;
		const char *want;
	} cases[] = {
	    {FSM_WHY_PRIO0_OTHER, "priority 0 from 10.0.0.5, not the master"},
	    {FSM_WHY_PRIO0, "priority 0 from 10.0.0.5 (master stopping)"},
	    {FSM_WHY_LOWER_MASTER,
	     "preempting 10.0.0.5, whose priority 50 is lower (preempt_lower_master)"},
	    {FSM_WHY_HIGHER, "higher priority 50 from 10.0.0.5"},
	    {FSM_WHY_EQUAL, "equal priority 50 from higher address 10.0.0.5"},
	    {FSM_WHY_PREEMPTING, "preempting 10.0.0.5, whose priority 50 is lower"},
	    {FSM_WHY_STOPPED,
	     "master 10.0.0.5 stopped (priority 0); took over after 3.609 s of skew"},
	    {FSM_WHY_NO_ADVERT_FROM, "no advert from 10.0.0.5 for 3.609 s"},
	    {FSM_WHY_NO_ADVERT_HEARD, "no advert heard for 3.609 s"},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		fsm_why_set(&w, cases[i].kind, &a, 50, 3609375);
		assert_string_equal(fsm_why_text(&w, b, sizeof(b)), cases[i].want);
	}
	fsm_why_set(&w, FSM_WHY_NO_ADVERT_FROM, &v6, 0, 1000);
	assert_string_equal(fsm_why_text(&w, b, sizeof(b)), "no advert from fe80::1 for 0.001 s");
	fsm_why_printf(&w, "startup: %s", "fault");
	assert_string_equal(fsm_why_text(&w, b, sizeof(b)), "startup: fault");
	/* a short buffer: cut, never overrun */
	char small[8];
	fsm_why_set(&w, FSM_WHY_NO_ADVERT_HEARD, NULL, 0, 1000000);
	assert_string_equal(fsm_why_text(&w, small, sizeof(small)), "no adve");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_timer_arithmetic),
	    cmocka_unit_test(test_effective_priority),
	    cmocka_unit_test(test_startup_backup),
	    cmocka_unit_test(test_startup_state_master),
	    cmocka_unit_test(test_startup_owner),
	    cmocka_unit_test(test_master_down),
	    cmocka_unit_test(test_backup_follows_and_learns),
	    cmocka_unit_test(test_v2_no_learning),
	    cmocka_unit_test(test_backup_prio0),
	    cmocka_unit_test(test_backup_prio0_only_from_its_master),
	    cmocka_unit_test(test_backup_peer_down),
	    cmocka_unit_test(test_backup_discards_lower),
	    cmocka_unit_test(test_backup_equal_followed),
	    cmocka_unit_test(test_preempt_lower_master),
	    cmocka_unit_test(test_sync_group),
	    cmocka_unit_test(test_nopreempt),
	    cmocka_unit_test(test_preempt_delay),
	    cmocka_unit_test(test_master_adver_timer),
	    cmocka_unit_test(test_timer_expired_backup),
	    cmocka_unit_test(test_master_yields_higher),
	    cmocka_unit_test(test_master_tie_break),
	    cmocka_unit_test(test_master_tie_break_on_a_path),
	    cmocka_unit_test(test_master_lower),
	    cmocka_unit_test(test_master_higher_send_advert),
	    cmocka_unit_test(test_master_prio0),
	    cmocka_unit_test(test_shutdown_each_state),
	    cmocka_unit_test(test_graceful_handover),
	    cmocka_unit_test(test_fault),
	    cmocka_unit_test(test_fault_before_startup_and_owner),
	    cmocka_unit_test(test_priority_change),
	    cmocka_unit_test(test_backup_priority_rise_rfc),
	    cmocka_unit_test(test_ignored_events),
	    cmocka_unit_test(test_steps_traced),
	    cmocka_unit_test(test_names),
	    cmocka_unit_test(test_transition_causes),
	    cmocka_unit_test(test_why_texts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
