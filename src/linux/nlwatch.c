/*
 * nlwatch.c: route and rule deletions read off the netlink monitor, decoded
 * into the keys a configured route or rule is matched by (nl_route_gone,
 * nl_rule_gone in netlink.h). netlink.c owns the socket and calls these
 * for RTM_DELROUTE and RTM_DELRULE once nl_watch_routes joined the groups.
 */
#include <string.h>
#include <libmnl/libmnl.h>
#include <linux/fib_rules.h>
#include <linux/rtnetlink.h>

#include "linux/nlwatch.h"

static int attr_cb(const struct nlattr *a, void *data)
{
	const struct nlattr **tb = data;
	int type = mnl_attr_get_type(a);

	if (type <= RTA_MAX && type <= FRA_MAX)
		tb[type] = a;
	return MNL_CB_OK;
}

/* An address attribute of the family's length into *out. */
static bool get_addr(const struct nlattr *at, int family, struct addr *out)
{
	size_t len = family == AF_INET ? 4 : 16;

	memset(out, 0, sizeof(*out));
	out->family = (sa_family_t)family;
	if (!at)
		return true;
	if (mnl_attr_get_payload_len(at) != len)
		return false;
	memcpy(&out->u, mnl_attr_get_payload(at), len);
	return true;
}

static void get_name(const struct nlattr *at, char *dst)
{
	dst[0] = '\0';
	if (at && mnl_attr_get_payload_len(at) <= IFNAMSIZ)
		snprintf(dst, IFNAMSIZ, "%.*s", (int)mnl_attr_get_payload_len(at),
		         (const char *)mnl_attr_get_payload(at));
}

void nlwatch_route(const struct nlmsghdr *nlh, const struct nl_handlers *h)
{
	const struct rtmsg *rt = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[RTA_MAX + 1] = {0};
	struct nl_route_gone r = {.dst_len = rt->rtm_dst_len,
	                          .tos = rt->rtm_tos,
	                          .type = rt->rtm_type,
	                          .table = rt->rtm_table};

	if (!h->route_gone || nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*rt)) ||
	    (rt->rtm_family != AF_INET && rt->rtm_family != AF_INET6) ||
	    rt->rtm_type == RTN_LOCAL || rt->rtm_type == RTN_BROADCAST)
		return; /* the kernel's own, made with an address */
	mnl_attr_parse(nlh, sizeof(*rt), attr_cb, tb);
	if (!get_addr(tb[RTA_DST], rt->rtm_family, &r.dst))
		return;
	if (tb[RTA_TABLE] && mnl_attr_get_payload_len(tb[RTA_TABLE]) == 4)
		r.table = mnl_attr_get_u32(tb[RTA_TABLE]);
	if (tb[RTA_PRIORITY] && mnl_attr_get_payload_len(tb[RTA_PRIORITY]) == 4)
		r.metric = mnl_attr_get_u32(tb[RTA_PRIORITY]);
	h->route_gone(h->arg, &r);
}

static int64_t get_u32(const struct nlattr *at)
{
	return at && mnl_attr_get_payload_len(at) == 4 ? (int64_t)mnl_attr_get_u32(at) : -1;
}

void nlwatch_rule(const struct nlmsghdr *nlh, const struct nl_handlers *h)
{
	const struct fib_rule_hdr *fr = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[FRA_MAX + 1] = {0};
	struct nl_rule_gone r = {.family = fr->family,
	                         .action = fr->action,
	                         .table = fr->table,
	                         .from_len = fr->src_len,
	                         .to_len = fr->dst_len,
	                         .invert = fr->flags & FIB_RULE_INVERT};

	if (!h->rule_gone || nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*fr)) ||
	    (fr->family != AF_INET && fr->family != AF_INET6))
		return;
	mnl_attr_parse(nlh, sizeof(*fr), attr_cb, tb);
	if (!get_addr(tb[FRA_SRC], fr->family, &r.from) ||
	    !get_addr(tb[FRA_DST], fr->family, &r.to))
		return;
	if (!tb[FRA_SRC])
		r.from.family = AF_UNSPEC;
	if (!tb[FRA_DST])
		r.to.family = AF_UNSPEC;
	if (get_u32(tb[FRA_TABLE]) >= 0)
		r.table = (uint32_t)get_u32(tb[FRA_TABLE]);
	r.priority = get_u32(tb[FRA_PRIORITY]);
	r.fwmark = get_u32(tb[FRA_FWMARK]);
	get_name(tb[FRA_IFNAME], r.iif);
	get_name(tb[FRA_OIFNAME], r.oif);
	h->rule_gone(h->arg, &r);
}
