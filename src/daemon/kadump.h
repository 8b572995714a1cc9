/*
 * kadump.h: keepalived's JSON dump (SIGJSON, `keepalived --signum=JSON`),
 * for the exporters and tools that read /tmp/keepalived.json, and the
 * mapping of vipd's counters to keepalived's, which katext.c's
 * keepalived.stats shares.
 */
#ifndef VIPD_KADUMP_H
#define VIPD_KADUMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct conf_instance;
struct conf_vip;
struct instance;
struct vipd;

/* keepalived 2.2.7's per-instance counters, in its JSON order. */
enum ka_stat {
	KA_ADVERT_RCVD,
	KA_ADVERT_SENT,
	KA_BECOME_MASTER,
	KA_RELEASE_MASTER,
	KA_PACKET_LEN_ERR,
	KA_ADVERT_INTERVAL_ERR,
	KA_IP_TTL_ERR,
	KA_INVALID_TYPE_RCVD,
	KA_ADDR_LIST_ERR,
	KA_INVALID_AUTHTYPE,
	KA_AUTHTYPE_MISMATCH,
	KA_AUTH_FAILURE,
	KA_PRI_ZERO_RCVD,
	KA_PRI_ZERO_SENT,
	KA_NSTATS
};
extern const char *const kadump_stat_names[KA_NSTATS]; /* JSON's "advert_rcvd", ... */

/* vipd's counters of in as keepalived counts them: the receive-check drops
 * summed into keepalived's error counters (an AH advert, which vipd does
 * not take, counts as an invalid auth type). */
void kadump_stats(const struct instance *in, uint64_t v[KA_NSTATS]);

/* A VIP as keepalived shows it: "ADDR dev IF scope SCOPE", " set" while
 * held. Returns buf. */
const char *kadump_vip(char *buf, size_t len, const struct instance *in, const struct conf_vip *v,
                       bool set);

/* An instance's announcement settings in force: its own, else
 * global_defs' (the lower-priority ones default to the master ones). */
struct kadump_garp {
	int64_t delay_us, repeat, refresh_us, refresh_repeat, lower_delay_us, lower_repeat;
};
void kadump_garp(const struct instance *in, struct kadump_garp *g);
/* vrrp_strict for c: its own setting, or global_defs'. */
bool kadump_strict(const struct vipd *d, const struct conf_instance *c);

/* The dump as keepalived 2.2.7 writes it (malloc'd; NULL out of memory). */
char *kadump_json(struct vipd *d);

#endif
