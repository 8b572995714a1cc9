/*
 * confdump.c: the canonical form of a parsed config (--print-conf).
 *
 * Fixed order, one statement per line, four-space indents. The output is
 * itself a config: parsing it and dumping again gives the same bytes. Scalar
 * keywords are printed from the same tables the parser uses.
 */
#include <stdlib.h>
#include <string.h>
#include <linux/fib_rules.h>
#include <linux/rtnetlink.h>

#include "conf/confdump.h"
#include "conf/bfdconf.h"
#include "conf/keywords.h"
#include "conf/routeopts.h"

#define CFIELD(obj, k, T) ((const T *)((const char *)(obj) + (k)->off))

static void ind(FILE *f, int indent)
{
	fprintf(f, "%*s", indent * 4, "");
}

/* A value from an unquoted word may hold '"' but no blank; a quoted one
 * may hold blanks but no '"'. Print each the way it was read. */
void dump_quoted(FILE *f, const char *s)
{
	if (strchr(s, '"'))
		fputs(s, f);
	else
		fprintf(f, "\"%s\"", s);
}

void dump_word(FILE *f, const char *s)
{
	if (!*s || strpbrk(s, " \t\n\r\f\v{}") || strchr("#!", s[0]) || !strcmp(s, "include"))
		dump_quoted(f, s);
	else
		fputs(s, f);
}

void dump_usec(FILE *f, uint64_t us)
{
	char frac[8];
	int n;

	fprintf(f, "%llu", (unsigned long long)(us / 1000000));
	if (us % 1000000 == 0)
		return;
	n = snprintf(frac, sizeof(frac), "%06llu", (unsigned long long)(us % 1000000));
	while (n > 0 && frac[n - 1] == '0')
		frac[--n] = '\0';
	fprintf(f, ".%s", frac);
}

static void dump_cmd(FILE *f, const char *name, const struct conf_cmd *c, int indent)
{
	if (!c->cmd)
		return;
	ind(f, indent);
	fprintf(f, "%s ", name);
	dump_quoted(f, c->cmd);
	if (c->user) {
		fputc(' ', f);
		dump_word(f, c->user);
	}
	if (c->group) {
		fputc(' ', f);
		dump_word(f, c->group);
	}
	fputc('\n', f);
}

static void dump_scalar(FILE *f, const struct kw *k, const void *obj, int indent)
{
	char buf[ADDR_STRLEN];

	switch (k->type) {
	case A_FLAG:
	case A_BOOLOPT:
		if (*CFIELD(obj, k, bool))
			ind(f, indent), fprintf(f, "%s\n", k->name);
		break;
	case A_TRI:
		if (*CFIELD(obj, k, enum conf_tristate) != CONF_UNSET)
			ind(f, indent),
			    fprintf(f, "%s %s\n", k->name,
			            *CFIELD(obj, k, enum conf_tristate) ? "true" : "false");
		break;
	case A_INT:
		if ((k->flags & KW_SKIP_NEG) && *CFIELD(obj, k, int) < 0)
			break;
		if (*CFIELD(obj, k, int) == 0 && k->min > 0)
			break;
		ind(f, indent), fprintf(f, "%s %d\n", k->name, *CFIELD(obj, k, int));
		break;
	case A_USEC:
	case A_SSEC:
		if (k->type == A_SSEC && *CFIELD(obj, k, int64_t) < 0)
			break;
		ind(f, indent), fprintf(f, "%s ", k->name);
		dump_usec(f, k->type == A_USEC ? *CFIELD(obj, k, uint64_t)
		                               : (uint64_t)*CFIELD(obj, k, int64_t));
		fputc('\n', f);
		break;
	case A_STR:
		if (*CFIELD(obj, k, char *)) {
			ind(f, indent), fprintf(f, "%s ", k->name);
			dump_word(f, *CFIELD(obj, k, char *));
			fputc('\n', f);
		}
		break;
	case A_NAME:
	case A_IFNAME:
		if (*CFIELD(obj, k, char)) {
			ind(f, indent), fprintf(f, "%s ", k->name);
			dump_word(f, CFIELD(obj, k, char));
			fputc('\n', f);
		}
		break;
	case A_ADDR:
		if (addr_is_set(CFIELD(obj, k, struct addr)))
			ind(f, indent), fprintf(f, "%s %s\n", k->name,
			                        addr_ntop(CFIELD(obj, k, struct addr), buf));
		break;
	case A_CMD:
		dump_cmd(f, k->name, CFIELD(obj, k, struct conf_cmd), indent);
		break;
	default:
		break;
	}
}

static void dump_table_but(FILE *f, const struct kw *tab, const void *obj, int indent,
                           unsigned skip)
{
	for (const struct kw *k = tab; k->name; k++) {
		if (k->flags & (KW_NODUMP | skip))
			continue;
		if (k->dump)
			k->dump(f, k, obj, indent);
		else
			dump_scalar(f, k, obj, indent);
	}
}

void dump_table(FILE *f, const struct kw *tab, const void *obj, int indent)
{
	dump_table_but(f, tab, obj, indent, 0);
}

char *conf_instance_fixed(const struct conf_instance *in)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	dump_word(f, in->name);
	fputc('\n', f);
	dump_table_but(f, kw_instance, in, 1, KW_LIVE);
	if (fclose(f)) {
		free(buf);
		return NULL;
	}
	return buf;
}

static const char *scope_name(int scope)
{
	switch (scope) {
	case RT_SCOPE_UNIVERSE:
		return "global";
	case RT_SCOPE_SITE:
		return "site";
	case RT_SCOPE_LINK:
		return "link";
	case RT_SCOPE_HOST:
		return "host";
	case RT_SCOPE_NOWHERE:
		return "nowhere";
	}
	return NULL;
}

static void dump_scope(FILE *f, int scope)
{
	const char *n = scope_name(scope);

	if (n)
		fprintf(f, " scope %s", n);
	else if (scope >= 0)
		fprintf(f, " scope %d", scope);
}

static void dump_prefix(FILE *f, const struct addr *a, int len)
{
	char buf[ADDR_STRLEN];

	fputs(addr_ntop(a, buf), f);
	if (len >= 0)
		fprintf(f, "/%d", len);
}

static void open_block(FILE *f, const char *name, int indent)
{
	ind(f, indent);
	fprintf(f, "%s {\n", name);
}

static void close_block(FILE *f, int indent)
{
	ind(f, indent);
	fputs("}\n", f);
}

void conf_dump_vip(FILE *f, const struct conf_vip *x)
{
	char buf[ADDR_STRLEN];

	dump_prefix(f, &x->addr, x->prefixlen);
	if (addr_is_set(&x->brd))
		fprintf(f, " brd %s", addr_ntop(&x->brd, buf));
	if (x->dev[0])
		fprintf(f, " dev %s", x->dev);
	dump_scope(f, x->scope);
	if (x->label[0])
		fprintf(f, " label %s", x->label);
	if (addr_is_set(&x->peer))
		fputs(" peer ", f), dump_prefix(f, &x->peer, x->peer_prefixlen);
	fprintf(f, "%s%s%s%s%s%s%s", x->home ? " home" : "", x->nodad ? " -nodad" : "",
	        x->mngtmpaddr ? " mngtmpaddr" : "", x->noprefixroute ? " noprefixroute" : "",
	        x->autojoin ? " autojoin" : "", x->no_track ? " no_track" : "",
	        x->use_vmac ? " use_vmac" : "");
	if (x->preferred_lft == -2)
		fputs(" preferred_lft forever", f);
	else if (x->preferred_lft >= 0)
		fprintf(f, " preferred_lft %lld", (long long)x->preferred_lft);
	if (x->track_group[0])
		fprintf(f, " track_group %s", x->track_group);
}

void dump_vips(FILE *f, const struct kw *k, const void *obj, int indent)
{
	const VEC(struct conf_vip) *v = (const void *)((const char *)obj + k->off);

	if (!v->n)
		return;
	open_block(f, k->name, indent);
	for (size_t i = 0; i < v->n; i++) {
		ind(f, indent + 1);
		conf_dump_vip(f, &v->items[i]);
		fputc('\n', f);
	}
	close_block(f, indent);
}

static const char *route_type_name(int t)
{
	switch (t) {
	case RTN_BLACKHOLE:
		return "blackhole";
	case RTN_UNREACHABLE:
		return "unreachable";
	case RTN_PROHIBIT:
		return "prohibit";
	case RTN_THROW:
		return "throw";
	case RTN_LOCAL:
		return "local";
	}
	return NULL;
}

void conf_dump_route(FILE *f, const struct conf_route *r)
{
	char buf[ADDR_STRLEN];

	if (route_type_name(r->type))
		fprintf(f, "%s ", route_type_name(r->type));
	if (addr_is_set(&r->src))
		fprintf(f, "src %s ", addr_ntop(&r->src, buf));
	dump_prefix(f, &r->dst, r->dst_len);
	if (addr_is_set(&r->via))
		fprintf(f, " via %s", addr_ntop(&r->via, buf));
	if (addr_is_set(&r->or_via))
		fprintf(f, " or %s", addr_ntop(&r->or_via, buf));
	if (r->dev[0])
		fprintf(f, " dev %s", r->dev);
	dump_scope(f, r->scope);
	if (r->table)
		fprintf(f, " table %u", r->table);
	if (r->metric >= 0)
		fprintf(f, " metric %lld", (long long)r->metric);
	if (r->protocol >= 0)
		fprintf(f, " protocol %d", r->protocol);
	dump_route_extra(f, r);
	fprintf(f, "%s%s", r->onlink ? " onlink" : "", r->no_track ? " no_track" : "");
	if (r->track_group[0])
		fprintf(f, " track_group %s", r->track_group);
}

void dump_routes(FILE *f, const struct kw *k, const void *obj, int indent)
{
	const VEC(struct conf_route) *v = (const void *)((const char *)obj + k->off);

	if (!v->n)
		return;
	open_block(f, k->name, indent);
	for (size_t i = 0; i < v->n; i++) {
		ind(f, indent + 1);
		conf_dump_route(f, &v->items[i]);
		fputc('\n', f);
	}
	close_block(f, indent);
}

void conf_dump_rule(FILE *f, const struct conf_rule *r)
{
	fputs(r->invert ? "not" : "", f);
	const char *sep = r->invert ? " " : "";
	if (r->from_len >= 0 || addr_is_set(&r->from)) { /* "from all" has length 0 */
		fprintf(f, "%sfrom ", sep), sep = " ";
		if (addr_is_set(&r->from))
			dump_prefix(f, &r->from, r->from_len);
		else
			fputs("all", f);
	}
	if (r->to_len >= 0 || addr_is_set(&r->to)) {
		fprintf(f, "%sto ", sep), sep = " ";
		if (addr_is_set(&r->to))
			dump_prefix(f, &r->to, r->to_len);
		else
			fputs("all", f);
	}
	if (r->iif[0])
		fprintf(f, "%siif %s", sep, r->iif), sep = " ";
	if (r->oif[0])
		fprintf(f, "%soif %s", sep, r->oif), sep = " ";
	if (r->fwmark >= 0) {
		fprintf(f, "%sfwmark 0x%llx", sep, (long long)r->fwmark), sep = " ";
		if (r->fwmask >= 0)
			fprintf(f, "/0x%llx", (long long)r->fwmask);
	}
	if (r->priority >= 0)
		fprintf(f, "%spriority %lld", sep, (long long)r->priority), sep = " ";
	if (r->table)
		fprintf(f, "%stable %u", sep, r->table), sep = " ";
	if (r->action == FR_ACT_BLACKHOLE)
		fprintf(f, "%sblackhole", sep), sep = " ";
	else if (r->action == FR_ACT_UNREACHABLE)
		fprintf(f, "%sunreachable", sep), sep = " ";
	else if (r->action == FR_ACT_PROHIBIT)
		fprintf(f, "%sprohibit", sep), sep = " ";
	dump_rule_extra(f, r);
	fprintf(f, "%s", r->no_track ? " no_track" : "");
	if (r->track_group[0])
		fprintf(f, " track_group %s", r->track_group);
}

void dump_rules(FILE *f, const struct kw *k, const void *obj, int indent)
{
	const VEC(struct conf_rule) *v = (const void *)((const char *)obj + k->off);

	if (!v->n)
		return;
	open_block(f, k->name, indent);
	for (size_t i = 0; i < v->n; i++) {
		ind(f, indent + 1);
		conf_dump_rule(f, &v->items[i]);
		fputc('\n', f);
	}
	close_block(f, indent);
}

void dump_tracks(FILE *f, const struct kw *k, const void *obj, int indent)
{
	const VEC(struct conf_track) *v = (const void *)((const char *)obj + k->off);

	if (!v->n)
		return;
	open_block(f, k->name, indent);
	for (size_t i = 0; i < v->n; i++) {
		ind(f, indent + 1);
		dump_word(f, v->items[i].name);
		if (v->items[i].has_weight)
			fprintf(f, " weight %d", v->items[i].weight);
		fputs(v->items[i].reverse ? " reverse\n" : "\n", f);
	}
	close_block(f, indent);
}

void dump_peers(FILE *f, const struct kw *k, const void *obj, int indent)
{
	const struct conf_instance *in = obj;
	char buf[ADDR_STRLEN];

	if (!in->unicast_peers.n)
		return;
	open_block(f, k->name, indent);
	for (size_t i = 0; i < in->unicast_peers.n; i++) {
		const struct conf_unicast_peer *p = &in->unicast_peers.items[i];
		ind(f, indent + 1);
		fputs(addr_ntop(&p->addr, buf), f);
		if (p->min_ttl >= 0)
			fprintf(f, " min_ttl %d", p->min_ttl);
		if (p->max_ttl >= 0)
			fprintf(f, " max_ttl %d", p->max_ttl);
		fputc('\n', f);
	}
	close_block(f, indent);
}

void dump_paths(FILE *f, const struct kw *k, const void *obj, int indent)
{
	const struct conf_instance *in = obj;
	char buf[ADDR_STRLEN];

	if (!in->paths.n)
		return;
	open_block(f, k->name, indent);
	for (size_t i = 0; i < in->paths.n; i++) {
		const struct conf_path *p = &in->paths.items[i];
		ind(f, indent + 1);
		fputs(p->ifname, f);
		if (addr_is_set(&p->peer))
			fprintf(f, " peer %s", addr_ntop(&p->peer, buf));
		if (addr_is_set(&p->src))
			fprintf(f, " src %s", addr_ntop(&p->src, buf));
		fputc('\n', f);
	}
	close_block(f, indent);
}

void dump_members(FILE *f, const struct kw *k, const void *obj, int indent)
{
	const VEC(char *) *m = (const void *)((const char *)obj + k->off);

	open_block(f, k->name, indent);
	for (size_t i = 0; i < m->n; i++) {
		ind(f, indent + 1);
		dump_word(f, m->items[i]);
		fputc('\n', f);
	}
	close_block(f, indent);
}

void dump_state(FILE *f, const struct kw *k, const void *obj, int indent)
{
	const struct conf_instance *in = obj;

	if (in->state != CONF_STATE_UNSET)
		ind(f, indent),
		    fprintf(f, "state %s\n", in->state == CONF_STATE_MASTER ? "MASTER" : "BACKUP");
}

void dump_auth(FILE *f, const struct kw *k, const void *obj, int indent)
{
	const struct conf_instance *in = obj;

	if (in->auth_type == CONF_AUTH_NONE)
		return;
	open_block(f, "authentication", indent);
	ind(f, indent + 1);
	fprintf(f, "auth_type %s\n", in->auth_type == CONF_AUTH_PASS ? "PASS" : "AH");
	if (in->auth_pass[0]) {
		ind(f, indent + 1);
		fputs("auth_pass ", f);
		dump_word(f, in->auth_pass);
		fputc('\n', f);
	}
	close_block(f, indent);
}

void dump_accept(FILE *f, const struct kw *k, const void *obj, int indent)
{
	const struct conf_instance *in = obj;

	if (in->accept != CONF_UNSET)
		ind(f, indent), fputs(in->accept ? "accept\n" : "no_accept\n", f);
}

void dump_weight(FILE *f, const struct kw *k, const void *obj, int indent)
{
	const int *w = CFIELD(obj, k, int);
	const bool *rev = (const bool *)((const char *)obj + k->off + sizeof(int));

	ind(f, indent);
	fprintf(f, "weight %d%s\n", *w, *rev ? " reverse" : "");
}

void dump_umask(FILE *f, const struct kw *k, const void *obj, int indent)
{
	const struct conf_global *g = obj;

	if (g->umask >= 0)
		ind(f, indent), fprintf(f, "umask 0%03o\n", (unsigned)g->umask);
}

void dump_notify_deleted(FILE *f, const struct kw *k, const void *obj, int indent)
{
	const struct conf_instance *in = obj;

	if (in->notify.deleted.cmd)
		dump_cmd(f, "notify_deleted", &in->notify.deleted, indent);
	else if (in->notify.deleted_set)
		ind(f, indent), fprintf(f, "notify_deleted\n");
}

void dump_use_vmac(FILE *f, const struct kw *k, const void *obj, int indent)
{
	const struct conf_instance *in = obj;

	if (!in->use_vmac)
		return;
	ind(f, indent);
	fprintf(f, "use_vmac%s%s\n", in->vmac_name[0] ? " " : "", in->vmac_name);
}

void dump_script_user(FILE *f, const struct kw *k, const void *obj, int indent)
{
	const struct conf_global *g = obj;

	if (!g->script_user)
		return;
	ind(f, indent);
	fputs("script_user ", f);
	dump_word(f, g->script_user);
	if (g->script_group)
		fputc(' ', f), dump_word(f, g->script_group);
	fputc('\n', f);
}

void dump_param_match(FILE *f, const struct kw *k, const void *obj, int indent)
{
	const struct conf_track_process *tp = obj;
	static const char *const names[] = {"", "param_match initial", "param_match partial",
	                                    "param_match"};

	if (tp->param_match != PM_NONE)
		ind(f, indent), fprintf(f, "%s\n", names[tp->param_match]);
}

void dump_init_file(FILE *f, const struct kw *k, const void *obj, int indent)
{
	const struct conf_track_file *tf = obj;

	if (!tf->init_file)
		return;
	ind(f, indent);
	fprintf(f, "init_file %lld%s\n", (long long)tf->init_value,
	        tf->init_overwrite ? " overwrite" : "");
}

static void dump_named(FILE *f, const char *what, const char *name)
{
	fprintf(f, "\n%s ", what);
	dump_word(f, name);
	fputs(" {\n", f);
}

static void dump_if_delays(FILE *f, const struct conf *c)
{
	if (!c->if_delays.n)
		return;
	fputs("interface_up_down_delays {\n", f);
	for (size_t i = 0; i < c->if_delays.n; i++) {
		const struct conf_if_delay *x = &c->if_delays.items[i];
		fprintf(f, "    %s ", x->ifname);
		dump_usec(f, (uint64_t)x->down_us);
		fputc(' ', f);
		dump_usec(f, (uint64_t)x->up_us);
		fputc('\n', f);
	}
	fputs("}\n", f);
}

static void dump_statics(FILE *f, const struct conf *c)
{
	dump_if_delays(f, c);
	for (size_t i = 0; i < c->garp_groups.n; i++) {
		fputs("garp_group {\n", f);
		dump_table(f, kw_garp_group, &c->garp_groups.items[i], 1);
		fputs("}\n", f);
	}
	for (size_t i = 0; i < c->track_groups.n; i++) {
		dump_named(f, "track_group", c->track_groups.items[i].name);
		dump_table(f, kw_track_group, &c->track_groups.items[i], 1);
		fputs("}\n", f);
	}
	for (const struct kw *k = kw_top; k->name; k++)
		if (k->fn && !strncmp(k->name, "static_", 7))
			(!strcmp(k->name, "static_routes")  ? dump_routes
			 : !strcmp(k->name, "static_rules") ? dump_rules
			                                    : dump_vips)(f, k, &c->statics, 0);
}

void conf_dump(const struct conf *c, FILE *f)
{
	dump_table(f, kw_top, &c->global, 0); /* net_namespace */
	fputs("global_defs {\n", f);
	dump_table(f, kw_global, &c->global, 1);
	fputs("}\n", f);
	dump_statics(f, c);
	for (size_t i = 0; i < c->scripts.n; i++) {
		const struct conf_script *s = &c->scripts.items[i];
		dump_named(f, "vrrp_script", s->name);
		if (s->cmd.cmd)
			fputs("    script ", f), dump_quoted(f, s->cmd.cmd), fputc('\n', f);
		dump_table(f, kw_script, s, 1);
		if (s->cmd.user) {
			fputs("    user ", f);
			dump_word(f, s->cmd.user);
			if (s->cmd.group)
				fputc(' ', f), dump_word(f, s->cmd.group);
			fputc('\n', f);
		}
		fputs("}\n", f);
	}
	for (size_t i = 0; i < c->track_files.n; i++) {
		dump_named(f, "vrrp_track_file", c->track_files.items[i].name);
		dump_table(f, kw_track_file, &c->track_files.items[i], 1);
		fputs("}\n", f);
	}
	for (size_t i = 0; i < c->track_processes.n; i++) {
		const struct conf_track_process *tp = &c->track_processes.items[i];
		dump_named(f, "vrrp_track_process", tp->name);
		if (tp->process) {
			fputs("    process ", f);
			dump_word(f, tp->process);
			if (tp->param_match_args)
				fprintf(f, " %s", tp->param_match_args);
			fputc('\n', f);
		}
		dump_table(f, kw_track_process, tp, 1);
		fputs("}\n", f);
	}
	for (size_t i = 0; i < c->bfds.n; i++) {
		dump_named(f, "bfd_instance", c->bfds.items[i].name);
		dump_table(f, kw_bfd, &c->bfds.items[i], 1);
		fputs("}\n", f);
	}
	for (size_t i = 0; i < c->sync_groups.n; i++) {
		dump_named(f, "vrrp_sync_group", c->sync_groups.items[i].name);
		dump_table(f, kw_sync_group, &c->sync_groups.items[i], 1);
		fputs("}\n", f);
	}
	for (size_t i = 0; i < c->instances.n; i++) {
		dump_named(f, "vrrp_instance", c->instances.items[i].name);
		dump_table(f, kw_instance, &c->instances.items[i], 1);
		fputs("}\n", f);
	}
}
