/*
 * httpd.c: libmicrohttpd run from vipd's loop, never a thread of its own.
 * MHD_USE_EPOLL without an internal polling thread: MHD's epoll fd sits in
 * the loop (readable: MHD_run), and a loop timer follows MHD_get_timeout
 * (idle clients dropped). The listening socket is vipd's, bound here, so a
 * bind failure has its errno. Bounded: HTTPD_MAX_CONNS clients,
 * HTTPD_TIMEOUT_S each, MHD's default memory per connection; every
 * answer is built in memory and written without blocking. Owns struct
 * httpd (the MHD daemon, its socket, its timer).
 */
#include <errno.h>
#include <microhttpd.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "linux/httpd.h"
#include "lib/log.h"
#include "linux/loop.h"

struct httpd {
	struct loop *loop;
	struct MHD_Daemon *mhd;
	int listen_fd, epoll_fd;
	struct timer t;
	struct httpd_route route;
};

static void mhd_log(void *arg, const char *fmt, va_list ap)
{
	char buf[256];

	vsnprintf(buf, sizeof(buf), fmt, ap);
	buf[strcspn(buf, "\n")] = 0;
	log_debug("httpd: %s", buf);
}

static enum MHD_Result reply(struct MHD_Connection *c, unsigned status, char *body, size_t len,
                             const char *type)
{
	struct MHD_Response *r;
	enum MHD_Result ok;

	r = body ? MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE)
	         : MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
	if (!r) {
		free(body);
		return MHD_NO;
	}
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	ok = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ok;
}

static enum MHD_Result on_request(void *arg, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version, const char *data,
                                  size_t *data_len, void **state)
{
	struct httpd *h = arg;
	const char *plain = "text/plain; charset=utf-8";
	size_t len = 0;
	char *body;

	if (strcmp(method, MHD_HTTP_METHOD_GET) && strcmp(method, MHD_HTTP_METHOD_HEAD))
		return reply(c, MHD_HTTP_METHOD_NOT_ALLOWED, NULL, 0, plain);
	if (strcmp(url, h->route.path))
		return reply(c, MHD_HTTP_NOT_FOUND, NULL, 0, plain);
	if (!(body = h->route.body(h->route.arg, &len)))
		return reply(c, MHD_HTTP_INTERNAL_SERVER_ERROR, NULL, 0, plain);
	return reply(c, MHD_HTTP_OK, body, len, h->route.content_type);
}

/* The timer follows what MHD waits for next (a client's timeout). */
static void rearm(struct httpd *h)
{
	MHD_UNSIGNED_LONG_LONG ms;

	if (MHD_get_timeout(h->mhd, &ms) == MHD_YES)
		loop_timer_set(h->loop, &h->t, loop_now() + (vtime_t)ms * 1000);
	else
		loop_timer_cancel(h->loop, &h->t);
}

static void on_epoll(int fd, uint32_t events, void *arg)
{
	struct httpd *h = arg;

	MHD_run(h->mhd);
	rearm(h);
}

static void on_timer(struct timer *t, vtime_t now, void *arg)
{
	struct httpd *h = arg;

	MHD_run(h->mhd);
	rearm(h);
}

static int listen_on(const struct addr *a, int port, char *why, size_t why_len)
{
	struct sockaddr_storage ss = {0};
	socklen_t sl;
	int fd, one = 1;

	if (a->family == AF_INET6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
		s6->sin6_family = AF_INET6, s6->sin6_port = htons((uint16_t)port);
		s6->sin6_addr = a->u.v6, sl = sizeof(*s6);
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
		s4->sin_family = AF_INET, s4->sin_port = htons((uint16_t)port);
		s4->sin_addr = a->u.v4, sl = sizeof(*s4);
	}
	if ((fd = socket(a->family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0)) < 0) {
		snprintf(why, why_len, "socket: %s", strerror(errno));
		return -1;
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (a->family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&ss, sl) < 0 || listen(fd, HTTPD_MAX_CONNS) < 0) {
		snprintf(why, why_len, "bind: %s", strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

static struct MHD_Daemon *start(struct httpd *h)
{
	return MHD_start_daemon(MHD_USE_EPOLL | MHD_USE_ERROR_LOG, 0, NULL, NULL, on_request, h,
	                        MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL, /* first, as MHD asks */
	                        MHD_OPTION_LISTEN_SOCKET, h->listen_fd, MHD_OPTION_CONNECTION_LIMIT,
	                        (unsigned)HTTPD_MAX_CONNS, MHD_OPTION_PER_IP_CONNECTION_LIMIT,
	                        (unsigned)HTTPD_MAX_PER_IP, MHD_OPTION_CONNECTION_TIMEOUT,
	                        (unsigned)HTTPD_TIMEOUT_S, MHD_OPTION_END);
}

/* MHD closes a listening socket it was given unless quiesced first. */
static void stop(struct httpd *h)
{
	bool mine = MHD_quiesce_daemon(h->mhd) != MHD_INVALID_SOCKET;

	MHD_stop_daemon(h->mhd); /* drops its clients */
	if (mine)
		close(h->listen_fd);
}

struct httpd *httpd_open(struct loop *l, const struct addr *a, int port,
                         const struct httpd_route *route, char *why, size_t why_len)
{
	struct httpd *h = calloc(1, sizeof(*h));
	const union MHD_DaemonInfo *info;

	if (!h) {
		snprintf(why, why_len, "out of memory");
		return NULL;
	}
	h->loop = l, h->route = *route;
	timer_init(&h->t, on_timer, h);
	if ((h->listen_fd = listen_on(a, port, why, why_len)) < 0) {
		free(h);
		return NULL;
	}
	if (!(h->mhd = start(h)) ||
	    !(info = MHD_get_daemon_info(h->mhd, MHD_DAEMON_INFO_EPOLL_FD)) ||
	    loop_add(l, h->epoll_fd = info->epoll_fd, on_epoll, h) < 0) {
		snprintf(why, why_len, "libmicrohttpd did not start");
		if (h->mhd)
			stop(h);
		else
			close(h->listen_fd);
		free(h);
		return NULL;
	}
	rearm(h);
	return h;
}

void httpd_close(struct httpd *h)
{
	if (!h)
		return;
	loop_timer_cancel(h->loop, &h->t);
	loop_del(h->loop, h->epoll_fd);
	stop(h);
	free(h);
}
