/*
 * accept.c: Accept_Mode (RFC 9568 6.1, 6.4.3; `accept` / `no_accept`).
 * Without it, a master that is not the address owner must not accept
 * packets addressed to its VIPs, except IPv6 Neighbor Discovery (RFC 9568
 * 6.4.3: it still answers Neighbor Solicitations for them). vipd keeps an
 * nftables table of its own, `inet vipd`, with the VIPs of such instances
 * in a set and one input chain that drops traffic to them; the table is
 * replaced in one transaction on start and reload and deleted on exit. A
 * VIP is only local while its instance is master, so one static set is
 * enough, as keepalived does it. vrrp_strict implies no_accept, as in
 * keepalived; priority 255 (the owner) always accepts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <nftables/libnftables.h>

#include "accept.h"
#include "daemon.h"
#include "log.h"

#define TABLE "inet vipd"

static bool table_made;

bool accept_drops(const struct conf *conf, const struct conf_instance *c)
{
	bool strict =
	    c->strict == CONF_YES || (c->strict == CONF_UNSET && conf->global.vrrp_strict);

	if (c->priority == 255)
		return false;
	return c->accept == CONF_NO || (c->accept == CONF_UNSET && strict);
}

/* The VIPs of family af of every instance that does not accept. */
static size_t put_set(FILE *f, const struct conf *conf, int af)
{
	size_t n = 0;
	char a[ADDR_STRLEN];

	for (size_t i = 0; i < conf->instances.n; i++) {
		const struct conf_instance *c = &conf->instances.items[i];
		if (!accept_drops(conf, c))
			continue;
		for (size_t k = 0; k < c->vips.n + c->vips_excluded.n; k++) {
			const struct conf_vip *v = k < c->vips.n
			                               ? &c->vips.items[k]
			                               : &c->vips_excluded.items[k - c->vips.n];
			if (v->addr.family != af)
				continue;
			fprintf(f, "%s%s", n++ ? ", " : "elements = { ", addr_ntop(&v->addr, a));
		}
	}
	if (n)
		fputs(" }", f);
	return n;
}

/* One transaction: the old table (if any) goes, the new one comes. */
static char *ruleset(const struct conf *conf, size_t *n_vips)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	fprintf(f, "add table %s\ndelete table %s\n", TABLE, TABLE);
	fprintf(f, "table %s {\n  set no_accept4 { type ipv4_addr; flags interval; ", TABLE);
	*n_vips = put_set(f, conf, AF_INET);
	fputs("}\n  set no_accept6 { type ipv6_addr; flags interval; ", f);
	*n_vips += put_set(f, conf, AF_INET6);
	fputs("}\n  chain input {\n    type filter hook input priority filter; policy accept;\n"
	      "    ip daddr @no_accept4 drop\n"
	      "    icmpv6 type { nd-neighbor-solicit, nd-neighbor-advert } accept\n"
	      "    ip6 daddr @no_accept6 drop\n  }\n}\n",
	      f);
	fclose(f);
	return buf;
}

static int run(const char *cmds, const char *what, bool quiet)
{
	struct nft_ctx *nft = nft_ctx_new(NFT_CTX_DEFAULT);
	int rc;

	if (!nft) {
		if (!quiet)
			log_warnx("accept mode: %s: cannot start nftables", what);
		return -1;
	}
	nft_ctx_buffer_output(nft);
	nft_ctx_buffer_error(nft);
	rc = nft_run_cmd_from_buffer(nft, cmds);
	if (rc != 0 && !quiet) {
		const char *err = nft_ctx_get_error_buffer(nft);
		log_warnx("accept mode: %s: nftables: %.*s", what,
		          (int)strcspn(err ? err : "", "\n"), err ? err : "failed");
	}
	nft_ctx_free(nft);
	return rc ? -1 : 0;
}

void accept_apply(struct vipd *d)
{
	size_t n = 0;
	char *cmds = ruleset(d->conf, &n);

	if (!cmds) {
		log_warnx("accept mode: out of memory");
		return;
	}
	if (!n) { /* nothing to drop: no table (one left by a run that died goes) */
		run("delete table " TABLE "\n", "removing the table", !table_made);
		table_made = false;
	} else if (run(cmds, "installing the rules", false) == 0) {
		if (!table_made)
			log_info(
			    "accept mode: traffic to %zu VIP(s) of no_accept instances is dropped "
			    "(nftables table %s)",
			    n, TABLE);
		table_made = true;
	}
	free(cmds);
}

void accept_remove(struct vipd *d)
{
	if (table_made && run("delete table " TABLE "\n", "removing the table", false) == 0)
		log_info("accept mode: nftables table %s removed", TABLE);
	table_made = false;
}
