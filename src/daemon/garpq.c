/*
 * garpq.c: the pacing of gratuitous ARPs and unsolicited NAs per link, as
 * keepalived spaces them: vrrp_garp_interval / vrrp_gna_interval for each
 * interface on its own, garp_group for the interfaces of a group together
 * (one switch). An announcement goes at once when the link's last one is
 * far enough behind, else into the link's queue (one per family), which
 * its timer drains. A vmac's announcements count on its base interface.
 *
 * The daemon owns the queues (d->garpqs); an entry names its instance, is
 * skipped once that instance is no longer Master and dropped when it goes.
 */
#include <stdlib.h>
#include <string.h>

#include "daemon/garpq.h"
#include "daemon/daemon.h"
#include "daemon/iface.h"
#include "daemon/instance.h"
#include "lib/log.h"
#include "linux/garp.h"
#include "linux/loop.h"
#include "vrrp/fsm.h"

#define GARPQ_MAX 65536 /* entries per family and link */

struct garpq_item {
	struct instance *in;
	int ifindex, base;
	uint8_t mac[6];
	struct addr a;
};

struct fifo {
	struct garpq_item *items;
	size_t head, n, cap;
	vtime_t next; /* not before */
};

struct garpq {
	const struct conf_garp_group *g; /* NULL: one interface, the global intervals */
	int base;                        /* that interface (g NULL) */
	struct fifo f[2];                /* IPv4, IPv6 */
	struct timer t;
	struct vipd *d;
	struct garpq *next;
};

static int64_t interval(const struct garpq *q, int fam)
{
	const struct conf_global *g = &q->d->conf->global;
	int64_t v = q->g ? (fam ? q->g->gna_interval_us : q->g->garp_interval_us)
	                 : (fam ? g->gna_interval_us : g->garp_interval_us);

	return v > 0 ? v : 0;
}

static const struct conf_garp_group *group_of(struct vipd *d, int base)
{
	const struct iface *i = iface_by_index(d, base);

	for (size_t k = 0; i && k < d->conf->garp_groups.n; k++)
		for (size_t m = 0; m < d->conf->garp_groups.items[k].ifaces.n; m++)
			if (!strcmp(d->conf->garp_groups.items[k].ifaces.items[m], i->name))
				return &d->conf->garp_groups.items[k];
	return NULL;
}

static void on_timer(struct timer *t, vtime_t now, void *arg);

/* The queue of a link, made on first use; NULL: no pacing there. */
static struct garpq *queue_of(struct vipd *d, int base)
{
	const struct conf_garp_group *g = group_of(d, base);
	const struct conf_global *gl = &d->conf->global;
	struct garpq *q;

	if (!g && gl->garp_interval_us <= 0 && gl->gna_interval_us <= 0)
		return NULL;
	for (q = d->garpqs; q; q = q->next)
		if (g ? q->g == g : (!q->g && q->base == base))
			return q;
	if (!(q = calloc(1, sizeof(*q))))
		return NULL;
	q->g = g, q->base = base, q->d = d;
	timer_init(&q->t, on_timer, q);
	q->next = d->garpqs;
	d->garpqs = q;
	return q;
}

static void send_item(struct vipd *d, const struct garpq_item *it)
{
	if (it->in->fsm.state == VRRP_STATE_MASTER)
		garp_send(d->garp, it->ifindex, it->mac, &it->a);
}

static void arm(struct garpq *q)
{
	vtime_t at = INT64_MAX;

	for (int fam = 0; fam < 2; fam++)
		if (q->f[fam].n && q->f[fam].next < at)
			at = q->f[fam].next;
	if (at != INT64_MAX)
		loop_timer_set(q->d->loop, &q->t, at);
}

static void on_timer(struct timer *t, vtime_t now, void *arg)
{
	struct garpq *q = arg;

	for (int fam = 0; fam < 2; fam++) {
		struct fifo *f = &q->f[fam];
		while (f->n && f->next <= now) {
			struct garpq_item it = f->items[f->head];
			f->head = (f->head + 1) % f->cap, f->n--;
			if (it.in->fsm.state != VRRP_STATE_MASTER)
				continue; /* left Master meanwhile: nothing to say */
			send_item(q->d, &it);
			f->next = now + interval(q, fam);
		}
	}
	arm(q);
}

static bool push(struct fifo *f, const struct garpq_item *it)
{
	if (f->n == f->cap) {
		size_t cap = f->cap ? 2 * f->cap : 16;
		struct garpq_item *n = cap <= GARPQ_MAX ? malloc(cap * sizeof(*n)) : NULL;
		if (!n)
			return false;
		for (size_t k = 0; k < f->n; k++)
			n[k] = f->items[(f->head + k) % f->cap];
		free(f->items);
		f->items = n, f->cap = cap, f->head = 0;
	}
	f->items[(f->head + f->n++) % f->cap] = *it;
	return true;
}

void garpq_send(struct instance *in, int ifindex, int base, const uint8_t mac[6],
                const struct addr *a)
{
	struct vipd *d = in->d;
	struct garpq_item it = {
	    .in = in, .ifindex = ifindex, .base = base > 0 ? base : ifindex, .a = *a};
	struct garpq *q = queue_of(d, it.base);
	int fam = a->family == AF_INET6;
	vtime_t now = loop_now();

	memcpy(it.mac, mac, 6);
	if (!q || (!q->f[fam].n && q->f[fam].next <= now)) {
		send_item(d, &it);
		if (q)
			q->f[fam].next = now + interval(q, fam);
		return;
	}
	if (!push(&q->f[fam], &it)) {
		log_warnx("%s: announcement queue full on interface %d; one dropped", in->name,
		          it.base);
		return;
	}
	arm(q);
}

void garpq_forget(struct vipd *d, const struct instance *in)
{
	for (struct garpq *q = d->garpqs; q; q = q->next)
		for (int fam = 0; fam < 2; fam++) {
			struct fifo *f = &q->f[fam];
			size_t kept = 0;
			for (size_t k = 0; k < f->n; k++) {
				struct garpq_item it = f->items[(f->head + k) % f->cap];
				if (it.in != in)
					f->items[(f->head + kept++) % f->cap] = it;
			}
			f->n = kept;
		}
}

void garpq_free_all(struct vipd *d)
{
	while (d->garpqs) {
		struct garpq *q = d->garpqs;
		d->garpqs = q->next;
		loop_timer_cancel(d->loop, &q->t);
		free(q->f[0].items);
		free(q->f[1].items);
		free(q);
	}
}

/* After a reload the groups are the new config's: the queues are made
 * again and what waited goes into them, in order. */
void garpq_reload(struct vipd *d)
{
	struct garpq *old = d->garpqs;

	d->garpqs = NULL;
	for (struct garpq *q = old; q; q = q->next) {
		loop_timer_cancel(d->loop, &q->t);
		for (int fam = 0; fam < 2; fam++)
			for (size_t k = 0; k < q->f[fam].n; k++) {
				struct garpq_item *it =
				    &q->f[fam].items[(q->f[fam].head + k) % q->f[fam].cap];
				garpq_send(it->in, it->ifindex, it->base, it->mac, &it->a);
			}
	}
	for (struct garpq *q = old, *n; q; q = n) {
		n = q->next;
		free(q->f[0].items);
		free(q->f[1].items);
		free(q);
	}
}
