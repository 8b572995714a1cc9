/*
 * axsock.h: the AgentX master's address and a connection to it that never
 * blocks, handed to net-snmp as a transport of its own (axsock.c owns
 * struct axaddr and the transports it makes).
 */
#ifndef VIPD_AXSOCK_H
#define VIPD_AXSOCK_H

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <stddef.h>
#include <sys/socket.h>

struct axaddr {
	int type; /* SOCK_STREAM or SOCK_DGRAM */
	socklen_t len;
	struct sockaddr_storage sa;
	char text[128]; /* as configured, for the log */
};

/* net-snmp's forms: unix:PATH (local:PATH), PATH, tcp:HOST:PORT,
 * udp:HOST:PORT and their IPv6 kin (tcp6:[ADDR]:PORT, udp6:, ...); NULL or
 * "": unix:/var/agentx/master. A host name is resolved here, once. 0, or -1
 * with why said. */
int axaddr_parse(struct axaddr *a, const char *spec, char *why, size_t why_len);
/* A non-blocking socket whose connect to a is started: the caller waits
 * for it to be writable, then asks axsock_error. -1 (errno set) when it
 * failed at once. */
int axsock_connect(const struct axaddr *a);
/* The outcome of the connect: 0, or an errno. */
int axsock_error(int fd);
/* The connected fd as a net-snmp transport (which owns and closes it from
 * then on); NULL (fd closed) when out of memory. */
netsnmp_transport *axsock_transport(int fd, const struct axaddr *a);

#endif
