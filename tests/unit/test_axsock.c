/* The AgentX master's address and connection (linux/axsock.c): net-snmp's
 * address forms, a connect that never blocks, a transport whose send
 * never waits and cuts the connection rather than the stream. */
#include <arpa/inet.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cmocka.h>

#include "linux/axsock.h"

static void test_forms(void **state)
{
	struct axaddr a;
	char why[128];
	const struct sockaddr_in *in = (const void *)&a.sa;
	const struct sockaddr_in6 *in6 = (const void *)&a.sa;
	const struct sockaddr_un *un = (const void *)&a.sa;

	assert_int_equal(axaddr_parse(&a, NULL, why, sizeof(why)), 0);
	assert_int_equal(un->sun_family, AF_UNIX);
	assert_string_equal(un->sun_path, "/var/agentx/master");
	assert_string_equal(a.text, "unix:/var/agentx/master");
	assert_int_equal(axaddr_parse(&a, "unix:/run/agentx", why, sizeof(why)), 0);
	assert_string_equal(un->sun_path, "/run/agentx");
	assert_int_equal(a.type, SOCK_STREAM);
	assert_int_equal(axaddr_parse(&a, "/run/agentx2", why, sizeof(why)), 0);
	assert_string_equal(un->sun_path, "/run/agentx2");
	assert_int_equal(axaddr_parse(&a, "TCP:127.0.0.1:7705", why, sizeof(why)), 0);
	assert_int_equal(in->sin_family, AF_INET);
	assert_int_equal(ntohs(in->sin_port), 7705);
	assert_int_equal(ntohl(in->sin_addr.s_addr), 0x7f000001);
	assert_int_equal(a.type, SOCK_STREAM);
	assert_int_equal(axaddr_parse(&a, "udp:10.0.0.5:161", why, sizeof(why)), 0);
	assert_int_equal(a.type, SOCK_DGRAM);
	assert_int_equal(ntohs(in->sin_port), 161);
	assert_int_equal(axaddr_parse(&a, "tcp:10.0.0.5", why, sizeof(why)), 0);
	assert_int_equal(ntohs(in->sin_port), 705); /* AgentX's port */
	assert_int_equal(axaddr_parse(&a, "tcp6:[::1]:7705", why, sizeof(why)), 0);
	assert_int_equal(in6->sin6_family, AF_INET6);
	assert_int_equal(ntohs(in6->sin6_port), 7705);
	assert_int_equal(a.type, SOCK_STREAM);
}

static void test_bad(void **state)
{
	struct axaddr a;
	char why[128], longpath[200];

	memset(longpath, 'x', sizeof(longpath) - 1);
	longpath[0] = '/', longpath[sizeof(longpath) - 1] = 0;
	assert_int_equal(axaddr_parse(&a, longpath, why, sizeof(why)), -1);
	assert_string_equal(why, "a unix socket path of 199 bytes (1 to 107)");
	assert_int_equal(axaddr_parse(&a, "unix:", why, sizeof(why)), -1);
	assert_int_equal(axaddr_parse(&a, "tcp:[1.2.3.4", why, sizeof(why)), -1);
	assert_non_null(strstr(why, "not an address"));
}

/* A listener that never accepts: the connect still ends at once. */
static void test_connect(void **state)
{
	char dir[] = "/tmp/vipd-axsock-XXXXXX", spec[128], why[128];
	struct axaddr a;
	struct sockaddr_un un = {.sun_family = AF_UNIX};
	int l = socket(AF_UNIX, SOCK_STREAM, 0), fd;

	assert_non_null(mkdtemp(dir));
	snprintf(un.sun_path, sizeof(un.sun_path), "%s/master", dir);
	snprintf(spec, sizeof(spec), "unix:%s", un.sun_path);
	assert_int_equal(axaddr_parse(&a, spec, why, sizeof(why)), 0);
	errno = 0;
	assert_int_equal(axsock_connect(&a), -1);
	assert_int_equal(errno, ENOENT); /* no master */
	assert_int_equal(bind(l, (struct sockaddr *)&un, sizeof(un)), 0);
	assert_int_equal(listen(l, 1), 0);
	fd = axsock_connect(&a);
	assert_true(fd >= 0);
	assert_int_equal(axsock_error(fd), 0);
	close(fd);
	close(l);
	unlink(un.sun_path);
	rmdir(dir);
}

/* send: a full buffer drops the message and keeps the connection; a
 * message sent in part shuts the connection down (recv then sees 0). */
static void test_send(void **state)
{
	struct axaddr a;
	char why[128], *big = calloc(1, 1 << 20), byte = 'x';
	int sv[2], small = 4096;
	netsnmp_transport *t;

	assert_int_equal(axaddr_parse(&a, "unix:/nowhere", why, sizeof(why)), 0);
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv), 0);
	setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &small, sizeof(small));
	t = axsock_transport(sv[0], &a);
	assert_non_null(t);
	assert_true(t->flags & NETSNMP_TRANSPORT_FLAG_STREAM);
	assert_int_equal(t->f_send(t, "hello", 5, NULL, NULL), 5);
	while (send(sv[0], &byte, 1, MSG_DONTWAIT) == 1)
		; /* the buffer full */
	assert_int_equal(t->f_send(t, "hello", 5, NULL, NULL), -1);
	assert_int_equal(t->f_recv(t, big, 64, NULL, NULL), 0);
	assert_true(t->flags & NETSNMP_TRANSPORT_FLAG_EMPTY_PKT); /* nothing yet, not lost */
	t->flags &= ~NETSNMP_TRANSPORT_FLAG_EMPTY_PKT;
	while (recv(sv[1], big, 1 << 20, MSG_DONTWAIT) > 0)
		;                                                     /* room again */
	assert_int_equal(t->f_send(t, big, 1 << 20, NULL, NULL), -1); /* in part */
	assert_int_equal(t->f_recv(t, big, 64, NULL, NULL), 0);
	assert_false(t->flags & NETSNMP_TRANSPORT_FLAG_EMPTY_PKT); /* lost */
	t->f_close(t);
	assert_int_equal(t->sock, -1);
	netsnmp_transport_free(t);
	close(sv[1]);
	free(big);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_forms),
	    cmocka_unit_test(test_bad),
	    cmocka_unit_test(test_connect),
	    cmocka_unit_test(test_send),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
