/*
 * advert.c: adverts out. Builds the instance's advert (vrrp/packet.c) and
 * queues it on its socket, to each unicast peer or the multicast group, and
 * on every advert path; the queue leaves in one sendmmsg per loop pass.
 * With auth_type AH each goes in an IPv4 datagram with an AH header
 * (vrrp/ah.c), one sequence number and IP ID per advert, as keepalived.
 *
 * RFC 3768 7.2 / RFC 9568 7.2 (transmitting VRRP packets).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <stddef.h>

#include "daemon/advert.h"
#include "daemon/daemon.h"
#include "daemon/instance.h"
#include "daemon/work.h"
#include "daemon/path.h"
#include "daemon/vsock.h"
#include "lib/log.h"
#include "linux/loop.h"
#include "linux/sock.h"
#include "vrrp/ah.h"
#include "vrrp/packet.h"

#define DROP_LOG_EVERY (10 * VTIME_SEC)

const struct addr *advert_group(const struct instance *in)
{
	const struct conf_global *g = &in->d->conf->global;

	if (addr_is_set(&in->c->mcast_dst_ip))
		return &in->c->mcast_dst_ip;
	return in->c->family == AF_INET6 ? &g->vrrp_mcast_group6 : &g->vrrp_mcast_group4;
}

static void advert_failed(void *arg, int err)
{
	struct instance *in = arg;

	in->st.adverts_sent--;
	if (log_due(&in->last_log[0], loop_now(), DROP_LOG_EVERY))
		log_warnx("%s: sending advert: %s", in->name, strerror(err));
}

const uint8_t *advert_seal(struct instance *in, const struct vsock *vs, const struct addr *src,
                           const struct addr *dst, const uint8_t *msg, size_t *len)
{
	static uint8_t dgram[VRRP_AH_MAX_DGRAM];
	uint8_t key[VRRP_AH_KEY_LEN] = {0};

	if (vs->proto != VRRP_AH_IPPROTO)
		return msg;
	memcpy(key, in->c->auth_pass, strnlen(in->c->auth_pass, sizeof(key)));
	struct vrrp_ah_ip ip = {.src = src,
	                        .dst = dst,
	                        .id = in->ah_ip_id,
	                        .tos = 0xc0, /* IPTOS_PREC_INTERNETCONTROL, as keepalived */
	                        .ttl = (uint8_t)vs->ttl,
	                        .unicast = vs->unicast};
	*len = vrrp_ah_build(&ip, key, in->ah_tx_seq, msg, *len, dgram, sizeof(dgram));
	if (!*len && log_due(&in->last_log[0], loop_now(), DROP_LOG_EVERY))
		log_warnx("%s: no AH advert sent: HMAC-MD5 failed (is MD5 disabled?)", in->name);
	return *len ? dgram : NULL;
}

/* auth_type AH: the sequence number and IP ID of the advert about to go
 * out on every way (keepalived: the ID skips 0, which the kernel fills). */
static void ah_next(struct instance *in)
{
	if (in->c->auth_type != CONF_AUTH_AH)
		return;
	in->ah_tx_seq = vrrp_ah_seq_next(&in->ah_seq);
	if (!++in->ah_ip_id)
		in->ah_ip_id++;
}

/* Queued: adverts due in one loop pass leave together (instances_flush),
 * before any other work of that pass. */
void advert_send(struct instance *in, uint8_t prio)
{
	static struct vrrp_pkt p;
	uint8_t buf[VRRP_MAX_PKT];
	const struct conf_instance *c = in->c;
	size_t n;

	struct vsock *tx = in->tx_sock ? in->tx_sock : in->sock;

	if ((!tx || !addr_is_set(&in->primary)) && !in->n_paths)
		return;
	memset(&p, 0, offsetof(struct vrrp_pkt, addrs));
	p.version = (uint8_t)c->version;
	p.vrid = (uint8_t)c->vrid;
	p.priority = prio;
	p.family = c->family;
	p.count_addrs = (uint8_t)(in->n_vips < VRRP_MAX_ADDRS ? in->n_vips : VRRP_MAX_ADDRS);
	for (unsigned i = 0; i < p.count_addrs; i++)
		p.addrs[i] = in->vips[i];
	if (c->version == 2) {
		p.auth_type = c->auth_type == CONF_AUTH_PASS ? VRRP_AUTH_PASS
		              : c->auth_type == CONF_AUTH_AH ? VRRP_AUTH_AH
		                                             : VRRP_AUTH_NONE;
		if (c->auth_type == CONF_AUTH_PASS) /* AH: Authentication Data stays 0 */
			memcpy(p.auth_data, c->auth_pass, strnlen(c->auth_pass, VRRP_AUTH_LEN));
		p.adver_int = (uint8_t)(c->advert_int_us / 1000000);
	} else {
		p.max_adver_int = (uint16_t)(c->advert_int_us / 10000);
	}
	enum vrrp_csum_mode mode = c->v3_checksum_as_v2 ? VRRP_CSUM_MSG_ONLY : VRRP_CSUM_PSEUDO;
	ah_next(in);
	size_t peers = c->unicast_peers.n;
	bool main_ok = tx && addr_is_set(&in->primary);
	for (size_t i = 0; main_ok && i < (peers ? peers : 1); i++) {
		const struct addr *dst = peers ? &c->unicast_peers.items[i].addr : advert_group(in);
		n = vrrp_pkt_build(&p, &in->primary, dst, mode, buf, sizeof(buf));
		const uint8_t *out = n ? advert_seal(in, tx, &in->primary, dst, buf, &n) : NULL;
		if (!out)
			continue;
		vrrp_sock_queue(tx->fd, tx->ifindex, &in->primary, dst, out, n, advert_failed, in);
		in->st.adverts_sent++;
		in->st.prio0_sent += prio == 0;
		if (log_on(LOG_PACKET)) {
			char a[ADDR_STRLEN], b[ADDR_STRLEN];
			log_trace(LOG_PACKET, "%s: advert to %s from %s: priority %u, %zu bytes",
			          in->name, addr_ntop(dst, a), addr_ntop(&in->primary, b), prio, n);
		}
	}
	paths_send(in, &p, advert_group(in), mode, advert_failed);
}
