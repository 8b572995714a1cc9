/*
 * accept.h: Accept_Mode through an nftables table of vipd's own (accept.c).
 */
#ifndef VIPD_ACCEPT_H
#define VIPD_ACCEPT_H

#include <stdbool.h>

struct conf;
struct conf_instance;
struct vipd;

/* Whether traffic to this instance's VIPs is dropped (no_accept, or
 * vrrp_strict without accept; never for the address owner). */
bool accept_drops(const struct conf *conf, const struct conf_instance *c);
/* Installs (or replaces, or removes) the table for d->conf. */
void accept_apply(struct vipd *d);
/* Exit: the table goes. */
void accept_remove(struct vipd *d);

#endif
