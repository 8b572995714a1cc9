/*
 * session.h: one BFD session, asynchronous mode, no I/O.
 *
 * RFC 5880 sections 6.1 (active and passive roles), 6.2 (the state
 * machine: a {state, event, action, next} table in session.c), 6.5 (Poll
 * Sequences for timer changes), 6.8.1 (state variables), 6.8.2-6.8.4
 * (timer negotiation, Detection Time), 6.8.6 (reception, the checks that
 * need the session), 6.8.7 (transmission, jitter), 6.8.16 (AdminDown).
 * Demand mode and the Echo function are not used (RFC 5880 6.6, 6.4):
 * vipd never asks for them (D bit 0, Required Min Echo RX 0); a peer's D
 * bit is honoured as 6.8.7 requires: while both are Up and the peer has
 * set D, no periodic packet leaves unless a Poll Sequence runs (Finals are
 * still sent), and the Detection Time keeps running (our D bit is 0, so
 * the peer keeps sending).
 *
 * Time is injected (microseconds, monotonic, never negative). The shell
 * owns the struct, finds the session of a received packet (by Your
 * Discriminator, or by its addresses while Your Discriminator is zero),
 * calls bfd_session_timer() once bfd_session_deadline() has passed (before
 * handing over a packet received at the same time), calls bfd_session_rx()
 * with each packet, and sends bfd_session_packet() whenever BFD_ACT_SEND
 * is set. Only session.c writes the struct; the shell reads it.
 *
 * Timers (RFC 5880 6.8.3): while not Up, bfd.DesiredMinTxInterval is
 * max(1 s, idle_tx) and bfd.RequiredMinRxInterval is min_rx. On reaching
 * Up, min_tx and min_rx are announced by a Poll Sequence; a change that
 * slows things (a larger DesiredMinTxInterval, a smaller
 * RequiredMinRxInterval) takes effect only when the Final comes back, one
 * that is safe at once (a faster transmission, a longer Detection Time)
 * takes effect at once, as 6.8.3 asks. set_params() while Up does the same.
 *
 * "Down after Up" (what VRRP's fast master-down needs): a transition out of
 * Up is reported as BFD_ACT_STATE with from == BFD_UP. As a state, was_up is
 * set on reaching Up and cleared on entering Init (a new handshake), and
 * nowhere else: a session in Down with was_up set went Down from Up and has
 * not started over since; with was_up clear it never came up (or its last
 * attempt stopped in Init).
 */
#ifndef VIPD_BFD_SESSION_H
#define VIPD_BFD_SESSION_H

#include <stdbool.h>
#include <stdint.h>

#include "bfd/packet.h"
#include "lib/vtime.h"

/* What the configuration asks (keepalived's bfd_instance keywords). A zero
 * interval or multiplier is taken as 1. */
struct bfd_params {
	uint32_t min_tx_us;  /* min_tx: bfd.DesiredMinTxInterval while Up */
	uint32_t min_rx_us;  /* min_rx: bfd.RequiredMinRxInterval */
	uint32_t idle_tx_us; /* idle_tx: DesiredMinTxInterval while not Up (RFC 5880
	                        6.8.3: at least 1 s; the session uses max(1 s, idle_tx)) */
	uint8_t detect_mult; /* multiplier: bfd.DetectMult, 1..255 */
	bool passive;        /* passive role: no packet before the peer's first */
};

/* Bits of struct bfd_out.actions. */
enum bfd_action {
	BFD_ACT_SEND = 1u << 0,   /* send bfd_session_packet() now */
	BFD_ACT_STATE = 1u << 1,  /* bfd.SessionState changed: from -> to */
	BFD_ACT_TIMERS = 1u << 2, /* the deadline changed: re-arm */
};

/* What one call did. from, to and diag are always filled: with
 * BFD_ACT_STATE the change, otherwise from == to == the state. */
struct bfd_out {
	unsigned actions;
	enum bfd_state from, to;
	enum bfd_diag diag; /* bfd.LocalDiag after the call */
	char why[160];      /* with BFD_ACT_STATE: the reason, for the log */
};

struct bfd_session {
	struct bfd_params cfg;
	/* RFC 5880 section 6.8.1 */
	enum bfd_state session_state;        /* bfd.SessionState */
	enum bfd_state remote_session_state; /* bfd.RemoteSessionState */
	uint32_t local_discr;                /* bfd.LocalDiscr, nonzero, chosen by the shell */
	uint32_t remote_discr;               /* bfd.RemoteDiscr; 0 again once a Detection Time
	                                        passes without a packet */
	enum bfd_diag local_diag;            /* bfd.LocalDiag */
	uint32_t desired_min_tx_interval;    /* bfd.DesiredMinTxInterval in force, us */
	uint32_t required_min_rx_interval;   /* bfd.RequiredMinRxInterval in force, us */
	uint32_t remote_min_rx_interval;     /* bfd.RemoteMinRxInterval, us (1 until heard) */
	bool remote_demand_mode;             /* bfd.RemoteDemandMode */
	uint8_t detect_mult;                 /* bfd.DetectMult */
	/* from the last packet received; forgotten (0) when the Detection Time
	 * expires, with bfd.RemoteMinRxInterval back to 1 and RemoteSessionState
	 * Down: what a lost peer said no longer holds */
	uint8_t remote_detect_mult;     /* its Detect Mult */
	uint32_t remote_desired_min_tx; /* its Desired Min TX Interval, us */
	uint8_t remote_diag;            /* its Diag */
	/* RFC 5880 section 6.5: values wait for the Poll Sequence that announces them */
	bool poll;           /* a Poll Sequence runs: P set until a packet with F */
	bool poll_sent;      /* a packet with P carried pending_tx/rx (a Final before
	                        that answers an older Poll and ends nothing) */
	bool send_final;     /* the next packet answers a Poll with F */
	uint32_t pending_tx; /* DesiredMinTxInterval announced in packets */
	uint32_t pending_rx; /* RequiredMinRxInterval announced in packets (both differ
	                        from the values in force only while a poll runs) */
	vtime_t next_tx;     /* next periodic packet; VTIME_NEVER when silent */
	vtime_t detect_at;   /* Detection Time deadline; VTIME_NEVER when not armed */
	vtime_t admin_until; /* AdminDown: AdminDown packets stop here (6.8.16: for
	                        a Detection Time, mult x interval) */
	vtime_t last_rx;     /* last packet accepted; VTIME_NEVER before the first */
	vtime_t last_tx;     /* last BFD_ACT_SEND; VTIME_NEVER before the first */
	bool was_up;         /* reached Up, not restarted since (see "Down after Up") */
	uint64_t rng;        /* jitter (RFC 5880 6.8.7), seeded by the shell */
	uint64_t tx_packets; /* packets built by bfd_session_packet() */
	uint64_t rx_packets; /* packets accepted by bfd_session_rx() */
	uint64_t up_count;   /* transitions into Up */
	uint64_t down_count; /* transitions out of Up (to Down or AdminDown): up_count -
	                        down_count is 1 while Up, 0 otherwise */
};

/* Starts a session in Down. local_discr must be nonzero and unique. An
 * active session's first packet is due at once (the deadline is now). */
void bfd_session_init(struct bfd_session *s, const struct bfd_params *p, uint32_t local_discr,
                      uint64_t seed, vtime_t now);
/* A packet that passed bfd_parse() and the shell's TTL and lookup checks.
 * Returns BFD_RX_OK, or why the session rejected it: BFD_RX_NO_SESSION
 * (Your Discriminator nonzero and not ours), BFD_RX_DETECT_MULT (Detect
 * Mult zero), BFD_RX_ADMIN_DOWN (RFC 5880 6.8.6: the peer's variables are
 * learnt, the packet is discarded). A Poll is answered at once (SEND). */
enum bfd_rx_reason bfd_session_rx(struct bfd_session *s, const struct bfd_ctl *c, vtime_t now,
                                  struct bfd_out *out);
/* Call when now >= bfd_session_deadline(): Detection Time, periodic packets.
 * Early calls do nothing. Afterwards the deadline is later than now. */
void bfd_session_timer(struct bfd_session *s, vtime_t now, struct bfd_out *out);
/* The earliest of next_tx and detect_at. */
vtime_t bfd_session_deadline(const struct bfd_session *s);
/* The packet to send now (clears the pending F; counts it). */
void bfd_session_packet(struct bfd_session *s, struct bfd_ctl *out);
/* New parameters (reload): applied through a Poll Sequence when Up, at
 * once otherwise; a new multiplier or role applies at once. Not Up, a
 * smaller min_rx shortens the Detection Time at once: if that much time
 * has passed since the last packet, the session expires in this call. */
void bfd_session_set_params(struct bfd_session *s, const struct bfd_params *p, vtime_t now,
                            struct bfd_out *out);
/* Administratively down (shutdown, removed by a reload): AdminDown with
 * Diag 7 and a packet to send now; AdminDown packets follow at the
 * transmit interval for a Detection Time (RFC 5880 6.8.16), then the
 * session is silent. A shell that stops at once sends just the first. */
void bfd_session_admin_down(struct bfd_session *s, vtime_t now, struct bfd_out *out);
/* Negotiated figures, us: the interval packets leave at before jitter
 * (max(bfd.DesiredMinTxInterval, bfd.RemoteMinRxInterval), RFC 5880 6.8.7)
 * and the Detection Time (6.8.4: the peer's Detect Mult x max(
 * bfd.RequiredMinRxInterval, its Desired Min TX); 0 while no packet is
 * known, UINT32_MAX when larger). */
uint32_t bfd_session_tx_interval(const struct bfd_session *s);
uint32_t bfd_session_detect_time(const struct bfd_session *s);

#endif
