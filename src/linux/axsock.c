/*
 * axsock.c: the AgentX master's address, parsed in net-snmp's forms, and a
 * connection to it that never blocks: the connect is started on a
 * non-blocking socket and finished by the loop (net-snmp's own transports
 * connect and send blocking: a stopped master with a full backlog, or a
 * TCP peer that drops the SYN, would hold the loop). The connected socket
 * becomes a net-snmp transport whose send never waits either: a message
 * that does not fit in the socket's buffer is not sent, and one sent in
 * part (the stream is then cut mid-message) shuts the connection down, so
 * that it is seen lost and opened again. The caller owns struct axaddr;
 * net-snmp owns each transport made here, and frees it.
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/un.h>
#include <unistd.h>

#include "linux/axsock.h"

#define AGENTX_PATH "/var/agentx/master"

/* RFC 3419's transport domains, as net-snmp marks its transports */
static const oid dom_udp4[] = {1, 3, 6, 1, 2, 1, 100, 1, 1};
static const oid dom_udp6[] = {1, 3, 6, 1, 2, 1, 100, 1, 2};
static const oid dom_tcp4[] = {1, 3, 6, 1, 2, 1, 100, 1, 5};
static const oid dom_tcp6[] = {1, 3, 6, 1, 2, 1, 100, 1, 6};
static const oid dom_local[] = {1, 3, 6, 1, 2, 1, 100, 1, 13};

static int parse_unix(struct axaddr *a, const char *path, char *why, size_t why_len)
{
	struct sockaddr_un *un = (struct sockaddr_un *)&a->sa;

	if (!*path || strlen(path) >= sizeof(un->sun_path)) {
		snprintf(why, why_len, "a unix socket path of %zu bytes (1 to %zu)", strlen(path),
		         sizeof(un->sun_path) - 1);
		return -1;
	}
	un->sun_family = AF_UNIX;
	strcpy(un->sun_path, path);
	a->type = SOCK_STREAM;
	a->len = sizeof(*un);
	return 0;
}

/* HOST:PORT, HOST, PORT (net-snmp's parser; default 127.0.0.1 or ::1, 705) */
static int parse_ip(struct axaddr *a, const char *rest, bool v6, int type, char *why,
                    size_t why_len)
{
	int ok;

	if (v6)
		ok = netsnmp_sockaddr_in6_2((struct sockaddr_in6 *)&a->sa, rest, "[::1]:705");
	else
		ok = netsnmp_sockaddr_in2((struct sockaddr_in *)&a->sa, rest, "127.0.0.1:705");
	if (!ok) {
		snprintf(why, why_len, "'%s' is not an address and port (or not resolved)", rest);
		return -1;
	}
	a->type = type;
	a->len = v6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);
	return 0;
}

int axaddr_parse(struct axaddr *a, const char *spec, char *why, size_t why_len)
{
	static const struct {
		const char *prefix;
		int family, type;
	} pre[] = {{"unix:", AF_UNIX, SOCK_STREAM},     {"local:", AF_UNIX, SOCK_STREAM},
	           {"tcp:", AF_INET, SOCK_STREAM},      {"udp:", AF_INET, SOCK_DGRAM},
	           {"tcp6:", AF_INET6, SOCK_STREAM},    {"tcpv6:", AF_INET6, SOCK_STREAM},
	           {"tcpipv6:", AF_INET6, SOCK_STREAM}, {"udp6:", AF_INET6, SOCK_DGRAM},
	           {"udpv6:", AF_INET6, SOCK_DGRAM},    {"udpipv6:", AF_INET6, SOCK_DGRAM},
	           {"ipv6:", AF_INET6, SOCK_DGRAM}};

	memset(a, 0, sizeof(*a));
	if (!spec || !*spec)
		spec = "unix:" AGENTX_PATH;
	snprintf(a->text, sizeof(a->text), "%s", spec);
	for (size_t i = 0; i < sizeof(pre) / sizeof(pre[0]); i++) {
		size_t n = strlen(pre[i].prefix);
		if (strncasecmp(spec, pre[i].prefix, n))
			continue;
		if (pre[i].family == AF_UNIX)
			return parse_unix(a, spec + n, why, why_len);
		return parse_ip(a, spec + n, pre[i].family == AF_INET6, pre[i].type, why, why_len);
	}
	return parse_unix(a, spec, why, why_len); /* net-snmp's too: no prefix, a path */
}

int axsock_connect(const struct axaddr *a)
{
	int fd = socket(a->sa.ss_family, a->type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -1;
	if (connect(fd, (const struct sockaddr *)&a->sa, a->len) < 0 && errno != EINPROGRESS) {
		int e = errno; /* a unix socket's full backlog: EAGAIN, now */
		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

int axsock_error(int fd)
{
	int err = 0;
	socklen_t len = sizeof(err);

	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
		return errno;
	return err;
}

static int ax_recv(netsnmp_transport *t, void *buf, int size, void **opaque, int *olen)
{
	ssize_t n = recv(t->sock, buf, (size_t)size, MSG_DONTWAIT);

	if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
		t->flags |= NETSNMP_TRANSPORT_FLAG_EMPTY_PKT; /* nothing yet: not a loss */
		return 0;
	}
	return (int)n; /* 0: the master closed the connection */
}

static int ax_send(netsnmp_transport *t, const void *buf, int size, void **opaque, int *olen)
{
	ssize_t n = send(t->sock, buf, (size_t)size, MSG_DONTWAIT | MSG_NOSIGNAL);

	if (n >= 0 && n < size) {
		shutdown(t->sock, SHUT_RDWR); /* the stream is cut mid-message */
		return -1;
	}
	return (int)n;
}

static int ax_close(netsnmp_transport *t)
{
	int rc = 0;

	if (t->sock >= 0)
		rc = close(t->sock);
	t->sock = -1;
	return rc;
}

static char *ax_fmtaddr(netsnmp_transport *t, const void *data, int len)
{
	return strdup(t->data ? (const char *)t->data : "agentx");
}

static void set_domain(netsnmp_transport *t, const struct axaddr *a)
{
	bool v6 = a->sa.ss_family == AF_INET6, dgram = a->type == SOCK_DGRAM;
	const oid *d = a->sa.ss_family == AF_UNIX ? dom_local
	               : dgram                    ? (v6 ? dom_udp6 : dom_udp4)
	                                          : (v6 ? dom_tcp6 : dom_tcp4);

	t->domain = d;
	t->domain_length = (int)OID_LENGTH(dom_local); /* all of one length */
}

netsnmp_transport *axsock_transport(int fd, const struct axaddr *a)
{
	netsnmp_transport *t = calloc(1, sizeof(*t));

	if (!t || !(t->data = strdup(a->text))) {
		free(t);
		close(fd);
		return NULL;
	}
	t->data_length = (int)strlen(a->text) + 1;
	t->sock = fd;
	t->flags = NETSNMP_TRANSPORT_FLAG_OPENED; /* connected already */
	if (a->type == SOCK_STREAM)
		t->flags |= NETSNMP_TRANSPORT_FLAG_STREAM;
	t->msgMaxSize = a->type == SOCK_STREAM ? SNMP_MAX_PACKET_LEN : 65507;
	set_domain(t, a);
	t->f_recv = ax_recv;
	t->f_send = ax_send;
	t->f_close = ax_close;
	t->f_fmtaddr = ax_fmtaddr;
	return t;
}
