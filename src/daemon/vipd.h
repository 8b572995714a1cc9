/*
 * vipd.h: what the command line hands to the daemon.
 */
#ifndef VIPD_VIPD_H
#define VIPD_VIPD_H

#include <stdbool.h>

struct vipd_opts {
	const char *conf_path;     /* resolved path of the config file */
	const char *pid_file;      /* default /run/vipd/vipd.pid */
	const char *ctl_path;      /* default /run/vipd/vipd.sock */
	const char *run_dir;       /* default /run/vipd: state dumps (SIGUSR1/2) */
	const char *vrrp_pid_file; /* -r: keepalived's VRRP process pid file, or NULL */
	const char *config_id;     /* -i: what @ID config lines match (NULL: the host name) */
	bool paths_set[3];         /* -p, --socket, --run-dir given: instance NAME leaves it */
	bool dont_fork;            /* -n */
	bool umask_set;            /* -u given: global_defs umask does not apply */
	bool netns_set;            /* -s given: net_namespace does not apply */
	bool log_console;          /* -l */
	bool no_syslog;            /* -G */
	bool dump_conf;            /* -d: the config in force logged at start */
	bool no_bfd;               /* -B: no BFD session runs, as keepalived runs no BFD process */
	int log_facility;          /* -S: LOG_DAEMON unless given */
	unsigned debug;            /* -D: every log category traced, --debug: some */
};

/* Runs the daemon until SIGTERM/SIGINT. Returns the process exit code. */
int vipd_run(const struct vipd_opts *o);

#endif
