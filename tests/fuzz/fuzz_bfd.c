/*
 * fuzz_bfd.c: libFuzzer target for the BFD codec and session. The whole
 * input is first a payload for bfd_parse(): what parses must build back to
 * the same fields and go to a fresh session. Then the input drives two
 * sessions over a simulated link: bytes 0-7 set each side's parameters,
 * the rest is a script of 3-byte events (time passing by an amount or to
 * the next event, packets in flight delivered early, lost or corrupted,
 * raw payloads from the input, parameter changes, AdminDown, a restart, a
 * node dying or coming back), applied as the shell applies them (timers
 * first, then packets). After each call the invariants below must hold; a
 * violation aborts, so the fuzzer reports it. FUZZ_BFD_TRACE=1 prints
 * each call.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bfd/session.h"

#define QMAX   32
#define STEPS  500  /* events run() handles per script step, at most */
#define BUDGET 5000 /* and per input: the script stops there */

struct node {
	struct bfd_session s;
	bool alive;
	uint32_t discr;
	struct {
		vtime_t at;
		uint8_t b[BFD_CTL_LEN];
	} q[QMAX]; /* packets on their way to this node */
	int nq;
};

static struct node N[2];
static vtime_t now;
static int budget;

static void check(int ok, const char *what, const struct bfd_session *s)
{
	if (ok)
		return;
	fprintf(stderr, "bfd invariant broken: %s (state %s, now %lld, next_tx %lld, detect_at %lld)\n",
	        what, bfd_state_str(s->session_state), (long long)now, (long long)s->next_tx,
	        (long long)s->detect_at);
	abort();
}

static void check_packet(const struct bfd_session *s, const struct bfd_ctl *c)
{
	uint8_t b[BFD_CTL_LEN];
	struct bfd_ctl d;

	bfd_build(c, b);
	check(bfd_parse(b, sizeof(b), &d, NULL) == BFD_RX_OK, "our packets parse", s);
	check(d.desired_min_tx && d.required_min_rx && d.detect_mult, "intervals and mult nonzero", s);
	check(d.diag <= BFD_DIAG_REV_CONCAT_DOWN, "Diag <= 8 (keepalived)", s);
	check(!d.demand && !d.cpi && !d.required_min_echo_rx, "no demand, no echo", s);
	check(d.sta == s->session_state && d.my_disc == s->local_discr &&
	          d.your_disc == s->remote_discr,
	      "the packet tells the session's state", s);
}

static void invariants(const struct bfd_session *s, const struct bfd_out *o)
{
	vtime_t deadline = bfd_session_deadline(s);

	check(s->session_state <= BFD_UP && s->remote_session_state <= BFD_UP, "known states", s);
	check(deadline > now, "the deadline is later than now", s);
	check(s->detect_at == VTIME_NEVER || s->detect_at > s->last_rx, "detection after the last packet", s);
	check(s->up_count - s->down_count == (s->session_state == BFD_UP), "up/down counts", s);
	check(!s->poll || s->session_state == BFD_UP, "polls only while Up", s);
	check(s->poll || (s->pending_tx == s->desired_min_tx_interval &&
	                  s->pending_rx == s->required_min_rx_interval),
	      "announced values are in force without a poll", s);
	check(s->session_state == BFD_UP || s->desired_min_tx_interval >= VTIME_SEC,
	      "not Up: DesiredMinTxInterval >= 1 s", s);
	check(s->session_state != BFD_UP || s->was_up, "Up means was_up", s);
	check(s->session_state != BFD_INIT || !s->was_up, "Init clears was_up", s);
	check(s->session_state != BFD_ADMIN_DOWN || s->detect_at == VTIME_NEVER,
	      "no Detection Time in AdminDown", s);
	if (s->next_tx != VTIME_NEVER) {
		check(bfd_session_tx_interval(s) > 0, "an interval to send at", s);
		check(s->remote_min_rx_interval > 0, "silent when the peer asks 0", s);
		check(!s->cfg.passive || s->remote_discr, "passive: silent until heard", s);
	}
	check(o->diag == s->local_diag, "out.diag", s);
	if (o->actions & BFD_ACT_STATE)
		check(o->from != o->to && o->to == s->session_state, "a change changes", s);
	else
		check(o->from == s->session_state && o->to == s->session_state, "no change", s);
}

static void trace(int i, const char *what, const struct bfd_out *o)
{
	const struct bfd_session *s = &N[i].s;

	if (!getenv("FUZZ_BFD_TRACE"))
		return;
	fprintf(stderr, "%lld %c %s: %s actions %u tx %u detect %u next_tx %lld detect_at %lld %s\n",
	        (long long)now, 'A' + i, what, bfd_state_str(s->session_state), o->actions,
	        bfd_session_tx_interval(s), bfd_session_detect_time(s), (long long)s->next_tx,
	        (long long)s->detect_at, o->actions & BFD_ACT_STATE ? o->why : "");
}

/* After a call on node i: the invariants, and its packet on the link. */
static void handle(int i, const char *what, const struct bfd_out *o, vtime_t latency)
{
	struct node *n = &N[i], *peer = &N[1 - i];
	struct bfd_ctl c;

	trace(i, what, o);
	invariants(&n->s, o);
	if (!(o->actions & BFD_ACT_SEND))
		return;
	bfd_session_packet(&n->s, &c);
	check(!(c.poll && c.final), "never P and F together", &n->s);
	check_packet(&n->s, &c);
	if (peer->nq == QMAX)
		return; /* the link drops it */
	peer->q[peer->nq].at = now + latency;
	bfd_build(&c, peer->q[peer->nq++].b);
}

/* The shell's receive path: parse, look up, hand over. */
static void receive(int i, const uint8_t *b, size_t len, vtime_t latency)
{
	struct node *n = &N[i];
	struct bfd_ctl c;
	struct bfd_out o;

	if (!n->alive || bfd_parse(b, len, &c, NULL) != BFD_RX_OK)
		return;
	if (c.your_disc && c.your_disc != n->s.local_discr)
		return;
	bfd_session_rx(&n->s, &c, now, &o);
	handle(i, "rx", &o, latency);
}

static void pop(int i, uint8_t b[BFD_CTL_LEN])
{
	struct node *n = &N[i];

	memcpy(b, n->q[0].b, BFD_CTL_LEN);
	memmove(&n->q[0], &n->q[1], sizeof(n->q[0]) * (size_t)--n->nq);
}

static vtime_t next_event(void)
{
	vtime_t t = VTIME_NEVER;

	for (int i = 0; i < 2; i++) {
		vtime_t d = bfd_session_deadline(&N[i].s);
		if (N[i].alive && d < t)
			t = d;
		if (N[i].nq && N[i].q[0].at < t)
			t = N[i].q[0].at;
	}
	return t;
}

/* Time passes to until (or as far as STEPS events take it). */
static void run(vtime_t until, vtime_t latency)
{
	struct bfd_out o;
	uint8_t b[BFD_CTL_LEN];

	for (int step = 0; step < STEPS && budget > 0; step++, budget--) {
		vtime_t t = next_event();
		if (t > until) {
			now = until;
			return;
		}
		now = t > now ? t : now;
		for (int i = 0; i < 2; i++)
			if (N[i].alive && bfd_session_deadline(&N[i].s) <= now) {
				bfd_session_timer(&N[i].s, now, &o);
				handle(i, "timer", &o, latency);
			}
		for (int i = 0; i < 2; i++)
			while (N[i].nq && N[i].q[0].at <= now) {
				pop(i, b);
				receive(i, b, sizeof(b), latency);
			}
	}
}

static struct bfd_params params(uint8_t a, uint8_t b, uint8_t c, uint8_t d)
{
	/* mostly milliseconds; with the top bit a few microseconds */
	return (struct bfd_params){
	    .min_tx_us = a & 0x80 ? a % 8u : (a % 100u + 1) * 1000,
	    .min_rx_us = b & 0x80 ? b % 8u : (b % 100u + 1) * 1000,
	    .idle_tx_us = (uint32_t)(d >> 2 & 3) * 700000,
	    .detect_mult = c & 0x80 ? 0 : c % 6 + 1,
	    .passive = d & 1,
	};
}

static void start(int i, struct bfd_params p, uint32_t discr)
{
	N[i].discr = discr ? discr : 1;
	N[i].alive = true;
	N[i].nq = 0;
	bfd_session_init(&N[i].s, &p, N[i].discr, discr * 2654435761u, now);
	check(bfd_session_deadline(&N[i].s) >= now, "a new session's deadline", &N[i].s);
}

/* The whole input as one payload. */
static void one_packet(const uint8_t *data, size_t size)
{
	struct bfd_ctl c, d;
	struct bfd_out o;
	uint8_t b[BFD_CTL_LEN];
	uint32_t bad;

	if (bfd_parse(data, size, &c, &bad) != BFD_RX_OK)
		return;
	bfd_build(&c, b);
	check(bfd_parse(b, sizeof(b), &d, NULL) == BFD_RX_OK, "what parses builds back", &N[0].s);
	check(d.sta == c.sta && d.diag == c.diag && d.poll == c.poll && d.final == c.final &&
	          d.demand == c.demand && d.cpi == c.cpi && d.detect_mult == c.detect_mult &&
	          d.my_disc == c.my_disc && d.your_disc == c.your_disc &&
	          d.desired_min_tx == c.desired_min_tx && d.required_min_rx == c.required_min_rx &&
	          d.required_min_echo_rx == c.required_min_echo_rx,
	      "the round trip keeps every field", &N[0].s);
	now = 1000 * VTIME_SEC;
	start(0, params(data[0], data[1], data[2], data[3]), c.your_disc);
	bfd_session_rx(&N[0].s, &c, now, &o);
	handle(0, "rx", &o, 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bfd_out o;
	vtime_t latency;

	memset(N, 0, sizeof(N));
	if (size < 8)
		return 0;
	one_packet(data, size);
	memset(N, 0, sizeof(N));
	now = 1000 * VTIME_SEC;
	latency = (vtime_t)(data[3] >> 4) * 100;
	start(0, params(data[0], data[1], data[2], data[3]), 0x1000);
	start(1, params(data[4], data[5], data[6], data[7]), 0x2000);
	budget = BUDGET;
	for (size_t k = 8; k + 3 <= size && budget > 0; k += 3) {
		uint8_t op = data[k] % 10, a = data[k + 1], b = data[k + 2];
		int i = a & 1;
		uint8_t pkt[BFD_CTL_LEN];

		switch (op) {
		case 0: /* time passes */
			run(now + (vtime_t)(a << 8 | b) * 50, latency);
			break;
		case 1: /* to the next event, if any */
			if (next_event() != VTIME_NEVER)
				run(next_event(), latency);
			break;
		case 2: /* a packet in flight arrives early */
			if (N[i].nq) {
				pop(i, pkt);
				receive(i, pkt, sizeof(pkt), latency);
			}
			break;
		case 3: /* or is lost */
			if (N[i].nq)
				pop(i, pkt);
			break;
		case 4: /* or corrupted */
			if (N[i].nq)
				N[i].q[0].b[b % BFD_CTL_LEN] ^= (uint8_t)(a | 1);
			break;
		case 5: /* a payload from the input */
			if (k + 3 + BFD_CTL_LEN <= size) {
				receive(i, data + k + 3, BFD_CTL_LEN, latency);
				k += BFD_CTL_LEN;
			}
			break;
		case 6: /* reload (zeros included) */
			if (!N[i].alive)
				break;
			bfd_session_set_params(&N[i].s, &(struct bfd_params){
			                           .min_tx_us = (uint32_t)b * 1000,
			                           .min_rx_us = (uint32_t)(a >> 1) * 1000,
			                           .idle_tx_us = (uint32_t)b * 20000,
			                           .detect_mult = (uint8_t)(a >> 4),
			                           .passive = b & 1},
			                       now, &o);
			handle(i, "set_params", &o, latency);
			break;
		case 7:
			if (!N[i].alive)
				break;
			bfd_session_admin_down(&N[i].s, now, &o);
			handle(i, "admin_down", &o, latency);
			break;
		case 8: /* restart, another discriminator */
			start(i, params(a, b, a ^ b, b >> 1), N[i].discr + 1);
			break;
		case 9: /* dies, or comes back and catches up with its timers */
			N[i].alive = !N[i].alive;
			if (N[i].alive && bfd_session_deadline(&N[i].s) <= now) {
				bfd_session_timer(&N[i].s, now, &o);
				handle(i, "timer", &o, latency);
			}
			break;
		}
	}
	return 0;
}
