/*
 * daemon.h: the running daemon's state, shared by daemon.c (process, loop,
 * signals, reload), instance.c (one virtual router at run time), iface.c
 * (links and addresses) and ctl.c (status).
 */
#ifndef VIPD_DAEMON_H
#define VIPD_DAEMON_H

#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "child.h"
#include "conf.h"
#include "fsm.h"
#include "loop.h"
#include "packet.h"
#include "vipd.h"

struct iface {
	int ifindex;
	char name[IFNAMSIZ];
	bool up;
	uint8_t mac[6];
	struct addr v4;  /* primary IPv4 address (not one of our VIPs) */
	struct addr ll6; /* link-local IPv6 address */
	struct iface *next;
};

/* A raw socket shared by the instances on one interface and family. */
struct vsock {
	int fd, family, ifindex;
	bool unicast;
	bool tx; /* send only: use_vmac */
	int refs;
	uint64_t drops[VRRP_RX_REASON_MAX]; /* before an instance is known */
	struct instance *by_vrid[256];      /* a lookup hint, checked on use */
	vtime_t last_log[VRRP_RX_REASON_MAX];
	struct vsock *next;
};

struct inst_stats {
	uint64_t adverts_sent, adverts_received, transitions, vip_errors, split_brains;
	uint64_t drops[VRRP_RX_REASON_MAX];
};

/* Notify scripts run one after another in a lane (notify.c): at most max
 * waiting (the oldest waiting one gives way), each ended after its limit. */
struct notify_lane {
	struct vipd *d;
	char name[CONF_NAME_MAX + 16]; /* for the log */
	struct notify_job *q;
	size_t n, max;
	pid_t pid; /* the one running */
	struct timer t;
	vtime_t dropped_logged;
};

/* A vrrp_script at run time. */
struct script_rt {
	struct vipd *d;
	const struct conf_script *c;
	char name[CONF_NAME_MAX];
	bool ok; /* OK or FAILED, after rise / fall */
	bool timed_out;
	int rise_count, fall_count;
	pid_t pid; /* running, or 0 */
	struct timer t_run, t_timeout;
	char last_result[64];
	uint64_t runs;
	struct child_cred cred;
	bool blocked; /* refused by enable_script_security, or its user is missing */
	struct script_rt *next;
};

/* A track_file at run time. */
struct tfile_rt {
	const struct conf_track_file *c;
	char name[CONF_NAME_MAX];
	long long value;
	bool valid;
	struct tfile_rt *next;
};

/* A vrrp_track_process at run time: the matching processes, by pidfd. */
struct tproc_pid {
	pid_t pid;
	int fd;
};
struct tproc_rt {
	struct vipd *d;
	const struct conf_track_process *c;
	char name[CONF_NAME_MAX];
	struct tproc_pid *pids;
	size_t n, cap;
	bool ok, pending_up;
	bool capped; /* more processes match than are watched */
	bool by_uid; /* process_user: only processes of uid */
	uid_t uid;
	struct timer t_delay;
	struct tproc_rt *next;
};

/* A vrrp_sync_group at run time (sync.c). */
struct sync_rt {
	const struct conf_sync_group *c;
	struct instance **m; /* members */
	size_t n;
	enum vrrp_state state; /* the group's: Fault if any, Master if all, ... */
	struct sync_rt *next;
};

/* An advert_path at run time (path.c). */
struct inst_path {
	const struct conf_path *c;
	int ifindex;
	struct vsock *sock;
	struct addr src; /* ours on this path */
	bool up;
	uint64_t tx, rx;
};

struct instance {
	struct vipd *d;
	const struct conf_instance *c;
	char name[CONF_NAME_MAX];
	struct fsm fsm;
	struct timer t_fsm, t_garp, t_pace;
	int garp_phase;               /* 0 idle, 1 waiting for the delayed burst, 2 refreshing */
	size_t pace_next, pace_total; /* paced announcements (garp_interval > 0) */
	int ifindex;
	bool if_fault;    /* holds the fsm in Fault for its interface */
	bool track_fault; /* holds it in Fault for a weight-0 tracked object */
	char if_why[96];
	struct vsock *sock;    /* receives, and sends unless tx_sock */
	struct vsock *tx_sock; /* use_vmac: adverts leave from the vmac */
	int vmac_ifindex;      /* use_vmac: the macvlan holding the VIPs, or 0 */
	char vmac_name[IFNAMSIZ], vmac_base[IFNAMSIZ];
	uint8_t vmac_mac[6];
	struct addr primary;
	struct inst_path *paths; /* advert_path */
	size_t n_paths;
	vtime_t main_rx_at; /* last advert by the interface itself */
	struct addr *vips;  /* virtual_ipaddress addresses, for the advert and checks */
	size_t n_vips;
	struct inst_stats st;
	vtime_t last_log[VRRP_RX_REASON_MAX];
	vtime_t last_transition_at;
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
	struct instance *pend_next;
	struct notify_lane nl_trans;   /* notify scripts of transitions, in order */
	struct notify_lane nl_reports; /* notify_split_brain: never ahead of those */
	struct instance *next;
};

struct vipd {
	struct vipd_opts opts;
	struct loop *loop;
	struct nl *nl;
	struct garp *garp;
	struct conf *conf;
	struct instance *instances;
	struct sync_rt *syncs;
	bool in_sync;                /* a group is moving its members */
	struct instance *work;       /* transitions whose work is still to do, oldest first */
	struct instance **work_tail; /* where the next one goes */
	struct timer t_work;
	struct iface *ifaces;
	struct vsock *socks;
	struct script_rt *scripts;
	struct tfile_rt *tfiles;
	int inotify_fd; /* -1 when no file is tracked */
	struct tproc_rt *tprocs;
	struct child_cred script_cred; /* script_user, or keepalived_script, or root */
	int proc_cn_fd;                /* process connector, or -1 */
	struct timer t_proc_scan;
	struct timer t_resync;      /* netlink state read again after lost events */
	struct notify_lane orphans; /* scripts of instances a reload removed */
	int fifo_fd;                /* notify_fifo held open for notify_fifo_script, or -1 */
	pid_t fifo_pid;             /* notify_fifo_script */
	char fifo_path[256], fifo_script[256];
	struct timer t_fifo;
	bool nl_batch_open;
	bool stopping;
	vtime_t started_at;
	uint64_t reloads;
};

/* instance.c */
struct instance *instance_new(struct vipd *d, const struct conf_instance *c);
void instance_start(struct instance *in);
void instance_stop(struct instance *in); /* shutdown: priority 0, VIPs removed */
void instance_free(struct instance *in);
void instance_apply(struct instance *in, vtime_t now, const struct fsm_out *out);
void instances_init(struct vipd *d);
void instances_flush(struct vipd *d);     /* queued adverts, then transition work */
void instances_flush_all(struct vipd *d); /* and all the work, now */
void vipd_nl_flush(struct vipd *d);       /* commits the netlink batch */
void instance_iface_changed(struct instance *in);
void instance_set_conf(struct instance *in, const struct conf_instance *c);
bool instance_same_router(const struct conf_instance *a, const struct conf_instance *b);
void vsock_read(struct vipd *d, struct vsock *vs);

/* vsock.c: a socket for (family, ifindex, unicast, tx), shared; put drops
 * the instance's reference in *slot and clears it. */
struct vsock *vsock_get(struct vipd *d, int family, int ifindex, bool unicast,
                        const struct addr *group, int ttl, bool tx);
void vsock_put(struct instance *in, struct vsock **slot);

void instance_set_tracking(struct instance *in, uint8_t prio, const char *fault_why);

/* track.c */
void track_start(struct vipd *d);
void track_stop(struct vipd *d);
void track_update(struct instance *in);
struct script_rt *script_find(struct vipd *d, const char *name);
void tfiles_start(struct vipd *d);
void tfiles_stop(struct vipd *d);
struct tfile_rt *tfile_find(struct vipd *d, const char *name);
int tfile_contribution(struct instance *in, const struct conf_track *tr, char *why, size_t len);

/* proc.c */
void tprocs_start(struct vipd *d);
void tprocs_stop(struct vipd *d);
struct tproc_rt *tproc_find(struct vipd *d, const char *name);

/* iface.c */
struct iface *iface_by_name(struct vipd *d, const char *name);
struct iface *iface_by_index(struct vipd *d, int ifindex);
int iface_init(struct vipd *d); /* dump links and addresses, watch them */
void iface_remove_stale_vips(struct vipd *d);
void iface_free_all(struct vipd *d);

/* daemon.c */
void vipd_nl_batch(struct vipd *d); /* open the netlink batch for this loop turn */

/* ctl.c */
int ctl_open(struct vipd *d);
void ctl_close(struct vipd *d);
/* Renders the status as text or JSON into a malloc'd string. */
char *ctl_status(struct vipd *d, bool json);
char *ctl_stats(struct vipd *d);

/* Whom a command runs as, and whether it may run at all (logs why not). */
bool script_allowed(struct vipd *d, const char *what, const struct conf_cmd *cmd,
                    struct child_cred *cred);
void script_user_init(struct vipd *d);

/* notify.c */
void notify_init(struct instance *in);
void notify_transition(struct instance *in, enum vrrp_state to);
void notify_drop(struct instance *in);
void notify_drain(struct vipd *d);
void notify_split_brain(struct instance *in, bool on);
void notify_group(struct sync_rt *g, enum vrrp_state to);

/* sync.c */
void sync_start(struct vipd *d);
void sync_stop(struct vipd *d);
void sync_event(struct instance *in, vtime_t now, const struct fsm_out *out);
void sync_fault_update(struct instance *in);
void notify_fifo_start(struct vipd *d);
void notify_fifo_stop(struct vipd *d, bool kill);
void notify_reap(void);

#endif
