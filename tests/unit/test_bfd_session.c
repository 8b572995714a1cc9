/*
 * test_bfd_session.c: the BFD session on a fake clock. Two sessions talk
 * through bfd_build/bfd_parse over a simulated link (handshake, timer
 * negotiation, a peer lost and back), and one session is fed hand-made
 * packets where exact timing matters (Poll Sequences, Detection Time,
 * AdminDown, jitter, demand, the passive role).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "bfd/session.h"

#define MS        1000
#define S         VTIME_SEC
#define T0        (1000 * S) /* the fake clock starts here */
#define LOCAL     0x0a0a0a0a /* our discriminator */
#define PEER      0x0b0b0b0b /* the hand-made peer's */
#define LATENCY   100        /* us, one way, on the simulated link */
#define QMAX      16
#define LOGMAX    16
#define TXMAX     4096

static struct bfd_params params(uint32_t tx_ms, uint32_t rx_ms, uint8_t mult)
{
	return (struct bfd_params){.min_tx_us = tx_ms * MS,
	                           .min_rx_us = rx_ms * MS,
	                           .idle_tx_us = 1000 * MS,
	                           .detect_mult = mult};
}

/* ---- one session and a hand-made peer ---- */

/* A packet from the peer: 50 ms both ways, mult 3, to LOCAL. */
static struct bfd_ctl pk(enum bfd_state sta)
{
	return (struct bfd_ctl){.sta = (uint8_t)sta,
	                        .detect_mult = 3,
	                        .my_disc = PEER,
	                        .your_disc = LOCAL,
	                        .desired_min_tx = 50 * MS,
	                        .required_min_rx = 50 * MS};
}

/* c through the codec, then to the session */
static enum bfd_rx_reason rx(struct bfd_session *s, struct bfd_ctl c, vtime_t t,
                             struct bfd_out *o)
{
	uint8_t b[BFD_CTL_LEN];
	struct bfd_ctl d;

	bfd_build(&c, b);
	assert_int_equal(bfd_parse(b, sizeof(b), &d, NULL), BFD_RX_OK);
	return bfd_session_rx(s, &d, t, o);
}

/* The packet the session sends, checked for what every peer requires. */
static struct bfd_ctl sent(struct bfd_session *s)
{
	uint8_t b[BFD_CTL_LEN];
	struct bfd_ctl c, d;

	bfd_session_packet(s, &c);
	bfd_build(&c, b);
	assert_int_equal(bfd_parse(b, sizeof(b), &d, NULL), BFD_RX_OK);
	assert_true(d.desired_min_tx && d.required_min_rx);
	assert_true(d.diag <= BFD_DIAG_REV_CONCAT_DOWN); /* keepalived rejects more */
	assert_false(d.demand || d.cpi || d.required_min_echo_rx);
	assert_int_equal(d.my_disc, s->local_discr);
	return d;
}

/* A session brought Up by the peer at t, its poll answered. */
static void bring_up(struct bfd_session *s, struct bfd_params p, vtime_t t)
{
	struct bfd_out o;
	struct bfd_ctl f = pk(BFD_UP);

	bfd_session_init(s, &p, LOCAL, 42, t);
	assert_int_equal(rx(s, pk(BFD_INIT), t, &o), BFD_RX_OK);
	assert_int_equal(s->session_state, BFD_UP);
	assert_true(s->poll);
	assert_true(sent(s).poll);
	f.final = true;
	assert_int_equal(rx(s, f, t + LATENCY, &o), BFD_RX_OK);
	assert_false(s->poll);
}

/* Runs the session's timer at each deadline up to t (the peer silent). */
static int run_alone(struct bfd_session *s, vtime_t t, vtime_t *at, int max)
{
	struct bfd_out o;
	int n = 0;

	for (vtime_t d; (d = bfd_session_deadline(s)) <= t;) {
		bfd_session_timer(s, d, &o);
		assert_true(bfd_session_deadline(s) > d);
		if (o.actions & BFD_ACT_SEND) {
			sent(s);
			if (at && n < max)
				at[n] = d;
			n++;
		}
	}
	return n;
}

/* ---- two sessions on a simulated link ---- */

struct change {
	enum bfd_state from, to;
	enum bfd_diag diag;
	char why[160];
};

struct node {
	struct bfd_session s;
	bool alive; /* a dead node runs nothing and hears nothing */
	struct {
		vtime_t at;
		uint8_t b[BFD_CTL_LEN];
	} q[QMAX]; /* packets on their way to this node */
	int nq;
	struct change log[LOGMAX];
	int nlog;
	vtime_t tx_at[TXMAX]; /* when it sent */
	int ntx;
	int polls, finals;
};

static struct node N[2];
static vtime_t now;

static void start(int i, struct bfd_params p, uint32_t discr)
{
	memset(&N[i], 0, sizeof(N[i]));
	bfd_session_init(&N[i].s, &p, discr, (uint64_t)discr * 7, now);
	N[i].alive = true;
}

static void handle(int i, const struct bfd_out *o)
{
	struct node *n = &N[i], *peer = &N[1 - i];

	assert_true(bfd_session_deadline(&n->s) > now);
	assert_int_equal(o->diag, n->s.local_diag);
	if (o->actions & BFD_ACT_STATE) {
		assert_int_not_equal(o->from, o->to);
		assert_true(n->nlog < LOGMAX);
		n->log[n->nlog].from = o->from;
		n->log[n->nlog].to = o->to;
		n->log[n->nlog].diag = o->diag;
		memcpy(n->log[n->nlog].why, o->why, sizeof(o->why));
		n->nlog++;
	} else {
		assert_int_equal(o->from, n->s.session_state);
		assert_int_equal(o->to, n->s.session_state);
	}
	if (o->actions & BFD_ACT_SEND) {
		struct bfd_ctl c = sent(&n->s);
		n->polls += c.poll;
		n->finals += c.final;
		if (n->ntx < TXMAX)
			n->tx_at[n->ntx++] = now;
		assert_true(peer->nq < QMAX);
		peer->q[peer->nq].at = now + LATENCY;
		bfd_build(&c, peer->q[peer->nq++].b);
	}
}

static void deliver(int i)
{
	struct node *n = &N[i];
	struct bfd_ctl c;
	struct bfd_out o;
	uint8_t b[BFD_CTL_LEN];

	memcpy(b, n->q[0].b, sizeof(b));
	memmove(&n->q[0], &n->q[1], sizeof(n->q[0]) * (size_t)--n->nq);
	if (!n->alive)
		return;
	assert_int_equal(bfd_parse(b, sizeof(b), &c, NULL), BFD_RX_OK);
	/* the shell's lookup: by Your Discriminator, else by the addresses */
	if (c.your_disc && c.your_disc != n->s.local_discr)
		return;
	enum bfd_rx_reason r = bfd_session_rx(&n->s, &c, now, &o);
	assert_true(r == BFD_RX_OK || r == BFD_RX_ADMIN_DOWN);
	handle(i, &o);
}

/* Runs both nodes to t: timers first, then the packets due. */
static void run(vtime_t t)
{
	struct bfd_out o;

	for (;;) {
		vtime_t next = VTIME_NEVER;
		for (int i = 0; i < 2; i++) {
			vtime_t d = bfd_session_deadline(&N[i].s);
			if (N[i].alive && d < next)
				next = d;
			if (N[i].nq && N[i].q[0].at < next)
				next = N[i].q[0].at;
		}
		if (next > t)
			break;
		now = next > now ? next : now;
		for (int i = 0; i < 2; i++) {
			if (N[i].alive && bfd_session_deadline(&N[i].s) <= now) {
				bfd_session_timer(&N[i].s, now, &o);
				handle(i, &o);
			}
		}
		for (int i = 0; i < 2; i++)
			while (N[i].nq && N[i].q[0].at <= now)
				deliver(i);
	}
	now = t;
}

static void expect_change(int i, int k, enum bfd_state from, enum bfd_state to,
                          enum bfd_diag diag, const char *why)
{
	assert_true(k < N[i].nlog);
	assert_int_equal(N[i].log[k].from, from);
	assert_int_equal(N[i].log[k].to, to);
	assert_int_equal(N[i].log[k].diag, diag);
	if (why)
		assert_string_equal(N[i].log[k].why, why);
}

/* The gaps between packets sent in [from, to] lie within [lo, hi] us and
 * spread over most of it (they are jittered, not fixed). */
static void expect_gaps(int i, vtime_t from, vtime_t to, vtime_t lo, vtime_t hi)
{
	vtime_t least = VTIME_NEVER, most = 0;
	int n = 0;

	for (int k = 1; k < N[i].ntx; k++) {
		if (N[i].tx_at[k - 1] < from || N[i].tx_at[k] > to)
			continue;
		vtime_t gap = N[i].tx_at[k] - N[i].tx_at[k - 1];
		assert_in_range(gap, lo, hi);
		least = gap < least ? gap : least;
		most = gap > most ? gap : most;
		n++;
	}
	assert_true(n >= 10);
	assert_true(most - least > (hi - lo) / 2);
}

/* ---- tests ---- */

/* RFC 5880 6.2: the three-way handshake, an active node and a passive one */
static void test_handshake_passive(void **state)
{
	now = T0;
	start(0, params(50, 50, 3), 0x1111);
	struct bfd_params p = params(50, 50, 3);
	p.passive = true;
	start(1, p, 0x2222);
	assert_int_equal(bfd_session_deadline(&N[0].s), T0); /* active: at once */
	assert_int_equal(bfd_session_deadline(&N[1].s), VTIME_NEVER);
	run(T0 + 10 * MS);
	/* A: Down, hears B's Init: Up; B: hears A's Down: Init, then A's Up: Up */
	assert_int_equal(N[0].nlog, 1);
	expect_change(0, 0, BFD_DOWN, BFD_UP, BFD_DIAG_NONE, "neighbor signaled Init");
	assert_int_equal(N[1].nlog, 2);
	expect_change(1, 0, BFD_DOWN, BFD_INIT, BFD_DIAG_NONE, "neighbor signaled Down");
	expect_change(1, 1, BFD_INIT, BFD_UP, BFD_DIAG_NONE, "neighbor signaled Up");
	/* a state change is told at once: the whole exchange took 3 latencies */
	assert_int_equal(N[0].ntx, 2);
	assert_int_equal(N[0].tx_at[1], T0 + 2 * LATENCY);
	assert_int_equal(N[0].s.remote_discr, 0x2222);
	assert_int_equal(N[1].s.remote_discr, 0x1111);
	run(T0 + 500 * MS);
	for (int i = 0; i < 2; i++) {
		assert_int_equal(N[i].s.session_state, BFD_UP);
		assert_false(N[i].s.poll);
		assert_true(N[i].polls >= 1);
		assert_true(N[1 - i].finals >= 1);
		assert_int_equal(bfd_session_tx_interval(&N[i].s), 50 * MS);
		assert_int_equal(bfd_session_detect_time(&N[i].s), 150 * MS);
		assert_int_equal(N[i].s.up_count, 1);
		assert_true(N[i].s.was_up);
	}
}

static void test_handshake_active(void **state)
{
	now = T0;
	start(0, params(50, 50, 3), 0x1111);
	start(1, params(50, 50, 3), 0x2222);
	run(T0 + 10 * MS);
	for (int i = 0; i < 2; i++) {
		assert_int_equal(N[i].nlog, 2);
		expect_change(i, 0, BFD_DOWN, BFD_INIT, BFD_DIAG_NONE, "neighbor signaled Down");
		expect_change(i, 1, BFD_INIT, BFD_UP, BFD_DIAG_NONE, "neighbor signaled Init");
	}
}

/* RFC 5880 6.8.2-6.8.4, 6.8.7: the slower side sets the pace each way */
static void test_negotiation(void **state)
{
	now = T0;
	start(0, params(10, 10, 3), 0x1111);
	start(1, params(50, 100, 5), 0x2222);
	/* not Up: DesiredMinTxInterval is 1 s */
	assert_int_equal(bfd_session_tx_interval(&N[0].s), 1000 * MS);
	assert_int_equal(N[0].s.desired_min_tx_interval, 1000 * MS);
	run(T0 + 1 * S);
	/* A sends as slowly as B's 100 ms Required Min RX asks */
	assert_int_equal(bfd_session_tx_interval(&N[0].s), 100 * MS);
	assert_int_equal(bfd_session_tx_interval(&N[1].s), 50 * MS);
	/* A's Detection Time: B's mult 5 x max(A's rx 10, B's tx 50) */
	assert_int_equal(bfd_session_detect_time(&N[0].s), 250 * MS);
	/* B's: A's mult 3 x max(B's rx 100, A's tx 10) */
	assert_int_equal(bfd_session_detect_time(&N[1].s), 300 * MS);
	run(T0 + 4 * S);
	expect_gaps(0, T0 + 1 * S, T0 + 4 * S, 75 * MS, 100 * MS);
	expect_gaps(1, T0 + 1 * S, T0 + 4 * S, 37500, 50 * MS);
	assert_int_equal(N[0].s.up_count, 1);
	assert_int_equal(N[1].s.up_count, 1);
}

/* RFC 5880 6.5, 6.8.3: going Up announces min_tx by a poll; a slower
 * transmission waits for the Final */
static void test_poll_on_up_slower(void **state)
{
	struct bfd_session s;
	struct bfd_out o;
	struct bfd_ctl c, init = pk(BFD_INIT), f = pk(BFD_UP);
	vtime_t t = T0;

	init.desired_min_tx = f.desired_min_tx = 1 * S; /* Detection Time 3 s */
	bfd_session_init(&s, &(struct bfd_params){.min_tx_us = 2 * S, .min_rx_us = 50 * MS,
	                                          .idle_tx_us = 0, .detect_mult = 3},
	                 LOCAL, 1, t);
	assert_int_equal(s.desired_min_tx_interval, 1 * S); /* idle_tx 0: 1 s */
	assert_int_equal(rx(&s, init, t, &o), BFD_RX_OK);
	assert_true(o.actions & BFD_ACT_SEND);
	c = sent(&s);
	assert_int_equal(c.sta, BFD_UP);
	assert_true(c.poll);
	assert_int_equal(c.desired_min_tx, 2 * S); /* announced */
	assert_int_equal(bfd_session_tx_interval(&s), 1 * S); /* not yet in force */
	/* periodic packets carry P until the Final */
	t = bfd_session_deadline(&s);
	assert_in_range(t, T0 + 750 * MS, T0 + 1 * S);
	bfd_session_timer(&s, t, &o);
	assert_true(o.actions & BFD_ACT_SEND);
	assert_true(sent(&s).poll);
	f.final = true;
	t += LATENCY;
	assert_int_equal(rx(&s, f, t, &o), BFD_RX_OK);
	assert_false(s.poll);
	assert_int_equal(bfd_session_tx_interval(&s), 2 * S);
	assert_true(o.actions & BFD_ACT_TIMERS); /* re-paced from the last packet */
	assert_in_range(bfd_session_deadline(&s), t - LATENCY + 1500 * MS, t - LATENCY + 2 * S);
	bfd_session_timer(&s, bfd_session_deadline(&s), &o);
	c = sent(&s);
	assert_false(c.poll);
	assert_int_equal(c.desired_min_tx, 2 * S);
}

/* A faster transmission is safe: in force at once (6.8.3), still polled */
static void test_poll_on_up_faster(void **state)
{
	struct bfd_session s;
	struct bfd_out o;
	struct bfd_ctl f = pk(BFD_UP);

	bfd_session_init(&s, &(struct bfd_params){.min_tx_us = 50 * MS, .min_rx_us = 50 * MS,
	                                          .idle_tx_us = 2 * S, .detect_mult = 3},
	                 LOCAL, 1, T0);
	assert_int_equal(bfd_session_tx_interval(&s), 2 * S); /* idle_tx above 1 s */
	assert_int_equal(sent(&s).desired_min_tx, 2 * S);
	rx(&s, pk(BFD_INIT), T0, &o);
	assert_int_equal(bfd_session_tx_interval(&s), 50 * MS);
	assert_true(s.poll);
	assert_true(sent(&s).poll);
	assert_in_range(bfd_session_deadline(&s), T0 + 37500, T0 + 50 * MS);
	f.final = true;
	rx(&s, f, T0 + LATENCY, &o);
	assert_false(s.poll);
	assert_false(sent(&s).poll);
}

/* A Final that comes before any packet of ours carried P answers an older
 * Poll: ours goes on (6.5) */
static void test_final_before_poll_sent(void **state)
{
	struct bfd_session s;
	struct bfd_out o;
	struct bfd_ctl init = pk(BFD_INIT), f = pk(BFD_UP), c;

	bfd_session_init(&s, &(struct bfd_params){.min_tx_us = 50 * MS, .min_rx_us = 50 * MS,
	                                          .detect_mult = 3},
	                 LOCAL, 1, T0);
	init.poll = true; /* the peer polls as we go Up */
	rx(&s, init, T0, &o);
	assert_true(o.actions & BFD_ACT_SEND);
	c = sent(&s);
	assert_true(c.final); /* the answer ... */
	assert_false(c.poll); /* ... never with P */
	assert_true(s.poll);
	f.final = true;
	rx(&s, f, T0 + 1 * MS, &o);
	assert_true(s.poll); /* not ended: no P of ours went out */
	bfd_session_timer(&s, bfd_session_deadline(&s), &o);
	assert_true(sent(&s).poll);
	rx(&s, f, T0 + 60 * MS, &o);
	assert_false(s.poll);
}

/* RFC 5880 6.8.3 through set_params: slower tx and shorter Detection Time
 * wait for the Final; faster tx and longer Detection Time do not */
static void test_set_params(void **state)
{
	struct bfd_session s;
	struct bfd_out o;
	struct bfd_ctl up = pk(BFD_UP), f, c;
	vtime_t t = T0 + 1 * S;
	struct bfd_params p = params(50, 50, 3);

	bring_up(&s, p, T0);
	up.desired_min_tx = 10 * MS; /* the peer sends fast: our rx decides */
	rx(&s, up, t, &o);
	assert_int_equal(bfd_session_detect_time(&s), 150 * MS);
	/* slower tx, shorter rx */
	p.min_tx_us = 200 * MS;
	p.min_rx_us = 20 * MS;
	bfd_session_set_params(&s, &p, t, &o);
	assert_true(s.poll);
	assert_int_equal(bfd_session_tx_interval(&s), 50 * MS);
	assert_int_equal(bfd_session_detect_time(&s), 150 * MS);
	bfd_session_timer(&s, bfd_session_deadline(&s), &o);
	c = sent(&s);
	assert_true(c.poll);
	assert_int_equal(c.desired_min_tx, 200 * MS);
	assert_int_equal(c.required_min_rx, 20 * MS);
	f = up;
	f.final = true;
	t = bfd_session_deadline(&s) - 1;
	rx(&s, f, t, &o);
	assert_false(s.poll);
	assert_int_equal(bfd_session_tx_interval(&s), 200 * MS);
	assert_int_equal(bfd_session_detect_time(&s), 60 * MS); /* 3 x max(20, 10) */
	assert_int_equal(s.detect_at, t + 60 * MS);
	/* faster tx, longer rx: at once */
	p.min_tx_us = 20 * MS;
	p.min_rx_us = 100 * MS;
	bfd_session_set_params(&s, &p, t + 1, &o);
	assert_true(s.poll);
	assert_int_equal(bfd_session_tx_interval(&s), 50 * MS); /* the peer's rx 50 */
	assert_int_equal(bfd_session_detect_time(&s), 300 * MS);
	assert_int_equal(s.detect_at, t + 300 * MS);
	assert_true(o.actions & BFD_ACT_TIMERS);
	rx(&s, f, t + 2, &o); /* ignored: no P of ours carried the values yet */
	assert_true(s.poll);
	t = bfd_session_deadline(&s);
	bfd_session_timer(&s, t, &o);
	assert_true(sent(&s).poll);
	rx(&s, f, t + 1, &o);
	assert_false(s.poll);
	assert_int_equal(s.desired_min_tx_interval, 20 * MS);
	assert_int_equal(s.required_min_rx_interval, 100 * MS);
	/* the multiplier and the role need no poll */
	p.detect_mult = 7;
	p.passive = true;
	bfd_session_set_params(&s, &p, t + 2, &o);
	assert_false(s.poll);
	assert_int_equal(s.detect_mult, 7);
	assert_int_equal(sent(&s).detect_mult, 7);
	assert_int_equal(s.session_state, BFD_UP);
	/* not Up: new values apply at once, no poll */
	bfd_session_init(&s, &p, LOCAL, 1, T0);
	p.min_rx_us = 300 * MS;
	p.idle_tx_us = 3 * S;
	bfd_session_set_params(&s, &p, T0, &o);
	assert_false(s.poll);
	assert_int_equal(s.required_min_rx_interval, 300 * MS);
	assert_int_equal(s.desired_min_tx_interval, 3 * S);
	/* not Up, a smaller min_rx shortens the Detection Time at once; if it
	 * has passed already, the session expires in the call */
	p = params(50, 300, 3);
	bfd_session_init(&s, &p, LOCAL, 1, T0);
	c = pk(BFD_DOWN);
	c.desired_min_tx = 10 * MS;
	rx(&s, c, T0, &o);
	assert_int_equal(s.detect_at, T0 + 900 * MS);
	p.min_rx_us = 100 * MS;
	bfd_session_set_params(&s, &p, T0 + 500 * MS, &o);
	assert_true(o.actions & BFD_ACT_STATE);
	assert_int_equal(o.from, BFD_INIT);
	assert_int_equal(o.to, BFD_DOWN);
	assert_int_equal(o.diag, BFD_DIAG_EXPIRED);
	assert_string_equal(o.why, "no packet for 500.000 ms (Detection Time: 3 x 100.000 ms)");
	assert_true(bfd_session_deadline(&s) > T0 + 500 * MS);
}

/* RFC 5880 6.8.4, 6.8.1: the Detection Time passes: Down, Diag 1, the
 * peer forgotten */
static void test_detection_expiry(void **state)
{
	struct bfd_session s;
	struct bfd_out o;
	struct bfd_ctl c;
	vtime_t t = T0 + 5 * S;

	bring_up(&s, params(50, 50, 3), T0);
	rx(&s, pk(BFD_UP), t, &o);
	assert_int_equal(s.detect_at, t + 150 * MS);
	assert_int_equal(s.last_rx, t);
	run_alone(&s, t + 150 * MS - 1, NULL, 0); /* our packets only */
	assert_int_equal(s.session_state, BFD_UP);
	bfd_session_timer(&s, t + 150 * MS, &o);
	assert_true(o.actions & BFD_ACT_STATE);
	assert_int_equal(o.from, BFD_UP);
	assert_int_equal(o.to, BFD_DOWN);
	assert_int_equal(o.diag, BFD_DIAG_EXPIRED);
	assert_string_equal(o.why, "no packet for 150.000 ms (Detection Time: 3 x 50.000 ms)");
	assert_true(o.actions & BFD_ACT_SEND);
	c = sent(&s);
	assert_int_equal(c.sta, BFD_DOWN);
	assert_int_equal(c.diag, BFD_DIAG_EXPIRED);
	assert_int_equal(c.your_disc, 0);
	assert_int_equal(c.desired_min_tx, 1 * S);
	assert_int_equal(s.remote_discr, 0);
	assert_int_equal(s.remote_min_rx_interval, 1);
	assert_int_equal(s.remote_session_state, BFD_DOWN);
	assert_int_equal(bfd_session_detect_time(&s), 0);
	assert_int_equal(s.detect_at, VTIME_NEVER);
	assert_int_equal(bfd_session_tx_interval(&s), 1 * S);
	assert_true(s.was_up);
	assert_int_equal(s.down_count, 1);
	/* the detection is late and the peer sent slowly: the text says so */
	bring_up(&s, params(50, 50, 3), T0);
	c = pk(BFD_UP);
	c.desired_min_tx = 2 * S;
	c.detect_mult = 2;
	rx(&s, c, t, &o);
	bfd_session_timer(&s, t + 4 * S + 1234, &o);
	assert_string_equal(o.why, "no packet for 4001.234 ms (Detection Time: 2 x 2000.000 ms)");
}

/* RFC 5880 6.8.6: what the neighbor's state does to ours */
static void test_neighbor_signals(void **state)
{
	struct bfd_session s;
	struct bfd_out o;
	struct bfd_ctl down = pk(BFD_DOWN);

	bring_up(&s, params(50, 50, 3), T0);
	rx(&s, pk(BFD_INIT), T0 + 1 * MS, &o); /* Up, Init: stays */
	assert_false(o.actions & BFD_ACT_STATE);
	down.diag = BFD_DIAG_EXPIRED;
	rx(&s, down, T0 + 2 * MS, &o);
	assert_int_equal(o.to, BFD_DOWN);
	assert_int_equal(o.diag, BFD_DIAG_NEIGHBOR_DOWN);
	assert_string_equal(o.why, "neighbor signaled Down (diag: Control Detection Time Expired)");
	assert_true(o.actions & BFD_ACT_SEND);
	assert_int_equal(sent(&s).diag, BFD_DIAG_NEIGHBOR_DOWN);
	assert_int_equal(s.remote_discr, PEER); /* not a loss: still known */
	assert_int_equal(bfd_session_tx_interval(&s), 1 * S);
	rx(&s, pk(BFD_UP), T0 + 3 * MS, &o); /* Down, Up: stays (6.2) */
	assert_false(o.actions & BFD_ACT_STATE);
	rx(&s, pk(BFD_ADMIN_DOWN), T0 + 4 * MS, &o); /* Down, AdminDown: stays */
	assert_false(o.actions & BFD_ACT_STATE);
	rx(&s, pk(BFD_DOWN), T0 + 5 * MS, &o);
	assert_int_equal(o.to, BFD_INIT);
	assert_string_equal(o.why, "neighbor signaled Down");
	rx(&s, pk(BFD_DOWN), T0 + 6 * MS, &o); /* Init, Down: stays */
	assert_false(o.actions & BFD_ACT_STATE);
	rx(&s, pk(BFD_ADMIN_DOWN), T0 + 7 * MS, &o);
	assert_int_equal(o.from, BFD_INIT);
	assert_int_equal(o.to, BFD_DOWN);
	assert_int_equal(o.diag, BFD_DIAG_NEIGHBOR_DOWN);
	assert_string_equal(o.why, "neighbor signaled AdminDown");
	/* Up, AdminDown */
	bring_up(&s, params(50, 50, 3), T0);
	rx(&s, pk(BFD_ADMIN_DOWN), T0 + 1 * MS, &o);
	assert_int_equal(o.from, BFD_UP);
	assert_int_equal(o.to, BFD_DOWN);
	assert_int_equal(o.diag, BFD_DIAG_NEIGHBOR_DOWN);
	assert_string_equal(o.why, "neighbor signaled AdminDown");
	assert_int_equal(s.remote_session_state, BFD_ADMIN_DOWN);
	assert_int_equal(s.down_count, 1);
	/* Init, Up: Up; the diagnostic of the last Down is cleared */
	rx(&s, pk(BFD_DOWN), T0 + 2 * MS, &o);
	rx(&s, pk(BFD_UP), T0 + 3 * MS, &o);
	assert_int_equal(o.from, BFD_INIT);
	assert_int_equal(o.to, BFD_UP);
	assert_int_equal(o.diag, BFD_DIAG_NONE);
	assert_string_equal(o.why, "neighbor signaled Up");
}

/* RFC 5880 6.1, 6.8.7: a passive session speaks only once spoken to */
static void test_passive(void **state)
{
	struct bfd_session s;
	struct bfd_out o;
	struct bfd_ctl down = pk(BFD_DOWN);
	struct bfd_params p = params(50, 50, 3);

	p.passive = true;
	bfd_session_init(&s, &p, LOCAL, 1, T0);
	assert_int_equal(bfd_session_deadline(&s), VTIME_NEVER);
	bfd_session_timer(&s, T0 + 10 * S, &o);
	assert_int_equal(o.actions, 0);
	bfd_session_set_params(&s, &p, T0 + 10 * S, &o);
	assert_int_equal(o.actions, 0);
	down.your_disc = 0; /* the peer has not heard us */
	rx(&s, down, T0 + 11 * S, &o);
	assert_int_equal(o.to, BFD_INIT);
	assert_true(o.actions & BFD_ACT_SEND);
	assert_int_equal(sent(&s).your_disc, PEER);
	assert_true(bfd_session_deadline(&s) <= T0 + 12 * S); /* periodic now */
	/* the peer goes away: Down, then silent again */
	run_alone(&s, T0 + 20 * S, NULL, 0);
	assert_int_equal(s.session_state, BFD_DOWN);
	assert_int_equal(s.local_diag, BFD_DIAG_EXPIRED);
	assert_int_equal(s.remote_discr, 0);
	assert_int_equal(bfd_session_deadline(&s), VTIME_NEVER);
	/* an active session that lost its peer goes on sending Down */
	p.passive = false;
	bfd_session_init(&s, &p, LOCAL, 1, T0);
	rx(&s, pk(BFD_DOWN), T0, &o);
	assert_int_equal(run_alone(&s, T0 + 20 * S, NULL, 0) >= 18, 1);
	assert_int_equal(s.session_state, BFD_DOWN);
}

/* RFC 5880 6.8.16: AdminDown, Diag 7, AdminDown packets for a Detection
 * Time, then silence; packets from the peer discarded */
static void test_admin_down(void **state)
{
	struct bfd_session s;
	struct bfd_out o;
	struct bfd_ctl c, poll = pk(BFD_UP);
	vtime_t at[16], t = T0 + 1 * S;

	bring_up(&s, params(50, 50, 3), T0);
	bfd_session_admin_down(&s, t, &o);
	assert_true(o.actions & BFD_ACT_STATE);
	assert_int_equal(o.from, BFD_UP);
	assert_int_equal(o.to, BFD_ADMIN_DOWN);
	assert_int_equal(o.diag, BFD_DIAG_ADMIN_DOWN);
	assert_string_equal(o.why, "administratively down");
	assert_true(o.actions & BFD_ACT_SEND);
	c = sent(&s);
	assert_int_equal(c.sta, BFD_ADMIN_DOWN);
	assert_int_equal(c.diag, BFD_DIAG_ADMIN_DOWN);
	assert_int_equal(s.detect_at, VTIME_NEVER);
	assert_int_equal(s.down_count, 1);
	assert_int_equal(s.admin_until, t + 3 * S); /* mult 3 x 1 s */
	/* the peer's packets: discarded, no Final */
	poll.poll = true;
	assert_int_equal(rx(&s, poll, t + 1, &o), BFD_RX_ADMIN_DOWN);
	assert_false(o.actions & (BFD_ACT_SEND | BFD_ACT_STATE));
	assert_int_equal(s.detect_at, VTIME_NEVER);
	/* twice is once */
	bfd_session_admin_down(&s, t + 2, &o);
	assert_int_equal(o.actions, 0);
	/* reload while AdminDown: nothing sent, nothing polled */
	struct bfd_params p = params(10, 10, 3);
	bfd_session_set_params(&s, &p, t + 3, &o);
	assert_false(o.actions & BFD_ACT_SEND);
	assert_false(s.poll);
	int n = run_alone(&s, t + 10 * S, at, 16);
	assert_in_range(n, 2, 4); /* one every 0.75-1 s until 3 s */
	assert_true(at[n - 1] < t + 3 * S);
	assert_int_equal(bfd_session_deadline(&s), VTIME_NEVER);
	assert_int_equal(s.session_state, BFD_ADMIN_DOWN);
	/* a passive session never spoken to stays silent */
	p.passive = true;
	bfd_session_init(&s, &p, LOCAL, 1, T0);
	bfd_session_admin_down(&s, T0, &o);
	assert_int_equal(o.to, BFD_ADMIN_DOWN);
	assert_false(o.actions & BFD_ACT_SEND);
	assert_int_equal(s.down_count, 0);
	/* Init to AdminDown */
	bfd_session_init(&s, &p, LOCAL, 1, T0);
	rx(&s, pk(BFD_DOWN), T0, &o);
	bfd_session_admin_down(&s, T0 + 1, &o);
	assert_int_equal(o.from, BFD_INIT);
	assert_true(o.actions & BFD_ACT_SEND);
}

/* Two sessions: B goes Admin Down, A sees it */
static void test_admin_down_seen(void **state)
{
	struct bfd_out o;

	now = T0;
	start(0, params(50, 50, 3), 0x1111);
	start(1, params(50, 50, 3), 0x2222);
	run(T0 + 1 * S);
	bfd_session_admin_down(&N[1].s, now, &o);
	handle(1, &o);
	run(T0 + 2 * S);
	assert_int_equal(N[0].s.session_state, BFD_DOWN);
	expect_change(0, N[0].nlog - 1, BFD_UP, BFD_DOWN, BFD_DIAG_NEIGHBOR_DOWN,
	              "neighbor signaled AdminDown");
	assert_int_equal(N[1].s.session_state, BFD_ADMIN_DOWN);
	run(T0 + 30 * S); /* A stays Down (B discards), B falls silent */
	assert_int_equal(N[0].s.session_state, BFD_DOWN);
	assert_int_equal(bfd_session_deadline(&N[1].s), VTIME_NEVER);
}

/* RFC 5880 6.8.7: 75-100% of the interval, 75-90% with Detect Mult 1 */
static void test_jitter(void **state)
{
	static vtime_t at[2001];
	struct bfd_session s, s2;
	struct bfd_ctl slow = pk(BFD_UP);

	slow.desired_min_tx = 4000 * S; /* the peer may pause: no expiry here */
	slow.detect_mult = 255;
	for (int mult = 1; mult <= 3; mult += 2) {
		struct bfd_out o;
		vtime_t hi = mult == 1 ? 45 * MS : 50 * MS, least = VTIME_NEVER, most = 0;
		bring_up(&s, params(50, 50, (uint8_t)mult), T0);
		rx(&s, slow, T0 + 1 * MS, &o);
		int n = run_alone(&s, T0 + 60 * S, at, 2001);
		assert_in_range(n, 1200, 1601);
		for (int k = 1; k < n; k++) {
			vtime_t gap = at[k] - at[k - 1];
			assert_in_range(gap, 37500, hi);
			least = gap < least ? gap : least;
			most = gap > most ? gap : most;
		}
		assert_true(least < 38 * MS);
		assert_true(most > hi - 500);
	}
	/* the seed decides: the same seed, the same gaps; another, others */
	bring_up(&s, params(50, 50, 3), T0);
	bring_up(&s2, params(50, 50, 3), T0);
	assert_int_equal(bfd_session_deadline(&s), bfd_session_deadline(&s2));
	s2.rng = 43;
	int same = 0;
	for (int k = 0; k < 20; k++) {
		struct bfd_out o;
		vtime_t a = bfd_session_deadline(&s), b = bfd_session_deadline(&s2);
		same += a == b;
		bfd_session_timer(&s, a, &o);
		bfd_session_timer(&s2, b, &o);
	}
	assert_true(same < 5);
}

/* A peer lost (Down, Diag 1), then back with a new discriminator (Up again) */
static void test_peer_returns(void **state)
{
	now = T0;
	start(0, params(50, 50, 3), 0x1111);
	start(1, params(50, 50, 3), 0x2222);
	run(T0 + 1 * S);
	assert_int_equal(N[0].s.session_state, BFD_UP);
	N[1].alive = false; /* B dies */
	run(T0 + 2 * S);
	assert_int_equal(N[0].s.session_state, BFD_DOWN);
	expect_change(0, 2, BFD_UP, BFD_DOWN, BFD_DIAG_EXPIRED,
	              "no packet for 150.000 ms (Detection Time: 3 x 50.000 ms)");
	assert_true(N[0].s.was_up);
	assert_int_equal(N[0].s.remote_discr, 0);
	int before = N[0].ntx;
	run(T0 + 10 * S);
	assert_in_range(N[0].ntx - before, 8, 11); /* Down at 1 s */
	now = T0 + 10 * S; /* B restarts, another discriminator */
	start(1, params(50, 50, 3), 0x3333);
	run(T0 + 12 * S);
	assert_int_equal(N[0].s.session_state, BFD_UP);
	assert_int_equal(N[0].s.remote_discr, 0x3333);
	assert_int_equal(N[0].nlog, 5);
	expect_change(0, 3, BFD_DOWN, BFD_INIT, BFD_DIAG_EXPIRED, "neighbor signaled Down");
	expect_change(0, 4, BFD_INIT, BFD_UP, BFD_DIAG_NONE, NULL);
	assert_int_equal(N[0].s.up_count, 2);
	assert_int_equal(N[0].s.down_count, 1);
	assert_int_equal(bfd_session_detect_time(&N[0].s), 150 * MS);
}

/* session.h's rule: was_up tells a Down after Up from a session that never
 * came up; entering Init clears it */
static void test_down_after_up(void **state)
{
	struct bfd_session s;
	struct bfd_out o;

	bfd_session_init(&s, &(struct bfd_params){.min_tx_us = 50 * MS, .min_rx_us = 50 * MS,
	                                          .detect_mult = 3},
	                 LOCAL, 1, T0);
	assert_false(s.was_up);
	rx(&s, pk(BFD_DOWN), T0, &o); /* Init */
	bfd_session_timer(&s, s.detect_at, &o); /* the handshake stops */
	assert_int_equal(o.from, BFD_INIT);
	assert_int_equal(o.to, BFD_DOWN);
	assert_false(s.was_up); /* never came up */
	assert_int_equal(s.down_count, 0);
	rx(&s, pk(BFD_INIT), T0 + 1 * S, &o);
	assert_true(s.was_up);
	bfd_session_timer(&s, s.detect_at, &o);
	assert_int_equal(o.from, BFD_UP); /* Down after Up */
	assert_true(s.was_up);
	assert_int_equal(s.down_count, 1);
	/* it stays so while Down, even as the peer is forgotten */
	rx(&s, pk(BFD_UP), T0 + 2 * S, &o); /* Down, Up: no change */
	bfd_session_timer(&s, s.detect_at, &o);
	assert_false(o.actions & BFD_ACT_STATE);
	assert_true(s.was_up);
	rx(&s, pk(BFD_DOWN), T0 + 3 * S, &o); /* a new handshake */
	assert_int_equal(o.to, BFD_INIT);
	assert_false(s.was_up);
}

/* RFC 5880 6.8.6, 6.8.7: the peer's D bit, both Up: no periodic packets
 * except while we poll; Finals still go out; our Detection Time runs */
static void test_remote_demand(void **state)
{
	struct bfd_session s;
	struct bfd_out o;
	struct bfd_ctl d = pk(BFD_UP), f;
	struct bfd_params p = params(50, 50, 3);

	bring_up(&s, p, T0);
	d.demand = true;
	rx(&s, d, T0 + 1 * MS, &o);
	assert_int_equal(s.next_tx, VTIME_NEVER);
	assert_int_equal(bfd_session_deadline(&s), T0 + 151 * MS);
	d.poll = true;
	rx(&s, d, T0 + 2 * MS, &o);
	assert_true(o.actions & BFD_ACT_SEND);
	assert_true(sent(&s).final);
	assert_int_equal(s.next_tx, VTIME_NEVER);
	p.min_tx_us = 60 * MS; /* our poll: periodic P packets until the Final */
	bfd_session_set_params(&s, &p, T0 + 3 * MS, &o);
	assert_true(o.actions & BFD_ACT_TIMERS);
	assert_true(s.next_tx != VTIME_NEVER);
	bfd_session_timer(&s, s.next_tx, &o);
	assert_true(sent(&s).poll);
	f = pk(BFD_UP);
	f.demand = f.final = true;
	rx(&s, f, T0 + 60 * MS, &o);
	assert_int_equal(s.next_tx, VTIME_NEVER);
	f.demand = f.final = false; /* demand over: packets again */
	rx(&s, f, T0 + 70 * MS, &o);
	assert_true(s.next_tx != VTIME_NEVER);
}

/* RFC 5880 6.8.7: Required Min RX 0: nothing periodic, Finals still */
static void test_remote_min_rx_zero(void **state)
{
	struct bfd_session s;
	struct bfd_out o;
	struct bfd_ctl z = pk(BFD_DOWN);

	bfd_session_init(&s, &(struct bfd_params){.min_tx_us = 50 * MS, .min_rx_us = 50 * MS,
	                                          .detect_mult = 3},
	                 LOCAL, 1, T0);
	z.required_min_rx = 0;
	rx(&s, z, T0, &o);
	assert_int_equal(o.to, BFD_INIT);
	assert_false(o.actions & BFD_ACT_SEND); /* not even the state change */
	assert_int_equal(s.next_tx, VTIME_NEVER);
	z.poll = true;
	rx(&s, z, T0 + 1 * MS, &o);
	assert_true(o.actions & BFD_ACT_SEND);
	assert_true(sent(&s).final);
	assert_int_equal(s.next_tx, VTIME_NEVER);
	rx(&s, pk(BFD_DOWN), T0 + 2 * MS, &o); /* the peer wants packets again */
	assert_false(o.actions & BFD_ACT_SEND); /* paced from the Final */
	assert_in_range(s.next_tx, T0 + 1 * MS + 750 * MS, T0 + 1 * MS + 1 * S);
}

/* RFC 5880 6.8.6: the checks that need the session */
static void test_rx_rejects(void **state)
{
	struct bfd_session s;
	struct bfd_out o;
	struct bfd_ctl c = pk(BFD_DOWN);

	bfd_session_init(&s, &(struct bfd_params){.min_tx_us = 50 * MS, .min_rx_us = 50 * MS,
	                                          .detect_mult = 3},
	                 LOCAL, 1, T0);
	c.your_disc = LOCAL + 1;
	assert_int_equal(rx(&s, c, T0, &o), BFD_RX_NO_SESSION);
	assert_int_equal(o.actions, 0);
	assert_int_equal(s.remote_discr, 0);
	assert_int_equal(s.rx_packets, 0);
	c.your_disc = LOCAL;
	c.detect_mult = 0; /* (bfd_parse rejects it first) */
	assert_int_equal(bfd_session_rx(&s, &c, T0, &o), BFD_RX_DETECT_MULT);
	assert_int_equal(s.session_state, BFD_DOWN);
	c.detect_mult = 3;
	c.your_disc = 0;
	assert_int_equal(rx(&s, c, T0, &o), BFD_RX_OK);
	assert_int_equal(s.rx_packets, 1);
	assert_int_equal(o.to, BFD_INIT);
}

static void test_params_and_limits(void **state)
{
	struct bfd_session s;
	struct bfd_out o;
	struct bfd_ctl c = pk(BFD_DOWN), p;

	bfd_session_init(&s, &(struct bfd_params){0}, LOCAL, 0, T0);
	assert_int_equal(s.cfg.min_tx_us, 1);
	assert_int_equal(s.cfg.min_rx_us, 1);
	assert_int_equal(s.detect_mult, 1);
	assert_int_equal(s.desired_min_tx_interval, 1 * S);
	assert_int_equal(bfd_session_detect_time(&s), 0);
	assert_int_equal(s.last_rx, VTIME_NEVER);
	/* the first packet: Down, nothing known of the peer */
	bfd_session_timer(&s, T0, &o);
	assert_true(o.actions & BFD_ACT_SEND);
	assert_true(o.actions & BFD_ACT_TIMERS);
	p = sent(&s);
	assert_int_equal(p.sta, BFD_DOWN);
	assert_int_equal(p.your_disc, 0);
	assert_int_equal(p.diag, 0);
	assert_int_equal(p.detect_mult, 1);
	assert_int_equal(p.required_min_rx, 1);
	assert_int_equal(s.tx_packets, 1);
	/* an early call does nothing */
	bfd_session_timer(&s, T0 + 1, &o);
	assert_int_equal(o.actions, 0);
	/* the Detection Time saturates the figure, not the deadline */
	c.detect_mult = 255;
	c.desired_min_tx = 0xffffffff;
	rx(&s, c, T0 + 2, &o);
	assert_int_equal(bfd_session_detect_time(&s), UINT32_MAX);
	assert_int_equal(s.detect_at, T0 + 2 + 255 * (vtime_t)0xffffffff);
	/* 1 us both ways, Detect Mult 1: the pace is 1 us, never 0 */
	bring_up(&s, params(0, 0, 1), T0);
	c = pk(BFD_UP);
	c.required_min_rx = 1;
	rx(&s, c, T0 + 200, &o);
	assert_int_equal(bfd_session_tx_interval(&s), 1);
	for (vtime_t t = T0 + 201; t < T0 + 220; t++) {
		bfd_session_timer(&s, t, &o);
		assert_true(o.actions & BFD_ACT_SEND);
		assert_int_equal(bfd_session_deadline(&s), t + 1);
	}
	/* a deadline near the end of time stays below VTIME_NEVER */
	rx(&s, c, VTIME_NEVER - 10, &o);
	assert_int_equal(s.detect_at, VTIME_NEVER - 1);
}

/* keepalived 2.2.7 as the peer: idle_tx 1 s, min_rx 10 ms, mult 5, its
 * Poll when Up; what we send passes its checks (sent() asserts them) */
static void test_keepalived_peer(void **state)
{
	struct bfd_session s;
	struct bfd_out o;
	struct bfd_ctl k = {.sta = BFD_DOWN, .detect_mult = 5, .my_disc = 0x6b8b4567,
	                    .desired_min_tx = 1000 * MS, .required_min_rx = 10 * MS};

	bfd_session_init(&s, &(struct bfd_params){.min_tx_us = 10 * MS, .min_rx_us = 10 * MS,
	                                          .idle_tx_us = 1000 * MS, .detect_mult = 5},
	                 LOCAL, 9, T0);
	rx(&s, k, T0, &o);
	assert_int_equal(s.session_state, BFD_INIT);
	assert_int_equal(bfd_session_detect_time(&s), 5000 * MS);
	sent(&s);
	k.sta = BFD_UP; /* it went Up on our Init, polls with its min_tx */
	k.your_disc = LOCAL;
	k.poll = true;
	k.desired_min_tx = 10 * MS;
	rx(&s, k, T0 + 1 * MS, &o);
	assert_int_equal(s.session_state, BFD_UP);
	assert_true(sent(&s).final);
	assert_int_equal(bfd_session_detect_time(&s), 50 * MS);
	bfd_session_timer(&s, bfd_session_deadline(&s), &o);
	assert_true(sent(&s).poll);
	k.poll = false;
	k.final = true;
	rx(&s, k, T0 + 12 * MS, &o);
	assert_false(s.poll);
	assert_int_equal(bfd_session_tx_interval(&s), 10 * MS);
}

static void reset(void)
{
	memset(N, 0, sizeof(N));
	now = 0;
}

static int setup(void **state)
{
	reset();
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_handshake_passive, setup),
	    cmocka_unit_test_setup(test_handshake_active, setup),
	    cmocka_unit_test_setup(test_negotiation, setup),
	    cmocka_unit_test(test_poll_on_up_slower),
	    cmocka_unit_test(test_poll_on_up_faster),
	    cmocka_unit_test(test_final_before_poll_sent),
	    cmocka_unit_test(test_set_params),
	    cmocka_unit_test(test_detection_expiry),
	    cmocka_unit_test(test_neighbor_signals),
	    cmocka_unit_test(test_passive),
	    cmocka_unit_test(test_admin_down),
	    cmocka_unit_test_setup(test_admin_down_seen, setup),
	    cmocka_unit_test(test_jitter),
	    cmocka_unit_test_setup(test_peer_returns, setup),
	    cmocka_unit_test(test_down_after_up),
	    cmocka_unit_test(test_remote_demand),
	    cmocka_unit_test(test_remote_min_rx_zero),
	    cmocka_unit_test(test_rx_rejects),
	    cmocka_unit_test(test_params_and_limits),
	    cmocka_unit_test(test_keepalived_peer),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
