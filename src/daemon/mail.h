/*
 * mail.h: the text of keepalived's smtp_alert mails (mail.c, pure: no
 * state; the caller owns every buffer).
 */
#ifndef VIPD_MAIL_H
#define VIPD_MAIL_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

/* What a mail is about, as keepalived's vrrp_smtp_notifier names it. */
enum mail_event { MAIL_MASTER, MAIL_BACKUP, MAIL_FAULT, MAIL_STOP, MAIL_DELETED };

/* keepalived's subject words and body line for an instance's or a sync
 * group's event; false when that event has no mail (a group's DELETED). */
bool mail_words(bool group, enum mail_event e, const char **what, const char **body);
/* "[router_id] VRRP Instance NAME - what" / "... VRRP Group NAME - what" */
void mail_subject(char *buf, size_t n, const char *router_id, bool group, const char *name,
                  const char *what);

struct mail_head {
	const char *from;
	const char *const *to;
	size_t nto;
	const char *subject;
};
/* Date, From, Subject, X-Mailer, To headers, a blank line, the body and
 * the empty line keepalived ends with (CRLF line ends); malloc'd, NULL when
 * out of memory. */
char *mail_message(const struct mail_head *h, const char *body, time_t now);
/* The envelope address of a header address: "<a@b>" from "Name <a@b>" or
 * "a@b". */
void mail_envelope(char *buf, size_t n, const char *addr);

#endif
