/*
 * katext.c: keepalived 2.2.7's text dumps, for the exporters that send
 * SIGUSR2 and SIGUSR1 and parse what keepalived writes: keepalived.stats
 * (each instance's counters under keepalived's labels, from kadump.c's
 * mapping of vipd's counters) and keepalived.data (the global definitions
 * vipd has, then "VRRP Topology" with kainst.c's instances, the sync
 * groups and the vrrp_scripts). Owns nothing; the texts are malloc'd.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "conf/conf.h"
#include "daemon/daemon.h"
#include "daemon/instance.h"
#include "daemon/kadump.h"
#include "daemon/kainst.h"
#include "daemon/katext.h"
#include "daemon/sync.h"
#include "daemon/track.h"
#include "lib/addr.h"
#include "lib/memtext.h"
#include "linux/loop.h"
#include "vrrp/fsm.h"

/* keepalived.stats' lines: a heading (stat < 0) or a counter, indented by
 * depth. */
static const struct {
	int depth;
	const char *label;
	int stat;
} stats_rows[] = {
    {1, "Advertisements", -1},
    {2, "Received", KA_ADVERT_RCVD},
    {2, "Sent", KA_ADVERT_SENT},
    {1, "Became master", KA_BECOME_MASTER},
    {1, "Released master", KA_RELEASE_MASTER},
    {1, "Packet Errors", -1},
    {2, "Length", KA_PACKET_LEN_ERR},
    {2, "TTL", KA_IP_TTL_ERR},
    {2, "Invalid Type", KA_INVALID_TYPE_RCVD},
    {2, "Advertisement Interval", KA_ADVERT_INTERVAL_ERR},
    {2, "Address List", KA_ADDR_LIST_ERR},
    {1, "Authentication Errors", -1},
    {2, "Invalid Type", KA_INVALID_AUTHTYPE},
    {2, "Type Mismatch", KA_AUTHTYPE_MISMATCH},
    {2, "Failure", KA_AUTH_FAILURE},
    {1, "Priority Zero", -1},
    {2, "Received", KA_PRI_ZERO_RCVD},
    {2, "Sent", KA_PRI_ZERO_SENT},
};

static void stats(FILE *f, void *arg)
{
	struct vipd *d = arg;
	uint64_t v[KA_NSTATS];

	for (const struct instance *in = d->instances; in; in = in->next) {
		kadump_stats(in, v);
		fprintf(f, "VRRP Instance: %s\n", in->name);
		for (size_t i = 0; i < sizeof(stats_rows) / sizeof(stats_rows[0]); i++) {
			fprintf(f, "%*s%s:", stats_rows[i].depth * 2, "", stats_rows[i].label);
			if (stats_rows[i].stat >= 0)
				fprintf(f, " %llu", (unsigned long long)v[stats_rows[i].stat]);
			fputc('\n', f);
		}
	}
}

static const char *tf(bool v)
{
	return v ? "true" : "false";
}

static void globals(FILE *f, const struct vipd *d)
{
	const struct conf_global *g = &d->conf->global;
	char a[ADDR_STRLEN];

	fputs("------< Global definitions >------\n", f);
	fprintf(f, " Network namespace = %s\n",
	        g->net_namespace[0] ? g->net_namespace : "(default)");
	if (g->router_id[0])
		fprintf(f, " Router ID = %s\n", g->router_id);
	fprintf(f, " FIFO write vrrp states on reload = %s\n", tf(g->fifo_write_states_on_reload));
	fprintf(f, " VRRP notify priority changes = %s\n", tf(g->notify_priority_changes));
	fprintf(f, " VRRP IPv4 mcast group = %s\n", addr_ntop(&g->vrrp_mcast_group4, a));
	fprintf(f, " VRRP IPv6 mcast group = %s\n", addr_ntop(&g->vrrp_mcast_group6, a));
	fprintf(f, " Gratuitous ARP delay = %lld\n",
	        (long long)(g->garp_master_delay_us / 1000000));
	fprintf(f, " Gratuitous ARP repeat = %d\n", g->garp_master_repeat);
	fprintf(f, " Gratuitous ARP refresh timer = %lld\n",
	        (long long)(g->garp_master_refresh_us / 1000000));
	fprintf(f, " Gratuitous ARP refresh repeat = %d\n", g->garp_master_refresh_repeat);
	fprintf(f, " Num adverts before down = %d\n", g->down_timer_adverts);
	fprintf(f, " Send advert after receive lower priority advert = %s\n",
	        tf(!g->lower_prio_no_advert));
	fprintf(f, " Send advert after receive higher priority advert = %s\n",
	        tf(g->higher_prio_send_advert));
	fprintf(f, " Gratuitous ARP interval = %.6f\n", (double)g->garp_interval_us / 1e6);
	fprintf(f, " Gratuitous NA interval = %.6f\n", (double)g->gna_interval_us / 1e6);
	fprintf(f, " VRRP default protocol version = %d\n", g->vrrp_version);
	fprintf(f, " VRRP skip check advert addresses = %s\n", tf(g->skip_check_adv_addr));
	fprintf(f, " VRRP strict mode = %s\n", tf(g->vrrp_strict));
	fprintf(f, " VRRP process priority = %d\n", g->vrrp_priority);
	fprintf(f, " VRRP don't swap = %s\n", tf(g->vrrp_no_swap));
	fprintf(f, " VRRP realtime priority = %d\n", g->vrrp_rt_priority);
	fprintf(f, " Script security %s\n", g->enable_script_security ? "enabled" : "disabled");
	fprintf(f, " Default script uid:gid %u:%u\n", (unsigned)d->script_cred.uid,
	        (unsigned)d->script_cred.gid);
}

static void sync_groups(FILE *f, const struct vipd *d)
{
	if (d->syncs)
		fputs("------< VRRP Sync groups >------\n", f);
	for (const struct sync_rt *s = d->syncs; s; s = s->next) {
		size_t faults = 0, inits = 0;
		for (size_t i = 0; i < s->n; i++) {
			faults += s->m[i]->fsm.state == VRRP_STATE_FAULT;
			inits += s->m[i]->fsm.state == VRRP_STATE_INIT;
		}
		fprintf(f, " VRRP Sync Group = %s, %s\n", s->c->name, vrrp_state_name(s->state));
		fprintf(f, "   Num member fault %zu, num member init %zu\n", faults, inits);
		fputs("   VRRP member instances :\n", f);
		for (size_t i = 0; i < s->n; i++)
			fprintf(f, "     %s\n", s->m[i]->name);
		fprintf(f, "   Using smtp notification = %s\n",
		        conf_smtp_alert(&d->conf->global, s->c->smtp_alert) ? "yes" : "no");
	}
}

/* The instances that track s, as "NAME, weight W" (keepalived 2.2.7 leaves
 * its "VRRP instances" heading empty and lists them under the next one). */
static void trackers(FILE *f, const struct vipd *d, const struct script_rt *s)
{
	bool rev;
	int w;

	fputs("   VRRP instances :\n   Tracking instances :\n", f);
	for (const struct instance *in = d->instances; in; in = in->next) {
		const struct conf_tracks *t = &in->c->tracks[CONF_TRACK_SCRIPT];
		for (size_t i = 0; i < t->n; i++) {
			if (strcmp(t->items[i].name, s->name))
				continue;
			kainst_track_weight(d->conf, CONF_TRACK_SCRIPT, &t->items[i], &w, &rev);
			fprintf(f, "     %s, weight %d%s\n", in->name, w, rev ? " reverse" : "");
		}
	}
}

static void script(FILE *f, const struct vipd *d, const struct script_rt *s)
{
	const struct conf_script *c = s->c;

	fprintf(f, " VRRP Script = %s\n", s->name);
	fprintf(f, "   Command = '%s'\n", c->cmd.cmd ? c->cmd.cmd : "");
	fprintf(f, "   Interval = %llu sec\n", (unsigned long long)(c->interval_us / 1000000));
	fprintf(f, "   Timeout = %llu sec\n", (unsigned long long)(c->timeout_us / 1000000));
	fprintf(f, "   Weight = %d%s\n", c->weight, c->weight_reverse ? " reverse" : "");
	fprintf(f, "   Rise = %d\n", c->rise);
	fprintf(f, "   Fall = %d\n", c->fall);
	fprintf(f, "   Result = %d\n", s->ok ? c->rise + c->fall - 1 : s->rise_count);
	fprintf(f, "   Insecure = %s\n", s->blocked ? "yes" : "no");
	fprintf(f, "   Init state = %s\n", s->runs ? "unknown" : "INIT");
	fprintf(f, "   Status = %s\n", s->ok ? "GOOD" : "BAD");
	fprintf(f, "   Script uid:gid = %u:%u\n", (unsigned)s->cred.uid, (unsigned)s->cred.gid);
	trackers(f, d, s);
	fprintf(f, "   State = %s\n", s->pid ? "running" : "idle");
}

static void data(FILE *f, void *arg)
{
	struct vipd *d = arg;
	struct timespec ts;
	struct kainst_clock k = {.now = loop_now()};

	clock_gettime(CLOCK_REALTIME, &ts);
	k.now_real = (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
	globals(f, d);
	if (d->instances)
		fputs("------< VRRP Topology >------\n", f);
	for (const struct instance *in = d->instances; in; in = in->next)
		kainst_write(f, in, &k);
	sync_groups(f, d);
	if (d->scripts)
		fputs("------< VRRP Scripts >------\n", f);
	for (const struct script_rt *s = d->scripts; s; s = s->next)
		script(f, d, s);
}

char *katext_stats(struct vipd *d)
{
	return memtext(stats, d);
}

char *katext_data(struct vipd *d)
{
	return memtext(data, d);
}
