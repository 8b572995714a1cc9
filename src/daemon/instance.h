/*
 * instance.h: one virtual router at run time. instance.c owns struct
 * instance (made, started, changed by a reload, stopped, freed) and feeds its
 * machine; rx.c hears adverts for it, advert.c sends them, vips.c holds and
 * announces its addresses, splitbrain.c watches for a second master, work.c
 * queues what a transition leaves to do.
 */
#ifndef VIPD_INSTANCE_H
#define VIPD_INSTANCE_H

#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>

#include "conf/conf.h"
#include "daemon/advert.h"
#include "daemon/notify.h"
#include "lib/timer.h"
#include "linux/vmac.h"
#include "vrrp/ah.h"
#include "vrrp/fsm.h"
#include "vrrp/packet.h"

struct inst_path;
struct sync_rt;
struct vipd;
struct vsock;

struct inst_stats {
	uint64_t adverts_sent, adverts_received, transitions, vip_errors, split_brains;
	uint64_t became_master, left_master, prio0_received, prio0_sent;
	uint64_t drops[VRRP_RX_REASON_MAX];
	uint64_t by_cause[FSM_CAUSE_MAX]; /* transitions by class (metrics) */
	enum vrrp_rx_reason last_err;     /* the last TTL, version, checksum or VRID drop */
};

struct instance {
	/* what a master's every advert touches, together (a few cache lines) */
	struct vipd *d;
	const struct conf_instance *c;
	struct timer t_fsm;
	struct vsock *sock;    /* receives, and sends unless tx_sock */
	struct vsock *tx_sock; /* use_vmac: adverts leave from the vmac */
	struct addr primary;
	struct advert_built built; /* its adverts, as last sent (advert.c) */
	struct inst_path *paths;   /* advert_path */
	size_t n_paths;
	struct inst_stats st;
	struct fsm fsm;
	char name[CONF_NAME_MAX];
	struct timer t_garp;
	struct timer t_lower;    /* the delayed round after a lower priority was heard */
	struct timer t_extra;    /* garp_extra_if: the periodic GARP/NA on silent VIP links */
	vtime_t lower_garp_at;   /* the last such round, for the rate limit */
	bool deleted;            /* a reload dropped it: DELETED (notify_deleted) or FAULT */
	int mailed;              /* alert.c: the last event mailed, + 1; 0 none yet */
	char promoted[IFNAMSIZ]; /* promote_secondaries set on this interface */
	int lower_garp_repeat;   /* ... and its repeat count */
	int garp_phase;          /* 0 idle, 1 waiting for the delayed burst, 2 refreshing */
	int ifindex;
	bool if_fault;    /* holds the fsm in Fault for its interface */
	bool track_fault; /* holds it in Fault for a weight-0 tracked object */
	char if_why[96];
	struct vmac vmac;          /* use_vmac: the macvlan holding the VIPs (ifindex 0: none) */
	struct vrrp_ah_seq ah_seq; /* auth_type AH: sequence numbers sent and accepted */
	uint32_t ah_tx_seq;        /* ... the one of the advert being sent */
	uint16_t ah_ip_id;         /* ... and its IP ID (the ICV covers it) */
	vtime_t main_rx_at;        /* last advert by the interface itself */
	struct addr *vips;         /* virtual_ipaddress addresses, for the advert and checks */
	size_t n_vips;
	vtime_t last_log[VRRP_RX_REASON_MAX];
	vtime_t prio0_logged; /* a stranger's priority 0 ignored (rx.c) */
	vtime_t last_transition_at;
	vtime_t up_at;             /* the first transition out of Init, or 0 */
	enum fsm_cause master_why; /* of the last transition to Master */
	bool was_master;           /* ... there was one (not cleared with the stats) */
	enum vrrp_state last_from;
	struct sync_rt *sync; /* its vrrp_sync_group, or NULL */
	bool sync_fault;      /* held in Fault by another member */
	bool sb_active;       /* split brain: another master is heard */
	struct addr sb_peer;
	uint8_t sb_prio;
	vtime_t sb_since, sb_last, sb_logged;
	uint64_t sb_adverts;
	uint64_t sb_others;   /* adverts from other sources in this episode */
	int sb_tokens;        /* episodes that may still be reported now */
	vtime_t sb_refill_at; /* when the last token came back */
	bool sb_reported;     /* this episode was logged and notified */
	uint64_t sb_held;     /* episodes not reported (rate limit) */
	vtime_t sb_held_logged;
	struct timer t_sb;
	bool pending; /* transition work waits for instances_flush */
	struct fsm_out pend;
	vtime_t pend_at;
	uint64_t pend_trace; /* the traces up to its transition's (-D) */
	struct instance *pend_next;
	struct notify_lane nl_trans;   /* notify scripts of transitions, in order */
	struct notify_lane nl_reports; /* notify_split_brain: never ahead of those */
	struct instance *next;
};

struct instance *instance_new(struct vipd *d, const struct conf_instance *c);
/* Starts in's machine as if at `at`: instances started together share one
 * time base (instance_start_base), so their timers come due in one loop
 * pass and their adverts leave together from then on. */
void instance_start(struct instance *in, vtime_t at);
/* The time base of in's start: *base (0 at first), or now when *base is
 * older than in's advert interval (its timers then come due at most one
 * interval sooner than from its own start: it still hears two adverts). */
vtime_t instance_start_base(const struct instance *in, vtime_t *base);
void instance_stop(struct instance *in); /* shutdown: priority 0, VIPs removed */
void instance_free(struct instance *in);
/* The machine's traces (-D) so far, written (work.c, once the adverts
 * have left and no timer is about to come due). */
void instance_traces_flush(void);
/* ... the oldest, at most most, and none made after the upto-th; how many
 * have been made. */
void instance_traces_write(uint64_t upto, size_t most);
uint64_t instance_traces_made(void);
/* Whether traces wait to be written; *since: when the oldest was made. */
bool instance_traces_waiting(vtime_t *since);
/* The machine takes the settings in force (fsm_reconfigure). */
void instance_fsm_config(struct instance *in);
/* An event of in's own went through its machine: carry out out, then the
 * orders of its sync group (rx.c and the events of instance.c). */
void instance_step(struct instance *in, vtime_t now, const struct fsm_out *out);
void instance_iface_changed(struct instance *in);
/* Reload: new live settings; the priority follows with track_update. */
void instance_take_conf(struct instance *in, const struct conf_instance *c);

void instance_set_tracking(struct instance *in, uint8_t prio, const char *fault_why);

#endif
