/*
 * metrics.c: Prometheus text exposition (format 0.0.4) of vipd's state,
 * served at /metrics when global_defs metrics_listen is set (a vipd
 * extension; keepalived has no such listener). Built in memory per scrape
 * from the counters the daemon keeps anyway (struct inst_stats, the loop's
 * lateness histogram, reload.c's results): nothing is counted twice.
 * Owns the listener (struct vipd's httpd and metrics_bound).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "daemon/metrics.h"
#include "conf/conf.h"
#include "daemon/bfd.h"
#include "daemon/daemon.h"
#include "daemon/instance.h"
#include "daemon/tracked.h"
#include "lib/addr.h"
#include "lib/log.h"
#include "linux/httpd.h"
#include "linux/loop.h"
#include "vrrp/fsm.h"
#include "vrrp/packet.h"

#define LABELS_MAX 512

static void head(FILE *f, const char *name, const char *type, const char *help)
{
	fprintf(f, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* A label value escaped as the format asks (\\, \", \n). */
static void esc(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '\\' || *s == '"')
			fputc('\\', f), fputc(*s, f);
		else if (*s == '\n')
			fputs("\\n", f);
		else
			fputc(*s, f);
	}
}

/* instance="VI_1",interface="eth0",vrid="51",family="ipv4" into buf. */
static const char *inst_labels(const struct instance *in, char *buf, size_t len)
{
	FILE *f = fmemopen(buf, len, "w");

	buf[0] = 0;
	if (!f)
		return buf;
	fputs("vrrp_instance=\"", f), esc(f, in->name);
	fputs("\",interface=\"", f), esc(f, in->c->ifname);
	fprintf(f, "\",vrid=\"%d\",family=\"%s\"", in->c->vrid,
	        in->c->family == AF_INET6 ? "ipv6" : "ipv4");
	fclose(f);
	return buf;
}

/* A monotonic time as unix seconds. */
static double unix_at(vtime_t t)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9 - (double)(loop_now() - t) / 1e6;
}

typedef void (*inst_fn)(FILE *f, const struct instance *in, const char *l);

/* One metric family over every instance. */
static void each(FILE *f, struct vipd *d, const char *name, const char *type, const char *help,
                 inst_fn fn)
{
	char l[LABELS_MAX];

	head(f, name, type, help);
	for (const struct instance *in = d->instances; in; in = in->next)
		fn(f, in, inst_labels(in, l, sizeof(l)));
}

static void m_state(FILE *f, const struct instance *in, const char *l)
{
	for (int s = 0; s < VRRP_STATE_MAX; s++)
		fprintf(f, "vipd_instance_state{%s,state=\"%s\"} %d\n", l,
		        vrrp_state_name((enum vrrp_state)s), in->fsm.state == (enum vrrp_state)s);
}

static void m_base_prio(FILE *f, const struct instance *in, const char *l)
{
	fprintf(f, "vipd_instance_base_priority{%s} %d\n", l, in->c->priority);
}

static void m_prio(FILE *f, const struct instance *in, const char *l)
{
	fprintf(f, "vipd_instance_effective_priority{%s} %u\n", l, in->fsm.priority);
}

static void m_sent(FILE *f, const struct instance *in, const char *l)
{
	fprintf(f, "vipd_instance_adverts_sent_total{%s} %llu\n", l,
	        (unsigned long long)in->st.adverts_sent);
}

static void m_received(FILE *f, const struct instance *in, const char *l)
{
	fprintf(f, "vipd_instance_adverts_received_total{%s} %llu\n", l,
	        (unsigned long long)in->st.adverts_received);
}

static void m_transitions(FILE *f, const struct instance *in, const char *l)
{
	for (int c = 0; c < FSM_CAUSE_MAX; c++)
		fprintf(f, "vipd_instance_transitions_total{%s,reason=\"%s\"} %llu\n", l,
		        fsm_cause_name((enum fsm_cause)c), (unsigned long long)in->st.by_cause[c]);
}

static void m_drops(FILE *f, const struct instance *in, const char *l)
{
	for (int r = 1; r < VRRP_RX_REASON_MAX; r++)
		fprintf(f, "vipd_instance_adverts_dropped_total{%s,reason=\"%s\"} %llu\n", l,
		        vrrp_rx_reason_name((enum vrrp_rx_reason)r),
		        (unsigned long long)in->st.drops[r]);
}

static void m_split_brain(FILE *f, const struct instance *in, const char *l)
{
	fprintf(f, "vipd_instance_split_brain_total{%s} %llu\n", l,
	        (unsigned long long)in->st.split_brains);
}

static void m_last_change(FILE *f, const struct instance *in, const char *l)
{
	vtime_t t = in->last_transition_at ? in->last_transition_at : in->d->started_at;

	fprintf(f, "vipd_instance_last_transition_timestamp_seconds{%s} %.3f\n", l, unix_at(t));
}

/* Master: our own address; Backup: the master heard; else none. */
static void m_master(FILE *f, const struct instance *in, const char *l)
{
	const struct addr *a = in->fsm.state == VRRP_STATE_MASTER   ? &in->primary
	                       : in->fsm.state == VRRP_STATE_BACKUP ? &in->fsm.master_addr
	                                                            : NULL;
	char s[ADDR_STRLEN];

	if (a && addr_is_set(a))
		fprintf(f, "vipd_instance_master_info{%s,address=\"%s\"} 1\n", l, addr_ntop(a, s));
}

static void m_tracked(FILE *f, const struct instance *in, const char *l)
{
	for (int k = 0; k < CONF_TRACK_KINDS; k++)
		for (size_t i = 0; i < in->c->tracks[k].n; i++) {
			const struct conf_track *t = &in->c->tracks[k].items[i];
			struct tracked_view v;
			tracked_view(in, (enum conf_track_kind)k, t, &v);
			fprintf(f, "vipd_tracked_object_up{vrrp_instance=\"");
			esc(f, in->name);
			fprintf(f, "\",type=\"%s\",name=\"", tracked_kinds[k].type);
			esc(f, t->name);
			fprintf(f, "\"} %d\n", v.exists && v.ok);
		}
}

static void instances(FILE *f, struct vipd *d)
{
	each(f, d, "vipd_instance_state", "gauge",
	     "VRRP state of the instance: 1 for the current state, 0 for the others.", m_state);
	each(f, d, "vipd_instance_base_priority", "gauge", "Configured priority.", m_base_prio);
	each(f, d, "vipd_instance_effective_priority", "gauge",
	     "Priority in force after tracked objects' weights.", m_prio);
	each(f, d, "vipd_instance_adverts_sent_total", "counter", "Adverts sent.", m_sent);
	each(f, d, "vipd_instance_adverts_received_total", "counter",
	     "Adverts received that passed the receive checks.", m_received);
	each(f, d, "vipd_instance_transitions_total", "counter",
	     "State transitions, by the class of event that caused them.", m_transitions);
	each(f, d, "vipd_instance_adverts_dropped_total", "counter",
	     "Received adverts that failed a receive check, by reason.", m_drops);
	each(f, d, "vipd_instance_split_brain_total", "counter",
	     "Split-brain episodes: another master heard while master.", m_split_brain);
	each(f, d, "vipd_instance_last_transition_timestamp_seconds", "gauge",
	     "Unix time of the last transition (daemon start if none).", m_last_change);
	each(f, d, "vipd_instance_master_info", "gauge",
	     "Address of the current master as this host sees it.", m_master);
	each(f, d, "vipd_tracked_object_up", "gauge",
	     "Tracked object of an instance: 1 up or OK, 0 down, failed or missing.", m_tracked);
}

/* bfd_instance="b1",neighbor="10.0.0.2" into buf. */
static const char *bfd_labels(const struct bfd_rt *b, char *buf, size_t len)
{
	FILE *f = fmemopen(buf, len, "w");
	char a[ADDR_STRLEN];

	buf[0] = 0;
	if (!f)
		return buf;
	fputs("bfd_instance=\"", f), esc(f, b->name);
	fprintf(f, "\",neighbor=\"%s\"", addr_ntop(&b->c->neighbor, a));
	fclose(f);
	return buf;
}

typedef void (*bfd_fn)(FILE *f, const struct bfd_rt *b, const char *l);

static void each_bfd(FILE *f, struct vipd *d, const char *name, const char *type,
                     const char *help, bfd_fn fn)
{
	char l[LABELS_MAX];

	head(f, name, type, help);
	for (const struct bfd_rt *b = d->bfds; b; b = b->next)
		fn(f, b, bfd_labels(b, l, sizeof(l)));
}

static void m_bfd_state(FILE *f, const struct bfd_rt *b, const char *l)
{
	for (int s = BFD_ADMIN_DOWN; s <= BFD_UP; s++)
		fprintf(f, "vipd_bfd_session_state{%s,state=\"%s\"} %d\n", l,
		        bfd_state_str((enum bfd_state)s), b->s.session_state == (enum bfd_state)s);
}

static void m_bfd_packets(FILE *f, const struct bfd_rt *b, const char *l)
{
	fprintf(f, "vipd_bfd_packets_total{%s,direction=\"sent\"} %llu\n", l,
	        (unsigned long long)(b->s.tx_packets - b->tx_errors));
	fprintf(f, "vipd_bfd_packets_total{%s,direction=\"not_sent\"} %llu\n", l,
	        (unsigned long long)b->tx_errors);
	fprintf(f, "vipd_bfd_packets_total{%s,direction=\"received\"} %llu\n", l,
	        (unsigned long long)b->s.rx_packets);
}

static void m_bfd_changes(FILE *f, const struct bfd_rt *b, const char *l)
{
	fprintf(f, "vipd_bfd_session_changes_total{%s,to=\"Up\"} %llu\n", l,
	        (unsigned long long)b->s.up_count);
	fprintf(f, "vipd_bfd_session_changes_total{%s,to=\"Down\"} %llu\n", l,
	        (unsigned long long)b->s.down_count);
}

static void m_bfd_drops(FILE *f, const struct bfd_rt *b, const char *l)
{
	for (int r = 1; r < BFD_RX_REASONS; r++)
		fprintf(f, "vipd_bfd_packets_dropped_total{%s,reason=\"%s\"} %llu\n", l,
		        bfd_rx_reason_name((enum bfd_rx_reason)r), (unsigned long long)b->drops[r]);
}

static void m_bfd_detect(FILE *f, const struct bfd_rt *b, const char *l)
{
	fprintf(f, "vipd_bfd_detection_time_seconds{%s} %.6f\n", l,
	        (double)bfd_session_detect_time(&b->s) / 1e6);
}

static void bfd_sessions(FILE *f, struct vipd *d)
{
	if (!d->bfds)
		return;
	each_bfd(f, d, "vipd_bfd_session_state", "gauge",
	         "State of the BFD session: 1 for the current state, 0 for the others.",
	         m_bfd_state);
	each_bfd(f, d, "vipd_bfd_packets_total", "counter", "BFD Control packets sent, refused by the kernel (not_sent) and received.",
	         m_bfd_packets);
	each_bfd(f, d, "vipd_bfd_session_changes_total", "counter",
	         "Times the session went Up, and Down from Up.", m_bfd_changes);
	each_bfd(f, d, "vipd_bfd_packets_dropped_total", "counter",
	         "Received BFD packets the session refused, by reason.", m_bfd_drops);
	each_bfd(f, d, "vipd_bfd_detection_time_seconds", "gauge",
	         "Negotiated Detection Time (0 while unknown).", m_bfd_detect);
}

static void loop_hist(FILE *f, struct vipd *d)
{
	const struct loop_stats *ls = loop_stats(d->loop);
	uint64_t sum = 0;

	head(f, "vipd_loop_lateness_seconds", "histogram",
	     "How late the event loop ran its timers (adverts, master-down).");
	for (int b = 0; b < LOOP_LATE_BUCKETS; b++) {
		sum += ls->late_hist[b];
		if (b < LOOP_LATE_BUCKETS - 1)
			fprintf(f, "vipd_loop_lateness_seconds_bucket{le=\"%g\"} %llu\n",
			        (double)loop_late_bounds_us[b] / 1e6, (unsigned long long)sum);
		else
			fprintf(f, "vipd_loop_lateness_seconds_bucket{le=\"+Inf\"} %llu\n",
			        (unsigned long long)sum);
	}
	fprintf(f, "vipd_loop_lateness_seconds_sum %.6f\n", (double)ls->late_sum_us / 1e6);
	fprintf(f, "vipd_loop_lateness_seconds_count %llu\n", (unsigned long long)sum);
}

static void daemon_metrics(FILE *f, struct vipd *d)
{
	head(f, "vipd_build_info", "gauge", "vipd's version.");
	fprintf(f, "vipd_build_info{version=\"%s\"} 1\n", VIPD_VERSION);
	head(f, "vipd_start_time_seconds", "gauge", "Unix time the daemon started.");
	fprintf(f, "vipd_start_time_seconds %.3f\n", unix_at(d->started_at));
	head(f, "vipd_reloads_total", "counter", "Reloads that took a new configuration.");
	fprintf(f, "vipd_reloads_total %llu\n", (unsigned long long)d->reloads);
	head(f, "vipd_reload_failures_total", "counter",
	     "Reloads refused (the configuration had errors or could not be read).");
	fprintf(f, "vipd_reload_failures_total %llu\n", (unsigned long long)d->reload_failures);
	head(f, "vipd_last_reload_success", "gauge",
	     "Whether the last reload succeeded (1, also before any reload) or failed (0).");
	fprintf(f, "vipd_last_reload_success %d\n", !d->reload_failed);
	head(f, "vipd_last_reload_timestamp_seconds", "gauge",
	     "Unix time of the last reload (0: none yet).");
	fprintf(f, "vipd_last_reload_timestamp_seconds %.3f\n",
	        d->reload_at ? unix_at(d->reload_at) : 0.0);
	loop_hist(f, d);
}

char *metrics_text(struct vipd *d, size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);

	if (!f)
		return NULL;
	instances(f, d);
	bfd_sessions(f, d);
	daemon_metrics(f, d);
	if (fclose(f)) {
		free(buf);
		return NULL;
	}
	return buf;
}

static char *body(void *arg, size_t *len)
{
	return metrics_text(arg, len);
}

void metrics_close(struct vipd *d)
{
	httpd_close(d->httpd);
	d->httpd = NULL;
	d->metrics_bound[0] = 0;
}

void metrics_apply(struct vipd *d)
{
	const char *want = d->conf->global.metrics_listen;
	const struct httpd_route route = {"/metrics", "text/plain; version=0.0.4; charset=utf-8",
	                                  body, d};
	char why[160];
	struct addr a;
	int port;

	if (want && d->httpd && !strcmp(want, d->metrics_bound))
		return;
	if (d->httpd)
		log_info("metrics: no longer listening on %s", d->metrics_bound);
	metrics_close(d);
	if (!want || !conf_listen_parse(want, &a, &port))
		return;
	if (!(d->httpd = httpd_open(d->loop, &a, port, &route, why, sizeof(why)))) {
		log_warnx("metrics_listen %s: %s; no metrics served, VRRP goes on", want, why);
		return;
	}
	snprintf(d->metrics_bound, sizeof(d->metrics_bound), "%s", want);
	log_info(a.family == AF_INET6 ? "metrics: serving http://[%s]:%d/metrics"
	                              : "metrics: serving http://%s:%d/metrics",
	         addr_ntop(&a, why), port);
}
