/*
 * rx.c: adverts in. Reads the shared sockets (vsock.c), runs the checks
 * that need no instance (vrrp/packet.c vrrp_pkt_parse), finds the instance
 * by VRID, peer and advert path, runs its checks (vrrp_pkt_check), and hands
 * the advert to its machine. Every drop is counted by reason and logged,
 * rate-limited, with the offending value.
 *
 * RFC 3768 7.1 / RFC 9568 7.1 (receiving VRRP packets). auth_type AH
 * (vrrp/ah.c): the checks advance the instance's sequence counter, which a
 * Master then syncs on a lower priority advert, as keepalived.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/rx.h"
#include "daemon/daemon.h"
#include "daemon/instance.h"
#include "daemon/path.h"
#include "daemon/splitbrain.h"
#include "daemon/vsock.h"
#include "lib/log.h"
#include "linux/loop.h"
#include "linux/sock.h"
#include "daemon/vrrpmib.h"
#include "vrrp/ah.h"
#include "vrrp/fsm.h"
#include "vrrp/packet.h"

#define DROP_LOG_EVERY (10 * VTIME_SEC)
#define RX_BURST       256

static void fill_expect(struct instance *in, struct vrrp_expect *w)
{
	memset(w, 0, sizeof(*w));
	w->version = (uint8_t)in->c->version;
	w->vrid = (uint8_t)in->c->vrid;
	w->auth_type = in->c->auth_type == CONF_AUTH_PASS ? VRRP_AUTH_PASS
	               : in->c->auth_type == CONF_AUTH_AH ? VRRP_AUTH_AH
	                                                  : VRRP_AUTH_NONE;
	memcpy(w->auth_data, in->c->auth_pass, strnlen(in->c->auth_pass, VRRP_AUTH_LEN));
	if (in->c->auth_type == CONF_AUTH_AH)
		w->ah_seq = &in->ah_seq;
	w->adver_int = (uint8_t)(in->c->advert_int_us / 1000000);
	if (!in->c->skip_check_adv_addr && !in->d->conf->global.skip_check_adv_addr) {
		w->vips = in->vips;
		w->n_vips = in->n_vips < VRRP_MAX_ADDRS ? in->n_vips : VRRP_MAX_ADDRS;
	}
	w->own = &in->primary;
	w->n_own = addr_is_set(&in->primary) ? 1 : 0;
}

static bool from_peer(const struct instance *in, const struct addr *src)
{
	if (!in->c->unicast_peers.n)
		return true;
	for (size_t i = 0; i < in->c->unicast_peers.n; i++)
		if (addr_eq(&in->c->unicast_peers.items[i].addr, src))
			return true;
	return false;
}

static void instance_rx(struct instance *in, const struct vrrp_pkt *p,
                        const struct vrrp_rx_meta *meta, struct inst_path *path)
{
	struct vrrp_expect w;
	char src[ADDR_STRLEN], msrc[ADDR_STRLEN];
	vtime_t now = loop_arrival(meta->rx_ns); /* RFC 9568 6.4.2: on reception */
	enum vrrp_rx_reason r;

	fill_expect(in, &w);
	if (path)
		w.own = &path->src;
	r = vrrp_pkt_check(p, meta, &w);
	if (r != VRRP_RX_OK) {
		char why[96];
		in->st.drops[r]++;
		if (vrrpmib_err_reason(r))
			in->st.last_err = r;
		vrrp_rx_explain(r, p, 0, meta, &w, why, sizeof(why));
		if (log_due(&in->last_log[r], now, DROP_LOG_EVERY)) {
			vrrpmib_proto_error(in, r); /* enable_traps, as often as the log */
			log_warnx("%s: advert from %s %s: %s (%s)", in->name,
			          addr_ntop(&meta->src, src),
			          r == VRRP_RX_ADDR_MISMATCH ? "accepted" : "dropped",
			          vrrp_rx_reason_text(r), why);
		} else
			log_trace(LOG_PACKET, "%s: advert from %s %s: %s (%s)", in->name,
			          addr_ntop(&meta->src, src),
			          r == VRRP_RX_ADDR_MISMATCH ? "accepted" : "dropped",
			          vrrp_rx_reason_text(r), why);
		if (r != VRRP_RX_ADDR_MISMATCH)
			return;
	}
	log_trace(LOG_PACKET, "%s: advert from %s: VRRPv%u VRID %u priority %u, %u address(es)",
	          in->name, addr_ntop(&meta->src, src), p->version, p->vrid, p->priority,
	          p->count_addrs);
	in->st.adverts_received++;
	in->st.prio0_received += p->priority == 0;
	if (in->c->owner_ignore_adverts && in->fsm.priority == 255) {
		log_trace(LOG_PACKET,
		          "%s: advert ignored: the address owner ignores adverts "
		          "(owner_ignore_adverts)",
		          in->name);
		return;
	}
	struct fsm_advert a = {.priority = p->priority, .src = meta->src};
	if (path) {
		path->rx++;
		a.local = path->src;
		a.no_tie =
		    in->main_rx_at && now - in->main_rx_at < (vtime_t)fsm_master_down_us(&in->fsm);
	} else {
		in->main_rx_at = now;
	}
	a.adver_int_us =
	    p->version == 3 ? (uint64_t)p->max_adver_int * 10000 : (uint64_t)p->adver_int * 1000000;
	struct fsm_out out;
	bool was_master = in->fsm.state == VRRP_STATE_MASTER;
	fsm_advert(&in->fsm, now, &a, &out);
	if (meta->ah && out.n_steps) /* before the advert this one may answer */
		vrrp_ah_seq_heard(&in->ah_seq, vrrp_ah_seq_of(meta), was_master,
		                  out.steps[0].event == FSM_EV_ADV_LOWER, p->priority == 0);
	if (out.n_steps && out.steps[0].event == FSM_EV_ADV_PRIO0_OTHER &&
	    log_due(&in->prio0_logged, now, DROP_LOG_EVERY))
		log_warnx("%s: priority 0 advert from %s ignored: the master is %s", in->name,
		          addr_ntop(&meta->src, src), addr_ntop(&in->fsm.master_addr, msrc));
	instance_step(in, now, &out);
	if (in->fsm.state == VRRP_STATE_MASTER && p->priority > 0)
		split_brain_heard(in, &meta->src, p->priority, now);
}

/* Whether in takes an advert from src on vs: on its own socket from a
 * listed peer (if any), or by one of its advert paths (*path set). */
static bool hears(struct instance *in, const struct vsock *vs, const struct addr *src,
                  struct inst_path **path)
{
	*path = NULL;
	if (in->sock == vs && from_peer(in, src))
		return true;
	return in->n_paths && (*path = path_heard(in, vs, src));
}

static bool listens(const struct instance *in, const struct vsock *vs)
{
	for (size_t i = 0; i < in->n_paths; i++)
		if (in->paths[i].sock == vs)
			return true;
	return in->sock == vs;
}

/* The instance for a VRID on a socket; *stranger set to one whose unicast
 * peers do not include src. */
static struct instance *find_by_vrid(struct vipd *d, const struct vsock *vs, int vrid,
                                     const struct addr *src, struct instance **stranger,
                                     struct inst_path **path)
{
	struct instance *hint = vs->by_vrid[vrid & 0xff];

	*stranger = NULL;
	if (hint && hint->c->vrid == vrid && hears(hint, vs, src, path))
		return hint;
	for (struct instance *in = d->instances; in; in = in->next)
		if (in->c->vrid == vrid && listens(in, vs)) {
			if (hears(in, vs, src, path))
				return in;
			*stranger = in;
		}
	return NULL;
}

void vsock_read(struct vipd *d, struct vsock *vs)
{
	static uint8_t buf[65536];
	static struct vrrp_pkt p;
	char src[ADDR_STRLEN];
	vtime_t begun = loop_now();

	for (int i = 0; i < RX_BURST; i++) {
		struct vrrp_rx_meta meta;
		int ifindex;
		ssize_t n = vrrp_sock_recv(vs->fd, buf, sizeof(buf), &meta, &ifindex);
		if (n < 0) {
			if (errno == EAGAIN)
				vs->drained_at = begun;
			else if (errno != EINTR)
				log_warn("receiving on interface %d", vs->ifindex);
			return;
		}
		if (n == 0)
			continue;
		vtime_t now = loop_now();
		struct instance *in = NULL, *stranger = NULL;
		struct inst_path *path = NULL;
		meta.unicast = vs->unicast;
		enum vrrp_rx_reason r = vrrp_pkt_parse(buf, (size_t)n, vs->family, &meta, &p);
		if (r == VRRP_RX_OK &&
		    !(in = find_by_vrid(d, vs, p.vrid, &meta.src, &stranger, &path)))
			r = stranger ? VRRP_RX_NOT_PEER : VRRP_RX_VRID;
		if (r != VRRP_RX_OK) {
			char why[96];
			vrrp_rx_explain(r, &p, (size_t)n, &meta, NULL, why, sizeof(why));
			if (stranger && !in) {
				stranger->st.drops[r]++;
				if (log_due(&stranger->last_log[r], now, DROP_LOG_EVERY))
					log_warnx("%s: advert from %s dropped: %s (%s)",
					          stranger->name, addr_ntop(&meta.src, src),
					          vrrp_rx_reason_text(r), why);
				continue;
			}
			vs->drops[r]++;
			if (vrrpmib_err_reason(r))
				vs->last_err = r;
			/* AH for another protocol is IPsec traffic: keepalived ignores it */
			if ((r != VRRP_RX_VRID || d->conf->global.log_unknown_vrids) &&
			    r != VRRP_RX_AH_HDR && log_due(&vs->last_log[r], now, DROP_LOG_EVERY))
				log_warnx("advert from %s dropped: %s (%s)",
				          addr_ntop(&meta.src, src), vrrp_rx_reason_text(r), why);
			else
				log_trace(LOG_PACKET,
				          "advert from %s on interface %d dropped: %s (%s)",
				          addr_ntop(&meta.src, src), vs->ifindex,
				          vrrp_rx_reason_text(r), why);
			continue;
		}
		instance_rx(in, &p, &meta, path);
	}
}
