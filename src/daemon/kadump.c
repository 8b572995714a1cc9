/*
 * kadump.c: the instances in keepalived's JSON schema (an array of
 * {"data": {...}, "stats": {...}}, the field names and meanings keepalived
 * 2.2.7 writes for SIGJSON), so that a keepalived exporter reads vipd as it
 * read keepalived. Field by field: state as keepalived numbers it (0 init,
 * 1 backup, 2 master, 3 fault), times in seconds, last_transition since the
 * epoch, VIPs as "ADDR dev IF scope SCOPE" with " set" while held, the
 * receive-check drops summed into keepalived's error counters (an AH
 * advert, which vipd does not take, counts as an invalid auth type).
 * Owns nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "conf/conf.h"
#include "daemon/ctl.h"
#include "daemon/daemon.h"
#include "daemon/instance.h"
#include "daemon/kadump.h"
#include "lib/addr.h"
#include "linux/loop.h"
#include "linux/nft.h"
#include "vrrp/fsm.h"
#include "vrrp/packet.h"

static void num(FILE *f, const char *key, long long v)
{
	fprintf(f, ",\"%s\":%lld", key, v);
}

static void dbl(FILE *f, const char *key, double v)
{
	fprintf(f, ",\"%s\":%.6f", key, v);
}

static void flag(FILE *f, const char *key, bool v)
{
	fprintf(f, ",\"%s\":%s", key, v ? "true" : "false");
}

static void str(FILE *f, const char *key, const char *v)
{
	fprintf(f, ",\"%s\":", key);
	ctl_json_str(f, v);
}

/* keepalived quotes each word of a script command; vipd shows it as written. */
static void script(FILE *f, const char *key, const struct conf_cmd *c)
{
	if (c->cmd && c->cmd[0])
		str(f, key, c->cmd);
}

static const char *scope_name(int scope)
{
	return scope == 253 ? "link" : scope == 254 ? "host" : scope == 200 ? "site" : "global";
}

const char *kadump_vip(char *buf, size_t len, const struct instance *in, const struct conf_vip *v,
                       bool set)
{
	char a[ADDR_STRLEN];

	snprintf(buf, len, "%s dev %s scope %s%s", addr_ntop(&v->addr, a),
	         v->dev[0] ? v->dev : in->c->ifname, scope_name(v->scope), set ? " set" : "");
	return buf;
}

static void vips(FILE *f, const struct instance *in, bool set)
{
	char line[ADDR_STRLEN + 64];

	fputs(",\"vips\":[", f);
	for (size_t i = 0; i < in->c->vips.n; i++) {
		fputs(i ? "," : "", f);
		ctl_json_str(f, kadump_vip(line, sizeof(line), in, &in->c->vips.items[i], set));
	}
	fputc(']', f);
}

/* An instance's setting, or global_defs' when it has none (-1). */
static int64_t or_global(int64_t v, int64_t global)
{
	return v >= 0 ? v : global;
}

bool kadump_strict(const struct vipd *d, const struct conf_instance *c)
{
	return c->strict == CONF_YES || (c->strict == CONF_UNSET && d->conf->global.vrrp_strict);
}

void kadump_garp(const struct instance *in, struct kadump_garp *g)
{
	const struct conf_instance *c = in->c;
	const struct conf_global *gl = &in->d->conf->global;
	int64_t lp_delay = or_global(c->garp_lower_prio_delay_us, gl->garp_lower_prio_delay_us);
	int64_t lp_rep = or_global(c->garp_lower_prio_repeat, gl->garp_lower_prio_repeat);

	g->delay_us = or_global(c->garp_master_delay_us, gl->garp_master_delay_us);
	g->repeat = or_global(c->garp_master_repeat, gl->garp_master_repeat);
	g->refresh_us = or_global(c->garp_master_refresh_us, gl->garp_master_refresh_us);
	g->refresh_repeat =
	    or_global(c->garp_master_refresh_repeat, gl->garp_master_refresh_repeat);
	g->lower_delay_us = lp_delay < 0 ? g->delay_us : lp_delay;
	g->lower_repeat = lp_rep < 0 ? g->repeat : lp_rep;
}

static void data(FILE *f, struct vipd *d, const struct instance *in, double now_real, vtime_t now)
{
	const struct conf_instance *c = in->c;
	const struct fsm *m = &in->fsm;
	bool master = m->state == VRRP_STATE_MASTER;
	double last = in->last_transition_at
	                  ? now_real - (double)(now - in->last_transition_at) / 1e6
	                  : now_real - (double)(now - d->started_at) / 1e6;
	struct kadump_garp g;

	kadump_garp(in, &g);
	fputs("{\"iname\":", f);
	ctl_json_str(f, in->name);
	num(f, "dont_track_primary", c->dont_track_primary);
	num(f, "skip_check_adv_addr", c->skip_check_adv_addr);
	num(f, "strict_mode", kadump_strict(d, c));
	str(f, "vmac_ifname", in->vmac.ifindex > 0 ? in->vmac.name : "");
	str(f, "ifp_ifname", c->ifname);
	num(f, "master_priority", master ? 0 : m->master_priority);
	dbl(f, "last_transition", last);
	dbl(f, "garp_delay", (double)g.delay_us / 1e6);
	num(f, "garp_refresh", g.refresh_us / 1000000);
	num(f, "garp_rep", g.repeat);
	num(f, "garp_refresh_rep", g.refresh_repeat);
	num(f, "garp_lower_prio_delay", g.lower_delay_us / 1000000);
	num(f, "garp_lower_prio_rep", g.lower_repeat);
	num(f, "lower_prio_no_advert", c->lower_prio_no_advert == CONF_YES);
	num(f, "higher_prio_send_advert", c->higher_prio_send_advert == CONF_YES);
	num(f, "vrid", c->vrid);
	num(f, "base_priority", c->priority);
	num(f, "effective_priority", m->priority);
	flag(f, "vipset", master && in->c->vips.n);
	flag(f, "promote_secondaries", c->promote_secondaries);
	dbl(f, "adver_int", (double)c->advert_int_us / 1e6);
	dbl(f, "master_adver_int", (double)m->master_adver_int_us / 1e6);
	num(f, "accept", !nft_accept_drops(d->conf, c));
	flag(f, "nopreempt", c->nopreempt);
	num(f, "preempt_delay", (long long)(c->preempt_delay_us / 1000000));
	num(f, "state", m->state);
	num(f, "wantstate", m->state);
	num(f, "version", c->version);
	flag(f, "smtp_alert", conf_smtp_alert(&d->conf->global, c->smtp_alert));
	flag(f, "notify_deleted", c->notify.deleted.cmd != NULL);
	script(f, "script_backup", &c->notify.backup);
	script(f, "script_master", &c->notify.master);
	script(f, "script_fault", &c->notify.fault);
	script(f, "script_stop", &c->notify.stop);
	script(f, "script", &c->notify.any);
	script(f, "script_master_rx_lower_pri", &c->notify.master_rx_lower_pri);
	vips(f, in, master);
	num(f, "auth_type", c->auth_type);
	if (c->auth_type != CONF_AUTH_NONE)
		str(f, "auth_data", c->auth_pass);
	fputc('}', f);
}

const char *const kadump_stat_names[KA_NSTATS] = {
    "advert_rcvd",    "advert_sent",         "become_master",     "release_master",
    "packet_len_err", "advert_interval_err", "ip_ttl_err",        "invalid_type_rcvd",
    "addr_list_err",  "invalid_authtype",    "authtype_mismatch", "auth_failure",
    "pri_zero_rcvd",  "pri_zero_sent",
};

void kadump_stats(const struct instance *in, uint64_t v[KA_NSTATS])
{
	const struct inst_stats *s = &in->st;
	const uint64_t *dr = s->drops;

	v[KA_ADVERT_RCVD] = s->adverts_received;
	v[KA_ADVERT_SENT] = s->adverts_sent;
	v[KA_BECOME_MASTER] = s->became_master;
	v[KA_RELEASE_MASTER] = s->left_master;
	v[KA_PACKET_LEN_ERR] = dr[VRRP_RX_SHORT] + dr[VRRP_RX_TRUNCATED];
	v[KA_ADVERT_INTERVAL_ERR] = dr[VRRP_RX_INTERVAL];
	v[KA_IP_TTL_ERR] = dr[VRRP_RX_TTL];
	v[KA_INVALID_TYPE_RCVD] = dr[VRRP_RX_TYPE];
	v[KA_ADDR_LIST_ERR] = dr[VRRP_RX_ADDR_MISMATCH] + dr[VRRP_RX_COUNT_MISMATCH];
	v[KA_INVALID_AUTHTYPE] = 0; /* an unknown type counts as a mismatch */
	v[KA_AUTHTYPE_MISMATCH] = dr[VRRP_RX_AUTH_TYPE] + dr[VRRP_RX_AUTH_AH];
	v[KA_AUTH_FAILURE] =
	    dr[VRRP_RX_AUTH_PASS] + dr[VRRP_RX_AH_ICV] + dr[VRRP_RX_AH_SPI] + dr[VRRP_RX_AH_SEQ];
	v[KA_PRI_ZERO_RCVD] = s->prio0_received;
	v[KA_PRI_ZERO_SENT] = s->prio0_sent;
}

static void stats(FILE *f, const struct instance *in)
{
	uint64_t v[KA_NSTATS];

	kadump_stats(in, v);
	for (int i = 0; i < KA_NSTATS; i++)
		fprintf(f, "%c\"%s\":%llu", i ? ',' : '{', kadump_stat_names[i],
		        (unsigned long long)v[i]);
	fputc('}', f);
}

char *kadump_json(struct vipd *d)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct timespec ts;
	vtime_t now = loop_now();
	bool first = true;

	if (!f)
		return NULL;
	clock_gettime(CLOCK_REALTIME, &ts);
	double now_real = (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
	fputc('[', f);
	for (struct instance *in = d->instances; in; in = in->next) {
		fputs(first ? "{\"data\":" : ",{\"data\":", f);
		first = false;
		data(f, d, in, now_real, now);
		fputs(",\"stats\":", f);
		stats(f, in);
		fputc('}', f);
	}
	fputc(']', f);
	if (fclose(f) != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}
