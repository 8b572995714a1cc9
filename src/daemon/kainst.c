/*
 * kainst.c: one vrrp_instance as keepalived 2.2.7 lists it in its data
 * file (SIGUSR1, keepalived.data's "VRRP Topology"): the same labels in the
 * same order, from vipd's config and machine, for the exporters that parse
 * the file (State, Wantstate, Interface, Virtual Router ID, Gratuitous ARP
 * delay, Virtual IP). What vipd has no counterpart for is left out:
 * keepalived's socket pool, its per-interface table, routes and rules.
 * Owns nothing.
 */
#include <stdio.h>
#include <time.h>

#include "conf/conf.h"
#include "daemon/daemon.h"
#include "daemon/instance.h"
#include "daemon/kadump.h"
#include "daemon/kainst.h"
#include "daemon/sync.h"
#include "daemon/vsock.h"
#include "lib/addr.h"
#include "linux/loop.h"
#include "linux/nft.h"
#include "vrrp/fsm.h"

#define L(f, ...) fprintf(f, "   " __VA_ARGS__), fputc('\n', f)

static const char *yes(bool v, const char *y, const char *n)
{
	return v ? y : n;
}

/* "SECS.USECS (Wed Dec  2 10:21:50.090971 2026)", as keepalived prints times */
static void when(FILE *f, const char *label, double t)
{
	time_t s = (time_t)t;
	long us = (long)((t - (double)s) * 1e6);
	struct tm tm;
	char a[32], y[8];

	localtime_r(&s, &tm);
	strftime(a, sizeof(a), "%a %b %e %H:%M:%S", &tm);
	strftime(y, sizeof(y), "%Y", &tm);
	L(f, "%s = %lld.%6.6ld (%s.%6.6ld %s)", label, (long long)s, us, a, us, y);
}

static double real_at(const struct kainst_clock *k, vtime_t t)
{
	return k->now_real + (double)(t - k->now) / 1e6;
}

static void state(FILE *f, const struct instance *in)
{
	const struct fsm *m = &in->fsm;
	char a[ADDR_STRLEN];

	L(f, "VRRP Version = %d", in->c->version);
	if (in->sync)
		L(f, "Sync group = %s", in->sync->c->name);
	if (in->c->family == AF_INET6)
		L(f, "Using Native IPv6");
	L(f, "State = %s", vrrp_state_name(m->state));
	if (m->state != VRRP_STATE_BACKUP)
		return;
	L(f, "Master router = %s",
	  addr_is_set(&m->master_addr) ? addr_ntop(&m->master_addr, a) : "0.0.0.0");
	L(f, "Master priority = %d", m->master_priority);
	if (in->c->version == 3)
		L(f, "Master advert int = %.2f sec", (double)m->master_adver_int_us / 1e6);
}

static void flags(FILE *f, const struct conf_instance *c)
{
	if (!c->unicast_peers.n && !c->unicast_fault_no_peer) {
		L(f, "Flags: none");
		return;
	}
	L(f, "Flags:");
	if (c->unicast_peers.n)
		L(f, "  Using unicast");
	if (c->unicast_fault_no_peer)
		L(f, "  If unicast go to fault state if no peers");
}

static void timers(FILE *f, const struct instance *in, const struct kainst_clock *k)
{
	const struct fsm *m = &in->fsm;
	vtime_t next = m->state == VRRP_STATE_MASTER   ? m->adver_at
	               : m->state == VRRP_STATE_BACKUP ? m->master_down_at
	                                               : VTIME_NEVER;

	L(f, "Wantstate = %s", vrrp_state_name(m->state));
	L(f, "Number of config faults = 0");
	L(f, "Number of interface and track script faults = %u", m->fault_holds);
	L(f, "Number of track scripts init = 0");
	when(f, "Last transition",
	     real_at(k, in->last_transition_at ? in->last_transition_at : in->d->started_at));
	if (next == VTIME_NEVER)
		L(f, "Read timeout = DISABLED");
	else
		when(f, "Read timeout", real_at(k, next));
	L(f, "Master down timer = %llu usecs", (unsigned long long)fsm_master_down_us(m));
}

static void iface(FILE *f, const struct instance *in)
{
	const struct conf_instance *c = in->c;

	if (in->vmac.ifindex > 0) {
		L(f, "Use VMAC, i/f name %s, is_up = true, xmit_base = %s", in->vmac.name,
		  yes(c->vmac_xmit_base, "true", "false"));
		L(f, "Interface = %s, vmac on %s%s", in->vmac.name, c->ifname,
		  c->vmac_xmit_base ? ", xmit base i/f" : "");
	} else {
		L(f, "Interface = %s", c->ifname);
	}
	if (c->dont_track_primary)
		L(f, "VRRP interface tracking disabled");
	if (c->skip_check_adv_addr)
		L(f, "Skip checking advert IP addresses");
	if (kadump_strict(in->d, c))
		L(f, "Enforcing strict VRRP compliance");
}

static void addresses(FILE *f, const struct instance *in)
{
	const struct conf_instance *c = in->c;
	const struct conf_global *g = &in->d->conf->global;
	bool conf_src = addr_is_set(&c->mcast_src_ip) || addr_is_set(&c->unicast_src_ip);
	const struct addr *grp = addr_is_set(&c->mcast_dst_ip) ? &c->mcast_dst_ip
	                         : c->family == AF_INET6       ? &g->vrrp_mcast_group6
	                                                       : &g->vrrp_mcast_group4;
	char a[ADDR_STRLEN];

	L(f, "Using src_ip = %s%s",
	  addr_is_set(&in->primary) ? addr_ntop(&in->primary, a) : "(none)",
	  conf_src ? " (from configuration)" : "");
	if (c->unicast_peers.n)
		return;
	if (grp->family == AF_INET6)
		L(f, "Multicast address %s, ifindex %d", addr_ntop(grp, a), in->ifindex);
	else
		L(f, "Multicast address %s", addr_ntop(grp, a));
}

static void garps(FILE *f, const struct instance *in)
{
	struct kadump_garp g;

	kadump_garp(in, &g);
	L(f, "Gratuitous ARP delay = %lld", (long long)(g.delay_us / 1000000));
	L(f, "Gratuitous ARP repeat = %lld", (long long)g.repeat);
	L(f, "Gratuitous ARP refresh = %lld", (long long)(g.refresh_us / 1000000));
	L(f, "Gratuitous ARP refresh repeat = %lld", (long long)g.refresh_repeat);
	L(f, "Gratuitous ARP lower priority delay = %lld", (long long)(g.lower_delay_us / 1000000));
	L(f, "Gratuitous ARP lower priority repeat = %lld", (long long)g.lower_repeat);
	L(f, "Down timer adverts = %d",
	  in->fsm.cfg.down_timer_adverts > 0 ? in->fsm.cfg.down_timer_adverts : 3);
	L(f, "Send advert after receive lower priority advert = %s",
	  yes(in->c->lower_prio_no_advert == CONF_YES, "false", "true"));
	L(f, "Send advert after receive higher priority advert = %s",
	  yes(in->c->higher_prio_send_advert == CONF_YES, "true", "false"));
}

static void priorities(FILE *f, const struct instance *in)
{
	const struct conf_instance *c = in->c;
	const struct fsm *m = &in->fsm;
	bool v3 = c->version == 3;

	L(f, "Virtual Router ID = %d", c->vrid);
	L(f, "Priority = %d", c->priority);
	L(f, "Effective priority = %d", m->priority);
	L(f, "Total priority = %d", m->priority);
	L(f, "Advert interval = %llu %s",
	  (unsigned long long)(c->advert_int_us / (v3 ? 1000 : 1000000)), v3 ? "milli-sec" : "sec");
	if (m->state == VRRP_STATE_BACKUP && v3)
		L(f, "Master advert interval = %llu milli-sec",
		  (unsigned long long)(m->master_adver_int_us / 1000));
	L(f, "Accept = %s", yes(!nft_accept_drops(in->d->conf, c), "enabled", "disabled"));
	L(f, "Preempt = %s", yes(c->nopreempt, "disabled", "enabled"));
	if (c->preempt_delay_us)
		L(f, "Preempt delay = %g secs", (double)c->preempt_delay_us / 1e6);
	L(f, "Promote_secondaries = %s", yes(c->promote_secondaries, "enabled", "disabled"));
	if (c->auth_type == CONF_AUTH_PASS) {
		L(f, "Authentication type = SIMPLE_PASSWORD");
		L(f, "Password = %s", c->auth_pass);
	} else if (c->auth_type == CONF_AUTH_AH) {
		L(f, "Authentication type = IPSEC_AH");
	} else if (!v3) {
		L(f, "Authentication type = none");
	}
}

static void vip_list(FILE *f, const struct instance *in, const char *head, const struct conf_vip *v,
                     size_t n, bool set)
{
	char line[ADDR_STRLEN + 64];

	if (!n)
		return;
	L(f, "%s", head);
	for (size_t i = 0; i < n; i++)
		L(f, "  %s", kadump_vip(line, sizeof(line), in, &v[i], set));
}

static void peers(FILE *f, const struct instance *in)
{
	const struct conf_instance *c = in->c;
	char a[ADDR_STRLEN], head[32];
	bool set = in->fsm.state == VRRP_STATE_MASTER;

	snprintf(head, sizeof(head), "Virtual IP (%zu):", c->vips.n);
	vip_list(f, in, head, c->vips.items, c->vips.n, set);
	vip_list(f, in, "Virtual IP Excluded :", c->vips_excluded.items, c->vips_excluded.n, set);
	if (c->unicast_peers.n) {
		if (c->unicast_ttl >= 0)
			L(f, "Unicast TTL = %d", c->unicast_ttl);
		L(f, "Check unicast src : %s", yes(c->check_unicast_src, "yes", "no"));
		L(f, "Unicast Peer :");
		for (size_t i = 0; i < c->unicast_peers.n; i++)
			L(f, "  %s", addr_ntop(&c->unicast_peers.items[i].addr, a));
	}
	if (in->sock)
		L(f, "fd_in %d, fd_out %d", in->sock->fd,
		  in->tx_sock ? in->tx_sock->fd : in->sock->fd);
	else
		L(f, "No sockets allocated");
}

void kainst_track_weight(const struct conf *cf, int kind, const struct conf_track *t, int *w,
                         bool *reverse)
{
	*w = 0;
	*reverse = false;
	if (conf_track_kinds[kind].lookup)
		conf_track_kinds[kind].lookup(cf, t->name, w, reverse);
	if (t->has_weight) {
		*w = t->weight;
		*reverse = t->reverse;
	}
}

/* keepalived's lines: "NAME weight W", for a BFD "NAME: weight W" */
static void tracked(FILE *f, const struct instance *in, int kind, const char *head)
{
	const struct conf_tracks *t = &in->c->tracks[kind];
	bool rev;
	int w;

	if (!t->n)
		return;
	L(f, "%s", head);
	for (size_t i = 0; i < t->n; i++) {
		kainst_track_weight(in->d->conf, kind, &t->items[i], &w, &rev);
		L(f, "  %s%s weight %d%s", t->items[i].name, kind == CONF_TRACK_BFD ? ":" : "", w,
		  rev ? " reverse" : "");
	}
}

static void notify(FILE *f, const struct vipd *d, const struct conf_cmd *c, const char *type)
{
	if (c->cmd && c->cmd[0])
		L(f, "%s state transition script = '%s', uid:gid %u:%u", type, c->cmd,
		  (unsigned)d->script_cred.uid, (unsigned)d->script_cred.gid);
}

static void scripts(FILE *f, const struct instance *in)
{
	const struct conf_instance *c = in->c;
	const struct conf_notify *n = &c->notify;

	tracked(f, in, CONF_TRACK_INTERFACE, "Tracked interfaces :");
	tracked(f, in, CONF_TRACK_SCRIPT, "Tracked scripts :");
	tracked(f, in, CONF_TRACK_FILE, "Tracked files :");
	tracked(f, in, CONF_TRACK_PROCESS, "Tracked processes :");
	tracked(f, in, CONF_TRACK_BFD, "Tracked BFDs :");
	L(f, "Using smtp notification = %s",
	  yes(conf_smtp_alert(&in->d->conf->global, c->smtp_alert), "yes", "no"));
	L(f, "Notify deleted = %s", yes(n->deleted.cmd != NULL, "Deleted", "Fault"));
	notify(f, in->d, &n->backup, "Backup");
	notify(f, in->d, &n->master, "Master");
	notify(f, in->d, &n->fault, "Fault");
	notify(f, in->d, &n->stop, "Stop");
	notify(f, in->d, &n->deleted, "Deleted");
	notify(f, in->d, &n->any, "Generic");
	notify(f, in->d, &n->master_rx_lower_pri, "Master rx lower pri");
	L(f, "Notify priority changes = %s",
	  yes(in->d->conf->global.notify_priority_changes, "true", "false"));
}

void kainst_write(FILE *f, const struct instance *in, const struct kainst_clock *k)
{
	fprintf(f, " VRRP Instance = %s\n", in->name);
	state(f, in);
	flags(f, in->c);
	timers(f, in, k);
	iface(f, in);
	addresses(f, in);
	garps(f, in);
	priorities(f, in);
	peers(f, in);
	scripts(f, in);
}
