/*
 * reload.c: applies a config read for a reload. Instances whose fixed part
 * (conf_instance_fixed: everything but the live keywords) is unchanged keep
 * their state and VIPs and take the new live settings; the others are
 * stopped with the old config and started with the new one. The decision
 * is conf_diff's, which `vipctl reload --check` shows (reloadcheck.c).
 *
 * The kept instances' priorities (base priority, tracked objects) are then
 * brought up to date in slices between the loop's timers: a reload that
 * changes 10,000 priorities sends 10,000 adverts, which in one go would
 * hold up every other advert by ~90 ms. The reload is done, and counted,
 * when the last slice has run.
 * Owns: struct reload_tail (the kept instances still to update).
 */
#include <stdlib.h>
#include <string.h>

#include "conf/conf.h"
#include "conf/confdiff.h"
#include "daemon/confload.h"
#include "daemon/daemon.h"
#include "daemon/instance.h"
#include "daemon/metrics.h"
#include "daemon/vrrpmib.h"
#include "daemon/notify.h"
#include "daemon/proc.h"
#include "daemon/procname.h"
#include "daemon/reload.h"
#include "daemon/statics.h"
#include "daemon/garpq.h"
#include "daemon/sync.h"
#include "daemon/bfd.h"
#include "daemon/track.h"
#include "daemon/tracked.h"
#include "lib/log.h"
#include "lib/strmap.h"
#include "linux/loop.h"

#define TAIL_SLICE_US 2000 /* priority updates between looks at the timers */

struct reload_tail {
	struct timer t;
	struct instance **kept;
	size_t n, next;
	size_t n_instances, n_started;
	vtime_t read_us, applied_us, longest_us;
	unsigned slices;
};

void reload_request(struct vipd *d)
{
	vipd_sd_notify("RELOADING=1");
	log_info("reloading %s", d->opts.conf_path);
	confload_request(d->confload, d->opts.conf_path);
}

void reload_drop(struct vipd *d)
{
	struct reload_tail *t = d->reload_tail;

	if (!t)
		return;
	loop_timer_cancel(d->loop, &t->t);
	free(t->kept);
	free(t);
	d->reload_tail = NULL;
}

/* The result metrics.c reports. */
static void reload_result(struct vipd *d, bool ok)
{
	d->reloads += ok;
	d->reload_failures += !ok;
	d->reload_failed = !ok;
	d->reload_at = loop_now();
}

static void tail_done(struct vipd *d, struct reload_tail *t)
{
	reload_result(d, true);
	log_info("reload done: %zu instance(s), %zu kept, %zu started; read in %.1f ms, applied "
	         "in %.1f ms (%u slice(s), the longest %.1f ms)",
	         t->n_instances, t->n, t->n_started, (double)t->read_us / 1000,
	         (double)t->applied_us / 1000, t->slices, (double)t->longest_us / 1000);
	reload_drop(d);
	notify_reload_states(d);
	vipd_sd_notify("READY=1");
}

static void finish_tail(struct vipd *d, struct reload_tail *t)
{
	loop_timer_cancel(d->loop, &t->t);
	while (t->next < t->n)
		track_update(t->kept[t->next++]);
	vipd_flush_all(d);
	tail_done(d, t);
}

/* One slice of priority updates; the next one after the loop's timers. */
static void on_tail(struct timer *tm, vtime_t now, void *arg)
{
	struct vipd *d = arg;
	struct reload_tail *t = d->reload_tail;
	vtime_t t0 = loop_now(), spent;

	while (t->next < t->n) {
		track_update(t->kept[t->next++]);
		if (loop_now() - t0 >= TAIL_SLICE_US)
			break;
	}
	vipd_flush_all(d);
	spent = loop_now() - t0;
	t->applied_us += spent;
	t->slices++;
	if (spent > t->longest_us)
		t->longest_us = spent;
	if (t->next < t->n)
		loop_timer_set(d->loop, &t->t, loop_now());
	else
		tail_done(d, t);
}

/* Running instances that the new config keeps (df was worked out by the
 * reader), indexed by name; the others are stopped with the old config.
 * The kept stay listed in d->instances until the new order is built. */
static struct instance **keep_running(struct vipd *d, const struct conf *nc,
                                      const struct conf_diff *df, struct strmap *names,
                                      size_t *n_kept)
{
	struct instance **kept = calloc(nc->instances.n ? nc->instances.n : 1, sizeof(*kept));
	struct instance **p = &d->instances;
	size_t n = 0;

	if (!kept)
		fatal("out of memory");
	while (*p) {
		struct instance *in = *p;
		const struct conf_instance *c = conf_find_instance(nc, in->name);
		size_t k = c ? (size_t)(c - nc->instances.items) : 0;
		if (c && conf_diff_kept(df, k)) {
			if (strmap_put(names, in->name, (long)n) < 0)
				fatal("out of memory");
			kept[n++] = in;
			p = &in->next;
			continue;
		}
		if (c)
			log_info("%s: changed (%s); restarting it", in->name, df->inst[k].why);
		else
			log_info("%s: removed", in->name);
		in->deleted = !c;
		instance_stop(in);
		*p = in->next;
		instance_free(in);
	}
	*n_kept = n;
	return kept;
}

/* The new config's instances in its order: the kept take their new
 * settings (their priorities wait for the tail), the others are made. */
static size_t relist(struct vipd *d, const struct strmap *names, struct instance **kept,
                     struct instance **fresh)
{
	struct instance *list = NULL, **tail = &list;
	size_t n_fresh = 0;

	for (size_t i = 0; i < d->conf->instances.n; i++) {
		const struct conf_instance *c = &d->conf->instances.items[i];
		long k = strmap_get(names, c->name);
		struct instance *in;
		if (k >= 0) {
			in = kept[k];
			instance_take_conf(in, c);
		} else if ((in = instance_new(d, c))) {
			fresh[n_fresh++] = in;
			log_info("%s: added", c->name);
		} else {
			continue;
		}
		in->next = NULL;
		*tail = in;
		tail = &in->next;
	}
	d->instances = list;
	return n_fresh;
}

void reload_apply(void *arg, struct conf *nc, const struct conf_diff *df)
{
	struct vipd *d = arg;
	struct conf *old = d->conf;
	struct strmap names = {0};
	struct instance **fresh;
	struct reload_tail *t;
	size_t n_fresh;
	vtime_t t0 = loop_now();

	if (!nc) {
		log_warnx("reload refused; the running configuration stays");
		reload_result(d, false);
		vipd_sd_notify("READY=1");
		return;
	}
	if (strcmp(old->global.net_namespace, nc->global.net_namespace))
		log_warnx(
		    "net_namespace changed from '%s' to '%s': vipd stays where it is until it "
		    "restarts",
		    old->global.net_namespace, nc->global.net_namespace);
	if (strcmp(old->global.instance_name, nc->global.instance_name))
		log_warnx("instance changed from '%s' to '%s': its files stay where they are until "
		          "vipd restarts",
		          old->global.instance_name, nc->global.instance_name);
	if (!d->instances_started) { /* within vrrp_startup_delay: they start with this one */
		d->conf = nc;
		bfd_start(d);
		procname_apply(&nc->global);
		statics_apply(d, old);
		conf_free(old);
		reload_result(d, true);
		metrics_apply(d);
		vrrpmib_apply(d);
		log_info("reload done: %zu instance(s), to start when vrrp_startup_delay is over",
		         nc->instances.n);
		vipd_sd_notify("READY=1");
		return;
	}
	if (d->reload_tail) /* an earlier reload's tail, finished first */
		finish_tail(d, d->reload_tail);
	if (!(t = calloc(1, sizeof(*t))) ||
	    !(fresh = calloc(nc->instances.n ? nc->instances.n : 1, sizeof(*fresh))))
		fatal("out of memory");
	sync_stop(d); /* groups are rebuilt with the new config */
	t->kept = keep_running(d, nc, df, &names, &t->n);
	vipd_flush_all(d);
	d->conf = nc;
	garpq_reload(d);
	procname_apply(&nc->global);
	statics_apply(d, old);
	script_user_init(d);
	notify_fifo_start(d);
	track_start(d); /* scripts kept by name keep their state */
	tfiles_start(d);
	tprocs_start(d);
	bfd_start(d); /* sessions kept by name and path keep their state */
	n_fresh = relist(d, &names, t->kept, fresh);
	strmap_free(&names);
	sync_start(d);
	vipd_apply_nft(d);
	metrics_apply(d);
	vrrpmib_apply(d);
	vtime_t base = 0;
	for (size_t i = 0; i < n_fresh; i++)
		instance_start(fresh[i], instance_start_base(fresh[i], &base));
	free(fresh);
	vipd_flush_all(d);
	conf_free(old);
	t->n_instances = nc->instances.n;
	t->n_started = n_fresh;
	t->read_us = confload_read_us(d->confload);
	t->applied_us = t->longest_us = loop_now() - t0;
	t->slices = 1;
	timer_init(&t->t, on_tail, d);
	d->reload_tail = t;
	loop_timer_set(d->loop, &t->t, loop_now());
}
