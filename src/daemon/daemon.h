/*
 * daemon.h: the running process (daemon.c owns struct vipd: the loop, the
 * netlink handle, the config in force, and the heads of each module's list,
 * each list owned by the module that names it).
 */
#ifndef VIPD_DAEMON_H
#define VIPD_DAEMON_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "daemon/lifescript.h"
#include "daemon/notify.h"
#include "daemon/vipd.h"
#include "lib/timer.h"
#include "linux/child.h"

struct conf;
struct confload;
struct reload_tail;
struct garp;
struct garpq;
struct httpd;
struct agentx;
struct bfd_rt;
struct bfd_socks;
struct iface;
struct instance;
struct loop;
struct nl;
struct script_rt;
struct sync_rt;
struct tfile_rt;
struct tproc_rt;
struct vsock;
struct smtp;

struct vipd {
	struct vipd_opts opts;
	struct loop *loop;
	struct nl *nl;
	struct garp *garp;
	struct conf *conf;
	struct instance *instances;
	struct sync_rt *syncs;
	struct lifescript lifescript;
	struct instance *work;       /* transitions whose work is still to do, oldest first */
	struct instance **work_tail; /* where the next one goes */
	struct timer t_work;
	vtime_t work_cost_us;        /* the last slice's time per transition, all told */
	struct iface *ifaces;
	struct garpq *garpqs; /* announcement pacing per link (garpq.c) */
	struct vsock *socks;
	struct script_rt *scripts;
	struct tfile_rt *tfiles;
	int inotify_fd; /* -1 when no file is tracked */
	struct tproc_rt *tprocs;
	struct bfd_rt *bfds;         /* bfd_instance sessions (bfd.c) */
	struct bfd_socks *bfd_socks; /* ... their receive sockets */
	struct child_cred script_cred; /* script_user, or keepalived_script, or root */
	int proc_cn_fd;                /* process connector, or -1 */
	struct timer t_proc_scan;
	struct timer t_resync;      /* netlink state read again after lost events */
	struct notify_lane orphans; /* scripts of instances a reload removed */
	int fifo_fd;                /* notify_fifo held open for notify_fifo_script, or -1 */
	pid_t fifo_pid;             /* notify_fifo_script */
	char fifo_path[256], fifo_script[256];
	struct timer t_fifo;
	struct smtp *smtp; /* smtp_alert mails (alert.c), made at the first one */
	bool nl_batch_open;
	bool watch_routes, watch_rules; /* the monitor hears them (routewatch.c) */
	bool statics_set;               /* static_* are in the kernel (statics.c) */
	bool stopping;
	bool instances_started; /* false during vrrp_startup_delay */
	struct timer t_startup;
	vtime_t started_at;
	struct confload *confload;       /* the config read for a reload */
	struct reload_tail *reload_tail; /* priorities brought up to date after one (reload.c) */
	uint64_t reloads;
	uint64_t reload_failures;
	bool reload_failed;     /* the last reload was refused */
	vtime_t reload_at;      /* when the last one ended, or 0 */
	struct httpd *httpd;    /* metrics_listen (metrics.c), or NULL */
	char metrics_bound[80]; /* ... the setting it listens by */
	struct agentx *agentx;  /* enable_snmp_rfcv3 (vrrpmib.c), or NULL */
	bool snmp_started;      /* ... tried once: SNMP settings are read at start */
	char snmp_socket[128];  /* ... the snmp_socket it was started with */
};

void vipd_nl_batch(struct vipd *d);   /* open the netlink batch for this loop turn */
void vipd_flush_all(struct vipd *d);  /* every queued advert, trace and netlink request */
void vipd_apply_nft(struct vipd *d);  /* vipd's nftables table for the config in force */
void vipd_sd_notify(const char *msg); /* systemd's notify socket, when there is one */
void vipd_nl_flush(struct vipd *d);   /* commits the netlink batch */

#endif
