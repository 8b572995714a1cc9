/*
 * reloadcheck.c: the report of `vipctl reload --check`: per instance of
 * the new config kept or restarted (the settings why), with its new
 * priority and the VIPs it gains or loses, or added; then the removed;
 * or the file's errors. One check at a time; the pending one is this
 * file's (its path and callback).
 */
#include <stdio.h>
#include <stdlib.h>

#include "conf/conf.h"
#include "conf/confdiff.h"
#include "daemon/confload.h"
#include "daemon/daemon.h"
#include "daemon/reloadcheck.h"

static reload_check_fn pending_fn;
static char pending_path[4096];

static bool has_vip(const struct conf_instance *c, const struct addr *a)
{
	for (size_t i = 0; i < c->vips.n; i++)
		if (addr_eq(&c->vips.items[i].addr, a))
			return true;
	return false;
}

/* The VIPs of a that b lacks, after label. */
static void vips_missing(FILE *f, const struct conf_instance *a, const struct conf_instance *b,
                         const char *label)
{
	char buf[ADDR_STRLEN];
	int n = 0;

	for (size_t i = 0; i < a->vips.n; i++)
		if (!has_vip(b, &a->vips.items[i].addr))
			fprintf(f, "%s %s", n++ ? "," : label,
			        addr_ntop(&a->vips.items[i].addr, buf));
}

/* A kept or restarted instance: its new priority and VIPs. */
static void changes(FILE *f, const struct conf_instance *old, const struct conf_instance *in)
{
	if (old->priority != in->priority)
		fprintf(f, ", priority %d -> %d", old->priority, in->priority);
	vips_missing(f, in, old, ", VIPs added");
	vips_missing(f, old, in, ", VIPs removed");
	fputc('\n', f);
}

static void report(FILE *f, const struct conf *old, const struct conf *nc,
                   const struct conf_diff *df)
{
	size_t n[3] = {0};

	for (size_t i = 0; i < df->n; i++)
		n[df->inst[i].kind]++;
	fprintf(f, "%s: a reload keeps %zu instance(s), restarts %zu, adds %zu, removes %zu\n",
	        pending_path, n[CONF_DIFF_KEPT], n[CONF_DIFF_RESTARTED], n[CONF_DIFF_ADDED],
	        df->n_removed);
	for (size_t i = 0; i < df->n; i++) {
		const struct conf_instance *in = &nc->instances.items[i];
		if (df->inst[i].kind == CONF_DIFF_ADDED) {
			fprintf(f, "%s: added\n", in->name);
			continue;
		}
		if (df->inst[i].kind == CONF_DIFF_KEPT)
			fprintf(f, "%s: kept", in->name);
		else
			fprintf(f, "%s: restarted: %s changed", in->name, df->inst[i].why);
		changes(f, conf_find_instance(old, in->name), in);
	}
	for (size_t i = 0; i < df->n_removed; i++)
		fprintf(f, "%s: removed\n", df->removed[i]);
}

static void on_read(void *arg, struct conf *nc, const struct conf_diff *df)
{
	struct vipd *d = arg;
	reload_check_fn fn = pending_fn;
	const char *diags = confload_diags(d->confload);
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	pending_fn = NULL;
	if (f && nc && df)
		report(f, d->conf, nc, df);
	else if (f)
		fprintf(f, "error: %s has errors; a reload would refuse it\n", pending_path);
	if (f) {
		fputs(diags, f);
		fclose(f);
	}
	conf_free(nc);
	fn(d, f ? buf : NULL);
}

int reload_check(struct vipd *d, const char *path, reload_check_fn fn)
{
	if (pending_fn)
		return -1;
	snprintf(pending_path, sizeof(pending_path), "%s", path);
	pending_fn = fn;
	if (confload_check(d->confload, pending_path, on_read, d) < 0) {
		pending_fn = NULL;
		return -1;
	}
	return 0;
}
