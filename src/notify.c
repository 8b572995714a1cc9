/*
 * notify.c: keepalived's notify scripts and notify FIFO on every transition.
 *
 * notify_master / notify_backup / notify_fault / notify_stop run first, then
 * the generic "notify" with four more arguments: INSTANCE, the name, the new
 * state (MASTER, BACKUP, FAULT, STOP) and the priority. Scripts run without
 * a shell (the command is split into words, "quoted" words kept whole), in
 * their own process group, without blocking the loop; SIGCHLD reaps them.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "child.h"
#include "daemon.h"
#include "log.h"

static void spawn(struct instance *in, const struct conf_cmd *cmd, const char *const *extra)
{
	struct child_cred cred;
	char what[96];

	snprintf(what, sizeof(what), "%s: notify", in->name);
	if (script_allowed(in->d, what, cmd, &cred))
		child_spawn(cmd->cmd, extra, &cred, NULL, NULL);
}

static void fifo_line(const char *path, const char *line)
{
	int fd = open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0)
		return; /* nobody is reading */
	if (write(fd, line, strlen(line)) < 0 && errno != EAGAIN)
		log_warn("writing to %s", path);
	close(fd);
}

void notify_transition(struct instance *in, enum vrrp_state to)
{
	const struct conf_notify *n = &in->c->notify;
	const struct conf_cmd *which = to == VRRP_STATE_MASTER   ? &n->master
	                               : to == VRRP_STATE_BACKUP ? &n->backup
	                               : to == VRRP_STATE_FAULT  ? &n->fault
	                                                         : &n->stop;
	const char *state = to == VRRP_STATE_INIT ? "STOP" : vrrp_state_name(to);
	char prio[8], line[160];

	snprintf(prio, sizeof(prio), "%u", in->fsm.priority);
	if (which->cmd)
		spawn(in, which, NULL);
	if (n->any.cmd) {
		const char *extra[] = {"INSTANCE", in->name, state, prio, NULL};
		spawn(in, &n->any, extra);
	}
	const struct conf_global *g = &in->d->conf->global;
	if (g->notify_fifo.cmd) {
		snprintf(line, sizeof(line), "INSTANCE \"%s\" %s %s\n", in->name, state, prio);
		fifo_line(g->notify_fifo.cmd, line);
	}
}

void notify_reap(void)
{
	child_reap();
}
