/*
 * nft.h: vipd's own nftables table: accept mode, vmac reports (nft.c).
 */
#ifndef VIPD_NFT_H
#define VIPD_NFT_H

#include <stdbool.h>
#include <stddef.h>

struct conf;
struct conf_instance;

/* Whether traffic to this instance's VIPs is dropped (no_accept, or
 * vrrp_strict without accept; never for the address owner). */
bool nft_accept_drops(const struct conf *conf, const struct conf_instance *c);
/* Installs (or replaces, or removes) the table for conf and the vmacs
 * (interface names) of its instances. */
void nft_apply(const struct conf *conf, const char *const *vmacs, size_t n_vmacs);
/* Exit: the table goes. */
void nft_remove(void);

#endif
