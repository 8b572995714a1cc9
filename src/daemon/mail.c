/*
 * mail.c: the text of keepalived's smtp_alert mails (keepalived 2.4's
 * vrrp_notify.c and smtp.c): the subject "[router_id] VRRP Instance VI_1 -
 * Entering MASTER state", its one-line body ("=> VRRP Instance is now
 * owning VRRP VIPs <="), and the message as keepalived writes it: Date
 * (RFC 822, local time), From, Subject, X-Mailer: Keepalived, To (one
 * recipient a line), a blank line, the body and an empty line. A display
 * name with specials is quoted as keepalived quotes it. Pure.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/mail.h"

struct words {
	const char *what, *inst, *group;
};

static const struct words words[] = {
    [MAIL_MASTER] = {"Entering MASTER state", "=> VRRP Instance is now owning VRRP VIPs <=",
                     "=> All VRRP group instances are now in MASTER state <="},
    [MAIL_BACKUP] = {"Entering BACKUP state", "=> VRRP Instance is no longer owning VRRP VIPs <=",
                     "=> All VRRP group instances are now in BACKUP state <="},
    [MAIL_FAULT] = {"Entering FAULT state", "=> VRRP Instance is no longer owning VRRP VIPs <=",
                    "=> All VRRP group instances are now in FAULT state <="},
    [MAIL_STOP] = {"Stopping", "=> VRRP Instance stopping <=",
                   "=> All VRRP group instances are now stopping <="},
    [MAIL_DELETED] = {"Deleted", "=> VRRP Deleted at reload <=", NULL},
};

bool mail_words(bool group, enum mail_event e, const char **what, const char **body)
{
	if ((unsigned)e > MAIL_DELETED)
		return false;
	*what = words[e].what;
	*body = group ? words[e].group : words[e].inst;
	return *body != NULL;
}

void mail_subject(char *buf, size_t n, const char *router_id, bool group, const char *name,
                  const char *what)
{
	snprintf(buf, n, "[%s] VRRP %s %s - %s", router_id, group ? "Group" : "Instance", name,
	         what);
}

/* An address in a header, as keepalived's format_email_addr writes it: in
 * "Name <addr>", a name with one of RFC 5322's specials is quoted, its '"'
 * and '\\' escaped. */
static void header_addr(FILE *f, const char *addr)
{
	size_t len = strlen(addr);
	const char *lt = strrchr(addr, '<');
	size_t end; /* the name: addr[0, end) */

	if (!len || addr[len - 1] != '>' || !lt || lt == addr) {
		fputs(addr, f);
		return;
	}
	end = (size_t)(lt - addr);
	while (end > 1 && (addr[end - 1] == ' ' || addr[end - 1] == '\t'))
		end--;
	if (strcspn(addr, "()<>[]:;@\\,.") >= end) {
		fputs(addr, f);
		return;
	}
	fputc('"', f);
	for (size_t i = 0; i < end; i++) {
		if (addr[i] == '"' || addr[i] == '\\')
			fputc('\\', f);
		fputc(addr[i], f);
	}
	fprintf(f, "\"%s", addr + end);
}

/* The message grows in a FILE on memory. */
char *mail_message(const struct mail_head *h, const char *body, time_t now)
{
	char date[80], *out = NULL;
	size_t len = 0;
	struct tm t;
	FILE *f = open_memstream(&out, &len);

	if (!f)
		return NULL;
	localtime_r(&now, &t);
	strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S %z", &t);
	fprintf(f, "Date: %s\r\nFrom: ", date);
	header_addr(f, h->from);
	fprintf(f, "\r\nSubject: %s\r\nX-Mailer: Keepalived\r\nTo:", h->subject);
	for (size_t i = 0; i < h->nto; i++) {
		fputs(i ? ",\r\n " : " ", f);
		header_addr(f, h->to[i]);
	}
	fprintf(f, "\r\n\r\n%s\r\n\r\n", body);
	if (fclose(f) != 0) {
		free(out);
		return NULL;
	}
	return out;
}

void mail_envelope(char *buf, size_t n, const char *addr)
{
	size_t len = strlen(addr);
	const char *lt = strrchr(addr, '<');

	if (len && addr[len - 1] == '>' && lt)
		snprintf(buf, n, "%s", lt);
	else
		snprintf(buf, n, "<%s>", addr);
}
