/*
 * fsm.c: the VRRP state machine of one virtual router, as a table of
 * {state, event, action, next state} rows, one per RFC rule. No I/O: time
 * comes in, actions go out (struct fsm_out).
 *
 * RFC 3768 6.3 (state diagram), 6.4.1 Initialize, 6.4.2 Backup, 6.4.3
 * Master, 6.1/6.2 (timers); RFC 9568 6.1 (parameters: Skew_Time,
 * Master_Down_Interval, Master_Adver_Interval), 6.4.1-6.4.3.
 * Fault is keepalived's: an interface or tracked object is down.
 *
 * "state MASTER" is only a hint, as in keepalived: a router that is not the
 * address owner starts in Backup and takes over when Master_Down_Timer fires.
 */
#include <stdio.h>
#include <string.h>

#include "vrrp/fsm.h"

struct ctx {
	const struct fsm_advert *adv;
	uint64_t skew_us; /* FSM_EV_PEER_DOWN: the timer to arm */
	struct fsm_why why;
};

typedef void (*action_fn)(struct fsm *f, vtime_t now, struct ctx *c, struct fsm_out *out);

struct row {
	enum vrrp_state state;
	enum fsm_event event;
	action_fn action;
	const char *name; /* the action's without "a_", for traces */
	enum vrrp_state next;
};
#define R(s, e, a, n)                                                                              \
	{                                                                                          \
		s, e, a, &(#a)[2], n                                                               \
	}

/* ---- timer arithmetic (RFC 9568 6.1, RFC 3768 6.1) ---- */

uint64_t fsm_skew_us(const struct fsm *f)
{
	/* v3: ((256 - Priority) * Master_Adver_Interval) / 256;
	 * v2: (256 - Priority) / 256 seconds */
	uint64_t base = f->cfg.version == 3 ? f->master_adver_int_us : (uint64_t)VTIME_SEC;

	return ((uint64_t)(256 - f->priority) * base) / 256;
}

uint64_t fsm_master_down_us(const struct fsm *f)
{
	/* Master_Down_Interval = 3 * Master_Adver_Interval + Skew_Time */
	int n = f->cfg.down_timer_adverts > 0 ? f->cfg.down_timer_adverts : 3;

	return (uint64_t)n * f->master_adver_int_us + fsm_skew_us(f);
}

uint8_t vrrp_effective_priority(int base, int weight_sum)
{
	if (base >= 255)
		return 255; /* the address owner keeps 255 */
	int p = base + weight_sum;
	return (uint8_t)(p < 1 ? 1 : p > 254 ? 254 : p);
}

static void arm_down(struct fsm *f, vtime_t start, uint64_t us, struct fsm_out *out)
{
	f->down_base = start;
	f->master_down_at = start + (vtime_t)us;
	out->actions |= FSM_ACT_TIMERS;
}

static void disarm_all(struct fsm *f, struct fsm_out *out)
{
	f->master_down_at = f->adver_at = f->preempt_at = VTIME_NEVER;
	out->actions |= FSM_ACT_TIMERS;
}

static void send_advert(struct fsm *f, vtime_t now, uint8_t prio, struct fsm_out *out)
{
	out->actions |= FSM_ACT_SEND_ADVERT;
	out->adv_priority = prio;
	if (f->state == VRRP_STATE_MASTER || prio) {
		f->adver_at = now + (vtime_t)f->cfg.adver_int_us;
		out->actions |= FSM_ACT_TIMERS;
	}
}

static void follow_master(struct fsm *f, vtime_t now, const struct fsm_advert *a)
{
	f->master_addr = a->src;
	f->master_priority = a->priority;
	f->last_advert_at = now;
	f->peer_down = false;
	f->startup_phase = false;
	f->lower_seen = false;
	if (f->cfg.version == 3 && a->adver_int_us) /* RFC 9568 6.4.2: learn it */
		f->master_adver_int_us = a->adver_int_us;
}

/* ---- actions ---- */

static void a_none(struct fsm *f, vtime_t now, struct ctx *c, struct fsm_out *out)
{
}

/* RFC 9568 6.4.1 / 6.4.2: to Master: advert first, then addresses, announcements */
static void a_become_master(struct fsm *f, vtime_t now, struct ctx *c, struct fsm_out *out)
{
	disarm_all(f, out);
	out->actions |= FSM_ACT_ADD_VIPS | FSM_ACT_ANNOUNCE;
	f->state = VRRP_STATE_MASTER; /* so send_advert arms Adver_Timer */
	send_advert(f, now, f->priority, out);
	f->master_addr = f->cfg.primary;
	f->master_priority = f->priority;
	f->lower_seen = false;
}

/* vrrp_sync_group: ready for Master, no timer; the group decides */
static void a_sync_wait(struct fsm *f, vtime_t now, struct ctx *c, struct fsm_out *out)
{
	disarm_all(f, out);
	f->want_master = true;
	out->actions |= FSM_ACT_SYNC_WANT;
}

/* vrrp_sync_group: another member left Master; priority 0 so the peer's
 * group takes over at once, then Backup as after yielding */
static void a_sync_backup(struct fsm *f, vtime_t now, struct ctx *c, struct fsm_out *out)
{
	send_advert(f, now, 0, out);
	out->actions |= FSM_ACT_DEL_VIPS;
	disarm_all(f, out);
	memset(&f->master_addr, 0, sizeof(f->master_addr));
	f->lower_seen = false;
	arm_down(f, now, fsm_master_down_us(f), out);
}

/* "state MASTER" below priority 255 with vipd_fast_master_start (a vipd
 * extension; keepalived waits Master_Down_Interval): start as Backup but
 * wait one advert interval plus the smallest Skew_Time (that of priority
 * 254), enough to hear a running master. Only at start-up: leaving Fault
 * waits the whole interval. */
static uint64_t startup_wait_us(const struct fsm *f)
{
	uint64_t base = f->cfg.version == 3 ? f->master_adver_int_us : (uint64_t)VTIME_SEC;

	if (!f->cfg.init_master || f->state != VRRP_STATE_INIT)
		return fsm_master_down_us(f);
	return f->master_adver_int_us + (2 * base) / 256;
}

/* RFC 9568 6.4.1: Backup with Master_Down_Timer = Master_Down_Interval */
static void a_start_backup(struct fsm *f, vtime_t now, struct ctx *c, struct fsm_out *out)
{
	disarm_all(f, out);
	f->master_adver_int_us = f->cfg.adver_int_us;
	f->startup_phase = true;
	f->lower_seen = false;
	memset(&f->master_addr, 0, sizeof(f->master_addr));
	arm_down(f, now, startup_wait_us(f), out);
}

static void a_enter_fault(struct fsm *f, vtime_t now, struct ctx *c, struct fsm_out *out)
{
	disarm_all(f, out);
	memset(&f->master_addr, 0, sizeof(f->master_addr));
}

/* Master to Fault: priority 0 so a backup takes over after Skew_Time */
static void a_master_fault(struct fsm *f, vtime_t now, struct ctx *c, struct fsm_out *out)
{
	send_advert(f, now, 0, out);
	out->actions |= FSM_ACT_DEL_VIPS;
	a_enter_fault(f, now, c, out);
}

/* RFC 9568 6.4.3 Shutdown: Adver_Timer off, advert with priority 0 */
static void a_master_stop(struct fsm *f, vtime_t now, struct ctx *c, struct fsm_out *out)
{
	send_advert(f, now, 0, out);
	out->actions |= FSM_ACT_DEL_VIPS;
	disarm_all(f, out);
}

/* RFC 9568 6.4.2 Shutdown: Master_Down_Timer off */
static void a_stop(struct fsm *f, vtime_t now, struct ctx *c, struct fsm_out *out)
{
	disarm_all(f, out);
}

/* RFC 9568 6.4.2: priority 0: Master_Down_Timer = Skew_Time */
static void a_backup_prio0(struct fsm *f, vtime_t now, struct ctx *c, struct fsm_out *out)
{
	follow_master(f, now, c->adv);
	f->preempt_at = VTIME_NEVER;
	arm_down(f, now, fsm_skew_us(f), out);
}

/* vipd master_down_bfd: the master's session went down: Master_Down_Timer
 * = Skew_Time on the session's scale (fsm_peer_down) */
static void a_backup_peer_down(struct fsm *f, vtime_t now, struct ctx *c, struct fsm_out *out)
{
	f->peer_down = true;
	snprintf(f->peer_why, sizeof(f->peer_why), "%.95s", c->why.text); /* given as text */
	f->preempt_at = VTIME_NEVER;
	arm_down(f, now, c->skew_us, out);
}

/* RFC 9568 6.4.2: Preempt_Mode false or priority >= local: follow it */
static void a_backup_accept(struct fsm *f, vtime_t now, struct ctx *c, struct fsm_out *out)
{
	follow_master(f, now, c->adv);
	f->preempt_at = VTIME_NEVER;
	arm_down(f, now, fsm_master_down_us(f), out);
}

/* RFC 9568 6.4.2: otherwise discard (the lower master will be preempted) */
static void a_backup_discard(struct fsm *f, vtime_t now, struct ctx *c, struct fsm_out *out)
{
	f->lower_seen = true;
	f->lower_addr = c->adv->src;
	f->lower_priority = c->adv->priority;
}

/* keepalived preempt_delay: wait that much longer before taking over */
static void a_arm_preempt(struct fsm *f, vtime_t now, struct ctx *c, struct fsm_out *out)
{
	f->master_down_at = VTIME_NEVER;
	f->preempt_at = now + (vtime_t)f->cfg.preempt_delay_us;
	out->actions |= FSM_ACT_TIMERS;
}

/* vipd preempt_lower_master with preempt_delay: start the delay once */
static void a_preempt_later(struct fsm *f, vtime_t now, struct ctx *c, struct fsm_out *out)
{
	a_backup_discard(f, now, c, out);
	if (f->preempt_at == VTIME_NEVER) {
		f->preempt_at = now + (vtime_t)f->cfg.preempt_delay_us;
		out->actions |= FSM_ACT_TIMERS;
	}
}

/* A new priority changes Skew_Time: the running timer keeps its start */
static void a_backup_reprio(struct fsm *f, vtime_t now, struct ctx *c, struct fsm_out *out)
{
	if (f->master_down_at != VTIME_NEVER)
		arm_down(f, f->down_base, fsm_master_down_us(f), out);
}

/* RFC 9568 6.4.3: Adver_Timer fired / priority 0 heard: advertise now */
static void a_master_advert(struct fsm *f, vtime_t now, struct ctx *c, struct fsm_out *out)
{
	send_advert(f, now, f->priority, out);
}

/* RFC 9568 6.4.3: a lower priority master: advertise at once so it yields
 * (RFC 3768 only discards: lower_prio_no_advert) */
static void a_master_lower(struct fsm *f, vtime_t now, struct ctx *c, struct fsm_out *out)
{
	if (!f->cfg.lower_prio_no_advert)
		send_advert(f, now, f->priority, out);
	out->actions |= FSM_ACT_RX_LOWER;
}

/* RFC 9568 6.4.3: a higher priority master: Backup, follow it */
static void a_master_yield(struct fsm *f, vtime_t now, struct ctx *c, struct fsm_out *out)
{
	if (f->cfg.higher_prio_send_advert) /* keepalived: so the new master hears us once */
		send_advert(f, now, f->priority, out);
	out->actions |= FSM_ACT_DEL_VIPS;
	disarm_all(f, out);
	follow_master(f, now, c->adv);
	arm_down(f, now, fsm_master_down_us(f), out);
}

/* keepalived's timer_expired_backup (with nopreempt): a Master that could
 * not advertise for so long that a backup may have taken over leaves for
 * Backup without priority 0, rather than come back and contest it. */
static void a_master_stalled(struct fsm *f, vtime_t now, struct ctx *c, struct fsm_out *out)
{
	out->actions |= FSM_ACT_DEL_VIPS;
	disarm_all(f, out);
	memset(&f->master_addr, 0, sizeof(f->master_addr));
	arm_down(f, now, fsm_master_down_us(f), out);
}

/* Whether the Adver_Timer, due at due, fired past the quickest takeover by
 * a router of priority p: 2 advert intervals plus that router's skew (the
 * last advert went out one interval before due). */
static bool adver_too_late(const struct fsm *f, vtime_t due, vtime_t now, struct ctx *c)
{
	uint8_t p = f->cfg.timer_expired_backup;
	uint64_t base = f->cfg.version == 3 ? f->cfg.adver_int_us : (uint64_t)VTIME_SEC;
	vtime_t bound = (vtime_t)(2 * f->cfg.adver_int_us + (256u - p) * base / 256);

	if (!p || now - due < bound)
		return false;
	fsm_why_printf(&c->why,
	               "adverts stopped for %lld.%03lld s: a backup may have taken over "
	               "(timer_expired_backup)",
	               (long long)((now - due + (vtime_t)f->cfg.adver_int_us) / 1000000),
	               (long long)((now - due + (vtime_t)f->cfg.adver_int_us) % 1000000 / 1000));
	return true;
}

/* ---- the table ---- */

#define I VRRP_STATE_INIT
#define B VRRP_STATE_BACKUP
#define M VRRP_STATE_MASTER
#define F VRRP_STATE_FAULT
static const struct row table[] = {
    /* 6.4.1 Initialize */
    R(I, FSM_EV_STARTUP, a_start_backup, B),
    R(I, FSM_EV_STARTUP_OWNER, a_become_master, M),
    R(I, FSM_EV_FAULT, a_enter_fault, F),
    R(I, FSM_EV_PRIO_CHANGE, a_none, I),
    /* 6.4.2 Backup */
    R(B, FSM_EV_MASTER_DOWN, a_become_master, M),
    R(B, FSM_EV_MASTER_DOWN_DELAY, a_arm_preempt, B),
    R(B, FSM_EV_PREEMPT, a_become_master, M),
    R(B, FSM_EV_PREEMPT_NOW, a_become_master, M),
    R(B, FSM_EV_PREEMPT_LATER, a_preempt_later, B),
    R(B, FSM_EV_SYNC_WAIT, a_sync_wait, B),
    R(B, FSM_EV_SYNC_MASTER, a_become_master, M),
    R(B, FSM_EV_ADV_PRIO0, a_backup_prio0, B),
    R(B, FSM_EV_ADV_PRIO0_OTHER, a_none, B), /* vipd: no takeover for a stranger's 0 */
    R(B, FSM_EV_ADV_ACCEPT, a_backup_accept, B),
    R(B, FSM_EV_ADV_LOWER, a_backup_discard, B),
    R(B, FSM_EV_PRIO_CHANGE, a_backup_reprio, B),
    R(B, FSM_EV_PEER_DOWN, a_backup_peer_down, B), /* vipd: master_down_bfd */
    R(B, FSM_EV_FAULT, a_enter_fault, F),
    R(B, FSM_EV_SHUTDOWN, a_stop, I),
    /* 6.4.3 Master */
    R(M, FSM_EV_ADVER_TIMER, a_master_advert, M),
    R(M, FSM_EV_ADV_PRIO0, a_master_advert, M),
    R(M, FSM_EV_ADV_HIGHER, a_master_yield, B),
    R(M, FSM_EV_ADV_LOWER, a_master_lower, M),
    R(M, FSM_EV_PRIO_CHANGE, a_master_advert, M),
    R(M, FSM_EV_FAULT, a_master_fault, F),
    R(M, FSM_EV_SHUTDOWN, a_master_stop, I),
    R(M, FSM_EV_SYNC_BACKUP, a_sync_backup, B),
    R(M, FSM_EV_ADVER_LATE, a_master_stalled, B),
    /* Fault (keepalived) */
    R(F, FSM_EV_FAULT_CLEAR, a_start_backup, B),
    R(F, FSM_EV_STARTUP_OWNER, a_become_master, M),
    R(F, FSM_EV_PRIO_CHANGE, a_none, F),
    R(F, FSM_EV_SHUTDOWN, a_stop, I),
};
#undef I
#undef B
#undef M
#undef F

static enum fsm_event sync_gate(const struct fsm *f, enum fsm_event ev);

static enum fsm_cause event_cause(enum fsm_event e)
{
	static const enum fsm_cause causes[FSM_EV_MAX] = {
	    [FSM_EV_STARTUP] = FSM_CAUSE_STARTUP,
	    [FSM_EV_STARTUP_OWNER] = FSM_CAUSE_STARTUP,
	    [FSM_EV_SHUTDOWN] = FSM_CAUSE_SHUTDOWN,
	    [FSM_EV_MASTER_DOWN] = FSM_CAUSE_MASTER_DOWN,
	    [FSM_EV_MASTER_DOWN_DELAY] = FSM_CAUSE_MASTER_DOWN,
	    [FSM_EV_ADVER_TIMER] = FSM_CAUSE_OTHER,
	    [FSM_EV_PREEMPT] = FSM_CAUSE_PREEMPT,
	    [FSM_EV_PREEMPT_NOW] = FSM_CAUSE_PREEMPT,
	    [FSM_EV_PREEMPT_LATER] = FSM_CAUSE_PREEMPT,
	    [FSM_EV_ADV_PRIO0] = FSM_CAUSE_PRIORITY_ZERO,
	    [FSM_EV_ADV_PRIO0_OTHER] = FSM_CAUSE_PRIORITY_ZERO,
	    [FSM_EV_ADV_HIGHER] = FSM_CAUSE_HIGHER_PRIORITY,
	    [FSM_EV_ADV_ACCEPT] = FSM_CAUSE_HIGHER_PRIORITY,
	    [FSM_EV_ADV_LOWER] = FSM_CAUSE_PREEMPT,
	    [FSM_EV_PRIO_CHANGE] = FSM_CAUSE_PRIORITY_CHANGE,
	    [FSM_EV_FAULT] = FSM_CAUSE_FAULT,
	    [FSM_EV_FAULT_CLEAR] = FSM_CAUSE_FAULT_CLEAR,
	    [FSM_EV_SYNC_WAIT] = FSM_CAUSE_SYNC_GROUP,
	    [FSM_EV_SYNC_MASTER] = FSM_CAUSE_SYNC_GROUP,
	    [FSM_EV_SYNC_BACKUP] = FSM_CAUSE_SYNC_GROUP,
	    [FSM_EV_ADVER_LATE] = FSM_CAUSE_STALLED,
	    [FSM_EV_PEER_DOWN] = FSM_CAUSE_PEER_DOWN,
	};

	return e < FSM_EV_MAX ? causes[e] : FSM_CAUSE_OTHER;
}

/* The class of a transition ev is about to make (before its action runs:
 * a master heard at priority 0, or a lower one preempted, is still known). */
static enum fsm_cause cause_of(const struct fsm *f, enum fsm_event ev)
{
	if (ev != FSM_EV_MASTER_DOWN && ev != FSM_EV_MASTER_DOWN_DELAY)
		return event_cause(ev);
	if (f->lower_seen)
		return FSM_CAUSE_PREEMPT;
	if (f->master_addr.family && f->master_priority == 0)
		return FSM_CAUSE_PRIORITY_ZERO;
	if (f->master_addr.family && f->peer_down)
		return FSM_CAUSE_PEER_DOWN;
	return FSM_CAUSE_MASTER_DOWN;
}

/* The trace of one dispatch (action NULL: no row, the event is ignored). */
static void note_step(struct fsm_out *out, enum fsm_event ev, enum vrrp_state from,
                      const struct row *r)
{
	if (out->n_steps >= FSM_STEPS_MAX)
		return;
	out->steps[out->n_steps++] = (struct fsm_step){
	    .event = ev, .from = from, .to = r ? r->next : from, .action = r ? r->name : NULL};
}

/* The table's row for (state, event), or NULL: an index made at first use
 * (the first row of a pair wins, as in a scan of the table). */
static const struct row *row_of(enum vrrp_state st, enum fsm_event ev)
{
	static const struct row *idx[VRRP_STATE_MAX][FSM_EV_MAX];
	static bool made;

	if (!made) {
		for (size_t i = sizeof(table) / sizeof(table[0]); i-- > 0;)
			idx[table[i].state][table[i].event] = &table[i];
		made = true;
	}
	return st < VRRP_STATE_MAX && ev < FSM_EV_MAX ? idx[st][ev] : NULL;
}

static void dispatch(struct fsm *f, vtime_t now, enum fsm_event ev, struct ctx *c,
                     struct fsm_out *out)
{
	const struct row *r = row_of(f->state, ev);
	enum vrrp_state from = f->state;

	if (!r) {
		note_step(out, ev, from, NULL);
		return;
	}
	enum fsm_cause cause = cause_of(f, ev);
	note_step(out, ev, from, r);
	if (ev != FSM_EV_SYNC_WAIT && ev != FSM_EV_ADV_LOWER && ev != FSM_EV_PRIO_CHANGE)
		f->want_master = false; /* a master heard, Fault, ...: the wait ends */
	r->action(f, now, c, out);
	f->state = r->next;
	if (r->next != from) {
		out->actions |= FSM_ACT_NOTIFY;
		out->from = from;
		out->to = r->next;
		out->cause = cause;
		out->why = c->why;
		f->last_why = c->why;
		f->last_change_at = now;
		f->transitions++;
	}
}

static void begin(struct fsm_out *out)
{
	memset(out, 0, sizeof(*out));
}

/* ---- events ---- */

void fsm_init(struct fsm *f, const struct fsm_config *cfg)
{
	memset(f, 0, sizeof(*f));
	f->cfg = *cfg;
	if (f->cfg.down_timer_adverts <= 0)
		f->cfg.down_timer_adverts = 3;
	f->state = VRRP_STATE_INIT;
	f->priority = cfg->priority;
	f->master_adver_int_us = cfg->adver_int_us;
	f->master_down_at = f->adver_at = f->preempt_at = VTIME_NEVER;
}

void fsm_reconfigure(struct fsm *f, const struct fsm_config *cfg)
{
	uint8_t version = f->cfg.version;
	uint64_t adver_int_us = f->cfg.adver_int_us;

	f->cfg = *cfg;
	f->cfg.version = version;
	f->cfg.adver_int_us = adver_int_us;
}

static bool owner(const struct fsm *f)
{
	return f->priority == 255;
}

void fsm_startup(struct fsm *f, vtime_t now, struct fsm_out *out)
{
	struct ctx c = {0};

	begin(out);
	if (f->fault_holds) {
		char b[FSM_WHY_LEN];
		const char *last = fsm_why_text(&f->last_why, b, sizeof(b));
		fsm_why_printf(&c.why, "startup: %.140s", last[0] ? last : "fault");
		dispatch(f, now, FSM_EV_FAULT, &c, out);
	} else if (owner(f)) {
		fsm_why_printf(&c.why, "startup: address owner (priority 255)");
		dispatch(f, now, FSM_EV_STARTUP_OWNER, &c, out);
	} else {
		fsm_why_printf(&c.why, "startup");
		dispatch(f, now, FSM_EV_STARTUP, &c, out);
	}
}

void fsm_shutdown(struct fsm *f, vtime_t now, struct fsm_out *out)
{
	struct ctx c = {0};

	begin(out);
	fsm_why_printf(&c.why, "shutdown");
	dispatch(f, now, FSM_EV_SHUTDOWN, &c, out);
}

/* Is the sender above us? RFC 9568 6.4.3: higher priority, or equal
 * priority and a higher primary address. */
static bool sender_wins(const struct fsm *f, const struct fsm_advert *a)
{
	if (a->priority != f->priority)
		return a->priority > f->priority;
	/* an advert by a second path (vipd's advert_path) is compared with our
	 * address on that path, and only while the main path is silent (no_tie):
	 * the addresses' order may differ from one link to another */
	if (a->no_tie)
		return false;
	return addr_cmp(&a->src, addr_is_set(&a->local) ? &a->local : &f->cfg.primary) > 0;
}

/* vipd: a backup that follows a master takes a priority 0 advert (RFC 9568
 * 6.4.2: Master_Down_Timer = Skew_Time) only from that master's address,
 * so a LAN host cannot make it take over in Skew_Time; before any master
 * is heard, and by a second advert path (whose sources differ), any. */
static bool prio0_from_other(const struct fsm *f, const struct fsm_advert *a)
{
	return f->state == VRRP_STATE_BACKUP && f->last_advert_at && addr_is_set(&f->master_addr) &&
	       !addr_is_set(&a->local) && !addr_eq(&a->src, &f->master_addr);
}

/* timer_expired_backup: a Master whose Adver_Timer is overdue past the
 * bound leaves before anything else is done (its own timer may come after
 * the adverts queued meanwhile). */
static void stalled_master(struct fsm *f, vtime_t now, struct fsm_out *out)
{
	struct ctx c = {0};

	if (f->state == VRRP_STATE_MASTER && f->adver_at != VTIME_NEVER &&
	    adver_too_late(f, f->adver_at, now, &c)) {
		f->adver_at = VTIME_NEVER;
		dispatch(f, now, FSM_EV_ADVER_LATE, &c, out);
	}
}

void fsm_advert(struct fsm *f, vtime_t now, const struct fsm_advert *a, struct fsm_out *out)
{
	struct ctx c = {.adv = a};
	enum fsm_event ev;

	begin(out);
	stalled_master(f, now, out); /* adverts read after a stall come second */
	if (a->priority == 0 && prio0_from_other(f, a)) {
		ev = FSM_EV_ADV_PRIO0_OTHER;
		fsm_why_set(&c.why, FSM_WHY_PRIO0_OTHER, &a->src, 0, 0);
	} else if (a->priority == 0) {
		ev = FSM_EV_ADV_PRIO0;
		fsm_why_set(&c.why, FSM_WHY_PRIO0, &a->src, 0, 0);
	} else if (f->state == VRRP_STATE_BACKUP) {
		/* RFC 9568 6.4.2: follow unless preempting a lower priority */
		bool follow = !f->cfg.preempt || a->priority >= f->priority;
		ev = follow ? FSM_EV_ADV_ACCEPT : FSM_EV_ADV_LOWER;
		if (!follow && f->cfg.preempt_lower_master) {
			/* vipd extension: no need to wait out Master_Down_Interval */
			ev = f->cfg.preempt_delay_us ? FSM_EV_PREEMPT_LATER
			                             : sync_gate(f, FSM_EV_PREEMPT_NOW);
			fsm_why_set(&c.why, FSM_WHY_LOWER_MASTER, &a->src, a->priority, 0);
		}
	} else if (sender_wins(f, a)) {
		ev = FSM_EV_ADV_HIGHER;
		fsm_why_set(&c.why, a->priority > f->priority ? FSM_WHY_HIGHER : FSM_WHY_EQUAL,
		            &a->src, a->priority, 0);
	} else {
		ev = FSM_EV_ADV_LOWER;
	}
	dispatch(f, now, ev, &c, out);
}

/* The reason's parts only: its text is made when read (why.c). */
static void why_master_down(const struct fsm *f, vtime_t now, struct ctx *c)
{
	char src[ADDR_STRLEN];
	vtime_t since = f->master_addr.family ? f->last_advert_at : f->down_base;
	long long us = (long long)(now - since);

	if (f->lower_seen)
		fsm_why_set(&c->why, FSM_WHY_PREEMPTING, &f->lower_addr, f->lower_priority, 0);
	else if (f->master_addr.family && f->master_priority == 0)
		fsm_why_set(&c->why, FSM_WHY_STOPPED, &f->master_addr, 0, us);
	else if (f->master_addr.family && f->peer_down)
		fsm_why_printf(&c->why,
		               "master %s: %.80s; took over %lld.%03lld s after its last advert",
		               addr_ntop(&f->master_addr, src), f->peer_why, us / 1000000,
		               us % 1000000 / 1000);
	else if (f->master_addr.family)
		fsm_why_set(&c->why, FSM_WHY_NO_ADVERT_FROM, &f->master_addr, 0, us);
	else
		fsm_why_set(&c->why, FSM_WHY_NO_ADVERT_HEARD, NULL, 0, us);
}

/* Runs the earliest expired deadline; false when none is due. */
static bool timer_step(struct fsm *f, vtime_t now, struct fsm_out *out)
{
	struct ctx c;
	vtime_t next = fsm_next_deadline(f);

	if (next > now)
		return false;
	c.adv = NULL; /* every reason is written before it is read */
	fsm_why_set(&c.why, FSM_WHY_TEXT, NULL, 0, 0);
	if (next == f->master_down_at) {
		why_master_down(f, now, &c);
		bool delay = f->cfg.preempt && f->cfg.preempt_delay_us &&
		             (f->startup_phase || f->lower_seen);
		f->master_down_at = VTIME_NEVER;
		dispatch(f, now,
		         delay ? FSM_EV_MASTER_DOWN_DELAY : sync_gate(f, FSM_EV_MASTER_DOWN), &c,
		         out);
	} else if (next == f->preempt_at) {
		fsm_why_printf(&c.why, "preempt_delay of %llu.%03llu s elapsed",
		               (unsigned long long)(f->cfg.preempt_delay_us / 1000000),
		               (unsigned long long)(f->cfg.preempt_delay_us % 1000000 / 1000));
		f->preempt_at = VTIME_NEVER;
		dispatch(f, now, sync_gate(f, FSM_EV_PREEMPT), &c, out);
	} else {
		bool late = adver_too_late(f, f->adver_at, now, &c);
		f->adver_at = VTIME_NEVER;
		dispatch(f, now, late ? FSM_EV_ADVER_LATE : FSM_EV_ADVER_TIMER, &c, out);
	}
	out->actions |= FSM_ACT_TIMERS;
	return true;
}

/* The first deadline's step goes straight into out (the usual case: one
 * Adver_Timer); any further ones due at now are merged after it. */
void fsm_timer(struct fsm *f, vtime_t now, struct fsm_out *out)
{
	struct fsm_out step;

	begin(out);
	if (!timer_step(f, now, out))
		return;
	for (int guard = 1; guard < 8 && fsm_next_deadline(f) <= now; guard++) {
		begin(&step);
		if (!timer_step(f, now, &step))
			break;
		if ((step.actions & FSM_ACT_NOTIFY) && !(out->actions & FSM_ACT_NOTIFY))
			out->from = step.from;
		if (step.actions & FSM_ACT_NOTIFY) {
			out->to = step.to;
			out->why = step.why;
			out->cause = step.cause;
		}
		if (step.actions & FSM_ACT_SEND_ADVERT)
			out->adv_priority = step.adv_priority;
		out->actions |= step.actions;
		for (unsigned i = 0; i < step.n_steps && out->n_steps < FSM_STEPS_MAX; i++)
			out->steps[out->n_steps++] = step.steps[i];
	}
}

void fsm_set_priority(struct fsm *f, vtime_t now, uint8_t prio, struct fsm_out *out)
{
	struct ctx c = {0};

	begin(out);
	if (prio == f->priority)
		return;
	f->priority = prio;
	fsm_why_printf(&c.why, "priority now %u", prio);
	dispatch(f, now, FSM_EV_PRIO_CHANGE, &c, out);
}

/* A sync group member about to become master waits for its group. */
static enum fsm_event sync_gate(const struct fsm *f, enum fsm_event ev)
{
	return f->cfg.sync && f->state == VRRP_STATE_BACKUP ? FSM_EV_SYNC_WAIT : ev;
}

void fsm_sync_master(struct fsm *f, vtime_t now, const char *why, struct fsm_out *out)
{
	struct ctx c = {0};

	begin(out);
	if (f->state != VRRP_STATE_BACKUP || !f->want_master)
		return;
	fsm_why_printf(&c.why, "%s", why);
	dispatch(f, now, FSM_EV_SYNC_MASTER, &c, out);
}

void fsm_sync_backup(struct fsm *f, vtime_t now, const char *why, struct fsm_out *out)
{
	struct ctx c = {0};

	begin(out);
	fsm_why_printf(&c.why, "%s", why);
	dispatch(f, now, FSM_EV_SYNC_BACKUP, &c, out);
}

void fsm_peer_down(struct fsm *f, vtime_t now, const struct addr *peer, uint64_t interval_us,
                   const char *why, struct fsm_out *out)
{
	struct ctx c = {0};

	begin(out);
	c.skew_us = ((uint64_t)(256 - f->priority) * interval_us) / 256;
	/* only the master this Backup follows, heard at that address, and
	 * never later than the timer already runs (priority 0: Skew_Time) */
	if (f->state != VRRP_STATE_BACKUP || !f->last_advert_at || !addr_is_set(&f->master_addr) ||
	    !addr_eq(&f->master_addr, peer) || f->master_priority == 0 ||
	    f->master_down_at <= now + (vtime_t)c.skew_us) {
		note_step(out, FSM_EV_PEER_DOWN, f->state, NULL);
		return;
	}
	fsm_why_printf(&c.why, "%s", why ? why : "its liveness session went down");
	dispatch(f, now, FSM_EV_PEER_DOWN, &c, out);
}

void fsm_fault(struct fsm *f, vtime_t now, bool fault, const char *why, struct fsm_out *out)
{
	struct ctx c = {0};

	begin(out);
	fsm_why_printf(&c.why, "%s", why ? why : "fault");
	if (fault) {
		if (f->fault_holds++ == 0 && f->state != VRRP_STATE_INIT)
			dispatch(f, now, FSM_EV_FAULT, &c, out);
		else if (f->state == VRRP_STATE_INIT)
			f->last_why = c.why;
		return;
	}
	if (f->fault_holds == 0 || --f->fault_holds > 0 || f->state != VRRP_STATE_FAULT)
		return;
	dispatch(f, now, owner(f) ? FSM_EV_STARTUP_OWNER : FSM_EV_FAULT_CLEAR, &c, out);
}

vtime_t fsm_next_deadline(const struct fsm *f)
{
	vtime_t t = f->master_down_at;

	if (f->adver_at < t)
		t = f->adver_at;
	if (f->preempt_at < t)
		t = f->preempt_at;
	return t;
}

const char *vrrp_state_name(enum vrrp_state s)
{
	static const char *const names[] = {"INIT", "BACKUP", "MASTER", "FAULT"};

	return s < VRRP_STATE_MAX ? names[s] : "UNKNOWN";
}

const char *fsm_event_name(enum fsm_event e)
{
	static const char *const names[FSM_EV_MAX] = {
	    "startup",       "shutdown",      "master-down", "adver-timer",       "preempt",
	    "adv-prio0",     "adv-higher",    "adv-lower",   "prio-change",       "fault",
	    "fault-clear",   "startup-owner", "adv-accept",  "master-down-delay", "preempt-now",
	    "preempt-later", "sync-wait",     "sync-master", "sync-backup",       "adv-prio0-other",
	    "adver-late",    "peer-down",
	};

	return e < FSM_EV_MAX ? names[e] : "unknown";
}

const char *fsm_cause_name(enum fsm_cause c)
{
	static const char *const names[FSM_CAUSE_MAX] = {
	    "startup",         "master_down", "preempt",     "higher_priority", "priority_zero",
	    "priority_change", "fault",       "fault_clear", "sync_group",      "stalled",
	    "shutdown",        "peer_down",   "other",
	};

	return c < FSM_CAUSE_MAX ? names[c] : "other";
}

const char *fsm_actions_text(unsigned actions, char *buf, size_t len)
{
	static const char *const names[] = {"send_advert", "add_vips", "del_vips", "announce",
	                                    "notify",      "timers",   "sync_want"};
	size_t at = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (actions & (1u << i) && at < len)
			at += (size_t)snprintf(buf + at, len - at, "%s%s", at ? "," : "", names[i]);
	if (!at)
		snprintf(buf, len, "none");
	return buf;
}
