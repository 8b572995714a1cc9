/*
 * conf.h: the parsed keepalived.conf (VRRP side), as plain data.
 *
 * The parser (parse.c) fills it, confcheck.c validates it, confdump.c prints
 * its canonical form, and the daemon reads it. Times are in microseconds.
 * Every object keeps the position it was defined at, for messages.
 */
#ifndef VIPD_CONF_H
#define VIPD_CONF_H

#include <net/if.h>
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "lib/addr.h"
#include "lib/strmap.h"

struct srcpos {
	const char *file; /* interned in struct conf; never NULL once parsed */
	int line;         /* 1-based */
	int col;          /* 1-based */
};

/* A growable array of T: items[0..n). */
#define VEC(T)                                                                                     \
	struct {                                                                                   \
		T *items;                                                                          \
		size_t n, cap;                                                                     \
	}

enum conf_state { CONF_STATE_UNSET, CONF_STATE_BACKUP, CONF_STATE_MASTER };
enum conf_auth { CONF_AUTH_NONE, CONF_AUTH_PASS, CONF_AUTH_AH };
enum conf_tristate { CONF_UNSET = -1, CONF_NO = 0, CONF_YES = 1 };

#define CONF_NAME_MAX      64
#define CONF_COMM_MAX      15 /* a process name (comm): TASK_COMM_LEN - 1 */
#define CONF_AUTH_PASS_MAX 8  /* RFC 3768 Authentication Data is 8 octets */

/* A script command line with optional user/group (notify_*, vrrp_script). */
struct conf_cmd {
	char *cmd; /* as written, NULL when unset */
	char *user;
	char *group;
	struct srcpos pos;
};

/* virtual_ipaddress / virtual_ipaddress_excluded entry (ip addr add options). */
struct conf_vip {
	struct addr addr;
	int prefixlen; /* -1 when not given: /32 or /128 */
	struct addr brd;
	struct addr peer;
	int peer_prefixlen;
	char dev[IFNAMSIZ]; /* empty: the instance's interface */
	char label[IFNAMSIZ];
	int scope; /* RT_SCOPE_*, -1 when not given */
	bool home, nodad, mngtmpaddr, noprefixroute, autojoin, no_track, use_vmac;
	int64_t preferred_lft;           /* seconds; -1 unset; -2 forever */
	char track_group[CONF_NAME_MAX]; /* static_ipaddress only */
	struct srcpos pos;
};

#define CONF_RTAX_N       18 /* RTAX_FASTOPEN_NO_COOKIE + 1 */
#define CONF_NEXTHOPS_MAX 16

/* garp_extra_if [all] SECS: a periodic GARP/NA on the VIP interfaces that
 * send no adverts (the vmac with vmac_xmit_base; with all, every VIP dev). */
struct conf_garp_extra {
	int interval_s; /* -1 unset (instance: the global's; global: off) */
	bool all;
};

/* virtual_routes entry (ip route add options). */
struct conf_route {
	struct addr dst;
	int dst_len;
	struct addr src;
	struct addr via;
	struct addr or_via; /* keepalived's "or" for a second gateway */
	char dev[IFNAMSIZ];
	int scope;      /* -1 unset */
	uint32_t table; /* 0 unset (main) */
	int64_t metric; /* -1 unset */
	int type;       /* RTN_UNICAST, RTN_BLACKHOLE, RTN_UNREACHABLE, RTN_PROHIBIT, ... */
	int protocol;   /* -1 unset */
	bool onlink, no_track;
	/* the rest of ip-route(8) keepalived takes (routeopts.c); -1 unset */
	struct addr from; /* IPv6 source prefix (RTA_SRC) */
	int from_len;
	int64_t metrics[CONF_RTAX_N]; /* RTAX_MTU ... by RTAX_ number: mtu, advmss, ... */
	uint32_t metrics_lock;        /* "lock NAME": bit RTAX_ number */
	char congctl[16];             /* RTAX_CC_ALGO */
	int64_t expires, realms;
	int tos, pref, ttl_propagate;
	struct conf_nexthop {
		struct addr via;
		char dev[IFNAMSIZ];
		int weight; /* 1..256; 0: 1 */
		bool onlink;
	} nexthops[CONF_NEXTHOPS_MAX]; /* "nexthop via ... dev ... weight ..." (multipath) */
	int n_nexthops;
	char track_group[CONF_NAME_MAX]; /* static_routes only */
	struct srcpos pos;
};

/* virtual_rules entry (ip rule add options). */
struct conf_rule {
	struct addr from;
	int from_len;
	struct addr to;
	int to_len;
	uint32_t table;   /* 0 unset */
	int64_t priority; /* "priority/preference/pref", -1 unset */
	char iif[IFNAMSIZ];
	char oif[IFNAMSIZ];
	int64_t fwmark, fwmask; /* -1 unset */
	int action;             /* FR_ACT_TO_TBL, FR_ACT_BLACKHOLE, ... */
	bool invert, no_track;
	/* the rest of ip-rule(8) keepalived takes (routeopts.c); -1 unset */
	int64_t tos, realms, suppress_prefixlen, suppress_ifgroup, tunnel_id, protocol, ip_proto;
	int64_t goto_target;
	int64_t uid_range[2], sport[2], dport[2];
	bool l3mdev;
	char track_group[CONF_NAME_MAX]; /* static_rules only */
	struct srcpos pos;
};

/* Reference from an instance or group to a tracked object, with weight override. */
struct conf_track {
	char name[CONF_NAME_MAX];
	int weight;      /* the override, valid when has_weight */
	bool has_weight; /* else the object's own weight (interfaces: 0) */
	bool reverse;
	struct srcpos pos;
};

/* The kinds of tracked object, and what names them in a block (conf.c
 * holds the table: the keyword, the block or object a name refers to, the
 * weight range). A new kind: one line here, one in the table, one file in
 * the daemon that tells its state (daemon/tracked.c). */
enum conf_track_kind {
	CONF_TRACK_SCRIPT,    /* track_script -> vrrp_script */
	CONF_TRACK_PROCESS,   /* track_process -> vrrp_track_process */
	CONF_TRACK_FILE,      /* track_file -> track_file (vrrp_track_file) */
	CONF_TRACK_INTERFACE, /* track_interface -> an interface */
	CONF_TRACK_BFD,       /* track_bfd -> bfd_instance */
	CONF_TRACK_KINDS
};
struct conf;
struct conf_track_type {
	const char *keyword; /* in vrrp_instance and vrrp_sync_group */
	const char *target;  /* what the names refer to, for messages */
	long weight_max;     /* |weight| */
	/* whether the config defines the named object, and its own weight and
	 * weight_reverse (NULL: the host defines it, an interface) */
	bool (*lookup)(const struct conf *c, const char *name, int *weight, bool *reverse);
};
extern const struct conf_track_type conf_track_kinds[CONF_TRACK_KINDS];
struct conf_tracks {
	struct conf_track *items;
	size_t n, cap;
};

struct conf_unicast_peer {
	struct addr addr;
	int min_ttl, max_ttl; /* -1 unset */
	struct srcpos pos;
};

/* advert_path entry (vipd extension): IFNAME [peer ADDR] [src ADDR]. */
struct conf_path {
	char ifname[IFNAMSIZ];
	struct addr peer; /* unset: multicast on ifname */
	struct addr src;  /* unset: ifname's address */
	struct srcpos pos;
};

struct conf_script {
	char name[CONF_NAME_MAX];
	struct conf_cmd cmd;  /* "script" */
	uint64_t interval_us; /* default 1 s */
	uint64_t timeout_us;  /* default: interval */
	int weight;           /* -253..253, default 0 */
	bool weight_reverse;
	int rise, fall; /* default 1, 1 */
	bool init_fail;
	struct srcpos pos;
};

struct conf_track_file {
	char name[CONF_NAME_MAX];
	char *path;
	int weight; /* default 1 */
	bool weight_reverse;
	bool init_file;     /* create if missing */
	int64_t init_value; /* with init_file */
	bool init_overwrite;
	struct srcpos pos;
};

struct conf_track_process {
	char name[CONF_NAME_MAX];
	char *process;          /* name or path */
	char *param_match_args; /* full command line when param_match is set */
	enum { PM_NONE, PM_INITIAL, PM_PARTIAL, PM_EXACT } param_match;
	int weight;
	bool weight_reverse;
	int quorum, quorum_max; /* default 1, unset -1 */
	uint64_t delay_us, terminate_delay_us, fork_delay_us;
	bool full_command;
	char *user; /* vipd extension process_user: only this user's processes */
	struct srcpos pos;
};

/* bfd_instance NAME { ... } (keepalived's syntax; RFC 5880/5881/5883),
 * checked at the end of its block as keepalived checks it (bfdconf.c). An
 * instance whose events go to keepalived's checker only is not kept. */
#define CONF_BFD_NAME_MAX 32 /* keepalived: names of at most 31 characters */
struct conf_bfd {
	char name[CONF_BFD_NAME_MAX];
	struct addr neighbor; /* neighbor_ip / neighbour_ip: required */
	struct addr source;   /* source_ip, the neighbor's family; unset: the kernel's choice */
	uint32_t min_rx_us;   /* min_rx: ms to 3 decimals, 1 ms and up; default 10 ms */
	uint32_t min_tx_us;   /* min_tx: likewise; default 10 ms */
	uint32_t idle_tx_us;  /* idle_tx: 1000 ms and up; default 1000 ms */
	int multiplier;       /* 1..255, default 5 */
	bool passive;
	int ttl;          /* ttl / hoplimit (one setting in keepalived): the outgoing IPv4
	                     TTL or IPv6 Hop Limit, 1..255, and what received packets are
	                     checked against; default 255 (IPv4), 64 (IPv6) */
	bool ttl_default; /* not given: packets leave with 255 (RFC 5881 5) whatever
	                     the family, and are checked against ttl as keepalived does */
	int max_hops;     /* a received packet's TTL must be at least ttl - max_hops;
	                     0..ttl, default 0; 255 (-1 as written): not checked */
	bool multihop;    /* RFC 5883, port 4784; else RFC 5881, port 3784 */
	int weight;       /* -253..253, default 0: track_bfd's weight */
	bool weight_reverse;
	bool vrrp, checker; /* as written: the keepalived processes its events go to
	                       (neither: both) */
	struct srcpos pos;
};

struct conf_notify {
	struct conf_cmd master, backup, fault, stop, deleted, any; /* notify_* and notify */
	struct conf_cmd master_rx_lower_pri;
	struct conf_cmd split_brain; /* vipd extension */
	bool priority_changes;
	bool deleted_set; /* notify_deleted given: DELETED, not FAULT, when a reload drops it */
};

struct conf_instance {
	char name[CONF_NAME_MAX];
	struct srcpos pos;
	enum conf_state state;
	char ifname[IFNAMSIZ];
	int vrid;     /* 1..255; 0 unset */
	int priority; /* 1..255; default 100 */
	bool priority_set;
	uint64_t advert_int_us; /* default 1 s */
	int version;            /* 2 or 3; 0: global vrrp_version (IPv6: 3) */
	int family;             /* AF_INET/AF_INET6 from virtual_ipaddress; AF_UNSPEC if none */

	enum conf_auth auth_type;
	char auth_pass[CONF_AUTH_PASS_MAX + 1];

	VEC(struct conf_vip) vips;
	VEC(struct conf_vip) vips_excluded;
	VEC(struct conf_route) routes;
	VEC(struct conf_rule) rules;

	bool nopreempt;
	uint64_t preempt_delay_us;
	bool dont_track_primary;
	bool track_src_ip;
	enum conf_tristate accept; /* accept / no_accept */
	enum conf_tristate strict; /* inherits vrrp_strict */
	bool skip_check_adv_addr;
	bool v3_checksum_as_v2;    /* vipd: RFC 9568 message-only checksum for v3 IPv4 */
	bool preempt_lower_master; /* vipd: preempt a lower master at once */
	bool promote_secondaries;
	bool no_vips; /* no_virtual_ipaddress: none is wanted, no warning */
	bool owner_ignore_adverts;
	bool if_delays_off;       /* its interface's delays are too long for it (confcheck) */
	int timer_expired_backup; /* the others' highest priority (1-254); 0 off */
	int down_timer_adverts;   /* default 3 */

	/* announcements; -1 / CONF_UNSET: inherit global */
	int64_t garp_master_delay_us;
	int garp_master_repeat;
	int64_t garp_master_refresh_us;
	int garp_master_refresh_repeat;
	int64_t garp_lower_prio_delay_us;
	int garp_lower_prio_repeat;
	enum conf_tristate lower_prio_no_advert;
	enum conf_tristate higher_prio_send_advert;
	struct conf_garp_extra garp_extra_if;

	bool use_vmac;
	char vmac_name[IFNAMSIZ];
	bool vmac_xmit_base;

	struct addr mcast_src_ip;
	struct addr mcast_dst_ip;
	struct addr unicast_src_ip;
	VEC(struct conf_unicast_peer) unicast_peers;
	int unicast_ttl;             /* -1 unset */
	VEC(struct conf_path) paths; /* vipd: more paths for the adverts */
	bool check_unicast_src;
	bool unicast_fault_no_peer;

	struct conf_tracks tracks[CONF_TRACK_KINDS]; /* track_script, track_interface, ... */
	/* vipd extension master_down_bfd NAME...: a Down after Up of one of these
	 * bfd_instances, whose neighbor_ip is the master this Backup last heard,
	 * is that master's death (Master_Down_Timer set to Skew_Time). Names only. */
	struct conf_tracks master_down_bfd;

	struct conf_notify notify;
	enum conf_tristate smtp_alert; /* unset: smtp_alert_vrrp, then smtp_alert */
	bool debug;
};

struct conf_sync_group {
	char name[CONF_NAME_MAX];
	struct srcpos pos;
	VEC(char *) members;
	struct conf_tracks tracks[CONF_TRACK_KINDS]; /* track_script, track_interface, ... */
	struct conf_notify notify;
	enum conf_tristate smtp_alert; /* unset: smtp_alert_vrrp, then smtp_alert */
	bool global_tracking;
	bool sync_group_tracking_weight;
};

struct conf_global {
	char router_id[CONF_NAME_MAX];
	int vrrp_version;              /* default 2 */
	struct addr vrrp_mcast_group4; /* default 224.0.0.18 */
	struct addr vrrp_mcast_group6; /* default ff02::12 */

	int64_t garp_master_delay_us;   /* default 5 s */
	int garp_master_repeat;         /* default 5 */
	int64_t garp_master_refresh_us; /* default 0: off */
	int garp_master_refresh_repeat; /* default 1 */
	int64_t garp_lower_prio_delay_us;
	int garp_lower_prio_repeat;
	struct conf_garp_extra garp_extra_if; /* vrrp_garp_extra_if */
	int64_t garp_interval_us;             /* default 0 */
	int64_t gna_interval_us;              /* default 0 */
	bool lower_prio_no_advert;
	bool higher_prio_send_advert;

	bool vrrp_strict;
	bool fast_master_start; /* vipd extension: "state MASTER" waits one interval + skew */
	bool skip_check_adv_addr;
	bool check_unicast_src;
	uint64_t startup_delay_us;

	bool enable_script_security;
	char *script_user;
	char *script_group;
	struct conf_cmd notify_fifo;        /* path; cmd.user unused */
	struct conf_cmd notify_fifo_script; /* run on each fifo line */
	int vrrp_priority;                  /* process nice value, -20..19; 0 unset */
	int vrrp_rt_priority;               /* SCHED_RR priority; 0 unset */
	bool vrrp_no_swap;
	bool dynamic_interfaces;
	int max_auto_priority;            /* -1 unset; SCHED_RR raised up to it when late */
	int min_auto_priority_delay_us;   /* that late: default 1 s */
	char default_interface[IFNAMSIZ]; /* static addresses without dev; "" eth0 */
	int umask;                        /* -1 unset (-u on the command line wins) */
	char *cpu_affinity;               /* vrrp_cpu_affinity: a CPU list, checked */
	int rlimit_rttime_us;             /* vrrp_rlimit_rttime; -1 unset */
	uint64_t delay_after_boot_us;
	bool v3_checksum_as_v2;
	int down_timer_adverts; /* vrrp_down_timer_adverts; default 3 */
	bool log_unknown_vrids;
	bool owner_ignore_adverts;
	char vmac_prefix[8]; /* vmac names: PREFIX.VRID; default "vrrp" */
	bool notify_priority_changes;
	bool fifo_write_states_on_reload;
	struct conf_cmd startup_script, shutdown_script;
	char net_namespace[CONF_NAME_MAX]; /* top-level net_namespace NAME */
	char instance_name[CONF_NAME_MAX]; /* top-level instance NAME: this vipd's files */
	/* keepalived 2.4's dump paths (NULL: $TMPDIR or /tmp, keepalived's names) */
	char *state_dump_file, *stats_dump_file, *json_dump_file;
	/* process_name / vrrp_process_name (process_names: "keepalived_vrrp"), at
	 * most 15 characters: vipd's comm (vrrp_process_name wins) */
	char *process_name, *vrrp_process_name;
	uint64_t startup_script_timeout_us, shutdown_script_timeout_us; /* default 10 s */
	/* email alerts (daemon/alert.c): NULL / 0 when not given */
	VEC(char *) emails;       /* notification_email */
	char *email_from;         /* notification_email_from; default USER@HOST */
	char *smtp_server;        /* an address or a host name */
	int smtp_port;            /* 0: 25 */
	char *smtp_helo_name;     /* default the host name */
	int smtp_connect_timeout; /* seconds; 0: 30 */
	enum conf_tristate smtp_alert, smtp_alert_vrrp;
	bool no_email_faults;
	char *metrics_listen; /* vipd: [ADDR:]PORT of the Prometheus listener; NULL off */
	bool snmp_rfcv3;      /* enable_snmp_rfcv3: serve VRRPV3-MIB (RFC 6527) */
	bool snmp_rfc;        /* enable_snmp_rfc: the same (RFC 2787 is not served) */
	bool snmp_traps;      /* enable_traps: vrrpv3NewMaster, vrrpv3ProtoError */
	char *snmp_socket;    /* snmp_socket: the AgentX master; NULL net-snmp's default */
};

/* static_ipaddress, static_routes, static_rules: set at start whatever the
 * VRRP state, kept while vipd runs, removed at stop (daemon/statics.c). */
struct conf_statics {
	VEC(struct conf_vip) vips;
	VEC(struct conf_route) routes;
	VEC(struct conf_rule) rules;
};

/* track_group NAME { group { VI_1 ... } }: the instances that go to Fault
 * while the interface of a static entry naming the group is down. */
struct conf_track_group {
	char name[CONF_NAME_MAX];
	struct srcpos pos;
	VEC(char *) members;
};

/* garp_group { garp_interval gna_interval interface | interfaces { } }: the
 * least time between two announcements on those interfaces together. */
struct conf_garp_group {
	int64_t garp_interval_us, gna_interval_us; /* -1 unset */
	VEC(char *) ifaces;
	struct srcpos pos;
};

/* interface_up_down_delays { IFNAME DOWN [UP] }: a link state change
 * counts only once it has lasted that long (seconds, to 255). */
struct conf_if_delay {
	char ifname[IFNAMSIZ];
	int64_t down_us, up_us;
	struct srcpos pos;
};

struct conf {
	struct conf_global global;
	VEC(struct conf_if_delay) if_delays;
	struct conf_statics statics;
	VEC(struct conf_track_group) track_groups;
	VEC(struct conf_garp_group) garp_groups;
	VEC(struct conf_instance) instances;
	VEC(struct conf_sync_group) sync_groups;
	VEC(struct conf_script) scripts;
	VEC(struct conf_track_file) track_files;
	VEC(struct conf_track_process) track_processes;
	VEC(struct conf_bfd) bfds;
	VEC(char *) files;                             /* interned file names, for srcpos */
	struct strmap instance_names;                  /* name -> index in instances */
	struct strmap object_names[CONF_TRACK_KINDS];  /* vrrp_script etc.: name -> index */
	struct strmap tracked_names[CONF_TRACK_KINDS]; /* names the instances track */
	bool tracked_indexed; /* tracked_names is complete (conf_sync_merge_tracking) */
	int warnings;
	int errors; /* counted all; the first CONF_DIAG_SHOWN are reported */
};

#define CONF_DIAG_SHOWN 1000

/* Diagnostics: "file:line:col: error|warning: message" to the sink. */
enum conf_severity { CONF_WARNING, CONF_ERROR };
typedef void (*conf_diag_fn)(void *arg, enum conf_severity, const struct srcpos *, const char *msg);

struct conf_opts {
	conf_diag_fn diag; /* NULL: print to stderr */
	void *diag_arg;
	bool check_interfaces; /* warn about interfaces that do not exist now */
	bool check_commands;   /* warn about script programs not found now (PATH) */
	bool no_include;       /* conf_load_string: include is an error (fuzzing) */
	const char *config_id; /* -i: what @ID lines match (NULL: the host name) */
};

/* Reads and parses path (with includes) into *out. Returns 0, or -1 on a
 * fatal error (file unreadable); conf->errors counts non-fatal errors. */
int conf_load(const char *path, const struct conf_opts *opts, struct conf **out);
/* Same, from a string; name is used in positions and for relative includes. */
int conf_load_string(const char *name, const char *text, size_t len, const struct conf_opts *opts,
                     struct conf **out);
/* Semantic validation after parsing; adds to conf->errors/warnings. */
void conf_validate(struct conf *c, const struct conf_opts *opts);
/* Canonical dump: itself a valid config that parses to the same conf. */
void conf_dump(const struct conf *c, FILE *f);
/* One list entry as the dump writes it, without the newline: two entries
 * are the same address, route or rule when these match. */
void conf_dump_vip(FILE *f, const struct conf_vip *v);
void conf_dump_route(FILE *f, const struct conf_route *r);
void conf_dump_rule(FILE *f, const struct conf_rule *r);
/* What a running router cannot take without starting again: the canonical
 * dump of the instance without the keywords marked live (malloc'd, or NULL
 * when out of memory). Two instances are the same router when these match. */
char *conf_instance_fixed(const struct conf_instance *in);
void conf_free(struct conf *c);

/* metrics_listen's "PORT", "ADDR:PORT" or "[ADDR6]:PORT" (only a port:
 * 127.0.0.1); port 1..65535. a or port NULL: only checked. */
bool conf_listen_parse(const char *s, struct addr *a, int *port);
/* vrrp_cpu_affinity's "0-3,6" into *set (NULL: only checked). */
bool conf_cpu_list(const char *s, cpu_set_t *set);
const struct conf_instance *conf_find_instance(const struct conf *c, const char *name);
const struct conf_script *conf_find_script(const struct conf *c, const char *name);
const struct conf_bfd *conf_find_bfd(const struct conf *c, const char *name);
/* The weight in force: the reference's override, else the object's own. */
int conf_track_weight(const struct conf *c, enum conf_track_kind kind, const struct conf_track *t);
/* Whether an instance tracks the object of this kind and name. */
bool conf_tracked(const struct conf *c, enum conf_track_kind kind, const char *name);

/* Daemon side: a sync group's tracked objects added to each member, and
 * the interfaces of static entries to their track_group's members. */
void conf_sync_merge_tracking(struct conf *c);
void conf_statics_merge_tracking(struct conf *c);
/* statics.c: static_* and track_group checks (conf_validate calls it). */
void conf_check_statics(struct conf *c, const struct conf_opts *o);
const struct conf_track_group *conf_find_track_group(const struct conf *c, const char *name);

/* Decimal seconds ("0.01") to microseconds; false when malformed. */
bool conf_parse_usec(const char *s, uint64_t *out);

/* The defaults of a new block, before its keywords are read (conf.c). */
void conf_instance_defaults(struct conf_instance *in);
void conf_script_defaults(struct conf_script *s);
void conf_track_file_defaults(struct conf_track_file *t);
void conf_track_process_defaults(struct conf_track_process *t);
void conf_sync_group_defaults(struct conf_sync_group *g);
void conf_bfd_defaults(struct conf_bfd *b);
/* keepalived's smtp_alert of an instance or sync group: its own, else
 * global smtp_alert_vrrp, else global smtp_alert, else off. */
bool conf_smtp_alert(const struct conf_global *g, enum conf_tristate own);

#endif
