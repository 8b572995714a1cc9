/*
 * nft.h: vipd's own nftables table: accept mode, vmac reports (nft.c).
 */
#ifndef VIPD_NFT_H
#define VIPD_NFT_H

#include <stdbool.h>

struct conf;
struct conf_instance;
struct vipd;

/* Whether traffic to this instance's VIPs is dropped (no_accept, or
 * vrrp_strict without accept; never for the address owner). */
bool nft_accept_drops(const struct conf *conf, const struct conf_instance *c);
/* Installs (or replaces, or removes) the table for d->conf and the
 * instances' vmacs. */
void nft_apply(struct vipd *d);
/* Exit: the table goes. */
void nft_remove(struct vipd *d);

#endif
