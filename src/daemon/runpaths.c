/*
 * runpaths.c: keepalived's `instance NAME`, for several vipd on one host:
 * each keeps its own pid file (/run/vipd/vipd_NAME.pid), control socket
 * (/run/vipd/vipd_NAME.sock) and run directory (/run/vipd/NAME: the record
 * of the addresses it added, its dumps), and logs as vipd_NAME (with
 * net_namespace, vipd_NS_NAME, keepalived's syslog ident rule). A path
 * given on the command line wins. Read at start only, as in keepalived.
 */
#include <stdio.h>

#include "daemon/runpaths.h"
#include "lib/log.h"

void runpaths_apply(struct vipd_opts *o, const struct conf_global *g)
{
	static char pid[300], sock[300], dir[300], ident[2 * CONF_NAME_MAX + 8];
	const char *ns = o->netns_set ? "" : g->net_namespace, *name = g->instance_name;

	if (!ns[0] && !name[0])
		return;
	snprintf(ident, sizeof(ident), "vipd%s%s%s%s", ns[0] ? "_" : "", ns, name[0] ? "_" : "",
	         name);
	log_set_ident(ident);
	if (!name[0])
		return;
	snprintf(pid, sizeof(pid), "/run/vipd/vipd_%s.pid", name);
	snprintf(sock, sizeof(sock), "/run/vipd/vipd_%s.sock", name);
	snprintf(dir, sizeof(dir), "/run/vipd/%s", name);
	if (!o->paths_set[0])
		o->pid_file = pid;
	if (!o->paths_set[1])
		o->ctl_path = sock;
	if (!o->paths_set[2])
		o->run_dir = dir;
	log_info("instance %s: pid file %s, control socket %s, run directory %s", name, o->pid_file,
	         o->ctl_path, o->run_dir);
}
