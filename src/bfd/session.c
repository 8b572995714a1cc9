/*
 * session.c: one BFD session in asynchronous mode, no I/O: the state
 * machine as a table of {state, event, action, next} rows, and the timers
 * on an injected clock.
 *
 * RFC 5880 6.1 (passive role), 6.2 (state machine), 6.5 (Poll Sequences),
 * 6.8.1 (state variables), 6.8.2-6.8.4 (timer negotiation, Detection
 * Time), 6.8.6 (reception), 6.8.7 (transmission, jitter), 6.8.16
 * (AdminDown). RFC 5881/5883 (ports, TTL) are the shell's.
 * The shell owns struct bfd_session; only this file writes it.
 */
#include <stdio.h>
#include <string.h>

#include "bfd/session.h"

#define IDLE_TX_MIN ((uint32_t)VTIME_SEC) /* RFC 5880 6.8.3: while not Up, at least 1 s */

enum event {
	/* the Sta of a received packet: the values of enum bfd_state */
	EV_RX_ADMIN_DOWN = BFD_ADMIN_DOWN,
	EV_RX_DOWN = BFD_DOWN,
	EV_RX_INIT = BFD_INIT,
	EV_RX_UP = BFD_UP,
	EV_EXPIRED,    /* the Detection Time passed without a packet */
	EV_ADMIN_DOWN, /* the shell disables the session */
};

struct ctx {
	char why[160];
};

typedef void (*action_fn)(struct bfd_session *s, vtime_t now, struct ctx *c);

struct row {
	enum bfd_state state;
	enum event event;
	action_fn action;
	enum bfd_state next;
};

/* ---- arithmetic ---- */

static uint32_t max32(uint32_t a, uint32_t b)
{
	return a > b ? a : b;
}

/* t + us, held below VTIME_NEVER (t is a monotonic time, never negative) */
static vtime_t after(vtime_t t, uint64_t us)
{
	if (us >= (uint64_t)(VTIME_NEVER - 1 - t))
		return VTIME_NEVER - 1;
	return t + (vtime_t)us;
}

static uint32_t idle_tx(const struct bfd_params *p)
{
	return max32(p->idle_tx_us, IDLE_TX_MIN);
}

uint32_t bfd_session_tx_interval(const struct bfd_session *s)
{
	/* RFC 5880 6.8.7: the slower of the two systems sets the pace */
	return max32(s->desired_min_tx_interval, s->remote_min_rx_interval);
}

/* RFC 5880 6.8.4: the peer's Detect Mult x the agreed interval of the peer */
static uint32_t agreed_rx(const struct bfd_session *s)
{
	return max32(s->required_min_rx_interval, s->remote_desired_min_tx);
}

static uint64_t detect_us(const struct bfd_session *s)
{
	return (uint64_t)s->remote_detect_mult * agreed_rx(s);
}

uint32_t bfd_session_detect_time(const struct bfd_session *s)
{
	uint64_t d = detect_us(s);

	return d > UINT32_MAX ? UINT32_MAX : (uint32_t)d;
}

/* splitmix64: any seed, 0 included, gives a full-period sequence */
static uint64_t next_random(struct bfd_session *s)
{
	uint64_t z = (s->rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* RFC 5880 6.8.7: 75% to 100% of the interval; 75% to 90% when
 * bfd.DetectMult is 1. iv >= 1, so the result is too (a few us are too
 * short for 90% and 75% to differ: then the 75%, rounded up). */
static uint64_t jittered(struct bfd_session *s, uint32_t iv)
{
	uint64_t lo = ((uint64_t)iv * 3 + 3) / 4;
	uint64_t hi = s->detect_mult == 1 ? (uint64_t)iv * 9 / 10 : iv;

	if (hi < lo)
		hi = lo;
	return lo + next_random(s) % (hi - lo + 1);
}

static void fmt_ms(char *buf, size_t len, uint64_t us)
{
	snprintf(buf, len, "%llu.%03llu ms", (unsigned long long)(us / 1000),
	         (unsigned long long)(us % 1000));
}

/* ---- transmission (RFC 5880 6.8.7) ---- */

/* May the session send a packet of its own (not a Final)? */
static bool may_speak(const struct bfd_session *s)
{
	if (s->cfg.passive && s->remote_discr == 0)
		return false;                  /* 6.8.7: passive, nothing heard */
	return s->remote_min_rx_interval != 0; /* 6.8.7: the peer wants no packet */
}

/* ...and periodically? (AdminDown's end is set_next's) */
static bool periodic(const struct bfd_session *s)
{
	bool remote_demand = s->remote_demand_mode && s->session_state == BFD_UP &&
	                     s->remote_session_state == BFD_UP;

	return may_speak(s) && !(remote_demand && !s->poll);
}

static void set_next(struct bfd_session *s, vtime_t t)
{
	if (s->session_state == BFD_ADMIN_DOWN && t >= s->admin_until)
		t = VTIME_NEVER; /* 6.8.16: a Detection Time of AdminDown packets, then silence */
	s->next_tx = t;
}

/* A packet leaves now; the next periodic one a jittered interval later. */
static void emit(struct bfd_session *s, vtime_t now, struct bfd_out *out)
{
	out->actions |= BFD_ACT_SEND;
	s->last_tx = now;
	s->next_tx = VTIME_NEVER;
	if (periodic(s))
		set_next(s, after(now, jittered(s, bfd_session_tx_interval(s))));
}

/* After an event: stop, start or re-pace the periodic packets (a new
 * interval counts from the last packet), and send one that is due. */
static void rearm_tx(struct bfd_session *s, vtime_t now, uint32_t old_iv, struct bfd_out *out)
{
	uint32_t iv = bfd_session_tx_interval(s);

	if (!periodic(s)) {
		s->next_tx = VTIME_NEVER;
		return;
	}
	if (s->next_tx == VTIME_NEVER || iv != old_iv) {
		vtime_t t = s->last_tx == VTIME_NEVER ? now : after(s->last_tx, jittered(s, iv));
		set_next(s, t < now ? now : t);
	}
	if (s->next_tx <= now)
		emit(s, now, out);
}

/* ---- timer values (RFC 5880 6.8.3, 6.5) ---- */

/* Not Up: at once, no poll; DesiredMinTxInterval at least 1 s. */
static void idle_timers(struct bfd_session *s)
{
	s->desired_min_tx_interval = s->pending_tx = idle_tx(&s->cfg);
	s->required_min_rx_interval = s->pending_rx = s->cfg.min_rx_us;
	s->poll = s->poll_sent = false;
}

/* Up: announce min_tx / min_rx by a Poll Sequence. What is safe now takes
 * effect now (a faster transmission, a longer Detection Time); the rest
 * when the Final comes (6.8.3). */
static void announce(struct bfd_session *s)
{
	uint32_t tx = s->cfg.min_tx_us, rx = s->cfg.min_rx_us;

	if (tx == s->pending_tx && rx == s->pending_rx)
		return;
	s->pending_tx = tx;
	s->pending_rx = rx;
	s->poll = true;
	s->poll_sent = false;
	if (tx < s->desired_min_tx_interval)
		s->desired_min_tx_interval = tx;
	if (rx > s->required_min_rx_interval)
		s->required_min_rx_interval = rx;
}

static void apply_config(struct bfd_session *s)
{
	if (s->session_state == BFD_UP)
		announce(s);
	else
		idle_timers(s);
}

/* 6.5: the Final of our Poll: the announced values are in force. */
static void end_poll(struct bfd_session *s)
{
	s->desired_min_tx_interval = s->pending_tx;
	s->required_min_rx_interval = s->pending_rx;
	s->poll = s->poll_sent = false;
}

/* 6.8.1: a Detection Time without a packet: bfd.RemoteDiscr is 0; the rest
 * of what the peer said goes too (bfd.RemoteMinRxInterval back to its
 * initial 1, so a peer that asked for silence does not silence us for ever). */
static void forget_remote(struct bfd_session *s)
{
	s->remote_discr = 0;
	s->remote_session_state = BFD_DOWN;
	s->remote_demand_mode = false;
	s->remote_min_rx_interval = 1;
	s->remote_detect_mult = 0;
	s->remote_desired_min_tx = 0;
	s->remote_diag = 0;
	s->detect_at = VTIME_NEVER;
}

/* ---- actions ---- */

static void a_none(struct bfd_session *s, vtime_t now, struct ctx *c)
{
}

/* Down or Init to Up: clear the diagnostic, announce min_tx/min_rx */
static void a_up(struct bfd_session *s, vtime_t now, struct ctx *c)
{
	s->local_diag = BFD_DIAG_NONE;
	announce(s);
}

/* 6.8.6: the neighbor signaled Down or AdminDown */
static void a_neighbor_down(struct bfd_session *s, vtime_t now, struct ctx *c)
{
	s->local_diag = BFD_DIAG_NEIGHBOR_DOWN;
	idle_timers(s);
}

/* 6.8.4: Detection Time expired in Init or Up */
static void a_expired(struct bfd_session *s, vtime_t now, struct ctx *c)
{
	s->local_diag = BFD_DIAG_EXPIRED;
	forget_remote(s);
	idle_timers(s);
}

/* 6.8.1: Detection Time expired in Down: no change but RemoteDiscr 0 */
static void a_forget(struct bfd_session *s, vtime_t now, struct ctx *c)
{
	forget_remote(s);
}

/* 6.8.16: AdminDown, Diag 7; no Detection Time; packets for one */
static void a_admin_down(struct bfd_session *s, vtime_t now, struct ctx *c)
{
	s->local_diag = BFD_DIAG_ADMIN_DOWN;
	idle_timers(s);
	s->detect_at = VTIME_NEVER;
	s->send_final = false;
	s->admin_until = after(now, (uint64_t)s->detect_mult * bfd_session_tx_interval(s));
}

/* ---- the table (RFC 5880 6.2, 6.8.6; 6.8.4 and 6.8.16 for the rest) ---- */

#define AD BFD_ADMIN_DOWN
#define DN BFD_DOWN
#define IN BFD_INIT
#define UP BFD_UP
static const struct row table[] = {
    {DN, EV_RX_ADMIN_DOWN, a_none, DN},
    {DN, EV_RX_DOWN, a_none, IN},
    {DN, EV_RX_INIT, a_up, UP},
    {DN, EV_RX_UP, a_none, DN},
    {DN, EV_EXPIRED, a_forget, DN},
    {DN, EV_ADMIN_DOWN, a_admin_down, AD},
    {IN, EV_RX_ADMIN_DOWN, a_neighbor_down, DN},
    {IN, EV_RX_DOWN, a_none, IN},
    {IN, EV_RX_INIT, a_up, UP},
    {IN, EV_RX_UP, a_up, UP},
    {IN, EV_EXPIRED, a_expired, DN},
    {IN, EV_ADMIN_DOWN, a_admin_down, AD},
    {UP, EV_RX_ADMIN_DOWN, a_neighbor_down, DN},
    {UP, EV_RX_DOWN, a_neighbor_down, DN},
    {UP, EV_RX_INIT, a_none, UP},
    {UP, EV_RX_UP, a_none, UP},
    {UP, EV_EXPIRED, a_expired, DN},
    {UP, EV_ADMIN_DOWN, a_admin_down, AD},
    /* AdminDown: packets are discarded before the table; nothing expires */
};
#undef AD
#undef DN
#undef IN
#undef UP

/* The bookkeeping of a change: counters, was_up, the report, and a packet
 * at once so the peer learns the new state without waiting an interval. */
static void changed(struct bfd_session *s, enum bfd_state from, vtime_t now, struct ctx *c,
                    struct bfd_out *out)
{
	enum bfd_state to = s->session_state;

	if (to == BFD_UP) {
		s->up_count++;
		s->was_up = true;
	} else if (from == BFD_UP) {
		s->down_count++;
	}
	if (to == BFD_INIT)
		s->was_up = false;
	out->actions |= BFD_ACT_STATE;
	out->from = from;
	out->to = to;
	snprintf(out->why, sizeof(out->why), "%s", c->why);
	if (may_speak(s))
		emit(s, now, out);
}

static void dispatch(struct bfd_session *s, vtime_t now, enum event ev, struct ctx *c,
                     struct bfd_out *out)
{
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		const struct row *r = &table[i];
		if (r->state != s->session_state || r->event != ev)
			continue;
		enum bfd_state from = s->session_state;
		s->session_state = r->next; /* actions see the new state */
		r->action(s, now, c);
		if (r->next != from)
			changed(s, from, now, c, out);
		return;
	}
}

/* 6.8.4: the Detection Time passed without a packet */
static void why_expired(const struct bfd_session *s, vtime_t now, struct ctx *x)
{
	char silent[32], iv[32];

	fmt_ms(silent, sizeof(silent), (uint64_t)(now - s->last_rx));
	fmt_ms(iv, sizeof(iv), agreed_rx(s));
	snprintf(x->why, sizeof(x->why), "no packet for %s (Detection Time: %u x %s)", silent,
	         s->remote_detect_mult, iv);
}

static void expire(struct bfd_session *s, vtime_t now, struct bfd_out *out)
{
	struct ctx x;

	why_expired(s, now, &x);
	s->detect_at = VTIME_NEVER;
	dispatch(s, now, EV_EXPIRED, &x, out);
}

/* ---- calls ---- */

struct snap {
	vtime_t deadline;
	uint32_t interval;
};

static void begin(const struct bfd_session *s, struct bfd_out *out, struct snap *sn)
{
	memset(out, 0, sizeof(*out));
	out->from = out->to = s->session_state;
	out->diag = s->local_diag;
	sn->deadline = bfd_session_deadline(s);
	sn->interval = bfd_session_tx_interval(s);
}

/* The end of every call: the Detection Time (it may have changed, and a
 * shorter one may have passed already), then the packets. */
static void finish(struct bfd_session *s, vtime_t now, const struct snap *sn, struct bfd_out *out)
{
	if (s->detect_at != VTIME_NEVER)
		s->detect_at = after(s->last_rx, detect_us(s));
	if (s->detect_at <= now)
		expire(s, now, out);
	rearm_tx(s, now, sn->interval, out);
	out->diag = s->local_diag;
	if (bfd_session_deadline(s) != sn->deadline)
		out->actions |= BFD_ACT_TIMERS;
}

static void sanitize(struct bfd_params *p)
{
	p->min_tx_us = max32(p->min_tx_us, 1);
	p->min_rx_us = max32(p->min_rx_us, 1);
	if (p->detect_mult == 0)
		p->detect_mult = 1;
}

void bfd_session_init(struct bfd_session *s, const struct bfd_params *p, uint32_t local_discr,
                      uint64_t seed, vtime_t now)
{
	memset(s, 0, sizeof(*s));
	s->cfg = *p;
	sanitize(&s->cfg);
	s->session_state = BFD_DOWN; /* 6.8.1: the initial values */
	s->remote_session_state = BFD_DOWN;
	s->local_discr = local_discr;
	s->local_diag = BFD_DIAG_NONE;
	s->remote_min_rx_interval = 1;
	s->detect_mult = s->cfg.detect_mult;
	idle_timers(s);
	s->rng = seed;
	s->detect_at = s->admin_until = VTIME_NEVER;
	s->last_rx = s->last_tx = VTIME_NEVER;
	s->next_tx = periodic(s) ? now : VTIME_NEVER;
}

vtime_t bfd_session_deadline(const struct bfd_session *s)
{
	return s->next_tx < s->detect_at ? s->next_tx : s->detect_at;
}

/* 6.8.6: what the packet tells of the peer */
static void learn(struct bfd_session *s, const struct bfd_ctl *c)
{
	s->remote_discr = c->my_disc;
	s->remote_session_state = (enum bfd_state)(c->sta & 3);
	s->remote_demand_mode = c->demand;
	s->remote_min_rx_interval = c->required_min_rx;
	s->remote_detect_mult = c->detect_mult;
	s->remote_desired_min_tx = c->desired_min_tx;
	s->remote_diag = c->diag;
}

static void why_rx(const struct bfd_ctl *c, struct ctx *x)
{
	if (c->sta == BFD_DOWN && c->diag)
		snprintf(x->why, sizeof(x->why), "neighbor signaled Down (diag: %s)",
		         bfd_diag_str(c->diag));
	else
		snprintf(x->why, sizeof(x->why), "neighbor signaled %s",
		         bfd_state_str((enum bfd_state)(c->sta & 3)));
}

enum bfd_rx_reason bfd_session_rx(struct bfd_session *s, const struct bfd_ctl *c, vtime_t now,
                                  struct bfd_out *out)
{
	struct snap sn;
	struct ctx x;

	begin(s, out, &sn);
	if (c->detect_mult == 0)
		return BFD_RX_DETECT_MULT;
	if (c->your_disc != 0 && c->your_disc != s->local_discr)
		return BFD_RX_NO_SESSION;
	learn(s, c);
	if (c->final && s->poll && s->poll_sent)
		end_poll(s);
	if (s->session_state == BFD_ADMIN_DOWN) {
		finish(s, now, &sn, out);
		return BFD_RX_ADMIN_DOWN;
	}
	s->rx_packets++;
	s->last_rx = now;
	s->detect_at = now; /* armed: finish() adds the Detection Time */
	why_rx(c, &x);
	dispatch(s, now, (enum event)(c->sta & 3), &x, out);
	if (c->poll) { /* 6.8.7: a Final at once, whatever the state and timers */
		s->send_final = true;
		emit(s, now, out);
	}
	finish(s, now, &sn, out);
	return BFD_RX_OK;
}

void bfd_session_timer(struct bfd_session *s, vtime_t now, struct bfd_out *out)
{
	struct snap sn;

	begin(s, out, &sn);
	finish(s, now, &sn, out); /* the Detection Time first, then packets */
}

void bfd_session_packet(struct bfd_session *s, struct bfd_ctl *out)
{
	memset(out, 0, sizeof(*out));
	out->vers = BFD_VERSION;
	out->diag = (uint8_t)s->local_diag;
	out->sta = (uint8_t)s->session_state;
	out->final = s->send_final;
	out->poll = s->poll && !s->send_final; /* 6.5: never P and F together */
	out->detect_mult = s->detect_mult;
	out->length = BFD_CTL_LEN;
	out->my_disc = s->local_discr;
	out->your_disc = s->remote_discr;
	out->desired_min_tx = s->pending_tx;
	out->required_min_rx = s->pending_rx;
	if (out->poll)
		s->poll_sent = true;
	s->send_final = false;
	s->tx_packets++;
}

void bfd_session_set_params(struct bfd_session *s, const struct bfd_params *p, vtime_t now,
                            struct bfd_out *out)
{
	struct snap sn;

	begin(s, out, &sn);
	s->cfg = *p;
	sanitize(&s->cfg);
	s->detect_mult = s->cfg.detect_mult;
	if (s->session_state != BFD_ADMIN_DOWN)
		apply_config(s);
	finish(s, now, &sn, out);
}

void bfd_session_admin_down(struct bfd_session *s, vtime_t now, struct bfd_out *out)
{
	struct snap sn;
	struct ctx x = {"administratively down"};

	begin(s, out, &sn);
	dispatch(s, now, EV_ADMIN_DOWN, &x, out);
	finish(s, now, &sn, out);
}
