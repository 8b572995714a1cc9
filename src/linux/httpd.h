/*
 * httpd.h: a small HTTP listener serving one GET path from the loop
 * (libmicrohttpd in external epoll mode). httpd.c owns struct httpd.
 */
#ifndef VIPD_HTTPD_H
#define VIPD_HTTPD_H

#include <stddef.h>

#include "lib/addr.h"

struct loop;
struct httpd;

#define HTTPD_MAX_CONNS  16 /* clients at once; more are refused */
#define HTTPD_TIMEOUT_S  5  /* an idle or slow client is dropped after this */
#define HTTPD_MAX_PER_IP 8

/* The body of one answer: malloc'd (httpd frees it), *len set; NULL: 500. */
typedef char *(*httpd_body_fn)(void *arg, size_t *len);

struct httpd_route {
	const char *path;         /* "/metrics" */
	const char *content_type; /* "text/plain; version=0.0.4; charset=utf-8" */
	httpd_body_fn body;
	void *arg;
};

/* Listens on a:port and serves route from loop l. NULL on failure, with the
 * reason in why. */
struct httpd *httpd_open(struct loop *l, const struct addr *a, int port,
                         const struct httpd_route *route, char *why, size_t why_len);
void httpd_close(struct httpd *h);

#endif
