/*
 * agentx.c: net-snmp's AgentX subagent (RFC 2741) in vipd's loop, never a
 * thread or a wait of its own. After every call into net-snmp the fds it
 * wants (snmp_select_info2) are put in the loop afresh, and one loop timer
 * follows the timeout it returns (its requests' deadlines and its alarms:
 * net-snmp is told not to use SIGALRM). Readable: snmp_read2; timer:
 * snmp_timeout and run_alarms. The session with the master is axsess.c's,
 * which never waits for the master either. No config or state file of
 * net-snmp's is read or written. Owns struct agentx.
 */
#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>
#include <net-snmp/library/large_fd_set.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <syslog.h>

#include "linux/agentx.h"
#include "lib/log.h"
#include "linux/axsess.h"
#include "linux/loop.h"

#define AGENTX_FDS 16

struct agentx {
	struct loop *loop;
	struct timer t; /* net-snmp's deadlines and alarms */
	int fds[AGENTX_FDS];
	size_t n;
	struct axsess *sess;
	char name[32];
};

static void on_fd(int fd, uint32_t events, void *arg);

/* net-snmp's log lines into vipd's log. */
static int on_log(int major, int minor, void *server, void *client)
{
	const struct snmp_log_message *m = server;
	char buf[256];

	snprintf(buf, sizeof(buf), "%s", m->msg ? m->msg : "");
	buf[strcspn(buf, "\n")] = 0;
	if (m->priority <= LOG_WARNING)
		log_warnx("snmp: %s", buf);
	else
		log_debug("snmp: %s", buf);
	return 0;
}

/* Every fd net-snmp waits on put in the loop afresh (it closes and
 * reopens them on its own: a number may be reused), and the timer set.
 * A session lost in a callback is closed first. */
void agentx_sync(struct agentx *a)
{
	netsnmp_large_fd_set set;
	struct timeval tv = {0};
	int maxfd = 0, block = 1;

	axsess_settle(a->sess);
	for (size_t i = 0; i < a->n; i++)
		loop_del(a->loop, a->fds[i]);
	a->n = 0;
	netsnmp_large_fd_set_init(&set, FD_SETSIZE);
	snmp_select_info2(&maxfd, &set, &tv, &block);
	for (int fd = 0; fd < maxfd && a->n < AGENTX_FDS; fd++)
		if (NETSNMP_LARGE_FD_ISSET(fd, &set) && loop_add(a->loop, fd, on_fd, a) == 0)
			a->fds[a->n++] = fd;
	netsnmp_large_fd_set_cleanup(&set);
	if (block)
		loop_timer_cancel(a->loop, &a->t);
	else
		loop_timer_set(a->loop, &a->t,
		               loop_now() + (vtime_t)tv.tv_sec * 1000000 + tv.tv_usec);
}

static void on_fd(int fd, uint32_t events, void *arg)
{
	struct agentx *a = arg;
	netsnmp_large_fd_set set;

	netsnmp_large_fd_set_init(&set, FD_SETSIZE);
	NETSNMP_LARGE_FD_SET(fd, &set);
	snmp_read2(&set);
	netsnmp_large_fd_set_cleanup(&set);
	run_alarms();
	agentx_sync(a);
}

static void on_timer(struct timer *t, vtime_t now, void *arg)
{
	struct agentx *a = arg;

	snmp_timeout();
	run_alarms();
	agentx_sync(a);
}

static void settings(void)
{
	netsnmp_ds_set_boolean(NETSNMP_DS_APPLICATION_ID, NETSNMP_DS_AGENT_ROLE, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_ALARM_DONT_USE_SIG, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DONT_READ_CONFIGS, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DONT_PERSIST_STATE, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DISABLE_PERSISTENT_LOAD, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DISABLE_PERSISTENT_SAVE, 1);
	/* no ping alarm of net-snmp's: it would reopen a session of its own */
	netsnmp_ds_set_int(NETSNMP_DS_APPLICATION_ID, NETSNMP_DS_AGENT_AGENTX_PING_INTERVAL, 0);
}

static void after(void *arg)
{
	agentx_sync(arg);
}

struct agentx *agentx_open(struct loop *l, const char *name, const char *socket, char *why,
                           size_t why_len)
{
	struct agentx *a = calloc(1, sizeof(*a));

	if (!a) {
		snprintf(why, why_len, "out of memory");
		return NULL;
	}
	a->loop = l;
	snprintf(a->name, sizeof(a->name), "%s", name);
	timer_init(&a->t, on_timer, a);
	snmp_disable_log();
	snmp_enable_calllog();
	snmp_register_callback(SNMP_CALLBACK_LIBRARY, SNMP_CALLBACK_LOGGING, on_log, NULL);
	settings();
	if (init_agent(a->name) != 0) {
		snprintf(why, why_len, "net-snmp's init_agent failed");
		free(a);
		return NULL;
	}
	if (!(a->sess = axsess_new(l, socket, a->name, after, a, why, why_len))) {
		snmp_shutdown(a->name);
		free(a);
		return NULL;
	}
	return a;
}

/* init_snmp after the caller's registrations, then the first connect. No
 * MIB module is read (the subagent needs none; MIBS empty while it
 * starts, the environment as it was after). */
void agentx_start(struct agentx *a)
{
	const char *was = getenv("MIBS");
	char *keep = was ? strdup(was) : NULL;

	setenv("MIBS", "", 1);
	settings(); /* again: init_agent set its defaults */
	init_snmp(a->name);
	if (keep)
		setenv("MIBS", keep, 1);
	else
		unsetenv("MIBS");
	free(keep);
	axsess_start(a->sess);
	agentx_sync(a);
}

void agentx_close(struct agentx *a)
{
	if (!a)
		return;
	axsess_free(a->sess);
	for (size_t i = 0; i < a->n; i++)
		loop_del(a->loop, a->fds[i]);
	loop_timer_cancel(a->loop, &a->t);
	snmp_shutdown(a->name);
	free(a);
}
