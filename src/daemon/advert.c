/*
 * advert.c: adverts out. Builds the instance's advert (vrrp/packet.c) once
 * per change of priority, source or config, and queues it on its socket, to
 * each unicast peer or the multicast group, and on every advert path; the
 * queue leaves in one sendmmsg per socket per loop pass.
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

static struct vrrp_pkt pkt; /* the one being built (large: 255 addresses) */

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
	if (!in->built.ah)
		return;
	in->ah_tx_seq = vrrp_ah_seq_next(&in->ah_seq);
	if (!++in->ah_ip_id)
		in->ah_ip_id++;
}

/* The advert as the codec takes it (also for the advert paths). */
static void fill_pkt(const struct instance *in, uint8_t prio, struct vrrp_pkt *p)
{
	const struct conf_instance *c = in->c;

	memset(p, 0, offsetof(struct vrrp_pkt, addrs));
	p->version = (uint8_t)c->version;
	p->vrid = (uint8_t)c->vrid;
	p->priority = prio;
	p->family = c->family;
	p->count_addrs = (uint8_t)(in->n_vips < VRRP_MAX_ADDRS ? in->n_vips : VRRP_MAX_ADDRS);
	for (unsigned i = 0; i < p->count_addrs; i++)
		p->addrs[i] = in->vips[i];
	if (c->version == 2) {
		p->auth_type = c->auth_type == CONF_AUTH_PASS ? VRRP_AUTH_PASS
		               : c->auth_type == CONF_AUTH_AH ? VRRP_AUTH_AH
		                                              : VRRP_AUTH_NONE;
		if (c->auth_type == CONF_AUTH_PASS) /* AH: Authentication Data stays 0 */
			memcpy(p->auth_data, c->auth_pass, strnlen(c->auth_pass, VRRP_AUTH_LEN));
		p->adver_int = (uint8_t)(c->advert_int_us / 1000000);
	} else {
		p->max_adver_int = (uint16_t)(c->advert_int_us / 10000);
	}
}

static enum vrrp_csum_mode csum_mode(const struct instance *in)
{
	return in->c->v3_checksum_as_v2 ? VRRP_CSUM_MSG_ONLY : VRRP_CSUM_PSEUDO;
}

/* The i-th destination of the main way out: a unicast peer, or the group. */
static const struct addr *main_dst(const struct instance *in, size_t i)
{
	size_t peers = in->c->unicast_peers.n;

	return peers ? &in->c->unicast_peers.items[i].addr : advert_group(in);
}

/* Builds the main way's messages for prio from in->primary, with their
 * destinations (what a send needs, without the config); one that cannot be
 * built (a peer of another family) starts with a 0 byte, not sent. */
static void build(struct instance *in, uint8_t prio)
{
	static uint8_t buf[VRRP_MAX_PKT];
	struct advert_built *b = &in->built;
	size_t n = in->c->unicast_peers.n ? in->c->unicast_peers.n : 1, len = 0;

	fill_pkt(in, prio, &pkt);
	free(b->dst);
	*b = (struct advert_built){.prio = prio,
	                           .src = in->primary,
	                           .valid = true,
	                           .ah = in->c->auth_type == CONF_AUTH_AH};
	for (size_t i = 0; i < n && !len; i++)
		len = vrrp_pkt_build(&pkt, &in->primary, main_dst(in, i), csum_mode(in), buf,
		                     sizeof(buf));
	if (len && !(b->dst = calloc(n, sizeof(*b->dst) + len)))
		b->valid = false; /* again at the next advert */
	if (!b->dst)
		return;
	b->msg = (uint8_t *)(b->dst + n);
	for (size_t i = 0; i < n; i++) {
		b->dst[i] = *main_dst(in, i);
		vrrp_pkt_build(&pkt, &in->primary, &b->dst[i], csum_mode(in), b->msg + i * len,
		               len);
	}
	b->len = len;
	b->n = n;
}

void advert_changed(struct instance *in)
{
	in->built.valid = false;
}

static bool built_for(const struct instance *in, uint8_t prio)
{
	return in->built.valid && in->built.prio == prio && addr_eq(&in->built.src, &in->primary);
}

/* Called off the advert path (a transition's work, a priority change): with
 * a thousand takeovers at once, each new master's first advert leaves
 * without an allocation or a checksum before it. */
void advert_prepare(struct instance *in)
{
	if (in->fsm.state == VRRP_STATE_BACKUP && addr_is_set(&in->primary) &&
	    !built_for(in, in->fsm.priority))
		build(in, in->fsm.priority);
}

void advert_free(struct instance *in)
{
	free(in->built.dst);
	in->built = (struct advert_built){0};
}

/* On the instance's own socket: to each unicast peer, or the group. */
static void send_main(struct instance *in, struct vsock *tx, uint8_t prio)
{
	struct advert_built *b = &in->built;

	for (size_t i = 0; i < b->n; i++) {
		const struct addr *dst = &b->dst[i];
		size_t n = b->len;
		const uint8_t *msg = b->msg + i * n;
		const uint8_t *out =
		    msg[0] ? advert_seal(in, tx, &in->primary, dst, msg, &n) : NULL;
		if (!out)
			continue;
		vrrp_sock_queue(tx->fd, tx->ifindex, &in->primary, dst, out, n, advert_failed, in);
		in->st.adverts_sent++;
		in->st.prio0_sent += prio == 0;
		if (log_on(LOG_PACKET)) {
			char a[ADDR_STRLEN], s[ADDR_STRLEN];
			log_trace(LOG_PACKET, "%s: advert to %s from %s: priority %u, %zu bytes",
			          in->name, addr_ntop(dst, a), addr_ntop(&in->primary, s), prio, n);
		}
	}
}

/* Queued: adverts due in one loop pass leave together (instances_flush),
 * before any other work of that pass. */
void advert_send(struct instance *in, uint8_t prio)
{
	struct vsock *tx = in->tx_sock ? in->tx_sock : in->sock;
	bool main_ok = tx && addr_is_set(&in->primary);

	if (!main_ok && !in->n_paths)
		return;
	if (!built_for(in, prio))
		build(in, prio);
	ah_next(in);
	if (main_ok)
		send_main(in, tx, prio);
	if (in->n_paths) {
		fill_pkt(in, prio, &pkt);
		paths_send(in, &pkt, advert_group(in), csum_mode(in), advert_failed);
	}
}
