/*
 * bfd.c: the BFD sessions at run time (bfd.h). Owns the list of struct
 * bfd_rt in struct vipd and struct bfd_socks (the receive sockets, one per
 * family and port, and the counters of packets no session took).
 *
 * RFC 5880 6.8.6 (reception: the session is found by Your Discriminator,
 * or by its addresses while that is zero), 6.8.7 (transmission), 6.8.16
 * (AdminDown when a session is removed or vipd stops); RFC 5881 4-5 and
 * RFC 5883 3 (ports, TTL check: a packet's TTL plus max_hops must reach
 * the configured ttl, as keepalived checks; max_hops 255: not checked).
 * A Detection Time that expires while packets wait in a socket is not a
 * failure: the sockets are read first, and each packet counts from its
 * arrival (kernel timestamp), so a late loop never takes a session down.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "daemon/bfd.h"
#include "bfd/packet.h"
#include "daemon/bfdmaster.h"
#include "daemon/daemon.h"
#include "daemon/events.h"
#include "daemon/instance.h"
#include "daemon/track.h"
#include "lib/log.h"
#include "linux/bfdsock.h"
#include "linux/loop.h"

#define BFD_RX_BURST   256
#define BFD_DRAIN_MAX  4096 /* packets read before a Detection Time is judged */
#define BFD_RETRY      (5 * VTIME_SEC) /* a socket that could not be opened */
#define BFD_LOG_EVERY  (10 * VTIME_SEC)
#define BFD_TOS        0xc0 /* CS6, network control, as routers send BFD */
#define BFD_ADMIN_SENT 2    /* AdminDown packets at stop: one may be lost */

/* The receive sockets: [IPv4, IPv6] x [single hop 3784, multihop 4784]. */
struct bfd_socks {
	struct vipd *d;
	int fd[2][2];
	uint64_t unmatched[BFD_RX_REASONS];
	vtime_t logged[BFD_RX_REASONS];
	bool warned[2][2]; /* could not listen: said once */
};

static void on_timer(struct timer *t, vtime_t now, void *arg);
static void open_socket(struct bfd_rt *b);

static uint64_t random64(void)
{
	uint64_t v = 0;

	if (getrandom(&v, sizeof(v), GRND_NONBLOCK) != (ssize_t)sizeof(v))
		v = (uint64_t)loop_now() * 0x9e3779b97f4a7c15ull ^ (uint64_t)getpid();
	return v;
}

/* What received packets are checked against (keepalived's rule) ... */
static int ttl_of(const struct conf_bfd *c)
{
	return c->ttl;
}

/* ... and what they leave with: 255 unless ttl / hoplimit is given (RFC
 * 5881 5 and RFC 5883 5 ask 255; keepalived sends 64 over IPv6, which
 * FRR's bfdd and RFC-minded peers refuse, while keepalived takes 255). */
static int tx_ttl(const struct conf_bfd *c)
{
	return c->ttl_default ? 255 : c->ttl;
}

static const char *ms(uint32_t us, char *buf)
{
	snprintf(buf, 24, "%u.%03u ms", us / 1000, us % 1000);
	return buf;
}

struct bfd_rt *bfd_find(struct vipd *d, const char *name)
{
	for (struct bfd_rt *b = d->bfds; b; b = b->next)
		if (!strcmp(b->name, name))
			return b;
	return NULL;
}

const uint64_t *bfd_unmatched(const struct vipd *d)
{
	static const uint64_t none[BFD_RX_REASONS];

	return d->bfd_socks ? d->bfd_socks->unmatched : none;
}

/* ---- what a session asks ---- */

static void send_packet(struct bfd_rt *b)
{
	struct bfd_ctl c;
	uint8_t buf[BFD_CTL_LEN];
	char a[ADDR_STRLEN];

	bfd_session_packet(&b->s, &c);
	size_t n = bfd_build(&c, buf);
	if (b->fd >= 0 && bfd_sock_send(b->fd, &b->c->neighbor, b->port, buf, n) == 0) {
		log_trace(LOG_PACKET, "bfd_instance %s: sent %s%s%s to %s, diag %u", b->name,
		          bfd_state_str(c.sta), c.poll ? " poll" : "", c.final ? " final" : "",
		          addr_ntop(&b->c->neighbor, a), c.diag);
		return;
	}
	b->tx_errors++;
	if (log_due(&b->tx_logged, loop_now(), BFD_LOG_EVERY))
		log_warn("bfd_instance %s: cannot send to %s", b->name,
		         addr_ntop(&b->c->neighbor, a));
}

/* The instances that track it see its new state. */
static void tracked_changed(struct vipd *d, const char *name)
{
	for (struct instance *in = d->instances; in; in = in->next) {
		const struct conf_tracks *t = &in->c->tracks[CONF_TRACK_BFD];
		for (size_t i = 0; i < t->n; i++)
			if (!strcmp(t->items[i].name, name)) {
				track_update(in);
				break;
			}
	}
}

/* The negotiated timers, logged when they settle or change while Up. */
static void log_timers(struct bfd_rt *b)
{
	uint32_t tx = bfd_session_tx_interval(&b->s), dt = bfd_session_detect_time(&b->s);
	char t1[24], t2[24];

	if (b->s.session_state != BFD_UP || (tx == b->logged_tx_us && dt == b->logged_detect_us))
		return;
	b->logged_tx_us = tx;
	b->logged_detect_us = dt;
	log_info("bfd_instance %s: packets every %s, Detection Time %s", b->name, ms(tx, t1),
	         ms(dt, t2));
}

static void state_changed(struct bfd_rt *b, vtime_t now, const struct bfd_out *o)
{
	char a[ADDR_STRLEN];
	bool was = b->tracked_up;

	b->changed_at = now;
	snprintf(b->why, sizeof(b->why), "%s", o->why);
	if (o->to == BFD_UP) {
		log_info("bfd_instance %s: %s -> Up: neighbor %s", b->name, bfd_state_str(o->from),
		         addr_ntop(&b->c->neighbor, a));
		b->logged_tx_us = b->logged_detect_us = 0;
	} else {
		log_info("bfd_instance %s: %s -> %s: %s", b->name, bfd_state_str(o->from),
		         bfd_state_str(o->to), o->why);
	}
	events_track("bfd", b->name, bfd_state_str(o->from), bfd_state_str(o->to));
	/* keepalived's VRRP side hears of Up, and of a fall from Up that is not
	 * the neighbor's AdminDown (a peer under maintenance) */
	if (o->to == BFD_UP)
		b->tracked_up = true;
	else if (o->from == BFD_UP && b->s.remote_session_state != BFD_ADMIN_DOWN)
		b->tracked_up = false;
	if (o->from == BFD_UP)
		bfdmaster_down(b->d, b, o, now);
	if (b->tracked_up != was)
		tracked_changed(b->d, b->name);
}

static void handle(struct bfd_rt *b, vtime_t now, const struct bfd_out *o)
{
	if (o->actions & BFD_ACT_SEND)
		send_packet(b);
	if (o->actions & BFD_ACT_STATE)
		state_changed(b, now, o);
	log_timers(b);
	vtime_t at = bfd_session_deadline(&b->s);
	if (at == VTIME_NEVER)
		loop_timer_cancel(b->d->loop, &b->t);
	else
		loop_timer_set(b->d->loop, &b->t, at);
	/* while Up: the interval the neighbor's packets come at, for a
	 * master_down_bfd Skew_Time when it goes down */
	uint32_t dt = bfd_session_detect_time(&b->s);
	if (b->s.session_state == BFD_UP && dt && b->s.remote_detect_mult)
		b->rx_interval_us = dt / b->s.remote_detect_mult;
}

/* ---- packets in ---- */

static void drop(struct bfd_rt *b, enum bfd_rx_reason r, const struct bfd_rx_meta *m,
                 uint32_t bad)
{
	char a[ADDR_STRLEN];

	b->drops[r]++;
	if (log_due(&b->last_log[r], loop_now(), BFD_LOG_EVERY))
		log_warnx("bfd_instance %s: packet from %s dropped: %s (%u)", b->name,
		          addr_ntop(&m->src, a), bfd_rx_reason_str(r), bad);
	else
		log_trace(LOG_PACKET, "bfd_instance %s: packet from %s dropped: %s (%u)", b->name,
		          addr_ntop(&m->src, a), bfd_rx_reason_str(r), bad);
}

static void unmatched(struct bfd_socks *k, enum bfd_rx_reason r, const struct bfd_rx_meta *m,
                      uint32_t bad)
{
	char a[ADDR_STRLEN];

	k->unmatched[r]++;
	if (log_due(&k->logged[r], loop_now(), BFD_LOG_EVERY))
		log_warnx("bfd: packet from %s port %u dropped: %s (%u)", addr_ntop(&m->src, a),
		          m->sport, bfd_rx_reason_str(r), bad);
	else
		log_trace(LOG_PACKET, "bfd: packet from %s port %u dropped: %s (%u)",
		          addr_ntop(&m->src, a), m->sport, bfd_rx_reason_str(r), bad);
}

/* RFC 5880 6.8.6: by Your Discriminator, else by the addresses; either
 * way the source must be the neighbor (RFC 5881 3: a session is one pair of
 * addresses), on the session's port. */
static struct bfd_rt *lookup(struct vipd *d, const struct bfd_ctl *c, const struct bfd_rx_meta *m,
                             bool multihop)
{
	for (struct bfd_rt *b = d->bfds; b; b = b->next) {
		if (b->c->multihop != multihop || !addr_eq(&b->c->neighbor, &m->src))
			continue;
		if (c->your_disc ? b->s.local_discr == c->your_disc
		                 : !addr_is_set(&b->c->source) || addr_eq(&b->c->source, &m->dst))
			return b;
	}
	return NULL;
}

static void dispatch(struct bfd_socks *k, const uint8_t *buf, size_t n,
                     const struct bfd_rx_meta *m, bool multihop)
{
	struct bfd_ctl c;
	struct bfd_out o;
	struct bfd_rt *b;
	uint32_t bad = 0;
	enum bfd_rx_reason r = bfd_parse(buf, n, &c, &bad);

	if (r != BFD_RX_OK) {
		unmatched(k, r, m, bad);
		return;
	}
	if (!(b = lookup(k->d, &c, m, multihop))) {
		unmatched(k, BFD_RX_NO_SESSION, m, c.your_disc);
		return;
	}
	/* a packet whose TTL the kernel did not give fails the check too */
	if (b->c->max_hops != 255 && m->ttl + b->c->max_hops < ttl_of(b->c)) {
		drop(b, BFD_RX_TTL, m, (uint32_t)m->ttl);
		return;
	}
	vtime_t at = loop_arrival(m->rx_ns);
	if (b->s.last_rx != VTIME_NEVER && at < b->s.last_rx) /* a wall clock stepped back */
		at = b->s.last_rx;
	if (bfd_session_deadline(&b->s) <= at) { /* what was due before this packet came */
		bfd_session_timer(&b->s, at, &o);
		handle(b, at, &o);
	}
	r = bfd_session_rx(&b->s, &c, at, &o);
	if (r != BFD_RX_OK)
		drop(b, r, m, c.your_disc);
	else
		log_trace(LOG_PACKET, "bfd_instance %s: received %s%s%s, diag %u, tx %u us, rx %u us",
		          b->name, bfd_state_str(c.sta), c.poll ? " poll" : "",
		          c.final ? " final" : "", c.diag, c.desired_min_tx, c.required_min_rx);
	handle(b, at, &o);
}

static void read_socket(struct bfd_socks *k, int fd, bool multihop, int most)
{
	uint8_t buf[512];
	struct bfd_rx_meta m;

	for (int i = 0; i < most; i++) {
		ssize_t n = bfd_sock_recv(fd, buf, sizeof(buf), &m);
		if (n < 0) {
			if (errno != EAGAIN && errno != EINTR)
				log_trace(LOG_KERNEL, "bfd: recvmsg: %s", strerror(errno));
			return;
		}
		if (n > 0)
			dispatch(k, buf, (size_t)n, &m, multihop);
	}
}

static void on_rx(int fd, uint32_t events, void *arg)
{
	struct bfd_socks *k = arg;

	read_socket(k, fd, fd == k->fd[0][1] || fd == k->fd[1][1], BFD_RX_BURST);
}

/* Every packet already in the sockets, before a Detection Time is judged. */
static void drain(struct vipd *d)
{
	struct bfd_socks *k = d->bfd_socks;

	for (int f = 0; k && f < 2; f++)
		for (int h = 0; h < 2; h++)
			if (k->fd[f][h] >= 0)
				read_socket(k, k->fd[f][h], h == 1, BFD_DRAIN_MAX);
}

static void on_timer(struct timer *t, vtime_t now, void *arg)
{
	struct bfd_rt *b = arg;
	struct bfd_out o;

	if (b->fd < 0) {
		open_socket(b);
		return;
	}
	if (b->s.detect_at <= now) {
		drain(b->d); /* may move detect_at, or free nothing: sessions stay */
		now = loop_now();
	}
	if (bfd_session_deadline(&b->s) > now) {
		handle(b, now, &(struct bfd_out){0});
		return;
	}
	bfd_session_timer(&b->s, now, &o);
	handle(b, now, &o);
}

/* ---- sockets ---- */

static void socks_want(struct vipd *d, bool want[2][2])
{
	memset(want, 0, 4 * sizeof(bool));
	for (size_t i = 0; i < d->conf->bfds.n; i++) {
		const struct conf_bfd *c = &d->conf->bfds.items[i];
		want[c->neighbor.family == AF_INET6][c->multihop] = true;
	}
}

static void socks_apply(struct vipd *d)
{
	static const int ports[2] = {BFD_PORT_SINGLE, BFD_PORT_MULTI};
	bool want[2][2];
	struct bfd_socks *k = d->bfd_socks;

	socks_want(d, want);
	if (!k && !(want[0][0] || want[0][1] || want[1][0] || want[1][1]))
		return;
	if (!k) {
		if (!(k = d->bfd_socks = calloc(1, sizeof(*k))))
			fatal("out of memory");
		k->d = d;
		memset(k->fd, -1, sizeof(k->fd));
	}
	for (int f = 0; f < 2; f++)
		for (int h = 0; h < 2; h++) {
			int *fd = &k->fd[f][h];
			if (!want[f][h] && *fd >= 0) {
				loop_del(d->loop, *fd);
				close(*fd);
				*fd = -1;
			} else if (want[f][h] && *fd < 0) {
				*fd = bfd_sock_listen(f ? AF_INET6 : AF_INET, ports[h]);
				if (*fd >= 0)
					loop_add(d->loop, *fd, on_rx, k);
				else if (!k->warned[f][h])
					log_warn("bfd: cannot receive on UDP port %d (%s); its "
					         "sessions stay down",
					         ports[h], f ? "IPv6" : "IPv4");
				k->warned[f][h] = *fd < 0;
			}
		}
}

static void socks_close(struct vipd *d)
{
	struct bfd_socks *k = d->bfd_socks;

	if (!k)
		return;
	for (int f = 0; f < 2; f++)
		for (int h = 0; h < 2; h++)
			if (k->fd[f][h] >= 0) {
				loop_del(d->loop, k->fd[f][h]);
				close(k->fd[f][h]);
			}
	free(k);
	d->bfd_socks = NULL;
}

/* ---- sessions ---- */

static void params_of(const struct conf_bfd *c, struct bfd_params *p)
{
	*p = (struct bfd_params){.min_tx_us = c->min_tx_us,
	                         .min_rx_us = c->min_rx_us,
	                         .idle_tx_us = c->idle_tx_us,
	                         .detect_mult = (uint8_t)c->multiplier,
	                         .passive = c->passive};
}

/* bfd.LocalDiscr: nonzero, and none of the other sessions' (RFC 5880 6.8.1) */
static uint32_t new_discr(struct bfd_rt *const *all, size_t n)
{
	for (;;) {
		uint32_t v = (uint32_t)random64();
		bool used = v == 0;
		for (size_t i = 0; i < n && !used; i++)
			used = all[i] && all[i]->s.local_discr == v;
		if (!used)
			return v;
	}
}

/* Its socket, and its first deadline (its first packet, or none when
 * passive); on failure, tried again every BFD_RETRY, logged the first time
 * (as keepalived retries). */
static void open_socket(struct bfd_rt *b)
{
	const struct conf_bfd *c = b->c;
	char a[ADDR_STRLEN];

	b->fd = bfd_sock_open_tx(c->neighbor.family, &c->source, tx_ttl(c), BFD_TOS,
	                         (uint32_t)random64(), &b->sport);
	if (b->fd < 0) {
		if (!b->retry_at)
			log_warn("bfd_instance %s: cannot open its socket to %s; it stays down, "
			         "trying again every %d s",
			         b->name, addr_ntop(&c->neighbor, a), (int)(BFD_RETRY / VTIME_SEC));
		b->retry_at = loop_now() + BFD_RETRY;
		loop_timer_set(b->d->loop, &b->t, b->retry_at);
		return;
	}
	log_info("bfd_instance %s: %s session to %s from port %u%s", b->name,
	         c->multihop ? "multihop" : "single hop", addr_ntop(&c->neighbor, a), b->sport,
	         c->passive ? ", passive" : "");
	b->retry_at = 0;
	handle(b, loop_now(), &(struct bfd_out){0});
}

static struct bfd_rt *session_new(struct vipd *d, const struct conf_bfd *c, uint32_t discr)
{
	struct bfd_rt *b = calloc(1, sizeof(*b));
	struct bfd_params p;

	if (!b)
		fatal("out of memory");
	b->d = d;
	b->c = c;
	b->fd = -1;
	snprintf(b->name, sizeof(b->name), "%s", c->name);
	b->port = c->multihop ? BFD_PORT_MULTI : BFD_PORT_SINGLE;
	timer_init(&b->t, on_timer, b);
	params_of(c, &p);
	bfd_session_init(&b->s, &p, discr, random64(), loop_now());
	open_socket(b);
	return b;
}

/* RFC 5880 6.8.16: AdminDown, said at once (twice: one may be lost); the
 * session then sends AdminDown for a Detection Time and goes silent. */
static void say_down(struct bfd_rt *b)
{
	struct bfd_out o;

	if (b->fd < 0 || b->s.session_state == BFD_ADMIN_DOWN)
		return;
	bfd_session_admin_down(&b->s, loop_now(), &o);
	for (int i = 0; i < BFD_ADMIN_SENT && (o.actions & BFD_ACT_SEND); i++)
		send_packet(b);
	handle(b, loop_now(), &(struct bfd_out){0});
}

static void session_free(struct bfd_rt *b, bool admin_down)
{
	if (admin_down)
		say_down(b);
	loop_timer_cancel(b->d->loop, &b->t);
	if (b->fd >= 0)
		close(b->fd);
	free(b);
}

/* The same session after a reload: the same path to the same neighbor. */
static bool same_path(const struct conf_bfd *a, const struct conf_bfd *b)
{
	return addr_eq(&a->neighbor, &b->neighbor) && addr_eq(&a->source, &b->source) &&
	       a->multihop == b->multihop && tx_ttl(a) == tx_ttl(b);
}

static struct bfd_rt *take(struct bfd_rt **list, const struct conf_bfd *c)
{
	for (struct bfd_rt **p = list; *p; p = &(*p)->next)
		if (!strcmp((*p)->name, c->name) && same_path((*p)->c, c)) {
			struct bfd_rt *b = *p;
			*p = b->next;
			return b;
		}
	return NULL;
}

static void keep(struct bfd_rt *b, const struct conf_bfd *c)
{
	struct bfd_params p;
	struct bfd_out o;

	params_of(c, &p);
	b->c = c;
	if (p.min_tx_us != b->s.cfg.min_tx_us || p.min_rx_us != b->s.cfg.min_rx_us ||
	    p.idle_tx_us != b->s.cfg.idle_tx_us || p.detect_mult != b->s.cfg.detect_mult ||
	    p.passive != b->s.cfg.passive) {
		log_info("bfd_instance %s: new settings (min_tx %u us, min_rx %u us, idle_tx %u us, "
		         "multiplier %u%s)%s",
		         b->name, p.min_tx_us, p.min_rx_us, p.idle_tx_us, p.detect_mult,
		         p.passive ? ", passive" : "",
		         b->s.session_state == BFD_UP ? ", announced with a Poll Sequence" : "");
		bfd_session_set_params(&b->s, &p, loop_now(), &o);
		handle(b, loop_now(), &o);
	}
	if (b->fd < 0) /* its socket could not be opened: a reload tries again */
		open_socket(b);
}

/* -B: the sessions exist, Down, and never run: track_bfd sees them
 * down, as keepalived's VRRP process sees BFD without its BFD process. */
static void start_off(struct vipd *d)
{
	struct bfd_params p;

	bfd_stop(d);
	if (d->conf->bfds.n)
		log_warnx("BFD is off (-B): %zu bfd_instance session(s) not run; track_bfd sees "
		          "them down",
		          d->conf->bfds.n);
	for (size_t i = d->conf->bfds.n; i-- > 0;) {
		const struct conf_bfd *c = &d->conf->bfds.items[i];
		struct bfd_rt *b = calloc(1, sizeof(*b));
		if (!b)
			fatal("out of memory");
		b->d = d;
		b->c = c;
		b->fd = -1;
		snprintf(b->name, sizeof(b->name), "%s", c->name);
		snprintf(b->why, sizeof(b->why), "BFD is off (-B)");
		timer_init(&b->t, on_timer, b);
		params_of(c, &p);
		bfd_session_init(&b->s, &p, (uint32_t)(i + 1), 0, loop_now());
		b->next = d->bfds;
		d->bfds = b;
	}
}

void bfd_start(struct vipd *d)
{
	size_t n = d->conf->bfds.n;

	if (d->opts.no_bfd) {
		start_off(d);
		return;
	}
	struct bfd_rt *old = d->bfds, **at = calloc(n ? n : 1, sizeof(*at));

	if (!at)
		fatal("out of memory");
	d->bfds = NULL;
	socks_apply(d);
	for (size_t i = 0; i < n; i++) /* kept: the same name and path */
		if ((at[i] = take(&old, &d->conf->bfds.items[i])))
			keep(at[i], &d->conf->bfds.items[i]);
	while (old) { /* removed, or its path changed */
		struct bfd_rt *b = old;
		old = b->next;
		log_info("bfd_instance %s: removed; AdminDown sent to its neighbor", b->name);
		session_free(b, true);
	}
	for (size_t i = n; i-- > 0;) { /* the list in the config's order */
		if (!at[i]) {
			at[i] = session_new(d, &d->conf->bfds.items[i], new_discr(at, n));
		}
		at[i]->next = d->bfds;
		d->bfds = at[i];
	}
	free(at);
}

void bfd_say_down(struct vipd *d)
{
	for (struct bfd_rt *b = d->bfds; b; b = b->next)
		say_down(b);
}

void bfd_stop(struct vipd *d)
{
	while (d->bfds) {
		struct bfd_rt *b = d->bfds;
		d->bfds = b->next;
		session_free(b, true);
	}
	socks_close(d);
}
