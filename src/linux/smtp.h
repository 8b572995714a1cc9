/*
 * smtp.h: mail sent with libcurl inside vipd's loop (smtp.c owns struct
 * smtp, its queue and the curl handles; the caller's strings are copied).
 */
#ifndef VIPD_SMTP_H
#define VIPD_SMTP_H

#include <stdbool.h>
#include <stddef.h>

#include "linux/loop.h"

#define SMTP_MAX_WAITING 32 /* more are dropped, logged */
#define SMTP_TRIES       3  /* on a connection failure, with a back-off */

struct smtp;

struct smtp_mail {
	const char *server; /* an address or a host name */
	int port;
	const char *helo;
	const char *from;        /* envelope address */
	const char *const *rcpt; /* envelope addresses */
	size_t nrcpt;
	const char *text; /* headers, blank line, body */
	int connect_timeout_s;
	const char *what; /* for the log */
};

struct smtp *smtp_new(struct loop *l);
/* Mails still waiting are dropped, logged. */
void smtp_free(struct smtp *s);
/* Queues a mail; false (logged) when the queue is full or curl fails. */
bool smtp_send(struct smtp *s, const struct smtp_mail *m);
/* Mails waiting or being sent. */
size_t smtp_pending(const struct smtp *s);

#endif
