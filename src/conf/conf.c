/*
 * conf.c: loading a config file: defaults, diagnostics, memory.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "conf/conf.h"
#include "conf/parse.h"

void *vec_push_raw(void *vec, size_t item)
{
	struct {
		char *items;
		size_t n, cap;
	} *v = vec;

	if (v->n == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 4;
		char *items = realloc(v->items, cap * item);
		if (!items)
			return NULL;
		v->items = items;
		v->cap = cap;
	}
	char *slot = v->items + item * v->n++;
	memset(slot, 0, item);
	return slot;
}

static void default_diag(void *arg, enum conf_severity sev, const struct srcpos *pos,
                         const char *msg)
{
	if (pos && pos->file)
		fprintf(stderr, "%s:%d:%d: %s: %s\n", pos->file, pos->line, pos->col,
		        sev == CONF_ERROR ? "error" : "warning", msg);
	else
		fprintf(stderr, "%s: %s\n", sev == CONF_ERROR ? "error" : "warning", msg);
}

void conf_diag(struct conf *c, const struct conf_opts *o, enum conf_severity sev,
               const struct srcpos *pos, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	if (sev == CONF_ERROR)
		c->errors++;
	else
		c->warnings++;
	if (c->errors + c->warnings > CONF_DIAG_SHOWN) /* counted, not shown */
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (o && o->diag)
		o->diag(o->diag_arg, sev, pos, msg);
	else
		default_diag(NULL, sev, pos, msg);
}

void conf_instance_defaults(struct conf_instance *in)
{
	in->priority = 100;
	in->advert_int_us = 1000000;
	in->down_timer_adverts = 0; /* vrrp_down_timer_adverts */
	in->accept = CONF_UNSET;
	in->strict = CONF_UNSET;
	in->garp_master_delay_us = -1;
	in->garp_master_repeat = -1;
	in->garp_master_refresh_us = -1;
	in->garp_master_refresh_repeat = -1;
	in->garp_lower_prio_delay_us = -1;
	in->garp_lower_prio_repeat = -1;
	in->garp_extra_if.interval_s = -1;
	in->lower_prio_no_advert = CONF_UNSET;
	in->higher_prio_send_advert = CONF_UNSET;
	in->unicast_ttl = -1;
	in->smtp_alert = CONF_UNSET;
}

void conf_sync_group_defaults(struct conf_sync_group *g)
{
	g->smtp_alert = CONF_UNSET;
}

bool conf_smtp_alert(const struct conf_global *g, enum conf_tristate own)
{
	if (own != CONF_UNSET)
		return own == CONF_YES;
	if (g->smtp_alert_vrrp != CONF_UNSET)
		return g->smtp_alert_vrrp == CONF_YES;
	return g->smtp_alert == CONF_YES;
}

void conf_script_defaults(struct conf_script *s)
{
	s->interval_us = 1000000;
	s->rise = 1;
	s->fall = 1;
}

void conf_track_file_defaults(struct conf_track_file *t)
{
	t->weight = 1;
}

void conf_track_process_defaults(struct conf_track_process *t)
{
	t->weight = 1;
	t->quorum = 1;
	t->quorum_max = -1;
}

/* keepalived's defaults; ttl waits for the neighbor's family (bfdconf.c) */
void conf_bfd_defaults(struct conf_bfd *b)
{
	b->min_rx_us = 10000;
	b->min_tx_us = 10000;
	b->idle_tx_us = 1000000;
	b->multiplier = 5;
}

static struct conf *conf_new(void)
{
	struct conf *c = calloc(1, sizeof(*c));
	struct conf_global *g;

	if (!c)
		return NULL;
	g = &c->global;
	g->vrrp_version = 2;
	addr_parse("224.0.0.18", &g->vrrp_mcast_group4);
	addr_parse("ff02::12", &g->vrrp_mcast_group6);
	g->garp_master_delay_us = 5000000;
	g->garp_master_repeat = 5;
	g->garp_master_refresh_us = 0;
	g->garp_master_refresh_repeat = 1;
	g->garp_lower_prio_delay_us = -1; /* = garp_master_delay */
	g->garp_lower_prio_repeat = -1;   /* = garp_master_repeat */
	g->garp_extra_if.interval_s = -1;
	g->max_auto_priority = -1;
	g->min_auto_priority_delay_us = 1000000;
	g->umask = -1;
	g->startup_script_timeout_us = g->shutdown_script_timeout_us = 10 * 1000000ULL;
	g->rlimit_rttime_us = -1;
	g->down_timer_adverts = 3;
	snprintf(g->vmac_prefix, sizeof(g->vmac_prefix), "vrrp");
	g->smtp_alert = g->smtp_alert_vrrp = CONF_UNSET;
	return c;
}

/* The lexer's callbacks get the parse context. */
static const char *intern(void *arg, const char *name)
{
	struct conf *c = ((struct pctx *)arg)->c;

	for (size_t i = 0; i < c->files.n; i++)
		if (!strcmp(c->files.items[i], name))
			return c->files.items[i];
	char **slot = VEC_PUSH(&c->files);
	if (!slot)
		return "?";
	*slot = strdup(name);
	return *slot ? *slot : "?";
}

static void lex_diag(void *arg, enum conf_severity sev, const struct srcpos *pos, const char *msg)
{
	struct pctx *p = arg;

	conf_diag(p->c, p->opts, sev, pos, "%s", msg);
}

/* The name of object i of a tracked kind defined in the config (scripts,
 * files, processes, BFD sessions), and how many there are. */
static const char *object_name(const struct conf *c, enum conf_track_kind k, size_t i)
{
	switch (k) {
	case CONF_TRACK_SCRIPT:
		return c->scripts.items[i].name;
	case CONF_TRACK_FILE:
		return c->track_files.items[i].name;
	case CONF_TRACK_PROCESS:
		return c->track_processes.items[i].name;
	case CONF_TRACK_BFD:
		return c->bfds.items[i].name;
	default:
		return NULL;
	}
}

static size_t objects(const struct conf *c, enum conf_track_kind k)
{
	return k == CONF_TRACK_SCRIPT    ? c->scripts.n
	       : k == CONF_TRACK_FILE    ? c->track_files.n
	       : k == CONF_TRACK_PROCESS ? c->track_processes.n
	       : k == CONF_TRACK_BFD     ? c->bfds.n
	                                 : 0;
}

/* Look-ups by name in configs of 100,000 instances: the maps hold every
 * name when memory allowed; otherwise the finders below search. */
static void index_names(struct conf *c)
{
	for (size_t i = 0; i < c->instances.n; i++)
		if (strmap_put(&c->instance_names, c->instances.items[i].name, (long)i) < 0)
			break;
	for (int k = 0; k < CONF_TRACK_KINDS; k++)
		for (size_t i = 0; i < objects(c, (enum conf_track_kind)k); i++)
			if (strmap_put(&c->object_names[k],
			               object_name(c, (enum conf_track_kind)k, i), (long)i) < 0)
				break;
}

/* Index of the named object of kind k, or -1. */
static long find_object(const struct conf *c, enum conf_track_kind k, const char *name)
{
	size_t n = objects(c, k);

	if (c->object_names[k].n == n)
		return strmap_get(&c->object_names[k], name);
	for (size_t i = 0; i < n; i++)
		if (!strcmp(object_name(c, k, i), name))
			return (long)i;
	return -1;
}

/* Parses into a new conf; -1 when the top file cannot be read (fatal). */
static int load(const char *path, const char *name, const char *text, size_t len,
                const struct conf_opts *opts, bool fuzz, struct conf **out)
{
	struct conf_opts o = opts ? *opts : (struct conf_opts){0};
	struct pctx p = {.opts = &o};
	int rc = 0;

	*out = NULL;
	if (!(p.c = conf_new()) || !(p.lx = lex_new(lex_diag, intern, &p))) {
		free(p.c);
		return -1;
	}
	if (o.config_id)
		lex_config_id(p.lx, o.config_id);
	if (fuzz)
		lex_no_include(p.lx);
	if (path)
		rc = lex_push_file(p.lx, path, NULL);
	else
		lex_push_string(p.lx, name, text, len);
	if (rc == 0)
		conf_parse(&p);
	index_names(p.c);
	lex_free(p.lx);
	strmap_free(&p.names);
	*out = p.c;
	return rc;
}

int conf_load(const char *path, const struct conf_opts *opts, struct conf **out)
{
	return load(path, NULL, NULL, 0, opts, false, out);
}

int conf_load_string(const char *name, const char *text, size_t len, const struct conf_opts *opts,
                     struct conf **out)
{
	return load(NULL, name, text, len, opts, opts && opts->no_include, out);
}

static void free_cmd(struct conf_cmd *c)
{
	free(c->cmd);
	free(c->user);
	free(c->group);
}

static void free_notify(struct conf_notify *n)
{
	free_cmd(&n->master);
	free_cmd(&n->backup);
	free_cmd(&n->fault);
	free_cmd(&n->stop);
	free_cmd(&n->deleted);
	free_cmd(&n->any);
	free_cmd(&n->master_rx_lower_pri);
	free_cmd(&n->split_brain);
}

static void free_strings(void *vec)
{
	VEC(char *) *v = vec;

	for (size_t i = 0; i < v->n; i++)
		free(v->items[i]);
	free(v->items);
}

void conf_free(struct conf *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->instances.n; i++) {
		struct conf_instance *in = &c->instances.items[i];
		free(in->vips.items);
		free(in->vips_excluded.items);
		free(in->routes.items);
		free(in->rules.items);
		free(in->unicast_peers.items);
		free(in->paths.items);
		for (int k = 0; k < CONF_TRACK_KINDS; k++)
			free(in->tracks[k].items);
		free(in->master_down_bfd.items);
		free_notify(&in->notify);
	}
	for (size_t i = 0; i < c->sync_groups.n; i++) {
		struct conf_sync_group *g = &c->sync_groups.items[i];
		free_strings(&g->members);
		for (int k = 0; k < CONF_TRACK_KINDS; k++)
			free(g->tracks[k].items);
		free_notify(&g->notify);
	}
	for (size_t i = 0; i < c->scripts.n; i++)
		free_cmd(&c->scripts.items[i].cmd);
	for (size_t i = 0; i < c->track_files.n; i++)
		free(c->track_files.items[i].path);
	for (size_t i = 0; i < c->track_processes.n; i++) {
		free(c->track_processes.items[i].process);
		free(c->track_processes.items[i].param_match_args);
		free(c->track_processes.items[i].user);
	}
	free(c->statics.vips.items);
	free(c->statics.routes.items);
	free(c->statics.rules.items);
	for (size_t i = 0; i < c->track_groups.n; i++)
		free_strings(&c->track_groups.items[i].members);
	free(c->track_groups.items);
	for (size_t i = 0; i < c->garp_groups.n; i++)
		free_strings(&c->garp_groups.items[i].ifaces);
	free(c->garp_groups.items);
	free(c->if_delays.items);
	free(c->instances.items);
	free(c->sync_groups.items);
	free(c->scripts.items);
	free(c->track_files.items);
	free(c->track_processes.items);
	free(c->bfds.items);
	free(c->global.script_user);
	free(c->global.cpu_affinity);
	free(c->global.script_group);
	free(c->global.state_dump_file);
	free(c->global.stats_dump_file);
	free(c->global.json_dump_file);
	free(c->global.metrics_listen);
	free(c->global.snmp_socket);
	free(c->global.process_name);
	free(c->global.vrrp_process_name);
	free_strings(&c->global.emails);
	free(c->global.email_from);
	free(c->global.smtp_server);
	free(c->global.smtp_helo_name);
	free_cmd(&c->global.notify_fifo);
	free_cmd(&c->global.notify_fifo_script);
	free_cmd(&c->global.startup_script);
	free_cmd(&c->global.shutdown_script);
	free_strings(&c->files);
	strmap_free(&c->instance_names);
	for (int k = 0; k < CONF_TRACK_KINDS; k++) {
		strmap_free(&c->object_names[k]);
		strmap_free(&c->tracked_names[k]);
	}
	free(c);
}

const struct conf_instance *conf_find_instance(const struct conf *c, const char *name)
{
	if (c->instance_names.n == c->instances.n) {
		long i = strmap_get(&c->instance_names, name);
		return i >= 0 ? &c->instances.items[i] : NULL;
	}
	for (size_t i = 0; i < c->instances.n; i++) /* the index ran out of memory */
		if (!strcmp(c->instances.items[i].name, name))
			return &c->instances.items[i];
	return NULL;
}

const struct conf_script *conf_find_script(const struct conf *c, const char *name)
{
	long i = find_object(c, CONF_TRACK_SCRIPT, name);

	return i >= 0 ? &c->scripts.items[i] : NULL;
}

static bool script_lookup(const struct conf *c, const char *name, int *weight, bool *reverse)
{
	const struct conf_script *s = conf_find_script(c, name);

	if (s)
		*weight = s->weight, *reverse = s->weight_reverse;
	return s != NULL;
}

static bool file_lookup(const struct conf *c, const char *name, int *weight, bool *reverse)
{
	long i = find_object(c, CONF_TRACK_FILE, name);

	if (i >= 0)
		*weight = c->track_files.items[i].weight,
		*reverse = c->track_files.items[i].weight_reverse;
	return i >= 0;
}

static bool process_lookup(const struct conf *c, const char *name, int *weight, bool *reverse)
{
	long i = find_object(c, CONF_TRACK_PROCESS, name);

	if (i >= 0)
		*weight = c->track_processes.items[i].weight,
		*reverse = c->track_processes.items[i].weight_reverse;
	return i >= 0;
}

const struct conf_bfd *conf_find_bfd(const struct conf *c, const char *name)
{
	long i = find_object(c, CONF_TRACK_BFD, name);

	return i >= 0 ? &c->bfds.items[i] : NULL;
}

static bool bfd_lookup(const struct conf *c, const char *name, int *weight, bool *reverse)
{
	const struct conf_bfd *b = conf_find_bfd(c, name);

	if (b)
		*weight = b->weight, *reverse = b->weight_reverse;
	return b != NULL;
}

/* The kinds of tracked object (enum conf_track_kind). */
const struct conf_track_type conf_track_kinds[CONF_TRACK_KINDS] = {
    [CONF_TRACK_SCRIPT] = {"track_script", "vrrp_script", 253, script_lookup},
    [CONF_TRACK_PROCESS] = {"track_process", "vrrp_track_process", 254, process_lookup},
    [CONF_TRACK_FILE] = {"track_file", "track_file", 254, file_lookup},
    [CONF_TRACK_INTERFACE] = {"track_interface", "interface", 253, NULL},
    [CONF_TRACK_BFD] = {"track_bfd", "bfd_instance", 253, bfd_lookup},
};

int conf_track_weight(const struct conf *c, enum conf_track_kind kind, const struct conf_track *t)
{
	int w = 0;
	bool rev;

	if (t->has_weight || !conf_track_kinds[kind].lookup)
		return t->weight;
	return conf_track_kinds[kind].lookup(c, t->name, &w, &rev) ? w : 0;
}

bool conf_tracked(const struct conf *c, enum conf_track_kind kind, const char *name)
{
	if (c->tracked_indexed)
		return strmap_get(&c->tracked_names[kind], name) >= 0;
	for (size_t i = 0; i < c->instances.n; i++) {
		const struct conf_tracks *v = &c->instances.items[i].tracks[kind];
		for (size_t k = 0; k < v->n; k++)
			if (!strcmp(v->items[k].name, name))
				return true;
	}
	return false;
}

static bool has_track(const struct conf_track *items, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(items[i].name, name))
			return true;
	return false;
}

#define MERGE(dst, src, weights)                                                                   \
	for (size_t k_ = 0; k_ < (src).n; k_++) {                                                  \
		struct conf_track t_ = (src).items[k_];                                            \
		struct conf_track *p_;                                                             \
		if (has_track((dst).items, (dst).n, t_.name) || !(p_ = VEC_PUSH(&(dst))))          \
			continue;                                                                  \
		if (!(weights)) {                                                                  \
			t_.weight = 0;                                                             \
			t_.has_weight = true;                                                      \
		}                                                                                  \
		*p_ = t_;                                                                          \
	}

/* vrrp_sync_group: the group's tracked objects become each member's, with
 * weight 0 (Fault) unless sync_group_tracking_weight. For the daemon only:
 * the config check and dump keep them where they were written. Then the
 * names tracked are indexed for conf_tracked. */
void conf_sync_merge_tracking(struct conf *c)
{
	conf_statics_merge_tracking(c);
	for (size_t i = 0; i < c->sync_groups.n; i++) {
		const struct conf_sync_group *g = &c->sync_groups.items[i];
		bool w = g->sync_group_tracking_weight;
		for (size_t m = 0; m < g->members.n; m++) {
			struct conf_instance *in =
			    (struct conf_instance *)conf_find_instance(c, g->members.items[m]);
			if (!in)
				continue;
			for (int k = 0; k < CONF_TRACK_KINDS; k++)
				MERGE(in->tracks[k], g->tracks[k], w);
		}
	}
	c->tracked_indexed = true;
	for (size_t i = 0; i < c->instances.n; i++)
		for (int k = 0; k < CONF_TRACK_KINDS; k++)
			for (size_t t = 0; t < c->instances.items[i].tracks[k].n; t++)
				if (strmap_put(&c->tracked_names[k],
				               c->instances.items[i].tracks[k].items[t].name,
				               1) < 0)
					c->tracked_indexed = false;
}

bool conf_listen_parse(const char *s, struct addr *a, int *port)
{
	char host[ADDR_STRLEN + 2] = "127.0.0.1", *end;
	const char *colon = strrchr(s, ':'), *p = colon ? colon + 1 : s;
	size_t n = colon ? (size_t)(colon - s) : 0;
	struct addr tmp;
	long v;

	if (colon && s[0] == '[' && n >= 2 && s[n - 1] == ']')
		s++, n -= 2; /* [::1]:PORT */
	else if (colon && memchr(s, ':', n))
		return false; /* IPv6 without brackets */
	if (colon && (n == 0 || n >= sizeof(host)))
		return false;
	if (colon)
		memcpy(host, s, n), host[n] = 0;
	v = strtol(p, &end, 10);
	if (end == p || *end || v < 1 || v > 65535 || !addr_parse(host, &tmp))
		return false;
	if (a)
		*a = tmp;
	if (port)
		*port = (int)v;
	return true;
}

bool conf_cpu_list(const char *s, cpu_set_t *set)
{
	char *copy = strdup(s), *save = NULL;
	bool ok = copy && *s;

	if (set)
		CPU_ZERO(set);
	for (char *w = copy ? strtok_r(copy, ",", &save) : NULL; ok && w;
	     w = strtok_r(NULL, ",", &save)) {
		char *end;
		long a = strtol(w, &end, 10), b = a;
		if (end == w || a < 0)
			ok = false;
		else if (*end == '-')
			b = strtol(end + 1, &end, 10);
		if (*end || b < a || b >= CPU_SETSIZE)
			ok = false;
		for (long c = a; ok && set && c <= b; c++)
			CPU_SET((int)c, set);
	}
	free(copy);
	return ok;
}
