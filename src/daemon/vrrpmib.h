/*
 * vrrpmib.h: VRRPV3-MIB (RFC 6527) served over AgentX (vrrpmib.c owns the
 * subagent of struct vipd and renders the MIB from the instances' state
 * and counters at every request).
 */
#ifndef VIPD_VRRPMIB_H
#define VIPD_VRRPMIB_H

#include "vrrp/fsm.h"
#include "vrrp/packet.h"

struct instance;
struct vipd;

/* Starts the subagent when enable_snmp_rfcv3 (or enable_snmp_rfc) is set;
 * read at start: a reload that changes the SNMP settings is logged. */
void vrrpmib_apply(struct vipd *d);
void vrrpmib_close(struct vipd *d);
/* enable_traps: vrrpv3NewMaster once in became master. */
void vrrpmib_new_master(struct instance *in);
/* enable_traps: vrrpv3ProtoError for a protocol error counted for in. */
void vrrpmib_proto_error(struct instance *in, enum vrrp_rx_reason r);
/* RFC 6527's vrrpv3StatisticsProtoErrReason of r (0: not one of its). */
int vrrpmib_err_reason(enum vrrp_rx_reason r);

#endif
