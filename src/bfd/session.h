/*
 * session.h: one BFD session, asynchronous mode, no I/O.
 *
 * RFC 5880 sections 6.1 (active and passive roles), 6.2 (the state
 * machine: a {state, event, action, next} table in session.c), 6.5 (Poll
 * Sequences for timer changes), 6.8.1 (state variables), 6.8.2-6.8.4
 * (timer negotiation, Detection Time), 6.8.6 (reception, the checks that
 * need the session), 6.8.7 (transmission, jitter). Demand mode and the
 * Echo function are not used (RFC 5880 6.6, 6.4): vipd never asks for them
 * and a peer's D bit is honoured only as section 6.8.7 requires.
 *
 * Time is injected (microseconds, monotonic). The shell owns the struct,
 * finds the session of a received packet (by Your Discriminator, or by its
 * addresses while Your Discriminator is zero), calls bfd_session_rx() with
 * it, calls bfd_session_timer() once bfd_session_deadline() has passed, and
 * sends bfd_session_packet() whenever BFD_ACT_SEND is set.
 */
#ifndef VIPD_BFD_SESSION_H
#define VIPD_BFD_SESSION_H

#include <stdbool.h>
#include <stdint.h>

#include "bfd/packet.h"
#include "lib/vtime.h"

/* What the configuration asks (keepalived's bfd_instance keywords). */
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

struct bfd_out {
	unsigned actions;
	enum bfd_state from, to; /* with BFD_ACT_STATE */
	enum bfd_diag diag;      /* bfd.LocalDiag after the change */
	char why[160];           /* with BFD_ACT_STATE: the reason, for the log */
};

struct bfd_session {
	struct bfd_params cfg;
	/* RFC 5880 section 6.8.1 */
	enum bfd_state session_state;        /* bfd.SessionState */
	enum bfd_state remote_session_state; /* bfd.RemoteSessionState */
	uint32_t local_discr;                /* bfd.LocalDiscr, nonzero, chosen by the shell */
	uint32_t remote_discr;               /* bfd.RemoteDiscr */
	enum bfd_diag local_diag;            /* bfd.LocalDiag */
	uint32_t desired_min_tx_interval;    /* bfd.DesiredMinTxInterval in force, us */
	uint32_t required_min_rx_interval;   /* bfd.RequiredMinRxInterval in force, us */
	uint32_t remote_min_rx_interval;     /* bfd.RemoteMinRxInterval, us */
	bool remote_demand_mode;             /* bfd.RemoteDemandMode */
	uint8_t detect_mult;                 /* bfd.DetectMult */
	/* from the last packet received */
	uint8_t remote_detect_mult;     /* its Detect Mult */
	uint32_t remote_desired_min_tx; /* its Desired Min TX Interval, us */
	/* RFC 5880 section 6.5: values wait for the Poll Sequence that announces them */
	bool poll;              /* a Poll Sequence runs: P set until a packet with F */
	bool send_final;        /* the next packet answers a Poll with F */
	uint32_t pending_tx;    /* DesiredMinTxInterval announced by the running poll */
	uint32_t pending_rx;    /* RequiredMinRxInterval announced by the running poll */
	vtime_t next_tx;        /* next periodic packet; VTIME_NEVER when silent */
	vtime_t detect_at;      /* Detection Time deadline; VTIME_NEVER when not armed */
	vtime_t last_rx;        /* last packet accepted */
	bool heard;             /* a packet came from the peer (a passive session speaks) */
	bool was_up;            /* reached Up since the last Down (a Down is "after Up") */
	uint64_t rng;           /* jitter (RFC 5880 6.8.7), seeded by the shell */
	uint64_t tx_packets, rx_packets, up_count, down_count;
};

/* Starts a session in Down. local_discr must be nonzero and unique. */
void bfd_session_init(struct bfd_session *s, const struct bfd_params *p, uint32_t local_discr,
                      uint64_t seed, vtime_t now);
/* A packet that passed bfd_parse() and the shell's TTL and lookup checks.
 * Returns BFD_RX_OK or why the session rejected it. */
enum bfd_rx_reason bfd_session_rx(struct bfd_session *s, const struct bfd_ctl *c, vtime_t now,
                                  struct bfd_out *out);
/* Call when now >= bfd_session_deadline(): Detection Time, periodic packets. */
void bfd_session_timer(struct bfd_session *s, vtime_t now, struct bfd_out *out);
/* The earliest of next_tx and detect_at. */
vtime_t bfd_session_deadline(const struct bfd_session *s);
/* The packet to send now (clears the pending F; counts it). */
void bfd_session_packet(struct bfd_session *s, struct bfd_ctl *out);
/* New parameters (reload): applied through a Poll Sequence when Up. */
void bfd_session_set_params(struct bfd_session *s, const struct bfd_params *p, vtime_t now,
                            struct bfd_out *out);
/* Administratively down (shutdown, removed by a reload): AdminDown with
 * Diag 7, one packet to send; the session stays silent afterwards. */
void bfd_session_admin_down(struct bfd_session *s, vtime_t now, struct bfd_out *out);
/* Negotiated figures, us: the interval packets leave at (before jitter) and
 * the Detection Time (RFC 5880 6.8.4); 0 while unknown. */
uint32_t bfd_session_tx_interval(const struct bfd_session *s);
uint32_t bfd_session_detect_time(const struct bfd_session *s);

#endif
