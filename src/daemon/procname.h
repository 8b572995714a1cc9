/*
 * procname.h: vipd's process name (comm) from the config (procname.c).
 */
#ifndef VIPD_PROCNAME_H
#define VIPD_PROCNAME_H

struct conf_global;

/* vrrp_process_name, else process_name, else the name vipd started with. */
void procname_apply(const struct conf_global *g);

#endif
