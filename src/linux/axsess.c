/*
 * axsess.c: the AgentX session with the master, vipd's rather than
 * net-snmp's (whose open, registrations and pings wait for the answer in
 * a select of their own, so a hung or stopped master held the loop). The
 * connect is finished by the loop (axsock.c); then the Open, each Register
 * and a Ping every AXSESS_PING_S go out with snmp_async_send, their
 * answers coming back as callbacks, their deadlines kept by net-snmp's
 * timeouts (agentx.c's loop timer). A master that does not answer within
 * AXSESS_TIMEOUT_S, refuses, or closes the connection loses the session,
 * opened again AXSESS_PING_S later; the first failure is a warning, the
 * next ones debug until a ping is answered again. The master's requests
 * are net-snmp's subagent's (handle_agentx_packet), and so are traps (a
 * trap session). A callback only marks the session lost: it is closed by
 * axsess_settle, outside net-snmp. Owns struct axsess and the net-snmp
 * session in it.
 */
#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>
#include <net-snmp/agent/agent_callbacks.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "linux/axsess.h"
#include "lib/log.h"
#include "linux/axsock.h"
#include "linux/loop.h"

#define AXSESS_PING_S    2 /* how often the master is pinged, or tried again */
#define AXSESS_TIMEOUT_S 1 /* how long an answer of the master is awaited */

/* RFC 2741's values (net-snmp's agentx/protocol.h is not installed) */
#define AX_VERSION_1       193
#define AX_MSG_OPEN        1
#define AX_MSG_CLOSE       2
#define AX_MSG_REGISTER    3
#define AX_MSG_NOTIFY      12
#define AX_MSG_PING        13
#define AX_FLAG_INSTANCE   0x01 /* an instance registration */
#define AX_FLAG_CONTEXT    0x08 /* a non-default context */
#define AX_CLOSE_SHUTDOWN  5
#define AX_ERR_OPEN_FAILED 256 /* the first of RFC 2741's own errors */

/* Exported by net-snmp's agent library with no installed header (meson
 * checks that they link). */
int agentx_parse(netsnmp_session *s, netsnmp_pdu *pdu, u_char *buf, size_t len);
int agentx_realloc_build(netsnmp_session *s, netsnmp_pdu *pdu, u_char **buf, size_t *buf_len,
                         size_t *out_len);
int agentx_check_packet(u_char *buf, size_t len);
int handle_agentx_packet(int op, netsnmp_session *s, int reqid, netsnmp_pdu *pdu, void *magic);
int subagent_startup(int major, int minor, void *server, void *client);

enum ax_state {
	AX_WAIT,    /* the next try is on the retry timer */
	AX_CONNECT, /* the connect under way, its deadline on the retry timer */
	AX_OPENING, /* the Open sent */
	AX_OPEN,    /* registered (or registering); pinged on the retry timer */
	AX_LOST,    /* to be closed by axsess_settle, then AX_WAIT */
};

struct axsess {
	struct loop *loop;
	struct timer retry; /* see enum ax_state */
	enum ax_state state;
	int cfd;             /* the connecting socket, or -1 */
	netsnmp_session *ss; /* net-snmp's session, from the connect on */
	bool ping_out;       /* a ping awaits its answer */
	bool quiet;          /* a failure was logged: the next ones are debug,
	                        until a ping is answered */
	void (*after)(void *arg);
	void *arg;
	struct axaddr addr;
	char descr[32];
};

static void retry_in(struct axsess *s, int seconds)
{
	loop_timer_set(s->loop, &s->retry, loop_now() + (vtime_t)seconds * 1000000);
}

/* A failure; the next try in AXSESS_PING_S unless lost (see lose). */
LOG_PRINTF(2, 3) static void fail(struct axsess *s, const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (s->quiet)
		log_debug("snmp: %s; trying again every %d s", buf, AXSESS_PING_S);
	else
		log_warnx("snmp: %s; trying again every %d s", buf, AXSESS_PING_S);
	s->quiet = true;
	s->state = AX_WAIT;
	retry_in(s, AXSESS_PING_S);
}

/* From net-snmp's callbacks: the session is closed by axsess_settle. */
LOG_PRINTF(2, 3) static void lose(struct axsess *s, const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	if (s->state == AX_LOST)
		return; /* the first cause is the one told */
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	fail(s, "%s", buf);
	s->state = AX_LOST;
}

static const char *ax_error(long e)
{
	static const char *const name[] = {"openFailed",          "notOpen",
	                                   "indexWrongType",      "indexAlreadyAllocated",
	                                   "indexNoneAvailable",  "indexNotAllocated",
	                                   "unsupportedContext",  "duplicateRegistration",
	                                   "unknownRegistration", "unknownAgentCaps",
	                                   "parseError",          "requestDenied",
	                                   "processingError"};
	long n = (long)(sizeof(name) / sizeof(name[0]));

	return e >= AX_ERR_OPEN_FAILED && e < AX_ERR_OPEN_FAILED + n ? name[e - AX_ERR_OPEN_FAILED]
	                                                             : "an error";
}

/* Whether a request of ours (what: "the Open") was answered with no
 * error; if not, the session is lost. */
static bool answered(struct axsess *s, netsnmp_session *ss, int op, netsnmp_pdu *pdu,
                     const char *what)
{
	if (ss != s->ss)
		return false; /* of a session closed since: its requests end so */
	if (op == NETSNMP_CALLBACK_OP_TIMED_OUT)
		lose(s, "the AgentX master at %s did not answer %s in %d s", s->addr.text, what,
		     AXSESS_TIMEOUT_S);
	else if (op != NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE)
		lose(s, "%s could not be sent to the AgentX master at %s", what, s->addr.text);
	else if (pdu->errstat != SNMP_ERR_NOERROR)
		lose(s, "the AgentX master at %s refused %s (%s, %ld)", s->addr.text, what,
		     ax_error(pdu->errstat), pdu->errstat);
	else
		netsnmp_set_agent_uptime(pdu->time); /* the master's sysUpTime, for traps */
	return s->state != AX_LOST;
}

/* pdu sent on the session, its answer to cb. */
static void request(struct axsess *s, netsnmp_pdu *pdu, snmp_callback cb)
{
	if (!pdu) {
		lose(s, "out of memory for a request to the AgentX master");
		return;
	}
	pdu->sessid = s->ss->sessid;
	if (!snmp_async_send(s->ss, pdu, cb, s)) {
		snmp_free_pdu(pdu);
		lose(s, "a request could not be sent to the AgentX master at %s", s->addr.text);
	}
}

static int on_registered(int op, netsnmp_session *ss, int reqid, netsnmp_pdu *pdu, void *arg)
{
	answered(arg, ss, op, pdu, "a registration");
	return 1;
}

/* net-snmp's registry asks for a subtree to be registered: at the Open
 * (register_mib_reattach) or later. With no session open it waits for the
 * next Open (the registry marked it detached). */
static int on_register(int major, int minor, void *server, void *client)
{
	const struct register_parameters *r = server;
	struct axsess *s = client;
	netsnmp_pdu *pdu;

	if (s->state != AX_OPEN || !(pdu = snmp_pdu_create(AX_MSG_REGISTER)))
		return 0;
	pdu->time = r->timeout;
	pdu->priority = r->priority;
	pdu->range_subid = r->range_subid;
	if (r->contextName) {
		pdu->flags |= AX_FLAG_CONTEXT;
		pdu->community = (u_char *)strdup(r->contextName);
		pdu->community_len = strlen(r->contextName);
	}
	if (r->flags & FULLY_QUALIFIED_INSTANCE)
		pdu->flags |= AX_FLAG_INSTANCE;
	if (r->range_subid) {
		snmp_pdu_add_variable(pdu, r->name, r->namelen, ASN_OBJECT_ID, r->name,
		                      r->namelen * sizeof(oid));
		if (pdu->variables)
			pdu->variables->val.objid[r->range_subid - 1] = r->range_ubound;
	} else {
		snmp_add_null_var(pdu, r->name, r->namelen);
	}
	request(s, pdu, on_registered);
	return 0;
}

static int on_pong(int op, netsnmp_session *ss, int reqid, netsnmp_pdu *pdu, void *arg)
{
	struct axsess *s = arg;

	if (!answered(s, ss, op, pdu, "a ping"))
		return 1;
	s->ping_out = false;
	if (s->quiet)
		log_info("snmp: AgentX session %ld with the master at %s works again",
		         (long)s->ss->sessid, s->addr.text);
	s->quiet = false;
	return 1;
}

static int on_opened(int op, netsnmp_session *ss, int reqid, netsnmp_pdu *pdu, void *arg)
{
	struct axsess *s = arg;

	if (!answered(s, ss, op, pdu, "the Open"))
		return 1;
	s->ss->sessid = pdu->sessid;
	if (!add_trap_session(s->ss, AX_MSG_NOTIFY, 1, AX_VERSION_1))
		log_warnx("snmp: no trap can be sent through the AgentX master");
	s->state = AX_OPEN;
	if (s->quiet) /* until it is seen to work: a refused registration loses it */
		log_debug("snmp: AgentX session %ld open with the master at %s", (long)pdu->sessid,
		          s->addr.text);
	else
		log_info("snmp: AgentX session %ld open with the master at %s", (long)pdu->sessid,
		         s->addr.text);
	register_mib_reattach(); /* on_register, per subtree */
	retry_in(s, AXSESS_PING_S);
	return 1;
}

/* The session's callback: the master's requests go to net-snmp's
 * subagent, which answers them through the handlers registered. */
static int on_session(int op, netsnmp_session *ss, int reqid, netsnmp_pdu *pdu, void *arg)
{
	struct axsess *s = arg;

	if (op == NETSNMP_CALLBACK_OP_DISCONNECT) {
		if (ss == s->ss)
			lose(s, "the AgentX master at %s closed the connection", s->addr.text);
		return 0;
	}
	return handle_agentx_packet(op, ss, reqid, pdu, NULL);
}

static void open_session(struct axsess *s, int fd)
{
	static const oid id[] = {0, 0}; /* zeroDotZero: vipd has no OID of its own */
	netsnmp_transport *t = axsock_transport(fd, &s->addr);
	netsnmp_session sess;
	netsnmp_pdu *pdu;

	snmp_sess_init(&sess);
	sess.version = AX_VERSION_1;
	sess.retries = 0;
	sess.timeout = AXSESS_TIMEOUT_S * 1000000L;
	if (s->addr.type == SOCK_STREAM)
		sess.flags |= SNMP_FLAGS_STREAM_SOCKET;
	sess.callback = on_session;
	sess.callback_magic = s;
	s->ss = t ? snmp_add_full(&sess, t, NULL, agentx_parse, NULL, NULL, agentx_realloc_build,
	                          agentx_check_packet, NULL)
	          : NULL; /* a transport it does not take, net-snmp frees */
	if (!s->ss) {
		fail(s, "no session with the AgentX master at %s (out of memory)", s->addr.text);
		return;
	}
	s->state = AX_OPENING;
	pdu = snmp_pdu_create(AX_MSG_OPEN);
	if (pdu) {
		pdu->time = 0; /* how long the master waits for our answers: its default */
		snmp_pdu_add_variable(pdu, id, OID_LENGTH(id), ASN_OCTET_STR, s->descr,
		                      strlen(s->descr));
	}
	request(s, pdu, on_opened);
}

static void on_connect(int fd, uint32_t events, void *arg)
{
	struct axsess *s = arg;
	int err = axsock_error(fd);

	loop_del(s->loop, fd);
	loop_timer_cancel(s->loop, &s->retry);
	s->cfd = -1;
	if (err) {
		close(fd);
		fail(s, "no AgentX master at %s (%s)", s->addr.text, strerror(err));
	} else {
		open_session(s, fd);
	}
	s->after(s->arg);
}

static void try_connect(struct axsess *s)
{
	int fd = axsock_connect(&s->addr), err = errno;

	if (fd >= 0 && loop_add(s->loop, fd, on_connect, s) == 0) {
		if (loop_set_events(s->loop, fd, EPOLLOUT) == 0) {
			s->cfd = fd;
			s->state = AX_CONNECT;
			retry_in(s, AXSESS_TIMEOUT_S); /* the connect's deadline */
			return;
		}
		loop_del(s->loop, fd);
	}
	if (fd >= 0) {
		err = errno;
		close(fd);
	}
	fail(s, "no AgentX master at %s (%s)", s->addr.text, strerror(err));
}

static void on_retry(struct timer *t, vtime_t now, void *arg)
{
	struct axsess *s = arg;

	if (s->state == AX_WAIT) {
		try_connect(s);
	} else if (s->state == AX_CONNECT) {
		loop_del(s->loop, s->cfd);
		close(s->cfd);
		s->cfd = -1;
		fail(s, "the AgentX master at %s did not accept the connection in %d s",
		     s->addr.text, AXSESS_TIMEOUT_S);
	} else if (s->state == AX_OPEN) {
		if (!s->ping_out)
			request(s, snmp_pdu_create(AX_MSG_PING), on_pong);
		s->ping_out = true;
		retry_in(s, AXSESS_PING_S);
	}
	s->after(s->arg);
}

/* Its pending requests end (their callbacks see it is no longer s->ss),
 * its registrations are made again at the next Open. */
static void close_session(struct axsess *s)
{
	netsnmp_session *ss = s->ss;

	s->ss = NULL;
	s->ping_out = false;
	if (!ss)
		return;
	remove_trap_session(ss);
	register_mib_detach();
	snmp_close(ss);
}

void axsess_settle(struct axsess *s)
{
	if (s->state != AX_LOST)
		return;
	close_session(s);
	s->state = AX_WAIT; /* the retry timer is set (fail) */
}

struct axsess *axsess_new(struct loop *l, const char *spec, const char *descr,
                          void (*after)(void *arg), void *arg, char *why, size_t why_len)
{
	struct axsess *s = calloc(1, sizeof(*s));

	if (!s) {
		snprintf(why, why_len, "out of memory");
		return NULL;
	}
	if (axaddr_parse(&s->addr, spec, why, why_len) < 0) {
		free(s);
		return NULL;
	}
	s->loop = l;
	s->cfd = -1;
	s->after = after;
	s->arg = arg;
	snprintf(s->descr, sizeof(s->descr), "%s", descr);
	timer_init(&s->retry, on_retry, s);
	/* the session is ours: net-snmp's own open would wait for the master */
	snmp_unregister_callback(SNMP_CALLBACK_LIBRARY, SNMP_CALLBACK_POST_READ_CONFIG,
	                         subagent_startup, NULL, 1);
	snmp_register_callback(SNMP_CALLBACK_APPLICATION, SNMPD_CALLBACK_REGISTER_OID, on_register,
	                       s);
	return s;
}

void axsess_start(struct axsess *s)
{
	try_connect(s);
}

void axsess_free(struct axsess *s)
{
	if (!s)
		return;
	if (s->cfd >= 0) {
		loop_del(s->loop, s->cfd);
		close(s->cfd);
	}
	if (s->state == AX_OPEN) {
		netsnmp_pdu *pdu = snmp_pdu_create(AX_MSG_CLOSE);
		if (pdu) {
			pdu->errstat = AX_CLOSE_SHUTDOWN;
			pdu->sessid = s->ss->sessid;
			if (!snmp_send(s->ss, pdu))
				snmp_free_pdu(pdu);
		}
	}
	close_session(s);
	snmp_unregister_callback(SNMP_CALLBACK_APPLICATION, SNMPD_CALLBACK_REGISTER_OID,
	                         on_register, s, 1);
	loop_timer_cancel(s->loop, &s->retry);
	free(s);
}
