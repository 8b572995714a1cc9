/*
 * smtp.c: keepalived's smtp_alert mails, sent by libcurl without blocking
 * the loop: curl's multi-socket interface, its sockets watched by vipd's
 * epoll loop (CURLMOPT_SOCKETFUNCTION) and its timeouts on a loop timer
 * (CURLMOPT_TIMERFUNCTION). A host name is resolved by curl's threaded
 * resolver (Debian's libcurl has it); a curl without asynchronous name
 * resolution is given addresses only. libcurl is loaded at the first mail
 * (curldl.c).
 *
 * One mail is sent at a time, in the order queued; at most
 * SMTP_MAX_WAITING wait (more are dropped, logged). A connection failure
 * is tried again, SMTP_TRIES times in all, 1 s then 2 s later; a refusal
 * by the server is not. Each failure is logged with curl's error text.
 * smtp.c owns struct smtp and its jobs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>

#include "lib/addr.h"
#include "lib/log.h"
#include "linux/curldl.h"
#include "linux/loop.h"
#include "linux/smtp.h"

#define SMTP_BACKOFF_US 1000000 /* doubled after each failed try */

struct job {
	char url[512];
	char from[320];
	struct curl_slist *rcpt;
	char *text, *what;
	size_t len, off;
	int connect_timeout_s;
	int tries;
	struct job *next;
};

struct smtp {
	struct loop *loop;
	CURLM *multi;
	CURL *easy;    /* the job being sent, or NULL */
	struct job *q; /* q is the one being sent (or waiting to be retried) */
	size_t n;
	struct timer t_curl, t_retry;
	bool async_dns;
	char err[CURL_ERROR_SIZE];
};

static void job_free(struct job *j)
{
	curl.slist_free_all(j->rcpt);
	free(j->text);
	free(j->what);
	free(j);
}

static void start_next(struct smtp *s);

/* ---- curl in the loop ---- */

static void check_done(struct smtp *s);

static void on_io(int fd, uint32_t events, void *arg)
{
	struct smtp *s = arg;
	int flags = 0, running;

	if (events & EPOLLIN)
		flags |= CURL_CSELECT_IN;
	if (events & EPOLLOUT)
		flags |= CURL_CSELECT_OUT;
	if (events & (EPOLLERR | EPOLLHUP))
		flags |= CURL_CSELECT_ERR;
	curl.multi_socket_action(s->multi, fd, flags, &running);
	check_done(s);
}

static int on_socket(CURL *e, curl_socket_t fd, int what, void *userp, void *socketp)
{
	struct smtp *s = userp;
	uint32_t ev = (what & CURL_POLL_IN ? EPOLLIN : 0) | (what & CURL_POLL_OUT ? EPOLLOUT : 0);

	if (what == CURL_POLL_REMOVE) {
		loop_del(s->loop, fd);
		return 0;
	}
	if (!socketp) {
		if (loop_add(s->loop, fd, on_io, s) < 0)
			return -1;
		curl.multi_assign(s->multi, fd, s);
	}
	return loop_set_events(s->loop, fd, ev) < 0 ? -1 : 0;
}

static void on_curl_timer(struct timer *t, vtime_t now, void *arg)
{
	struct smtp *s = arg;
	int running;

	curl.multi_socket_action(s->multi, CURL_SOCKET_TIMEOUT, 0, &running);
	check_done(s);
}

static int on_timer_change(CURLM *m, long ms, void *userp)
{
	struct smtp *s = userp;

	if (ms < 0)
		loop_timer_cancel(s->loop, &s->t_curl);
	else
		loop_timer_set(s->loop, &s->t_curl, loop_now() + (vtime_t)ms * 1000);
	return 0;
}

static size_t on_read(char *buf, size_t size, size_t n, void *arg)
{
	struct job *j = arg;
	size_t k = j->len - j->off < size * n ? j->len - j->off : size * n;

	memcpy(buf, j->text + j->off, k);
	j->off += k;
	return k;
}

/* ---- one mail ---- */

static bool retry_worth(CURLcode rc)
{
	return rc == CURLE_COULDNT_CONNECT || rc == CURLE_COULDNT_RESOLVE_HOST ||
	       rc == CURLE_OPERATION_TIMEDOUT || rc == CURLE_SEND_ERROR || rc == CURLE_RECV_ERROR ||
	       rc == CURLE_GOT_NOTHING;
}

static void drop_head(struct smtp *s)
{
	struct job *j = s->q;

	s->q = j->next;
	s->n--;
	job_free(j);
}

static void finished(struct smtp *s, CURLcode rc)
{
	struct job *j = s->q;

	curl.multi_remove_handle(s->multi, s->easy);
	curl.easy_cleanup(s->easy);
	s->easy = NULL;
	if (rc == CURLE_OK) {
		log_info("smtp_alert: %s: sent", j->what);
		drop_head(s);
	} else if (retry_worth(rc) && j->tries < SMTP_TRIES) {
		vtime_t wait = (vtime_t)SMTP_BACKOFF_US << (j->tries - 1);
		log_warnx("smtp_alert: %s: try %d of %d failed: %s (%s); trying again in %.0f s",
		          j->what, j->tries, SMTP_TRIES, curl.easy_strerror(rc),
		          s->err[0] ? s->err : "-", (double)wait / 1e6);
		loop_timer_set(s->loop, &s->t_retry, loop_now() + wait);
		return;
	} else {
		log_warnx("smtp_alert: %s: not sent after %d tr%s: %s (%s)", j->what, j->tries,
		          j->tries == 1 ? "y" : "ies", curl.easy_strerror(rc),
		          s->err[0] ? s->err : "-");
		drop_head(s);
	}
	start_next(s);
}

static void check_done(struct smtp *s)
{
	CURLMsg *m;
	int left;

	while ((m = curl.multi_info_read(s->multi, &left)))
		if (m->msg == CURLMSG_DONE && m->easy_handle == s->easy) {
			finished(s, m->data.result);
			return; /* the next one's messages come on later calls */
		}
}

static CURL *easy_for(struct smtp *s, struct job *j)
{
	CURL *e = curl.easy_init();
	long to = j->connect_timeout_s;

	if (!e)
		return NULL;
	s->err[0] = 0;
	j->off = 0;
	curl.easy_setopt(e, CURLOPT_URL, j->url);
	curl.easy_setopt(e, CURLOPT_PROTOCOLS_STR, "smtp");
	curl.easy_setopt(e, CURLOPT_MAIL_FROM, j->from);
	curl.easy_setopt(e, CURLOPT_MAIL_RCPT, j->rcpt);
	curl.easy_setopt(e, CURLOPT_UPLOAD, 1L);
	curl.easy_setopt(e, CURLOPT_READFUNCTION, on_read);
	curl.easy_setopt(e, CURLOPT_READDATA, j);
	curl.easy_setopt(e, CURLOPT_INFILESIZE_LARGE, (curl_off_t)j->len);
	curl.easy_setopt(e, CURLOPT_CONNECTTIMEOUT, to);
	curl.easy_setopt(e, CURLOPT_TIMEOUT, 2 * to + 10); /* the whole exchange */
	curl.easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl.easy_setopt(e, CURLOPT_ERRORBUFFER, s->err);
	return e;
}

/* Starts the mail at the head of the queue, if none is being sent. */
static void start_next(struct smtp *s)
{
	while (s->q && !s->easy && !timer_armed(&s->t_retry)) {
		struct job *j = s->q;
		j->tries++;
		if (!(s->easy = easy_for(s, j)) || curl.multi_add_handle(s->multi, s->easy) != 0) {
			log_warnx("smtp_alert: curl could not start a transfer: %s", j->what);
			if (s->easy)
				curl.easy_cleanup(s->easy);
			s->easy = NULL;
			drop_head(s);
		}
	}
}

static void on_retry(struct timer *t, vtime_t now, void *arg)
{
	start_next(arg);
}

/* ---- the queue ---- */

static bool make_url(struct smtp *s, struct job *j, const struct smtp_mail *m)
{
	struct addr a;
	bool ip = addr_parse(m->server, &a);
	char *helo = curl.easy_escape(NULL, m->helo, 0);
	int n;

	if (!ip && !s->async_dns) {
		log_warnx(
		    "smtp_alert: this libcurl resolves names only by blocking; smtp_server %s "
		    "must be an address",
		    m->server);
		curl.free(helo);
		return false;
	}
	n = snprintf(j->url, sizeof(j->url),
	             ip && a.family == AF_INET6 ? "smtp://[%s]:%d/%s" : "smtp://%s:%d/%s",
	             m->server, m->port ? m->port : 25, helo ? helo : "localhost");
	curl.free(helo);
	return n > 0 && (size_t)n < sizeof(j->url);
}

static struct job *job_new(struct smtp *s, const struct smtp_mail *m)
{
	struct job *j = calloc(1, sizeof(*j));

	if (!j)
		return NULL;
	snprintf(j->from, sizeof(j->from), "%s", m->from);
	j->text = strdup(m->text);
	j->what = strdup(m->what);
	j->len = j->text ? strlen(j->text) : 0;
	j->connect_timeout_s = m->connect_timeout_s > 0 ? m->connect_timeout_s : 30;
	for (size_t i = 0; i < m->nrcpt; i++) {
		struct curl_slist *l = curl.slist_append(j->rcpt, m->rcpt[i]);
		if (!l)
			break;
		j->rcpt = l;
	}
	if (!j->text || !j->what || !j->rcpt || !make_url(s, j, m)) {
		job_free(j);
		return NULL;
	}
	return j;
}

bool smtp_send(struct smtp *s, const struct smtp_mail *m)
{
	struct job *j, **p;

	if (s->n >= SMTP_MAX_WAITING) {
		log_warnx("smtp_alert: %d mails waiting; dropped: %s", SMTP_MAX_WAITING, m->what);
		return false;
	}
	if (!(j = job_new(s, m))) {
		log_warnx("smtp_alert: mail not queued: %s", m->what);
		return false;
	}
	for (p = &s->q; *p; p = &(*p)->next)
		;
	*p = j;
	s->n++;
	start_next(s);
	return true;
}

size_t smtp_pending(const struct smtp *s)
{
	return s->n;
}

struct smtp *smtp_new(struct loop *l)
{
	struct smtp *s = calloc(1, sizeof(*s));
	const curl_version_info_data *v;

	if (!s || !curl_load() || curl.global_init(CURL_GLOBAL_DEFAULT) != 0 ||
	    !(s->multi = curl.multi_init())) {
		free(s);
		return NULL;
	}
	v = curl.version_info(CURLVERSION_NOW);
	s->async_dns = v && (v->features & CURL_VERSION_ASYNCHDNS);
	s->loop = l;
	timer_init(&s->t_curl, on_curl_timer, s);
	timer_init(&s->t_retry, on_retry, s);
	curl.multi_setopt(s->multi, CURLMOPT_SOCKETFUNCTION, on_socket);
	curl.multi_setopt(s->multi, CURLMOPT_SOCKETDATA, s);
	curl.multi_setopt(s->multi, CURLMOPT_TIMERFUNCTION, on_timer_change);
	curl.multi_setopt(s->multi, CURLMOPT_TIMERDATA, s);
	return s;
}

void smtp_free(struct smtp *s)
{
	if (!s)
		return;
	if (s->n)
		log_warnx("smtp_alert: %zu mail(s) not sent: vipd is stopping", s->n);
	if (s->easy) {
		curl.multi_remove_handle(s->multi, s->easy);
		curl.easy_cleanup(s->easy);
	}
	while (s->q)
		drop_head(s);
	loop_timer_cancel(s->loop, &s->t_curl);
	loop_timer_cancel(s->loop, &s->t_retry);
	curl.multi_cleanup(s->multi);
	curl.global_cleanup();
	free(s);
}
