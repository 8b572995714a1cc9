/*
 * nft.c: vipd's own nftables table, `inet vipd`, replaced in one
 * transaction on start and reload and deleted on exit; one left by a run
 * that died is replaced or removed.
 *
 * Accept_Mode (RFC 9568 6.1, 6.4.3; `accept` / `no_accept`).
 * Without it, a master that is not the address owner must not accept
 * packets addressed to its VIPs, except IPv6 Neighbor Discovery (RFC 9568
 * 6.4.3: it still answers Neighbor Solicitations for them). vipd keeps an
 * nftables table of its own, `inet vipd`, with the VIPs of such instances
 * in a set and one input chain that drops traffic to them; the table is
 * replaced in one transaction on start and reload and deleted on exit. A
 * VIP is only local while its instance is master, so one static set is
 * enough, as keepalived does it. vrrp_strict implies no_accept, as in
 * keepalived; priority 255 (the owner) always accepts.
 *
 * use_vmac: a vmac joins the VRRP group to hear the peer's adverts (which
 * carry the same virtual MAC), but its IGMP / MLD reports would teach the
 * switches the virtual MAC on a backup's port. An output chain drops them;
 * the base interface reports the membership instead (instance.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <nftables/libnftables.h>

#include "lib/log.h"
#include "linux/nft.h"
#include "conf/conf.h"

#define TABLE "inet vipd"

static bool table_made;

bool nft_accept_drops(const struct conf *conf, const struct conf_instance *c)
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
		if (!nft_accept_drops(conf, c))
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

/* The vmacs, quoted, or 0 when there are none. */
static size_t put_vmacs(FILE *f, const char *const *vmacs, size_t n_vmacs)
{
	for (size_t i = 0; i < n_vmacs; i++)
		fprintf(f, "%s\"%s\"", i ? ", " : "{ ", vmacs[i]);
	if (n_vmacs)
		fputs(" }", f);
	return n_vmacs;
}

static void put_vmac_chain(FILE *f, const char *const *vmacs, size_t *n_vmacs)
{
	char *names = NULL;
	size_t len = 0;
	FILE *g = open_memstream(&names, &len);

	*n_vmacs = g ? put_vmacs(g, vmacs, *n_vmacs) : 0;
	if (g)
		fclose(g);
	fputs("  chain vmac_reports {\n    type filter hook output priority filter; "
	      "policy accept;\n",
	      f);
	if (*n_vmacs)
		fprintf(f,
		        "    oifname %s igmp type { membership-report-v1, membership-report-v2, "
		        "membership-report-v3, leave-group } drop\n"
		        "    oifname %s icmpv6 type { mld-listener-report, mld-listener-done, "
		        "mld2-listener-report } drop\n",
		        names, names);
	fputs("  }\n", f);
	free(names);
}

/* One transaction: the old table (if any) goes, the new one comes. */
static char *ruleset(const struct conf *conf, const char *const *vmacs, size_t *n_vips,
                     size_t *n_vmacs)
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
	      "    ip6 daddr @no_accept6 drop\n  }\n",
	      f);
	put_vmac_chain(f, vmacs, n_vmacs);
	fputs("}\n", f);
	fclose(f);
	return buf;
}

static int run(const char *cmds, const char *what, bool quiet)
{
	struct nft_ctx *nft = nft_ctx_new(NFT_CTX_DEFAULT);
	int rc;

	if (!nft) {
		if (!quiet)
			log_warnx("nftables: %s: cannot start nftables", what);
		return -1;
	}
	nft_ctx_buffer_output(nft);
	nft_ctx_buffer_error(nft);
	rc = nft_run_cmd_from_buffer(nft, cmds);
	if (rc != 0 && !quiet) {
		const char *err = nft_ctx_get_error_buffer(nft);
		log_warnx("nftables: %s: %.*s", what, (int)strcspn(err ? err : "", "\n"),
		          err ? err : "failed");
	}
	nft_ctx_free(nft);
	return rc ? -1 : 0;
}

void nft_apply(const struct conf *conf, const char *const *vmacs, size_t n_vmacs)
{
	size_t n = 0, nv = n_vmacs;
	char *cmds = ruleset(conf, vmacs, &n, &nv);

	if (!cmds) {
		log_warnx("nftables: out of memory");
		return;
	}
	if (!n && !nv) { /* nothing to do: no table (one left by a run that died goes) */
		run("delete table " TABLE "\n", "removing the table", !table_made);
		table_made = false;
	} else if (run(cmds, "installing the rules", false) == 0) {
		log_info("nftables table %s: dropping traffic to %zu VIP(s) of no_accept instances "
		         "and the IGMP/MLD reports of %zu vmac(s)",
		         TABLE, n, nv);
		table_made = true;
	}
	free(cmds);
}

void nft_remove(void)
{
	if (table_made && run("delete table " TABLE "\n", "removing the table", false) == 0)
		log_info("nftables table %s removed", TABLE);
	table_made = false;
}
