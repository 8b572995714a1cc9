/*
 * confdiff.c: compares two configs instance by instance for a reload. The
 * fixed parts are compared as conf_instance_fixed prints them; when they
 * differ, the reason names the top-level keywords whose lines differ (a
 * keyword's block counts as one).
 */
#include <stdlib.h>
#include <string.h>

#include "conf/conf.h"
#include "conf/confdiff.h"

/* The next top-level section of a fixed dump (a line at one indent and
 * the deeper lines under it); NULL at the end. *len: its length. */
static const char *section(const char *p, size_t *len)
{
	const char *q;

	if (!p || !*p)
		return NULL;
	q = strchr(p, '\n');
	while (q && !strncmp(q + 1, "        ", 8)) /* deeper: the same section */
		q = strchr(q + 1, '\n');
	*len = q ? (size_t)(q + 1 - p) : strlen(p);
	return p;
}

/* Whether the dump holds this exact section. */
static bool has_section(const char *dump, const char *s, size_t n)
{
	size_t len;

	for (const char *p = section(dump, &len); p; p = section(p + len, &len))
		if (len == n && !memcmp(p, s, n))
			return true;
	return false;
}

/* Appends the section's keyword to why, once. */
static void add_keyword(char *why, size_t size, const char *s)
{
	char kw[64];
	size_t n;

	s += strspn(s, " ");
	n = strcspn(s, " \n");
	if (n >= sizeof(kw))
		n = sizeof(kw) - 1;
	memcpy(kw, s, n);
	kw[n] = '\0';
	for (const char *p = strstr(why, kw); p; p = strstr(p + 1, kw))
		if ((p == why || p[-1] == ' ') && (p[n] == ',' || !p[n]))
			return;
	n = strlen(why);
	if (n + strlen(kw) + 3 < size)
		strcat(strcat(why, n ? ", " : ""), kw);
}

/* The sections of a that b lacks, by keyword. */
static void missing(const char *a, const char *b, char *why, size_t size)
{
	size_t len;

	for (const char *p = section(a, &len); p; p = section(p + len, &len))
		if (!has_section(b, p, len))
			add_keyword(why, size, p);
}

static void compare(const struct conf_instance *old, const struct conf_instance *in,
                    struct conf_diff_inst *r)
{
	char *x = conf_instance_fixed(old), *y = conf_instance_fixed(in);

	if (x && y && !strcmp(x, y)) {
		r->kind = CONF_DIFF_KEPT;
	} else {
		r->kind = CONF_DIFF_RESTARTED;
		if (x && y) { /* past the first line: the name */
			const char *xs = strchr(x, '\n'), *ys = strchr(y, '\n');
			missing(xs ? xs + 1 : "", ys ? ys + 1 : "", r->why, sizeof(r->why));
			missing(ys ? ys + 1 : "", xs ? xs + 1 : "", r->why, sizeof(r->why));
		}
		if (!r->why[0])
			strcpy(r->why, "its settings");
	}
	free(x);
	free(y);
}

static int removed(struct conf_diff *df, const struct conf *old, const struct conf *nc)
{
	df->removed = calloc(old->instances.n ? old->instances.n : 1, sizeof(*df->removed));
	if (!df->removed)
		return -1;
	for (size_t i = 0; i < old->instances.n; i++) {
		const char *name = old->instances.items[i].name;
		if (conf_find_instance(nc, name))
			continue;
		if (!(df->removed[df->n_removed] = strdup(name)))
			return -1;
		df->n_removed++;
	}
	return 0;
}

struct conf_diff *conf_diff(const struct conf *old, const struct conf *nc)
{
	struct conf_diff *df = calloc(1, sizeof(*df));

	if (!df || !(df->inst = calloc(nc->instances.n ? nc->instances.n : 1, sizeof(*df->inst)))) {
		free(df);
		return NULL;
	}
	df->n = nc->instances.n;
	for (size_t i = 0; i < nc->instances.n; i++) {
		const struct conf_instance *in = &nc->instances.items[i];
		const struct conf_instance *o = old ? conf_find_instance(old, in->name) : NULL;
		if (o)
			compare(o, in, &df->inst[i]);
		else
			df->inst[i].kind = CONF_DIFF_ADDED;
	}
	if (old && removed(df, old, nc) < 0) {
		conf_diff_free(df);
		return NULL;
	}
	return df;
}

void conf_diff_free(struct conf_diff *df)
{
	if (!df)
		return;
	for (size_t i = 0; i < df->n_removed; i++)
		free(df->removed[i]);
	free(df->removed);
	free(df->inst);
	free(df);
}

bool conf_diff_kept(const struct conf_diff *df, size_t i)
{
	return df && i < df->n && df->inst[i].kind == CONF_DIFF_KEPT;
}
