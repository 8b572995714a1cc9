/*
 * confcheck.c: semantic checks of a parsed config, and the resolution of
 * inherited values (version, announcement settings) so the daemon reads
 * final values.
 *
 * RFC 3768 5.3.3 / RFC 9568 5.2.3 (VRID 1-255), 5.2.4 (priority: 255 for the
 * address owner), RFC 3768 5.3.7 (Adver Int, whole seconds), RFC 9568 5.2.7
 * (Max Advertise Interval, centiseconds, 12 bits).
 */
#include <ifaddrs.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf/parse.h"
#include "conf/bfdconf.h"
#include "lib/execpath.h"
#include "lib/strmap.h"

#define CHECK_ERR(c, o, pos, ...)  conf_diag(c, o, CONF_ERROR, pos, __VA_ARGS__)
#define CHECK_WARN(c, o, pos, ...) conf_diag(c, o, CONF_WARNING, pos, __VA_ARGS__)

static bool addr_is_local(const struct addr *a)
{
	struct ifaddrs *ifa, *i;
	bool found = false;

	if (getifaddrs(&ifa) < 0)
		return false;
	for (i = ifa; i && !found; i = i->ifa_next) {
		if (!i->ifa_addr || i->ifa_addr->sa_family != a->family)
			continue;
		const void *p =
		    a->family == AF_INET
		        ? (const void *)&((struct sockaddr_in *)i->ifa_addr)->sin_addr
		        : (const void *)&((struct sockaddr_in6 *)i->ifa_addr)->sin6_addr;
		found = !memcmp(p, &a->u, addr_len(a));
	}
	freeifaddrs(ifa);
	return found;
}

static void check_vips(struct conf *c, const struct conf_opts *o, struct conf_instance *in)
{
	for (size_t i = 0; i < in->vips.n; i++) {
		struct conf_vip *v = &in->vips.items[i];
		if (i == 0)
			in->family = v->addr.family;
		else if (v->addr.family != in->family)
			CHECK_ERR(
			    c, o, &v->pos,
			    "%s: virtual_ipaddress mixes IPv4 and IPv6; put the other family in "
			    "virtual_ipaddress_excluded or another instance",
			    in->name);
		for (size_t j = 0; j < i; j++) {
			if (!addr_eq(&in->vips.items[j].addr, &v->addr))
				continue;
			CHECK_WARN(c, o, &v->pos,
			           "%s: virtual IP is listed twice (line %d); ignored", in->name,
			           in->vips.items[j].pos.line);
			memmove(v, v + 1, (in->vips.n - i - 1) * sizeof(*v));
			in->vips.n--;
			i--;
			break;
		}
	}
	for (size_t i = 0; i < in->vips_excluded.n; i++)
		for (size_t j = 0; j < in->vips.n; j++)
			if (addr_eq(&in->vips.items[j].addr, &in->vips_excluded.items[i].addr))
				CHECK_ERR(c, o, &in->vips_excluded.items[i].pos,
				          "%s: address is both in virtual_ipaddress (line %d) and "
				          "excluded",
				          in->name, in->vips.items[j].pos.line);
	if (in->no_vips && in->vips.n)
		CHECK_WARN(c, o, &in->pos,
		           "%s: no_virtual_ipaddress, but %zu virtual_ipaddress given", in->name,
		           in->vips.n);
	else if (!in->vips.n && !in->no_vips)
		CHECK_WARN(c, o, &in->pos, "%s: no virtual_ipaddress", in->name);
	if (in->family == AF_UNSPEC)
		in->family = in->vips_excluded.n ? in->vips_excluded.items[0].addr.family : AF_INET;
}

static void check_version(struct conf *c, const struct conf_opts *o, struct conf_instance *in)
{
	/* the global defaults of per-instance settings */
	if (!in->down_timer_adverts)
		in->down_timer_adverts = c->global.down_timer_adverts;
	in->v3_checksum_as_v2 |= c->global.v3_checksum_as_v2;
	in->owner_ignore_adverts |= c->global.owner_ignore_adverts;
	if (!in->version)
		in->version = in->family == AF_INET6 ? 3 : c->global.vrrp_version;
	if (in->family == AF_INET6 && in->version == 2) {
		CHECK_WARN(c, o, &in->pos, "%s: VRRP version 2 has no IPv6; using version 3",
		           in->name);
		in->version = 3;
	}
	uint64_t us = in->advert_int_us;
	if (in->version == 2 && (us % 1000000 || us < 1000000 || us > 255000000))
		CHECK_ERR(c, o, &in->pos,
		          "%s: advert_int must be whole seconds from 1 to 255 with VRRP version 2",
		          in->name);
	if (in->version == 3 && (us % 10000 || us < 10000 || us > 40950000))
		CHECK_ERR(c, o, &in->pos,
		          "%s: advert_int must be 0.01 to 40.95 seconds in steps of 0.01 with VRRP "
		          "version 3",
		          in->name);
	if (in->version == 3 && in->auth_type != CONF_AUTH_NONE) {
		CHECK_WARN(c, o, &in->pos, "%s: VRRP version 3 has no authentication; ignored",
		           in->name);
		in->auth_type = CONF_AUTH_NONE;
		in->auth_pass[0] = '\0';
	}
	if (in->auth_type != CONF_AUTH_NONE && !in->auth_pass[0])
		CHECK_ERR(c, o, &in->pos, "%s: auth_type %s needs an auth_pass", in->name,
		          in->auth_type == CONF_AUTH_AH ? "AH" : "PASS");
	/* keepalived: a new master must first learn the AH sequence number */
	if (in->auth_type == CONF_AUTH_AH && in->state == CONF_STATE_MASTER &&
	    in->priority != 255) {
		CHECK_WARN(c, o, &in->pos,
		           "%s: state MASTER does not go with auth_type AH (the sequence number "
		           "is learnt as backup); using BACKUP",
		           in->name);
		in->state = CONF_STATE_BACKUP;
	}
}

static void check_basics(struct conf *c, const struct conf_opts *o, struct conf_instance *in)
{
	if (!in->vrid)
		CHECK_ERR(c, o, &in->pos, "%s: virtual_router_id is missing", in->name);
	if (!in->ifname[0] && !in->unicast_peers.n)
		CHECK_ERR(c, o, &in->pos, "%s: interface is missing", in->name);
	if (in->ifname[0] && o->check_interfaces && !if_nametoindex(in->ifname))
		CHECK_WARN(c, o, &in->pos, "%s: interface %s does not exist (yet)", in->name,
		           in->ifname);
	if (in->priority == 255 && o->check_interfaces && in->vips.n &&
	    !addr_is_local(&in->vips.items[0].addr))
		CHECK_WARN(c, o, &in->pos,
		           "%s: priority 255 means address owner, but this host does not own %s",
		           in->name, "the first virtual IP");
	if (in->timer_expired_backup && !in->nopreempt) {
		CHECK_WARN(c, o, &in->pos, "%s: timer_expired_backup needs nopreempt; ignored",
		           in->name);
		in->timer_expired_backup = 0;
	}
	if (in->nopreempt && in->state == CONF_STATE_MASTER)
		CHECK_WARN(c, o, &in->pos, "%s: nopreempt has no effect with state MASTER",
		           in->name);
	for (size_t i = 0; i < in->unicast_peers.n; i++)
		if (in->unicast_peers.items[i].addr.family != in->family)
			CHECK_ERR(c, o, &in->unicast_peers.items[i].pos,
			          "%s: unicast_peer is not of the instance's address family",
			          in->name);
	if (addr_is_set(&in->unicast_src_ip) && in->unicast_src_ip.family != in->family)
		CHECK_ERR(c, o, &in->pos,
		          "%s: unicast_src_ip is not of the instance's address family", in->name);
	for (size_t i = 0; i < in->paths.n; i++) {
		const struct conf_path *pa = &in->paths.items[i];
		if ((addr_is_set(&pa->peer) && pa->peer.family != in->family) ||
		    (addr_is_set(&pa->src) && pa->src.family != in->family))
			CHECK_ERR(c, o, &pa->pos,
			          "%s: advert_path %s: address not of the instance's family",
			          in->name, pa->ifname);
		if (!addr_is_set(&pa->peer) && !strcmp(pa->ifname, in->ifname))
			CHECK_ERR(c, o, &pa->pos,
			          "%s: advert_path %s: multicast on the instance's own interface "
			          "is no second path",
			          in->name, pa->ifname);
	}
	if (addr_is_set(&in->mcast_src_ip) && in->mcast_src_ip.family != in->family)
		CHECK_ERR(c, o, &in->pos,
		          "%s: mcast_src_ip is not of the instance's address family", in->name);
}

/* vrrp_strict / strict_mode: keepalived's list of what RFC 9568 does not
 * allow, refused here rather than silently changed. */
static void check_strict(struct conf *c, const struct conf_opts *o, struct conf_instance *in)
{
	const char *n = in->name;

	if (!(in->strict == CONF_YES || (in->strict == CONF_UNSET && c->global.vrrp_strict)))
		return;
	if (!in->vips.n)
		CHECK_ERR(c, o, &in->pos,
		          "%s: strict mode: at least one virtual_ipaddress is needed%s", n,
		          in->no_vips ? " (no_virtual_ipaddress is not allowed)" : "");
	if (in->unicast_peers.n)
		CHECK_ERR(c, o, &in->pos, "%s: strict mode: unicast_peer is not allowed", n);
	if (in->auth_type != CONF_AUTH_NONE)
		CHECK_ERR(c, o, &in->pos, "%s: strict mode: authentication is not allowed", n);
	if (in->state == CONF_STATE_MASTER && in->priority != 255)
		CHECK_ERR(c, o, &in->pos,
		          "%s: strict mode: state MASTER needs priority 255 (address owner)", n);
	if (in->preempt_delay_us)
		CHECK_ERR(c, o, &in->pos, "%s: strict mode: preempt_delay is not allowed", n);
	if (in->version == 2 && in->accept != CONF_UNSET)
		CHECK_ERR(c, o, &in->pos, "%s: strict mode: accept/no_accept needs VRRP version 3",
		          n);
	if (in->family == AF_INET6 && in->vips.n && !addr_is_linklocal6(&in->vips.items[0].addr))
		CHECK_ERR(c, o, &in->pos,
		          "%s: strict mode: the first IPv6 virtual address must be link-local", n);
	if (in->lower_prio_no_advert == CONF_NO)
		CHECK_ERR(c, o, &in->pos,
		          "%s: strict mode: lower_prio_no_advert cannot be turned off", n);
	if (in->higher_prio_send_advert == CONF_YES)
		CHECK_ERR(c, o, &in->pos, "%s: strict mode: higher_prio_send_advert is not allowed",
		          n);
	if (in->vmac_xmit_base)
		CHECK_ERR(c, o, &in->pos, "%s: strict mode: vmac_xmit_base is not allowed", n);
	if (in->paths.n)
		CHECK_ERR(c, o, &in->pos,
		          "%s: strict mode: advert_path (a vipd extension) is not allowed", n);
	if (in->accept == CONF_UNSET && in->version == 3)
		in->accept = in->priority == 255 ? CONF_YES : CONF_NO;
	in->lower_prio_no_advert = CONF_YES;
}

static void check_refs(struct conf *c, const struct conf_opts *o, const char *owner,
                       const struct conf_tracks *v, enum conf_track_kind kind)
{
	const struct conf_track_type *k = &conf_track_kinds[kind];

	for (size_t i = 0; i < v->n; i++) {
		const struct conf_track *t = &v->items[i];
		int w;
		bool rev;
		if (!k->lookup) { /* an interface: the host's */
			if (o->check_interfaces && !if_nametoindex(t->name))
				CHECK_WARN(c, o, &t->pos,
				           "%s: tracked interface %s does not exist (yet)", owner,
				           t->name);
			continue;
		}
		if (!k->lookup(c, t->name, &w, &rev))
			CHECK_ERR(c, o, &t->pos, "%s: %s %s is not defined", owner, k->target,
			          t->name);
		for (size_t j = 0; j < i; j++)
			if (!strcmp(v->items[j].name, t->name))
				CHECK_WARN(c, o, &t->pos, "%s: %s is tracked twice", owner,
				           t->name);
	}
}

static void check_all_refs(struct conf *c, const struct conf_opts *o, const char *owner,
                           const struct conf_tracks *tracks)
{
	for (int k = 0; k < CONF_TRACK_KINDS; k++)
		check_refs(c, o, owner, &tracks[k], (enum conf_track_kind)k);
}

/* Keys of the maps below: what two instances must not share. */
static const char *link_key(char *buf, size_t len, const char *ifname, int vrid, int family)
{
	snprintf(buf, len, "%s|%d|%d", ifname, vrid, family);
	return buf;
}

/* The instance a map entry names, for the message. */
static const struct conf_instance *first(const struct conf *c, long i)
{
	return &c->instances.items[i];
}

/*
 * Duplicates in one pass with maps (a config of 100,000 instances must not
 * cost their pairs): a VRID used twice on a link for multicast, a use_vmac
 * name, an advert_path on a link where another instance has the VRID, a
 * VIP in two instances (a warning). Each names the first instance that has
 * it.
 */
struct dup_maps {
	struct strmap vrid, vmac, uses, paths, vips;
};

static void check_vrid(struct conf *c, const struct conf_opts *o, struct dup_maps *m, long i)
{
	struct conf_instance *a = &c->instances.items[i];
	char key[IFNAMSIZ + 128], g[ADDR_STRLEN];

	if (!a->vrid || a->unicast_peers.n)
		return;
	snprintf(key, sizeof(key), "%s|%d|%d|%s", a->ifname, a->vrid, a->family,
	         addr_ntop(&a->mcast_dst_ip, g));
	long j = strmap_put(&m->vrid, key, i);
	if (j >= 0 && j != i)
		CHECK_ERR(c, o, &a->pos,
		          "%s: virtual_router_id %d on %s is already used by %s (line %d)", a->name,
		          a->vrid, a->ifname[0] ? a->ifname : "(no interface)", first(c, j)->name,
		          first(c, j)->pos.line);
}

static void check_shared(struct conf *c, const struct conf_opts *o, struct dup_maps *m, long i)
{
	struct conf_instance *a = &c->instances.items[i];
	char key[IFNAMSIZ + 64];
	long j;

	if (a->use_vmac && a->vmac_name[0] && (j = strmap_put(&m->vmac, a->vmac_name, i)) >= 0 &&
	    j != i)
		CHECK_ERR(c, o, &a->pos, "%s: use_vmac %s is already used by %s (line %d)", a->name,
		          a->vmac_name, first(c, j)->name, first(c, j)->pos.line);
	if (!a->vrid)
		return;
	for (size_t k = 0; k < a->paths.n; k++) {
		link_key(key, sizeof(key), a->paths.items[k].ifname, a->vrid, a->family);
		if ((j = strmap_get(&m->uses, key)) >= 0)
			CHECK_ERR(
			    c, o, &a->paths.items[k].pos,
			    "%s: advert_path %s: VRID %d there is already used by %s (line %d)",
			    a->name, a->paths.items[k].ifname, a->vrid, first(c, j)->name,
			    first(c, j)->pos.line);
	}
	link_key(key, sizeof(key), a->ifname, a->vrid, a->family);
	if ((j = strmap_get(&m->paths, key)) >= 0)
		CHECK_ERR(c, o, &a->pos,
		          "%s: VRID %d on %s is already used by an advert_path of %s (line %d)",
		          a->name, a->vrid, a->ifname, first(c, j)->name, first(c, j)->pos.line);
	/* this instance's links, for the ones after it */
	strmap_put(&m->uses, key, i);
	for (size_t k = 0; k < a->paths.n; k++) {
		link_key(key, sizeof(key), a->paths.items[k].ifname, a->vrid, a->family);
		strmap_put(&m->uses, key, i);
		strmap_put(&m->paths, key, i);
	}
}

static void check_shared_vips(struct conf *c, const struct conf_opts *o, struct dup_maps *m, long i)
{
	struct conf_instance *a = &c->instances.items[i];
	char key[ADDR_STRLEN];

	for (size_t x = 0; x < a->vips.n; x++) {
		long j = strmap_put(&m->vips, addr_ntop(&a->vips.items[x].addr, key), i);
		if (j < 0 || j == i)
			continue;
		const struct conf_instance *b = first(c, j);
		for (size_t y = 0; y < b->vips.n; y++)
			if (addr_eq(&b->vips.items[y].addr, &a->vips.items[x].addr)) {
				CHECK_WARN(c, o, &a->vips.items[x].pos,
				           "%s: virtual IP is also in %s (line %d)", a->name,
				           b->name, b->vips.items[y].pos.line);
				break;
			}
	}
}

static void check_duplicates(struct conf *c, const struct conf_opts *o)
{
	struct dup_maps m = {0};

	for (size_t i = 0; i < c->instances.n; i++) {
		check_vrid(c, o, &m, (long)i);
		check_shared(c, o, &m, (long)i);
		check_shared_vips(c, o, &m, (long)i);
	}
	strmap_free(&m.vrid);
	strmap_free(&m.vmac);
	strmap_free(&m.uses);
	strmap_free(&m.paths);
	strmap_free(&m.vips);
}

static void check_groups(struct conf *c, const struct conf_opts *o)
{
	for (size_t i = 0; i < c->sync_groups.n; i++) {
		struct conf_sync_group *g = &c->sync_groups.items[i];
		if (!g->members.n)
			CHECK_ERR(c, o, &g->pos, "vrrp_sync_group %s has no group members",
			          g->name);
		for (size_t m = 0; m < g->members.n; m++) {
			const char *name = g->members.items[m];
			if (!conf_find_instance(c, name))
				CHECK_ERR(c, o, &g->pos,
				          "vrrp_sync_group %s: vrrp_instance %s is not defined",
				          g->name, name);
			for (size_t j = 0; j < i; j++)
				for (size_t k = 0; k < c->sync_groups.items[j].members.n; k++)
					if (!strcmp(c->sync_groups.items[j].members.items[k], name))
						CHECK_ERR(
						    c, o, &g->pos,
						    "vrrp_instance %s is in two sync groups (%s, "
						    "%s)",
						    name, c->sync_groups.items[j].name, g->name);
		}
		check_all_refs(c, o, g->name, g->tracks);
	}
}

/* interface_up_down_delays: as keepalived, an instance whose interface
 * delay is not below (down_timer_adverts - 1) advert intervals follows the
 * interface at once (a longer wait would let a backup take over first). */
static void check_if_delays(struct conf *c, const struct conf_opts *o)
{
	for (size_t i = 0; i < c->if_delays.n; i++) {
		const struct conf_if_delay *x = &c->if_delays.items[i];
		for (size_t j = 0; j < i; j++)
			if (!strcmp(c->if_delays.items[j].ifname, x->ifname))
				CHECK_ERR(c, o, &x->pos,
				          "interface_up_down_delays: %s is given twice", x->ifname);
		for (size_t k = 0; k < c->instances.n; k++) {
			struct conf_instance *in = &c->instances.items[k];
			int64_t bound =
			    (int64_t)(in->down_timer_adverts - 1) * (int64_t)in->advert_int_us;
			if (strcmp(in->ifname, x->ifname) ||
			    (x->down_us < bound && x->up_us < bound))
				continue;
			in->if_delays_off = true;
			CHECK_WARN(
			    c, o, &x->pos,
			    "%s: the delays of %s are not below %d advert intervals; it follows "
			    "the interface at once",
			    in->name, x->ifname, in->down_timer_adverts - 1);
		}
	}
}

/* garp_group: keepalived's rules (an interface in one group only, some
 * interval set, at least one interface). */
static void check_garp_groups(struct conf *c, const struct conf_opts *o)
{
	for (size_t i = 0; i < c->garp_groups.n; i++) {
		const struct conf_garp_group *g = &c->garp_groups.items[i];
		if (g->garp_interval_us < 0 && g->gna_interval_us < 0)
			CHECK_ERR(c, o, &g->pos,
			          "garp_group has neither garp_interval nor gna_interval");
		if (!g->ifaces.n)
			CHECK_ERR(c, o, &g->pos, "garp_group has no interface");
		for (size_t k = 0; k < g->ifaces.n; k++)
			for (size_t j = 0; j <= i; j++)
				for (size_t m = 0;
				     m < (j < i ? c->garp_groups.items[j].ifaces.n : k); m++)
					if (!strcmp(c->garp_groups.items[j].ifaces.items[m],
					            g->ifaces.items[k]))
						CHECK_ERR(c, o, &g->pos,
						          "garp_group: %s is in another group",
						          g->ifaces.items[k]);
	}
}

/* A script's program as it would be run: found (a name through PATH) and
 * executable; vipd -t says which is not. */
static void check_cmd(struct conf *c, const struct conf_opts *o, const struct conf_cmd *cmd,
                      const char *owner, const char *what)
{
	char prog[4096], path[4096];

	if (!o->check_commands || !cmd->cmd || !cmd->cmd[0])
		return;
	exec_program(cmd->cmd, prog, sizeof(prog));
	if (exec_find(prog, path, sizeof(path)))
		return;
	if (strchr(prog, '/'))
		CHECK_WARN(c, o, &cmd->pos, "%s %s: %s: %s", owner, what, prog,
		           access(prog, F_OK) < 0 ? "no such file" : "not an executable file");
	else
		CHECK_WARN(c, o, &cmd->pos, "%s %s: %s is not in PATH (%s)", owner, what, prog,
		           exec_search_path());
}

static void check_notify_cmds(struct conf *c, const struct conf_opts *o,
                              const struct conf_notify *n, const char *owner)
{
	check_cmd(c, o, &n->master, owner, "notify_master");
	check_cmd(c, o, &n->backup, owner, "notify_backup");
	check_cmd(c, o, &n->fault, owner, "notify_fault");
	check_cmd(c, o, &n->stop, owner, "notify_stop");
	check_cmd(c, o, &n->deleted, owner, "notify_deleted");
	check_cmd(c, o, &n->any, owner, "notify");
	check_cmd(c, o, &n->master_rx_lower_pri, owner, "notify_master_rx_lower_pri");
	check_cmd(c, o, &n->split_brain, owner, "notify_split_brain");
}

static void check_commands(struct conf *c, const struct conf_opts *o)
{
	for (size_t i = 0; i < c->scripts.n; i++)
		check_cmd(c, o, &c->scripts.items[i].cmd, "vrrp_script", c->scripts.items[i].name);
	for (size_t i = 0; i < c->instances.n; i++)
		check_notify_cmds(c, o, &c->instances.items[i].notify, c->instances.items[i].name);
	for (size_t i = 0; i < c->sync_groups.n; i++)
		check_notify_cmds(c, o, &c->sync_groups.items[i].notify,
		                  c->sync_groups.items[i].name);
	check_cmd(c, o, &c->global.notify_fifo_script, "global_defs", "notify_fifo_script");
}

static void check_objects(struct conf *c, const struct conf_opts *o)
{
	for (size_t i = 0; i < c->scripts.n; i++) {
		struct conf_script *s = &c->scripts.items[i];
		if (!s->cmd.cmd || !s->cmd.cmd[0])
			CHECK_ERR(c, o, &s->pos, "vrrp_script %s has no script", s->name);
		if (s->interval_us == 0)
			CHECK_ERR(c, o, &s->pos, "vrrp_script %s: interval must be more than 0",
			          s->name);
	}
	for (size_t i = 0; i < c->track_files.n; i++)
		if (!c->track_files.items[i].path)
			CHECK_ERR(c, o, &c->track_files.items[i].pos, "track_file %s has no file",
			          c->track_files.items[i].name);
	for (size_t i = 0; i < c->track_processes.n; i++) {
		struct conf_track_process *t = &c->track_processes.items[i];
		if (!t->process)
			CHECK_ERR(c, o, &t->pos, "vrrp_track_process %s has no process", t->name);
		if (t->quorum_max >= 0 && t->quorum_max < t->quorum)
			CHECK_ERR(c, o, &t->pos,
			          "vrrp_track_process %s: quorum_max is below quorum", t->name);
	}
}

void conf_validate(struct conf *c, const struct conf_opts *opts)
{
	struct conf_opts o0 = {0};
	const struct conf_opts *o = opts ? opts : &o0;

	check_objects(c, o);
	check_commands(c, o);
	for (size_t i = 0; i < c->instances.n; i++) {
		struct conf_instance *in = &c->instances.items[i];
		check_vips(c, o, in);
		check_version(c, o, in);
		check_basics(c, o, in);
		check_strict(c, o, in);
		check_all_refs(c, o, in->name, in->tracks);
	}
	conf_check_bfd(c, o);
	check_duplicates(c, o);
	check_groups(c, o);
	conf_check_statics(c, o);
	check_garp_groups(c, o);
	check_if_delays(c, o);
}
