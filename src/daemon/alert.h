/*
 * alert.h: keepalived's smtp_alert mails on transitions (alert.c owns
 * the mailed state of instances and sync groups and struct vipd's smtp).
 */
#ifndef VIPD_ALERT_H
#define VIPD_ALERT_H

#include <stdbool.h>

#include "vrrp/fsm.h"

struct instance;
struct sync_rt;
struct vipd;

void alert_instance(struct instance *in, enum vrrp_state to);
void alert_group(struct sync_rt *g, enum vrrp_state to);
/* At exit: mails not yet sent are dropped, logged. */
void alert_stop(struct vipd *d);

#endif
