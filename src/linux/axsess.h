/*
 * axsess.h: the AgentX session (RFC 2741) with the master agent, opened,
 * registered and pinged without ever waiting for the master, and opened
 * again in the background when lost (axsess.c owns struct axsess and the
 * net-snmp session in it). net-snmp's AgentX subagent must be initialised
 * (init_agent) first: it answers the master's requests.
 */
#ifndef VIPD_AXSESS_H
#define VIPD_AXSESS_H

#include <stddef.h>

struct loop;
struct axsess;

/* Towards the master at spec (axaddr_parse's forms); descr names the
 * subagent in its Open. After each of its own timers and fds the session
 * calls after(arg): net-snmp was called, its fds and timer are to be read
 * again. NULL (why said) if spec is not an address or out of memory. */
struct axsess *axsess_new(struct loop *l, const char *spec, const char *descr,
                          void (*after)(void *arg), void *arg, char *why, size_t why_len);
/* The first connect, once net-snmp is started (init_snmp). */
void axsess_start(struct axsess *s);
/* To be called after every call into net-snmp, before its fds are read:
 * a session lost in one of net-snmp's callbacks is closed here. */
void axsess_settle(struct axsess *s);
/* The session closed (the Close sent, not awaited). */
void axsess_free(struct axsess *s);

#endif
