/*
 * agentx.h: net-snmp's AgentX subagent (RFC 2741) run from the loop
 * (agentx.c owns the library's state and its place in the loop). What the
 * subagent serves is registered by the caller with net-snmp's handler API
 * between agentx_open and the first loop turn.
 */
#ifndef VIPD_AGENTX_H
#define VIPD_AGENTX_H

#include <stddef.h>

struct loop;
struct agentx;

/* Starts the subagent named name towards the master at socket
 * ("unix:/path", "/path", "udp:HOST:PORT", "tcp:HOST:PORT", ...: see
 * axsock.h; NULL: net-snmp's default; a host name is resolved now). It
 * connects in the background, never waiting for the master, and again
 * whenever the session is lost. One per process. NULL (why said) if the
 * address is not one or net-snmp cannot start. */
struct agentx *agentx_open(struct loop *l, const char *name, const char *socket, char *why,
                           size_t why_len);
/* Starts net-snmp and the first connect, once the caller registered what
 * it serves. */
void agentx_start(struct agentx *a);
/* net-snmp's fds and timer read again: after a trap was queued. */
void agentx_sync(struct agentx *a);
void agentx_close(struct agentx *a);

#endif
