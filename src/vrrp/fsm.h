/*
 * fsm.h: the VRRP state machine of one virtual router, no I/O.
 *
 * RFC 3768 section 6 (VRRPv2) and RFC 9568 section 6 (VRRPv3): states
 * Initialize, Backup, Master, plus Fault (keepalived: interface or tracked
 * object down). Time is injected (microseconds, monotonic); the machine
 * never calls the OS. Each call returns the actions the shell must carry
 * out, in this order: send advert, add/remove VIPs, announce, notify.
 * Timers are deadlines the shell reads with fsm_next_deadline().
 */
#ifndef VIPD_FSM_H
#define VIPD_FSM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/addr.h"
#include "lib/vtime.h"
#include "vrrp/why.h"

enum vrrp_state {
	VRRP_STATE_INIT,
	VRRP_STATE_BACKUP,
	VRRP_STATE_MASTER,
	VRRP_STATE_FAULT,
	VRRP_STATE_MAX
};

enum fsm_event {
	FSM_EV_STARTUP,
	FSM_EV_SHUTDOWN,
	FSM_EV_MASTER_DOWN, /* Master_Down_Timer fired */
	FSM_EV_ADVER_TIMER, /* Adver_Timer fired */
	FSM_EV_PREEMPT,     /* preempt_delay elapsed */
	FSM_EV_ADV_PRIO0,   /* advert with priority 0 */
	FSM_EV_ADV_HIGHER,  /* higher priority, or equal with higher primary address */
	FSM_EV_ADV_LOWER,   /* lower priority, or equal with lower primary address */
	FSM_EV_PRIO_CHANGE, /* effective priority changed */
	FSM_EV_FAULT,       /* interface down / tracked object in fault */
	FSM_EV_FAULT_CLEAR,
	/* refinements the machine derives from the events above */
	FSM_EV_STARTUP_OWNER,     /* startup or fault clear of an address owner (255) */
	FSM_EV_ADV_ACCEPT,        /* Backup: advert it must follow (not a preemptable one) */
	FSM_EV_MASTER_DOWN_DELAY, /* Master_Down_Timer fired, preempt_delay applies */
	FSM_EV_PREEMPT_NOW,       /* vipd preempt_lower_master: lower master heard */
	FSM_EV_PREEMPT_LATER,     /* ... with preempt_delay: start the delay */
	FSM_EV_SYNC_WAIT,         /* sync group member would be master; the group decides */
	FSM_EV_SYNC_MASTER,       /* the sync group goes master together */
	FSM_EV_SYNC_BACKUP,       /* another member left Master: leave it too */
	FSM_EV_ADV_PRIO0_OTHER,   /* Backup: priority 0 from a source that is not its master */
	FSM_EV_ADVER_LATE,        /* Adver_Timer so late a backup may have taken over */
	FSM_EV_PEER_DOWN,         /* vipd: the master's liveness session (BFD) went down */
	FSM_EV_MAX
};

/* What caused a transition, in classes (the metrics' reason label). */
enum fsm_cause {
	FSM_CAUSE_STARTUP,         /* startup, an address owner starting */
	FSM_CAUSE_MASTER_DOWN,     /* Master_Down_Timer fired: the master went silent */
	FSM_CAUSE_PREEMPT,         /* preempt_delay over, or a lower master preempted */
	FSM_CAUSE_HIGHER_PRIORITY, /* an advert to follow (higher, or as Backup) */
	FSM_CAUSE_PRIORITY_ZERO,   /* Master_Down_Timer after the master's priority 0 */
	FSM_CAUSE_PRIORITY_CHANGE, /* our effective priority changed */
	FSM_CAUSE_FAULT,
	FSM_CAUSE_FAULT_CLEAR,
	FSM_CAUSE_SYNC_GROUP, /* a vrrp_sync_group member moved the group */
	FSM_CAUSE_STALLED,    /* Adver_Timer so late a backup may have taken over */
	FSM_CAUSE_SHUTDOWN,
	FSM_CAUSE_PEER_DOWN, /* vipd: Master_Down_Timer after the master's BFD session went down */
	FSM_CAUSE_OTHER,
	FSM_CAUSE_MAX
};

/* Bits of struct fsm_out.actions. */
enum fsm_action {
	FSM_ACT_SEND_ADVERT = 1u << 0, /* advert with out->adv_priority */
	FSM_ACT_ADD_VIPS = 1u << 1,
	FSM_ACT_DEL_VIPS = 1u << 2,
	FSM_ACT_ANNOUNCE = 1u << 3,  /* gratuitous ARP / unsolicited NA burst */
	FSM_ACT_NOTIFY = 1u << 4,    /* state changed: from -> to */
	FSM_ACT_TIMERS = 1u << 5,    /* deadlines changed: re-arm */
	FSM_ACT_SYNC_WANT = 1u << 6, /* sync member waits to go master with its group */
	FSM_ACT_RX_LOWER = 1u << 7,  /* Master heard a lower priority (garp_lower_prio_*,
	                                notify_master_rx_lower_pri) */
};

struct fsm_config {
	uint8_t version;           /* 2 or 3 */
	uint8_t priority;          /* configured priority, 1..255 */
	uint64_t adver_int_us;     /* Advertisement_Interval */
	bool preempt;              /* Preempt_Mode (false: nopreempt) */
	uint64_t preempt_delay_us; /* keepalived preempt_delay */
	bool init_master;       /* "state MASTER" + vipd_fast_master_start: a shorter first wait */
	struct addr primary;    /* our primary address (tie-break) */
	int down_timer_adverts; /* 3 per the RFCs */
	bool lower_prio_no_advert;    /* Master hearing lower: stay silent (RFC 3768) */
	bool higher_prio_send_advert; /* Master hearing higher: one advert before yielding */
	bool preempt_lower_master;    /* vipd: take over from a lower master at once */
	bool sync;                    /* member of a vrrp_sync_group */
	uint8_t timer_expired_backup; /* keepalived: the others' highest priority; 0 off */
};

/* An advert that passed the packet checks, as the machine needs it. */
struct fsm_advert {
	uint8_t priority;
	uint64_t adver_int_us; /* v3 Max Adver Int, v2 Adver Int */
	struct addr src;       /* IP source: the sender's primary address */
	struct addr local;     /* ours on the path it came by; unset: cfg.primary */
	bool no_tie;           /* equal priority decides nothing (advert_path) */
};

/* One dispatch of an event, for the shell's traces. */
struct fsm_step {
	enum fsm_event event;
	enum vrrp_state from, to;
	const char *action; /* its table row's action, or NULL: no row (ignored) */
};
#define FSM_STEPS_MAX 4

struct fsm_out {
	struct fsm_step steps[FSM_STEPS_MAX]; /* in order; events past the last are not kept */
	unsigned n_steps;
	unsigned actions;
	uint8_t adv_priority; /* with FSM_ACT_SEND_ADVERT: 0 on shutdown */
	enum vrrp_state from, to;
	struct fsm_why why;   /* with FSM_ACT_NOTIFY: the transition's reason */
	enum fsm_cause cause; /* ... and its class */
};

struct fsm {
	struct fsm_config cfg;
	enum vrrp_state state;
	uint8_t priority;             /* effective priority */
	uint64_t master_adver_int_us; /* Master_Adver_Interval (v3: learned) */
	vtime_t master_down_at;       /* Master_Down_Timer deadline, or NEVER */
	vtime_t adver_at;             /* Adver_Timer deadline, or NEVER */
	vtime_t preempt_at;           /* preempt_delay deadline, or NEVER */
	struct addr master_addr;      /* current master as seen from Backup */
	uint8_t master_priority;
	vtime_t last_advert_at; /* last accepted advert from the master */
	bool peer_down;         /* Master_Down_Timer runs for the master's session down */
	char peer_why[96];      /* ... what the session said, for the transition's reason */
	vtime_t down_base;      /* when Master_Down_Timer was last (re)started */
	bool startup_phase;     /* no master heard since startup (preempt_delay) */
	bool lower_seen;        /* Backup discarded a lower-priority master */
	struct addr lower_addr; /* ... this one */
	uint8_t lower_priority;
	unsigned fault_holds; /* >0: held in Fault */
	bool want_master;     /* sync member: ready for Master, waiting for the group */
	vtime_t last_change_at;
	struct fsm_why last_why;
	uint64_t transitions;
};

void fsm_init(struct fsm *f, const struct fsm_config *cfg);
/* New settings for a running machine (a reload, a new primary address, a
 * sync group joined or left): state and deadlines stay; each setting counts
 * from its next use (version and advert interval never change: those make
 * another router). The only way the shell changes the machine's config. */
void fsm_reconfigure(struct fsm *f, const struct fsm_config *cfg);

/* Events. Each fills *out (zeroed first). */
void fsm_startup(struct fsm *f, vtime_t now, struct fsm_out *out);
void fsm_shutdown(struct fsm *f, vtime_t now, struct fsm_out *out);
void fsm_advert(struct fsm *f, vtime_t now, const struct fsm_advert *a, struct fsm_out *out);
/* Runs every deadline <= now (master down, adver, preempt). */
void fsm_timer(struct fsm *f, vtime_t now, struct fsm_out *out);
/* New effective priority (already clamped, see vrrp_effective_priority). */
void fsm_set_priority(struct fsm *f, vtime_t now, uint8_t prio, struct fsm_out *out);
/* vrrp_sync_group: the group is ready (every member wants Master or is
 * Master): a waiting member becomes Master. */
void fsm_sync_master(struct fsm *f, vtime_t now, const char *why, struct fsm_out *out);
/* Another member left Master: so does this one (priority 0 advert first, so
 * the peer's group takes over after Skew_Time). */
void fsm_sync_backup(struct fsm *f, vtime_t now, const char *why, struct fsm_out *out);
/* vipd (master_down_bfd): a liveness session to the master (BFD) went
 * down. Only a Backup that follows a master whose address is peer takes it:
 * Master_Down_Timer = Skew_Time on the session's scale, ((256 - Priority) *
 * interval_us) / 256, where interval_us is the interval the master's
 * packets came at (not sooner than the timer already runs). An advert
 * from that master before it fires puts the normal timer back. why: what
 * the session said, for the transition's reason. */
void fsm_peer_down(struct fsm *f, vtime_t now, const struct addr *peer, uint64_t interval_us,
                   const char *why, struct fsm_out *out);
/* Enter (fault=true) or leave Fault; why names the cause for logs. */
void fsm_fault(struct fsm *f, vtime_t now, bool fault, const char *why, struct fsm_out *out);

/* Earliest armed deadline, or VTIME_NEVER. */
vtime_t fsm_next_deadline(const struct fsm *f);

/* Timer arithmetic, microseconds, multiply before divide. */
uint64_t fsm_skew_us(const struct fsm *f);
uint64_t fsm_master_down_us(const struct fsm *f);

/* base + sum of tracking weights, clamped 1..254; an owner (255) stays 255. */
uint8_t vrrp_effective_priority(int base, int weight_sum);

const char *vrrp_state_name(enum vrrp_state s); /* "MASTER", "BACKUP", ... */
const char *fsm_cause_name(enum fsm_cause c);   /* "master_down", ... */
const char *fsm_event_name(enum fsm_event e);
/* "send_advert,add_vips,..." of an actions mask, into buf. */
const char *fsm_actions_text(unsigned actions, char *buf, size_t len);

#endif
