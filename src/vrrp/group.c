/*
 * group.c: the decisions of a vrrp_sync_group (see group.h): which member
 * goes where after one of them changed. Pure: members' states in, orders
 * out; daemon/instance.c carries them out.
 */
#include "vrrp/group.h"

static void none(enum group_order *orders, size_t n)
{
	for (size_t k = 0; k < n; k++)
		orders[k] = GROUP_NOTHING;
}

static bool all_ready(const struct group_member *m, size_t n)
{
	for (size_t k = 0; k < n; k++)
		if (m[k].state != VRRP_STATE_MASTER &&
		    !(m[k].state == VRRP_STATE_BACKUP && m[k].want_master))
			return false;
	return true;
}

void group_after_event(const struct group_member *m, size_t n, size_t i, const struct fsm_out *out,
                       enum group_order *orders)
{
	none(orders, n);
	if (out->actions & FSM_ACT_NOTIFY && out->from == VRRP_STATE_MASTER &&
	    out->to == VRRP_STATE_BACKUP) {
		for (size_t k = 0; k < n; k++)
			if (k != i && m[k].state == VRRP_STATE_MASTER)
				orders[k] = GROUP_BACKUP;
		return;
	}
	if (out->actions & FSM_ACT_SYNC_WANT && all_ready(m, n))
		for (size_t k = 0; k < n; k++)
			if (m[k].state == VRRP_STATE_BACKUP)
				orders[k] = GROUP_MASTER;
}

size_t group_after_fault(const struct group_member *m, size_t n, enum group_order *orders)
{
	size_t cause = n;

	none(orders, n);
	for (size_t k = 0; k < n && cause == n; k++)
		if (m[k].own_fault)
			cause = k;
	for (size_t k = 0; k < n; k++) {
		bool hold = cause < n && !m[k].own_fault;
		if (hold != m[k].held)
			orders[k] = hold ? GROUP_HOLD : GROUP_RELEASE;
	}
	return cause;
}

enum vrrp_state group_state(const struct group_member *m, size_t n)
{
	size_t master = 0, init = 0;

	for (size_t k = 0; k < n; k++) {
		if (m[k].state == VRRP_STATE_FAULT)
			return VRRP_STATE_FAULT;
		master += m[k].state == VRRP_STATE_MASTER;
		init += m[k].state == VRRP_STATE_INIT;
	}
	return master == n ? VRRP_STATE_MASTER : init == n ? VRRP_STATE_INIT : VRRP_STATE_BACKUP;
}

const char *group_order_name(enum group_order o)
{
	static const char *const names[] = {"nothing", "master", "backup", "hold", "release"};

	return (unsigned)o < sizeof(names) / sizeof(names[0]) ? names[o] : "?";
}
