/*
 * group.h: what a vrrp_sync_group (keepalived) decides, as a pure function
 * of its members' states: no I/O, no clock. The daemon (daemon/sync.c,
 * daemon/instance.c) hands in a snapshot of the members after one of them
 * changed, and carries out the orders on the members' machines. The orders
 * never come back in as events: a group moves its members once per event.
 *
 * - A member leaving Master (to Backup) takes the others out of Master.
 * - A member ready for Master waits until every member is Master or ready;
 *   then all go together.
 * - A member in Fault of its own holds every other member in Fault.
 */
#ifndef VIPD_GROUP_H
#define VIPD_GROUP_H

#include <stdbool.h>
#include <stddef.h>

#include "vrrp/fsm.h"

struct group_member {
	enum vrrp_state state;
	bool want_master; /* Backup, ready for Master, waiting for the group */
	bool own_fault;   /* its interface or its own tracking */
	bool held;        /* held in Fault by the group */
};

enum group_order {
	GROUP_NOTHING,
	GROUP_MASTER,  /* fsm_sync_master */
	GROUP_BACKUP,  /* fsm_sync_backup */
	GROUP_HOLD,    /* fsm_fault(true): another member is in Fault */
	GROUP_RELEASE, /* fsm_fault(false): no member is any more */
};

/* Member i's machine returned out: one order per member in orders[n]. */
void group_after_event(const struct group_member *m, size_t n, size_t i, const struct fsm_out *out,
                       enum group_order *orders);
/* A member's own fault changed: hold or release the others. Returns the
 * index of the member in Fault that holds them, or n when none is. */
size_t group_after_fault(const struct group_member *m, size_t n, enum group_order *orders);
/* Fault if any member is, Master if all are, Init if all are, else Backup. */
enum vrrp_state group_state(const struct group_member *m, size_t n);
const char *group_order_name(enum group_order o);

#endif
