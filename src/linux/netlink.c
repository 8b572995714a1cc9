/*
 * netlink.c: rtnetlink through libmnl. Adds and removes VIPs (ip addr),
 * virtual routes (ip route) and rules (ip rule), alone or batched in one
 * sendmsg; dumps and watches links and addresses. The watch socket has a
 * large receive buffer and re-dumps everything after ENOBUFS.
 */
#include <errno.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <libmnl/libmnl.h>
#include <linux/fib_rules.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>

#include "lib/log.h"
#include "linux/netlink.h"
#include "linux/nlwatch.h"

#define NL_RCVBUF    (4 * 1024 * 1024)
#define NL_BATCH_MAX (256 * 1024)

struct nl {
	struct mnl_socket *req, *mon;
	struct mnl_socket *dmp; /* dumps: handlers may send requests meanwhile */
	uint32_t seq, portid, dump_portid;
	char *batch_buf;
	struct mnl_nlmsg_batch *batch; /* non-NULL between begin and commit */
	uint32_t batch_first, batch_count;
	nl_addr_hook addr_hook;
	void *addr_hook_arg;
};

void nl_set_addr_hook(struct nl *nl, nl_addr_hook fn, void *arg)
{
	nl->addr_hook = fn;
	nl->addr_hook_arg = arg;
}

struct nl *nl_open(void)
{
	struct nl *nl = calloc(1, sizeof(*nl));
	int buf = NL_RCVBUF;

	if (!nl)
		return NULL;
	nl->req = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
	nl->mon = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC | SOCK_NONBLOCK);
	nl->dmp = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
	if (!nl->req || !nl->mon || !nl->dmp ||
	    mnl_socket_bind(nl->req, 0, MNL_SOCKET_AUTOPID) < 0 ||
	    mnl_socket_bind(nl->dmp, 0, MNL_SOCKET_AUTOPID) < 0 ||
	    mnl_socket_bind(nl->mon, RTMGRP_LINK | RTMGRP_IPV4_IFADDR | RTMGRP_IPV6_IFADDR,
	                    MNL_SOCKET_AUTOPID) < 0) {
		int e = errno;
		nl_close(nl);
		errno = e;
		return NULL;
	}
	if (setsockopt(mnl_socket_get_fd(nl->mon), SOL_SOCKET, SO_RCVBUFFORCE, &buf, sizeof(buf)) <
	    0)
		setsockopt(mnl_socket_get_fd(nl->mon), SOL_SOCKET, SO_RCVBUF, &buf, sizeof(buf));
	setsockopt(mnl_socket_get_fd(nl->req), SOL_SOCKET, SO_RCVBUF, &buf, sizeof(buf));
	nl->portid = mnl_socket_get_portid(nl->req);
	nl->dump_portid = mnl_socket_get_portid(nl->dmp);
	setsockopt(mnl_socket_get_fd(nl->dmp), SOL_SOCKET, SO_RCVBUF, &buf, sizeof(buf));
	nl->seq = (uint32_t)time(NULL);
	return nl;
}

void nl_close(struct nl *nl)
{
	if (!nl)
		return;
	if (nl->req)
		mnl_socket_close(nl->req);
	if (nl->mon)
		mnl_socket_close(nl->mon);
	if (nl->dmp)
		mnl_socket_close(nl->dmp);
	if (nl->batch)
		mnl_nlmsg_batch_stop(nl->batch);
	free(nl->batch_buf);
	free(nl);
}

int nl_watch_routes(struct nl *nl, bool routes, bool rules)
{
	static const unsigned route_groups[] = {RTNLGRP_IPV4_ROUTE, RTNLGRP_IPV6_ROUTE};
	static const unsigned rule_groups[] = {RTNLGRP_IPV4_RULE, RTNLGRP_IPV6_RULE};

	for (int i = 0; i < 2; i++) {
		int g = (int)route_groups[i];
		if (routes &&
		    mnl_socket_setsockopt(nl->mon, NETLINK_ADD_MEMBERSHIP, &g, sizeof(g)) < 0)
			return -errno;
		g = (int)rule_groups[i];
		if (rules &&
		    mnl_socket_setsockopt(nl->mon, NETLINK_ADD_MEMBERSHIP, &g, sizeof(g)) < 0)
			return -errno;
	}
	return 0;
}

int nl_monitor_fd(const struct nl *nl)
{
	return mnl_socket_get_fd(nl->mon);
}

/* ---- sending requests ---- */

static bool benign(int type, int err)
{
	bool add = type == RTM_NEWADDR || type == RTM_NEWROUTE || type == RTM_NEWRULE;

	return err == 0 || (add && err == EEXIST) ||
	       (!add && (err == EADDRNOTAVAIL || err == ESRCH || err == ENOENT || err == ENODEV));
}

static const char *type_name(int type)
{
	switch (type) {
	case RTM_NEWADDR:
		return "add address";
	case RTM_DELADDR:
		return "delete address";
	case RTM_NEWROUTE:
		return "add route";
	case RTM_DELROUTE:
		return "delete route";
	case RTM_NEWRULE:
		return "add rule";
	case RTM_DELRULE:
		return "delete rule";
	case RTM_NEWLINK:
		return "new/set link";
	case RTM_DELLINK:
		return "delete link";
	case RTM_GETLINK:
		return "get link";
	}
	return "request";
}

/* -D: each request as it goes, each answer as it comes. */
static void trace_req(int type, uint32_t seq, const struct nl_addr *key, bool batched)
{
	char a[ADDR_STRLEN];

	if (key && key->ifindex)
		log_trace(LOG_KERNEL, "netlink %u: %s %s/%d on interface %d%s", seq,
		          type_name(type), addr_ntop(&key->addr, a), key->prefixlen, key->ifindex,
		          batched ? " (batched)" : "");
	else
		log_trace(LOG_KERNEL, "netlink %u: %s%s", seq, type_name(type),
		          batched ? " (batched)" : "");
}

/* Tells the address hook what became of an address request. */
static void addr_done(struct nl *nl, int type, const struct nl_addr *key, int err)
{
	if (nl->addr_hook && (type == RTM_NEWADDR || type == RTM_DELADDR))
		nl->addr_hook(nl->addr_hook_arg, type == RTM_NEWADDR, key, err);
}

/* Reads acks for seqs [first, first + count); calls fn for real errors. */
static int read_acks(struct nl *nl, uint32_t first, uint32_t count, const int *types,
                     const struct nl_addr *keys, nl_err_fn fn, void *arg)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	int result = 0;
	uint32_t seen = 0;

	while (seen < count) {
		ssize_t n = mnl_socket_recvfrom(nl->req, buf, sizeof(buf));
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		for (struct nlmsghdr *h = (struct nlmsghdr *)buf; mnl_nlmsg_ok(h, (int)n);
		     h = mnl_nlmsg_next(h, (int *)&n)) {
			if (h->nlmsg_type != NLMSG_ERROR || h->nlmsg_seq - first >= count)
				continue;
			const struct nlmsgerr *e = mnl_nlmsg_get_payload(h);
			int err = -e->error;
			seen++;
			if (err) /* the others: one line for the lot, below */
				log_trace(LOG_KERNEL, "netlink %u: %s: %s", h->nlmsg_seq,
				          type_name(types[h->nlmsg_seq - first]), strerror(err));
			addr_done(nl, types[h->nlmsg_seq - first], &keys[h->nlmsg_seq - first],
			          err);
			if (!benign(types[h->nlmsg_seq - first], err)) {
				result = -err;
				if (fn)
					fn(arg, h->nlmsg_seq, err);
			}
		}
	}
	if (count == 1)
		log_trace(LOG_KERNEL, "netlink %u: answered", first);
	else
		log_trace(LOG_KERNEL, "netlink %u..%u: answered", first, first + count - 1);
	return result;
}

struct req {
	char buf[1024];
	struct nlmsghdr *nlh;
};

static void *req_start(struct nl *nl, struct req *r, int type, int flags, size_t hdr)
{
	r->nlh = mnl_nlmsg_put_header(r->buf);
	r->nlh->nlmsg_type = (uint16_t)type;
	r->nlh->nlmsg_flags = (uint16_t)(NLM_F_REQUEST | NLM_F_ACK | flags);
	r->nlh->nlmsg_seq = ++nl->seq;
	return mnl_nlmsg_put_extra_header(r->nlh, hdr);
}

static int types_in_batch[NL_BATCH_MAX / 16];
static struct nl_addr keys_in_batch[NL_BATCH_MAX / 16]; /* address requests' */

/* key: what an address request is about, for the hook (else NULL) */
static int req_send(struct nl *nl, struct req *r, const struct nl_addr *key)
{
	static const struct nl_addr none;
	if (nl->batch) {
		if (mnl_nlmsg_batch_size(nl->batch) + r->nlh->nlmsg_len > NL_BATCH_MAX ||
		    nl->batch_count == sizeof(types_in_batch) / sizeof(types_in_batch[0])) {
			int rc = nl_batch_commit(nl, NULL, NULL); /* full: send, go on */
			if (rc < 0)
				log_warnx("netlink batch: %s", strerror(-rc));
			nl_batch_begin(nl);
			if (!nl->batch)
				return -ENOMEM;
		}
		struct nlmsghdr *dst = mnl_nlmsg_batch_current(nl->batch);
		memcpy(dst, r->nlh, r->nlh->nlmsg_len);
		dst->nlmsg_seq = nl->batch_first + nl->batch_count;
		if (log_on(LOG_KERNEL))
			trace_req(r->nlh->nlmsg_type, dst->nlmsg_seq, key, true);
		keys_in_batch[nl->batch_count] = key ? *key : none;
		types_in_batch[nl->batch_count++] = r->nlh->nlmsg_type;
		mnl_nlmsg_batch_next(nl->batch);
		return 0;
	}
	int type = r->nlh->nlmsg_type;
	if (log_on(LOG_KERNEL))
		trace_req(type, r->nlh->nlmsg_seq, key, false);
	if (mnl_socket_sendto(nl->req, r->nlh, r->nlh->nlmsg_len) < 0)
		return -errno;
	return read_acks(nl, r->nlh->nlmsg_seq, 1, &type, key ? key : &none, NULL, NULL);
}

void nl_batch_begin(struct nl *nl)
{
	if (nl->batch)
		return;
	if (!nl->batch_buf && !(nl->batch_buf = malloc(NL_BATCH_MAX + MNL_SOCKET_BUFFER_SIZE)))
		return;
	nl->batch = mnl_nlmsg_batch_start(nl->batch_buf, NL_BATCH_MAX);
	nl->batch_first = nl->seq + 1;
	nl->seq += NL_BATCH_MAX / 16;
	nl->batch_count = 0;
}

int nl_batch_commit(struct nl *nl, nl_err_fn fn, void *arg)
{
	struct mnl_nlmsg_batch *b = nl->batch;
	int rc = 0;

	if (!b)
		return 0;
	nl->batch = NULL;
	if (nl->batch_count) {
		if (mnl_socket_sendto(nl->req, mnl_nlmsg_batch_head(b), mnl_nlmsg_batch_size(b)) <
		    0)
			rc = -errno;
		else
			rc = read_acks(nl, nl->batch_first, nl->batch_count, types_in_batch,
			               keys_in_batch, fn, arg);
	}
	mnl_nlmsg_batch_stop(b);
	return rc;
}

/* ---- addresses ---- */

static int vip_ifindex(int ifindex, const char *dev)
{
	int idx = dev[0] ? (int)if_nametoindex(dev) : ifindex;

	return idx;
}

static int default_plen(const struct conf_vip *v)
{
	return v->prefixlen >= 0 ? v->prefixlen : v->addr.family == AF_INET ? 32 : 128;
}

int nl_addr_key(int ifindex, const struct conf_vip *v, struct nl_addr *key)
{
	memset(key, 0, sizeof(*key));
	key->ifindex = vip_ifindex(ifindex, v->dev);
	key->addr = v->addr;
	key->prefixlen = default_plen(v);
	return key->ifindex > 0 ? 0 : -ENODEV;
}

static int addr_req(struct nl *nl, int type, int ifindex, const struct conf_vip *v)
{
	struct req r;
	struct ifaddrmsg *ifa = req_start(
	    nl, &r, type, type == RTM_NEWADDR ? NLM_F_CREATE | NLM_F_EXCL : 0, sizeof(*ifa));
	int idx = vip_ifindex(ifindex, v->dev);
	uint32_t flags = 0;

	if (idx <= 0)
		return -ENODEV;
	ifa->ifa_family = (uint8_t)v->addr.family;
	ifa->ifa_prefixlen = (uint8_t)default_plen(v);
	ifa->ifa_scope = (uint8_t)(v->scope >= 0 ? v->scope : RT_SCOPE_UNIVERSE);
	ifa->ifa_index = (uint32_t)idx;
	mnl_attr_put(r.nlh, IFA_LOCAL, addr_len(&v->addr), &v->addr.u);
	if (addr_is_set(&v->peer))
		mnl_attr_put(r.nlh, IFA_ADDRESS, addr_len(&v->peer), &v->peer.u);
	else
		mnl_attr_put(r.nlh, IFA_ADDRESS, addr_len(&v->addr), &v->addr.u);
	if (type == RTM_NEWADDR) {
		if (addr_is_set(&v->brd))
			mnl_attr_put(r.nlh, IFA_BROADCAST, 4, &v->brd.u);
		if (v->label[0])
			mnl_attr_put_strz(r.nlh, IFA_LABEL, v->label);
		if (v->addr.family == AF_INET6)
			flags |= IFA_F_NODAD;
		flags |= v->noprefixroute ? IFA_F_NOPREFIXROUTE : 0;
		flags |= v->mngtmpaddr ? IFA_F_MANAGETEMPADDR : 0;
		flags |= v->home ? IFA_F_HOMEADDRESS : 0;
		ifa->ifa_flags = (uint8_t)flags;
		mnl_attr_put_u32(r.nlh, IFA_FLAGS, flags);
		if (v->preferred_lft >= 0) {
			struct ifa_cacheinfo ci = {.ifa_prefered = (uint32_t)v->preferred_lft,
			                           .ifa_valid = 0xffffffffu};
			mnl_attr_put(r.nlh, IFA_CACHEINFO, sizeof(ci), &ci);
		}
	}
	struct nl_addr key = {.ifindex = idx, .addr = v->addr, .prefixlen = ifa->ifa_prefixlen};
	return req_send(nl, &r, &key);
}

int nl_addr_add(struct nl *nl, int ifindex, const struct conf_vip *v)
{
	return addr_req(nl, RTM_NEWADDR, ifindex, v);
}

int nl_addr_del(struct nl *nl, int ifindex, const struct conf_vip *v)
{
	return addr_req(nl, RTM_DELADDR, ifindex, v);
}

/* ---- routes ---- */

static void put_nexthops(struct nlmsghdr *nlh, const struct conf_route *r, int oif)
{
	struct nlattr *mp = mnl_attr_nest_start(nlh, RTA_MULTIPATH);
	const struct addr *gw[2] = {&r->via, &r->or_via};

	for (int i = 0; i < 2; i++) {
		struct rtnexthop *nh = (struct rtnexthop *)mnl_nlmsg_get_payload_tail(nlh);
		mnl_nlmsg_put_extra_header(nlh, sizeof(*nh));
		nh->rtnh_ifindex = oif;
		nh->rtnh_hops = 0;
		nh->rtnh_flags = r->onlink ? RTNH_F_ONLINK : 0;
		mnl_attr_put(nlh, RTA_GATEWAY, addr_len(gw[i]), &gw[i]->u);
		nh->rtnh_len =
		    (unsigned short)((char *)mnl_nlmsg_get_payload_tail(nlh) - (char *)nh);
	}
	mnl_attr_nest_end(nlh, mp);
}

/* nexthop via ... dev ... weight ... (multipath) */
static void put_nexthop_list(struct nlmsghdr *nlh, const struct conf_route *r, int oif)
{
	struct nlattr *mp = mnl_attr_nest_start(nlh, RTA_MULTIPATH);

	for (int i = 0; i < r->n_nexthops; i++) {
		const struct conf_nexthop *h = &r->nexthops[i];
		struct rtnexthop *nh = (struct rtnexthop *)mnl_nlmsg_get_payload_tail(nlh);
		mnl_nlmsg_put_extra_header(nlh, sizeof(*nh));
		nh->rtnh_ifindex = h->dev[0] ? (int)if_nametoindex(h->dev) : oif;
		nh->rtnh_hops = (unsigned char)(h->weight > 0 ? h->weight - 1 : 0);
		nh->rtnh_flags = h->onlink ? RTNH_F_ONLINK : 0;
		if (addr_is_set(&h->via))
			mnl_attr_put(nlh, RTA_GATEWAY, addr_len(&h->via), &h->via.u);
		nh->rtnh_len =
		    (unsigned short)((char *)mnl_nlmsg_get_payload_tail(nlh) - (char *)nh);
	}
	mnl_attr_nest_end(nlh, mp);
}

/* mtu, advmss, rtt, ... as ip-route sends them (rtt in 1/8 ms, rttvar 1/4) */
static void put_metrics(struct nlmsghdr *nlh, const struct conf_route *r)
{
	struct nlattr *m = NULL;

	for (int x = 1; x < CONF_RTAX_N; x++) {
		if (r->metrics[x] < 0)
			continue;
		if (!m)
			m = mnl_attr_nest_start(nlh, RTA_METRICS);
		uint32_t v = (uint32_t)r->metrics[x];
		if (x == RTAX_RTT)
			v *= 8;
		else if (x == RTAX_RTTVAR)
			v *= 4;
		mnl_attr_put_u32(nlh, (uint16_t)x, v);
	}
	if (r->congctl[0]) {
		if (!m)
			m = mnl_attr_nest_start(nlh, RTA_METRICS);
		mnl_attr_put_strz(nlh, RTAX_CC_ALGO, r->congctl);
	}
	if (r->metrics_lock) {
		if (!m)
			m = mnl_attr_nest_start(nlh, RTA_METRICS);
		mnl_attr_put_u32(nlh, RTAX_LOCK, r->metrics_lock);
	}
	if (m)
		mnl_attr_nest_end(nlh, m);
}

static void put_route_extra(struct nlmsghdr *nlh, struct rtmsg *rt, const struct conf_route *r)
{
	if (addr_is_set(&r->from)) {
		rt->rtm_src_len = (uint8_t)(r->from_len >= 0 ? r->from_len : 128);
		mnl_attr_put(nlh, RTA_SRC, addr_len(&r->from), &r->from.u);
	}
	if (r->tos >= 0)
		rt->rtm_tos = (uint8_t)r->tos;
	put_metrics(nlh, r);
	if (r->expires >= 0)
		mnl_attr_put_u32(nlh, RTA_EXPIRES, (uint32_t)r->expires);
	if (r->pref >= 0)
		mnl_attr_put_u8(nlh, RTA_PREF, (uint8_t)r->pref);
	if (r->realms >= 0)
		mnl_attr_put_u32(nlh, RTA_FLOW, (uint32_t)r->realms);
	if (r->ttl_propagate >= 0)
		mnl_attr_put_u8(nlh, RTA_TTL_PROPAGATE, (uint8_t)r->ttl_propagate);
}

static int route_req(struct nl *nl, int type, int ifindex, const struct conf_route *r)
{
	struct req q;
	struct rtmsg *rt = req_start(
	    nl, &q, type, type == RTM_NEWROUTE ? NLM_F_CREATE | NLM_F_EXCL : 0, sizeof(*rt));
	int oif = r->dev[0] ? (int)if_nametoindex(r->dev) : ifindex;
	bool gw = addr_is_set(&r->via);

	for (int i = 0; i < r->n_nexthops; i++)
		gw |= addr_is_set(&r->nexthops[i].via);

	rt->rtm_family = (uint8_t)r->dst.family;
	rt->rtm_dst_len = (uint8_t)(r->dst_len >= 0            ? r->dst_len
	                            : r->dst.family == AF_INET ? 32
	                                                       : 128);
	rt->rtm_table = r->table && r->table < 256 ? (uint8_t)r->table : RT_TABLE_MAIN;
	rt->rtm_protocol = (uint8_t)(r->protocol >= 0 ? r->protocol : RTPROT_BOOT);
	rt->rtm_type = (uint8_t)r->type;
	rt->rtm_scope = (uint8_t)(r->scope >= 0            ? r->scope
	                          : r->type != RTN_UNICAST ? RT_SCOPE_UNIVERSE
	                          : gw                     ? RT_SCOPE_UNIVERSE
	                                                   : RT_SCOPE_LINK);
	if (type == RTM_DELROUTE)
		rt->rtm_scope = RT_SCOPE_NOWHERE;
	mnl_attr_put(q.nlh, RTA_DST, addr_len(&r->dst), &r->dst.u);
	if (r->table >= 256)
		mnl_attr_put_u32(q.nlh, RTA_TABLE, r->table);
	if (addr_is_set(&r->src))
		mnl_attr_put(q.nlh, RTA_PREFSRC, addr_len(&r->src), &r->src.u);
	if (r->metric >= 0)
		mnl_attr_put_u32(q.nlh, RTA_PRIORITY, (uint32_t)r->metric);
	if (type == RTM_NEWROUTE)
		put_route_extra(q.nlh, rt, r);
	if (r->type == RTN_UNICAST && r->n_nexthops) {
		put_nexthop_list(q.nlh, r, oif > 0 ? oif : 0);
	} else if (r->type == RTN_UNICAST) {
		if (oif <= 0 && !gw)
			return -ENODEV;
		if (gw && addr_is_set(&r->or_via)) {
			put_nexthops(q.nlh, r, oif > 0 ? oif : 0);
		} else {
			if (gw)
				mnl_attr_put(q.nlh, RTA_GATEWAY, addr_len(&r->via), &r->via.u);
			if (oif > 0)
				mnl_attr_put_u32(q.nlh, RTA_OIF, (uint32_t)oif);
			if (r->onlink)
				rt->rtm_flags |= RTNH_F_ONLINK;
		}
	}
	return req_send(nl, &q, NULL);
}

int nl_route_add(struct nl *nl, int ifindex, const struct conf_route *r)
{
	return route_req(nl, RTM_NEWROUTE, ifindex, r);
}

int nl_route_del(struct nl *nl, int ifindex, const struct conf_route *r)
{
	return route_req(nl, RTM_DELROUTE, ifindex, r);
}

/* ---- rules ---- */

static void put_rule_extra(struct nlmsghdr *nlh, struct fib_rule_hdr *h, const struct conf_rule *r)
{
	if (r->tos >= 0)
		h->tos = (uint8_t)r->tos;
	if (r->realms >= 0)
		mnl_attr_put_u32(nlh, FRA_FLOW, (uint32_t)r->realms);
	if (r->suppress_prefixlen >= 0)
		mnl_attr_put_u32(nlh, FRA_SUPPRESS_PREFIXLEN, (uint32_t)r->suppress_prefixlen);
	if (r->suppress_ifgroup >= 0)
		mnl_attr_put_u32(nlh, FRA_SUPPRESS_IFGROUP, (uint32_t)r->suppress_ifgroup);
	if (r->tunnel_id >= 0)
		mnl_attr_put_u64(nlh, FRA_TUN_ID, htobe64((uint64_t)r->tunnel_id));
	if (r->protocol >= 0)
		mnl_attr_put_u8(nlh, FRA_PROTOCOL, (uint8_t)r->protocol);
	if (r->ip_proto >= 0)
		mnl_attr_put_u8(nlh, FRA_IP_PROTO, (uint8_t)r->ip_proto);
	if (r->uid_range[0] >= 0) {
		struct fib_rule_uid_range u = {(uint32_t)r->uid_range[0],
		                               (uint32_t)r->uid_range[1]};
		mnl_attr_put(nlh, FRA_UID_RANGE, sizeof(u), &u);
	}
	if (r->sport[0] >= 0) {
		struct fib_rule_port_range pr = {(uint16_t)r->sport[0], (uint16_t)r->sport[1]};
		mnl_attr_put(nlh, FRA_SPORT_RANGE, sizeof(pr), &pr);
	}
	if (r->dport[0] >= 0) {
		struct fib_rule_port_range pr = {(uint16_t)r->dport[0], (uint16_t)r->dport[1]};
		mnl_attr_put(nlh, FRA_DPORT_RANGE, sizeof(pr), &pr);
	}
	if (r->l3mdev)
		mnl_attr_put_u8(nlh, FRA_L3MDEV, 1);
	if (r->action == FR_ACT_GOTO && r->goto_target >= 0)
		mnl_attr_put_u32(nlh, FRA_GOTO, (uint32_t)r->goto_target);
}

static int rule_req(struct nl *nl, int type, const struct conf_rule *r)
{
	struct req q;
	struct fib_rule_hdr *h = req_start(
	    nl, &q, type, type == RTM_NEWRULE ? NLM_F_CREATE | NLM_F_EXCL : 0, sizeof(*h));
	int fam = addr_is_set(&r->from) ? r->from.family
	          : addr_is_set(&r->to) ? r->to.family
	                                : AF_INET;

	h->family = (uint8_t)fam;
	h->action = (uint8_t)r->action;
	h->table = r->table && r->table < 256 ? (uint8_t)r->table : 0;
	h->flags = r->invert ? FIB_RULE_INVERT : 0;
	if (addr_is_set(&r->from)) {
		h->src_len = (uint8_t)(r->from_len >= 0 ? r->from_len : fam == AF_INET ? 32 : 128);
		mnl_attr_put(q.nlh, FRA_SRC, addr_len(&r->from), &r->from.u);
	}
	if (addr_is_set(&r->to)) {
		h->dst_len = (uint8_t)(r->to_len >= 0 ? r->to_len : fam == AF_INET ? 32 : 128);
		mnl_attr_put(q.nlh, FRA_DST, addr_len(&r->to), &r->to.u);
	}
	if (r->table)
		mnl_attr_put_u32(q.nlh, FRA_TABLE, r->table);
	if (r->priority >= 0)
		mnl_attr_put_u32(q.nlh, FRA_PRIORITY, (uint32_t)r->priority);
	if (r->iif[0])
		mnl_attr_put_strz(q.nlh, FRA_IFNAME, r->iif);
	if (r->oif[0])
		mnl_attr_put_strz(q.nlh, FRA_OIFNAME, r->oif);
	if (r->fwmark >= 0)
		mnl_attr_put_u32(q.nlh, FRA_FWMARK, (uint32_t)r->fwmark);
	if (r->fwmask >= 0)
		mnl_attr_put_u32(q.nlh, FRA_FWMASK, (uint32_t)r->fwmask);
	put_rule_extra(q.nlh, h, r);
	return req_send(nl, &q, NULL);
}

int nl_rule_add(struct nl *nl, const struct conf_rule *r)
{
	return rule_req(nl, RTM_NEWRULE, r);
}

int nl_rule_del(struct nl *nl, const struct conf_rule *r)
{
	return rule_req(nl, RTM_DELRULE, r);
}

/* ---- links (use_vmac) ---- */

static int attr_cb(const struct nlattr *a, void *data);

int nl_macvlan_add(struct nl *nl, int base, const char *name, const uint8_t mac[6])
{
	struct req r;
	struct ifinfomsg *ifi =
	    req_start(nl, &r, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, sizeof(*ifi));

	ifi->ifi_family = AF_UNSPEC;
	mnl_attr_put_u32(r.nlh, IFLA_LINK, (uint32_t)base);
	mnl_attr_put_strz(r.nlh, IFLA_IFNAME, name);
	mnl_attr_put(r.nlh, IFLA_ADDRESS, 6, mac);
	struct nlattr *info = mnl_attr_nest_start(r.nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(r.nlh, IFLA_INFO_KIND, "macvlan");
	struct nlattr *data = mnl_attr_nest_start(r.nlh, IFLA_INFO_DATA);
	mnl_attr_put_u32(r.nlh, IFLA_MACVLAN_MODE, MACVLAN_MODE_PRIVATE);
	mnl_attr_nest_end(r.nlh, data);
	mnl_attr_nest_end(r.nlh, info);
	return req_send(nl, &r, NULL);
}

/* No IPv6 address of its own (addrgenmode none; nothing to do on a kernel
 * booted without IPv6), then up. */
int nl_link_up_quiet(struct nl *nl, int ifindex)
{
	struct req r;
	struct ifinfomsg *ifi;
	int rc;

	if (access("/proc/sys/net/ipv6", F_OK) == 0) {
		ifi = req_start(nl, &r, RTM_NEWLINK, 0, sizeof(*ifi));
		ifi->ifi_family = AF_UNSPEC;
		ifi->ifi_index = ifindex;
		struct nlattr *spec = mnl_attr_nest_start(r.nlh, IFLA_AF_SPEC);
		struct nlattr *in6 = mnl_attr_nest_start(r.nlh, AF_INET6);
		mnl_attr_put_u8(r.nlh, IFLA_INET6_ADDR_GEN_MODE, IN6_ADDR_GEN_MODE_NONE);
		mnl_attr_nest_end(r.nlh, in6);
		mnl_attr_nest_end(r.nlh, spec);
		if ((rc = req_send(nl, &r, NULL)) < 0)
			return rc;
	}
	ifi = req_start(nl, &r, RTM_NEWLINK, 0, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = ifindex;
	ifi->ifi_flags = IFF_UP;
	ifi->ifi_change = IFF_UP;
	return req_send(nl, &r, NULL);
}

static int info_cb(const struct nlattr *a, void *data)
{
	const struct nlattr **tb = data;

	if (mnl_attr_get_type(a) == IFLA_INFO_KIND)
		*tb = a;
	return MNL_CB_OK;
}

static void parse_link_info(const struct nlmsghdr *h, struct nl_link_info *out)
{
	const struct nlattr *tb[IFLA_MAX + 1] = {0}, *kind = NULL;

	mnl_attr_parse(h, sizeof(struct ifinfomsg), attr_cb, tb);
	if (tb[IFLA_LINK])
		out->lower = (int)mnl_attr_get_u32(tb[IFLA_LINK]);
	if (tb[IFLA_ADDRESS] && mnl_attr_get_payload_len(tb[IFLA_ADDRESS]) == 6)
		memcpy(out->mac, mnl_attr_get_payload(tb[IFLA_ADDRESS]), 6);
	if (tb[IFLA_LINKINFO])
		mnl_attr_parse_nested(tb[IFLA_LINKINFO], info_cb, &kind);
	if (kind)
		snprintf(out->kind, sizeof(out->kind), "%s", mnl_attr_get_str(kind));
}

int nl_link_get(struct nl *nl, const char *name, struct nl_link_info *out)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct req r;
	struct ifinfomsg *ifi = req_start(nl, &r, RTM_GETLINK, 0, sizeof(*ifi));
	uint32_t seq = r.nlh->nlmsg_seq;

	memset(out, 0, sizeof(*out));
	ifi->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(r.nlh, IFLA_IFNAME, name);
	if (mnl_socket_sendto(nl->req, r.nlh, r.nlh->nlmsg_len) < 0)
		return -errno;
	for (;;) {
		ssize_t n = mnl_socket_recvfrom(nl->req, buf, sizeof(buf));
		if (n < 0)
			return -errno;
		for (struct nlmsghdr *h = (struct nlmsghdr *)buf; mnl_nlmsg_ok(h, (int)n);
		     h = mnl_nlmsg_next(h, (int *)&n)) {
			if (h->nlmsg_seq != seq)
				continue;
			if (h->nlmsg_type == RTM_NEWLINK)
				parse_link_info(h, out);
			else if (h->nlmsg_type == NLMSG_ERROR)
				return ((const struct nlmsgerr *)mnl_nlmsg_get_payload(h))->error;
		}
	}
}

int nl_link_del(struct nl *nl, int ifindex)
{
	struct req r;
	struct ifinfomsg *ifi = req_start(nl, &r, RTM_DELLINK, 0, sizeof(*ifi));

	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = ifindex;
	return req_send(nl, &r, NULL);
}

/* ---- links and addresses: dump and watch ---- */

struct parse_ctx {
	const struct nl_handlers *h;
};

static int attr_cb(const struct nlattr *a, void *data)
{
	const struct nlattr **tb = data;
	int type = mnl_attr_get_type(a);

	if (type <= IFLA_MAX && mnl_attr_type_valid(a, IFLA_MAX) >= 0)
		tb[type] = a;
	return MNL_CB_OK;
}

static void on_link(const struct nlmsghdr *nlh, const struct nl_handlers *h)
{
	const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[IFLA_MAX + 1] = {0};
	struct nl_link l = {.ifindex = ifi->ifi_index};

	mnl_attr_parse(nlh, sizeof(*ifi), attr_cb, tb);
	if (tb[IFLA_IFNAME])
		snprintf(l.name, sizeof(l.name), "%s", mnl_attr_get_str(tb[IFLA_IFNAME]));
	if (tb[IFLA_ADDRESS] && mnl_attr_get_payload_len(tb[IFLA_ADDRESS]) == 6) {
		memcpy(l.mac, mnl_attr_get_payload(tb[IFLA_ADDRESS]), 6);
		l.mac_len = 6;
	}
	l.up = (ifi->ifi_flags & IFF_UP) && (ifi->ifi_flags & IFF_RUNNING);
	if (h->link)
		h->link(h->arg, nlh->nlmsg_type == RTM_DELLINK ? NL_LINK_DEL : NL_LINK_NEW, &l);
}

static int addr_attr_cb(const struct nlattr *a, void *data)
{
	const struct nlattr **tb = data;
	int type = mnl_attr_get_type(a);

	if (type <= IFA_MAX)
		tb[type] = a;
	return MNL_CB_OK;
}

static void on_addr(const struct nlmsghdr *nlh, const struct nl_handlers *h)
{
	const struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[IFA_MAX + 1] = {0};
	struct nl_addr a = {.ifindex = (int)ifa->ifa_index, .prefixlen = ifa->ifa_prefixlen};
	const struct nlattr *at;

	if (ifa->ifa_family != AF_INET && ifa->ifa_family != AF_INET6)
		return;
	mnl_attr_parse(nlh, sizeof(*ifa), addr_attr_cb, tb);
	at = tb[IFA_LOCAL] ? tb[IFA_LOCAL] : tb[IFA_ADDRESS];
	size_t len = ifa->ifa_family == AF_INET ? 4 : 16;
	if (!at || mnl_attr_get_payload_len(at) != len)
		return;
	a.addr.family = ifa->ifa_family;
	memcpy(&a.addr.u, mnl_attr_get_payload(at), len);
	a.secondary = ifa->ifa_flags & IFA_F_SECONDARY;
	if (h->addr)
		h->addr(h->arg, nlh->nlmsg_type == RTM_DELADDR ? NL_ADDR_DEL : NL_ADDR_NEW, &a);
}

static int msg_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nl_handlers *h = data;

	switch (nlh->nlmsg_type) {
	case RTM_NEWLINK:
	case RTM_DELLINK:
		on_link(nlh, h);
		break;
	case RTM_NEWADDR:
	case RTM_DELADDR:
		on_addr(nlh, h);
		break;
	case RTM_DELROUTE:
		nlwatch_route(nlh, h);
		break;
	case RTM_DELRULE:
		nlwatch_rule(nlh, h);
		break;
	}
	return MNL_CB_OK;
}

static void drain_dump(struct nl *nl, uint32_t seq, char *buf, size_t len);

static int dump_one(struct nl *nl, int type, const struct nl_handlers *h)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct rtgenmsg *g;
	uint32_t seq = ++nl->seq;
	int rc;

	nlh->nlmsg_type = (uint16_t)type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->rtgen_family = AF_UNSPEC;
	if (mnl_socket_sendto(nl->dmp, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	do {
		ssize_t n = mnl_socket_recvfrom(nl->dmp, buf, sizeof(buf));
		if (n < 0)
			return -errno;
		rc = mnl_cb_run(buf, (size_t)n, seq, nl->dump_portid, msg_cb, (void *)h);
	} while (rc > 0);
	if (rc < 0) {
		int e = errno; /* EINTR: NLM_F_DUMP_INTR, the tables changed meanwhile */
		drain_dump(nl, seq, buf, sizeof(buf));
		return -e;
	}
	return 0;
}

/* After a dump failed half way: its remaining messages are read and
 * dropped, so the next dump does not read them. */
static void drain_dump(struct nl *nl, uint32_t seq, char *buf, size_t len)
{
	for (int reads = 0; reads < 100000; reads++) {
		ssize_t n = recv(mnl_socket_get_fd(nl->dmp), buf, len, MSG_DONTWAIT);
		if (n <= 0)
			return;
		int left = (int)n;
		for (struct nlmsghdr *m = (struct nlmsghdr *)buf; mnl_nlmsg_ok(m, left);
		     m = mnl_nlmsg_next(m, &left))
			if (m->nlmsg_seq == seq &&
			    (m->nlmsg_type == NLMSG_DONE || m->nlmsg_type == NLMSG_ERROR))
				return;
	}
}

/* A dump the kernel interrupted (the tables changed while it ran,
 * NLM_F_DUMP_INTR) or that overran the socket is made again, a few times:
 * the handlers take NEW events for what they know already. */
#define NL_DUMP_TRIES 5

int nl_dump(struct nl *nl, const struct nl_handlers *h)
{
	int rc = 0;

	for (int i = 0; i < NL_DUMP_TRIES; i++) {
		rc = dump_one(nl, RTM_GETLINK, h);
		if (rc == 0)
			rc = dump_one(nl, RTM_GETADDR, h);
		if (rc != -EINTR && rc != -ENOBUFS)
			return rc;
		log_debug("netlink: the dump was interrupted (%s); again", strerror(-rc));
	}
	return rc;
}

int nl_monitor_read(struct nl *nl, const struct nl_handlers *h)
{
	char buf[MNL_SOCKET_BUFFER_SIZE * 2];

	for (;;) {
		ssize_t n = mnl_socket_recvfrom(nl->mon, buf, sizeof(buf));
		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR)
				return 0;
			if (errno == ENOBUFS) {
				log_warnx(
				    "netlink: events were lost (ENOBUFS); reading the state again");
				int rc = nl_dump(nl, h);
				if (rc < 0)
					return rc;
				continue;
			}
			return -errno;
		}
		mnl_cb_run(buf, (size_t)n, 0, 0, msg_cb, (void *)h);
	}
}
