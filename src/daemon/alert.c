/*
 * alert.c: keepalived's smtp_alert: a mail on each transition of an
 * instance or sync group whose smtp_alert is on (its own, else global
 * smtp_alert_vrrp, else global smtp_alert), when notification_email and
 * smtp_server are set. As keepalived: a state already mailed is not mailed
 * again; no_email_faults leaves out Fault; a removed instance mails
 * "Deleted" with notify_deleted, else "Entering FAULT state". The text is
 * mail.c's, the sending linux/smtp.c's, never blocking the loop.
 */
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "daemon/alert.h"
#include "daemon/daemon.h"
#include "daemon/instance.h"
#include "daemon/mail.h"
#include "daemon/sync.h"
#include "lib/log.h"
#include "linux/smtp.h"

#define ALERT_MAX_RCPT 64

static const char *host_name(void)
{
	static char host[256];

	if (!host[0] && gethostname(host, sizeof(host) - 1) < 0)
		snprintf(host, sizeof(host), "unknown");
	return host;
}

/* keepalived's default notification_email_from: USER@HOST */
static const char *default_from(void)
{
	static char from[320];

	if (!from[0]) {
		struct passwd *pw = getpwuid(getuid());
		snprintf(from, sizeof(from), "%s@%s", pw ? pw->pw_name : "root", host_name());
	}
	return from;
}

static void send_mail(struct vipd *d, bool group, const char *name, enum mail_event e)
{
	const struct conf_global *g = &d->conf->global;
	const char *what, *body, *rcpt[ALERT_MAX_RCPT];
	char subject[512], from[320], env[ALERT_MAX_RCPT][320];
	size_t n = g->emails.n < ALERT_MAX_RCPT ? g->emails.n : ALERT_MAX_RCPT;

	if (!mail_words(group, e, &what, &body))
		return;
	if (!d->smtp && !(d->smtp = smtp_new(d->loop))) {
		log_warnx("smtp_alert: libcurl could not be set up; no mail sent");
		return;
	}
	mail_subject(subject, sizeof(subject), g->router_id[0] ? g->router_id : host_name(), group,
	             name, what);
	struct mail_head h = {g->email_from ? g->email_from : default_from(),
	                      (const char *const *)g->emails.items, g->emails.n, subject};
	char *text = mail_message(&h, body, time(NULL));
	for (size_t i = 0; i < n; i++) {
		mail_envelope(env[i], sizeof(env[i]), g->emails.items[i]);
		rcpt[i] = env[i];
	}
	mail_envelope(from, sizeof(from), h.from);
	struct smtp_mail m = {g->smtp_server,
	                      g->smtp_port,
	                      g->smtp_helo_name ? g->smtp_helo_name : host_name(),
	                      from,
	                      rcpt,
	                      n,
	                      text,
	                      g->smtp_connect_timeout,
	                      subject};
	if (text)
		smtp_send(d->smtp, &m);
	free(text);
}

/* Whether e goes out for an owner whose last mailed event is *mailed. */
static bool wanted(struct vipd *d, enum conf_tristate own, int *mailed, enum mail_event e)
{
	const struct conf_global *g = &d->conf->global;

	if (!conf_smtp_alert(g, own) || !g->emails.n || !g->smtp_server)
		return false;
	if ((g->no_email_faults && e == MAIL_FAULT) || *mailed == (int)e + 1)
		return false;
	*mailed = (int)e + 1;
	return true;
}

static enum mail_event event_of(enum vrrp_state to)
{
	return to == VRRP_STATE_MASTER   ? MAIL_MASTER
	       : to == VRRP_STATE_BACKUP ? MAIL_BACKUP
	       : to == VRRP_STATE_FAULT  ? MAIL_FAULT
	                                 : MAIL_STOP;
}

void alert_instance(struct instance *in, enum vrrp_state to)
{
	enum mail_event e = event_of(to);

	if (to == VRRP_STATE_INIT && in->deleted)
		e = in->c->notify.deleted_set ? MAIL_DELETED : MAIL_FAULT;
	if (wanted(in->d, in->c->smtp_alert, &in->mailed, e))
		send_mail(in->d, false, in->name, e);
}

void alert_group(struct sync_rt *g, enum vrrp_state to)
{
	struct vipd *d = g->n ? g->m[0]->d : NULL;

	if (d && wanted(d, g->c->smtp_alert, &g->mailed, event_of(to)))
		send_mail(d, true, g->c->name, event_of(to));
}

void alert_stop(struct vipd *d)
{
	smtp_free(d->smtp);
	d->smtp = NULL;
}
