/*
 * keywords.c: the keyword tables of keepalived.conf's VRRP side (global_defs,
 * vrrp_instance, vrrp_script, track_file, vrrp_track_process,
 * vrrp_sync_group; bfd_instance's is in bfdconf.c) and the handlers of the
 * keywords that parse their own arguments. One table drives both parsing
 * (parse.c) and the dump (confdump.c); a keepalived keyword vipd does not do
 * is listed as A_UNSUPPORTED, so it is warned about by name.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "conf/keywords.h"
#include "conf/bfdconf.h"
#include "conf/confdump.h"
#include "conf/grammar.h"
#include "conf/parse.h"

/* ---- custom keywords ---- */

static void kw_state(struct pctx *p, const struct kw *k, void *obj, const struct tok *kw)
{
	struct conf_instance *in = obj;
	char *s = parse_need_arg(p, kw_instance, kw, "MASTER or BACKUP");

	if (!s)
		return;
	if (!strcasecmp(s, "MASTER"))
		in->state = CONF_STATE_MASTER;
	else if (!strcasecmp(s, "BACKUP"))
		in->state = CONF_STATE_BACKUP;
	else
		ERR(p, &kw->pos, "state: '%s' is not MASTER or BACKUP", s);
	free(s);
}

static void kw_priority(struct pctx *p, const struct kw *k, void *obj, const struct tok *kw)
{
	struct conf_instance *in = obj;
	int errs = p->c->errors;

	parse_set_value(p, kw_instance, k, obj, kw);
	in->priority_set = errs == p->c->errors;
}

static const struct kw kw_auth[];

static void kw_auth_type(struct pctx *p, const struct kw *k, void *obj, const struct tok *kw)
{
	struct conf_instance *in = obj;
	char *s = parse_need_arg(p, kw_auth, kw, "PASS or AH");

	if (!s)
		return;
	if (!strcasecmp(s, "PASS"))
		in->auth_type = CONF_AUTH_PASS;
	else if (!strcasecmp(s, "AH"))
		in->auth_type = CONF_AUTH_AH;
	else
		ERR(p, &kw->pos, "auth_type: '%s' is not PASS or AH", s);
	free(s);
}

static void kw_auth_pass(struct pctx *p, const struct kw *k, void *obj, const struct tok *kw)
{
	struct conf_instance *in = obj;
	char *s = parse_need_arg(p, kw_auth, kw, "a password");

	if (!s)
		return;
	if (strlen(s) > CONF_AUTH_PASS_MAX)
		WARN(p, &kw->pos, "auth_pass is longer than %d characters; only '%.8s' is used",
		     CONF_AUTH_PASS_MAX, s);
	snprintf(in->auth_pass, sizeof(in->auth_pass), "%s", s);
	free(s);
}

static const struct kw kw_auth[] = {
    {"auth_type", A_CUSTOM, .fn = kw_auth_type},
    {"auth_pass", A_CUSTOM, .fn = kw_auth_pass},
    {NULL},
};

static void kw_authentication(struct pctx *p, const struct kw *k, void *obj, const struct tok *kw)
{
	parse_sub_block(p, kw_auth, obj, kw);
}

static void kw_accept(struct pctx *p, const struct kw *k, void *obj, const struct tok *kw)
{
	((struct conf_instance *)obj)->accept = strcmp(k->name, "accept") ? CONF_NO : CONF_YES;
}

static void kw_preempt(struct pctx *p, const struct kw *k, void *obj, const struct tok *kw)
{
	((struct conf_instance *)obj)->nopreempt = false;
}

static void kw_use_vmac(struct pctx *p, const struct kw *k, void *obj, const struct tok *kw)
{
	struct conf_instance *in = obj;
	const struct tok *t = parse_take_arg(p, kw_instance, kw, true);

	in->use_vmac = true;
	if (t) {
		struct srcpos pos = t->pos;
		char *n = strdup(t->text);
		parse_set_ifname(p, in->vmac_name, n, &pos);
		free(n);
	}
}

static void kw_debug(struct pctx *p, const struct kw *k, void *obj, const struct tok *kw)
{
	const struct tok *t = parse_take_arg(p, kw_instance, kw, true);
	long n;

	if (t && !parse_long(t->text, 0, 4, &n))
		ERR(p, &t->pos, "debug: '%s' is not a level from 0 to 4", t->text);
	else
		WARN(p, &kw->pos, "'debug' has no effect (%s)", k->why);
}

/* umask 022, or keepalived's names: IWGRP|IWOTH ... */
static void kw_umask(struct pctx *p, const struct kw *k, void *obj, const struct tok *kw)
{
	static const struct {
		const char *name;
		int bit;
	} bits[] = {{"IRUSR", 0400}, {"IWUSR", 0200}, {"IXUSR", 0100},
	            {"IRGRP", 040},  {"IWGRP", 020},  {"IXGRP", 010},
	            {"IROTH", 04},   {"IWOTH", 02},   {"IXOTH", 01}};
	char *s = parse_need_arg(p, kw_global, kw, "a mask"), *save = NULL;
	int m = 0;
	long n;

	if (!s)
		return;
	if (s[0] >= '0' && s[0] <= '9') { /* octal, as umask(1) takes it */
		char *end;
		n = strtol(s, &end, 8);
		if (*end || n < 0 || n > 0777)
			ERR(p, &kw->pos, "umask: '%s' is not an octal mask (022) or IRUSR..IXOTH",
			    s);
		else
			((struct conf_global *)obj)->umask = (int)n;
		free(s);
		return;
	}
	for (char *w = strtok_r(s, "|", &save); w; w = strtok_r(NULL, "|", &save)) {
		size_t i = 0;
		while (i < sizeof(bits) / sizeof(bits[0]) && strcmp(bits[i].name, w))
			i++;
		if (i == sizeof(bits) / sizeof(bits[0])) {
			ERR(p, &kw->pos, "umask: '%s' is not an octal mask (022) or IRUSR..IXOTH",
			    w);
			free(s);
			return;
		}
		m |= bits[i].bit;
	}
	((struct conf_global *)obj)->umask = m;
	free(s);
}

/* vrrp_cpu_affinity 0-3,6: checked here, applied at start (daemon.c). */
static void kw_cpu_affinity(struct pctx *p, const struct kw *k, void *obj, const struct tok *kw)
{
	struct conf_global *g = obj;
	char *s = parse_need_arg(p, kw_global, kw, "a CPU list");

	if (!s)
		return;
	if (!conf_cpu_list(s, NULL)) {
		ERR(p, &kw->pos, "vrrp_cpu_affinity: '%s' is not a CPU list (0-3,6)", s);
		free(s);
		return;
	}
	free(g->cpu_affinity);
	g->cpu_affinity = s;
}

/* enable_snmp_rfc: keepalived's RFC 2787 and RFC 6527 MIBs; vipd serves
 * the second only */
static void kw_snmp_rfc(struct pctx *p, const struct kw *k, void *obj, const struct tok *kw)
{
	((struct conf_global *)obj)->snmp_rfc = true;
	WARN(p, &kw->pos,
	     "enable_snmp_rfc: VRRPV3-MIB (RFC 6527) is served, VRRP-MIB (RFC 2787) is not");
}

/* snmp_socket: unix:PATH, a PATH, udp:HOST:PORT or tcp:HOST:PORT (keepalived's
 * forms; parsed at start as net-snmp does, by linux/axsock.c) */
static void kw_snmp_socket(struct pctx *p, const struct kw *k, void *obj, const struct tok *kw)
{
	struct conf_global *g = obj;
	char *s = parse_need_arg(p, kw_global, kw, "an AgentX address");

	if (!s)
		return;
	if (!*s || strchr(s, ' ')) {
		ERR(p, &kw->pos,
		    "snmp_socket: '%s' is not unix:PATH, PATH, udp:HOST:PORT or "
		    "tcp:HOST:PORT",
		    s);
		free(s);
		return;
	}
	free(g->snmp_socket);
	g->snmp_socket = s;
}

/* metrics_listen [ADDR:]PORT (vipd): checked here, bound by the daemon */
static void kw_metrics_listen(struct pctx *p, const struct kw *k, void *obj, const struct tok *kw)
{
	struct conf_global *g = obj;
	char *s = parse_need_arg(p, kw_global, kw, "[ADDR:]PORT");

	if (!s)
		return;
	if (!conf_listen_parse(s, NULL, NULL)) {
		ERR(p, &kw->pos,
		    "metrics_listen: '%s' is not PORT, ADDR:PORT or [ADDR6]:PORT (port 1-65535)",
		    s);
		free(s);
		return;
	}
	free(g->metrics_listen);
	g->metrics_listen = s;
}

/* state_dump_file, stats_dump_file, json_dump_file PATH: a non-empty path,
 * as keepalived 2.4 requires */
static void kw_dump_file(struct pctx *p, const struct kw *k, void *obj, const struct tok *kw)
{
	char *s = parse_need_arg(p, kw_global, kw, "a path");
	char **f = FIELD(obj, k, char *);

	if (s && !*s) {
		ERR(p, &kw->pos, "%s requires a non-empty path", k->name);
		free(s);
		return;
	}
	if (s) {
		free(*f);
		*f = s;
	}
}

/* process_name / vrrp_process_name NAME: a comm is at most 15 characters;
 * a longer name is cut, with a warning, as keepalived cuts it. */
static void set_process_name(char **f, char *s)
{
	free(*f);
	*f = s;
}

static void kw_process_name(struct pctx *p, const struct kw *k, void *obj, const struct tok *kw)
{
	char *s = parse_need_arg(p, kw_global, kw, "a process name");

	if (!s)
		return;
	if (strlen(s) > CONF_COMM_MAX) {
		WARN(p, &kw->pos, "%s: '%s' is longer than %d characters; '%.*s' is used", k->name,
		     s, CONF_COMM_MAX, CONF_COMM_MAX, s);
		s[CONF_COMM_MAX] = '\0';
	}
	set_process_name(FIELD(obj, k, char *), s);
}

/* process_names: keepalived's default names for its children; vipd is the
 * VRRP one, keepalived_vrrp */
static void kw_process_names(struct pctx *p, const struct kw *k, void *obj, const struct tok *kw)
{
	char *s = strdup("keepalived_vrrp");

	if (!s)
		ERR(p, &kw->pos, "out of memory");
	else
		set_process_name(&((struct conf_global *)obj)->vrrp_process_name, s);
}

/* vmac_prefix: vmac names become PREFIX.VRID */
static void kw_vmac_prefix(struct pctx *p, const struct kw *k, void *obj, const struct tok *kw)
{
	struct conf_global *g = obj;
	char *s = parse_need_arg(p, kw_global, kw, "a name prefix");

	if (s && (!*s || strlen(s) >= sizeof(g->vmac_prefix) ||
	          strspn(s, "abcdefghijklmnopqrstuvwxyz"
	                    "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	                    "0123456789_-") != strlen(s)))
		ERR(p, &kw->pos, "vmac_prefix: '%s' is not 1 to %zu letters, digits, '_' or '-'", s,
		    sizeof(g->vmac_prefix) - 1);
	else if (s)
		snprintf(g->vmac_prefix, sizeof(g->vmac_prefix), "%s", s);
	free(s);
}

/* notify_deleted [SCRIPT]: DELETED instead of FAULT when a reload drops it */
static void kw_notify_deleted(struct pctx *p, const struct kw *k, void *obj, const struct tok *kw)
{
	struct conf_instance *in = obj;
	const struct tok *t = lex_peek(p->lx);
	static const struct kw cmd = {"notify_deleted", A_CMD,
	                              offsetof(struct conf_instance, notify.deleted)};

	in->notify.deleted_set = true;
	if (t->kind == TOK_WORD && tok_same_line(t, &kw->pos) &&
	    (t->quoted || !kw_lookup(kw_instance, t->text)))
		parse_set_value(p, kw_instance, &cmd, obj, kw);
}

/* max_auto_priority [N]: without N, the highest SCHED_RR priority (99). */
static void kw_max_auto_priority(struct pctx *p, const struct kw *k, void *obj,
                                 const struct tok *kw)
{
	struct conf_global *g = obj;
	const struct tok *t = lex_peek(p->lx);
	static const struct kw n = {"max_auto_priority", A_INT,
	                            offsetof(struct conf_global, max_auto_priority), -1, 99};

	g->max_auto_priority = 99;
	if (t->kind == TOK_WORD && tok_same_line(t, &kw->pos) && !kw_lookup(kw_global, t->text))
		parse_set_value(p, kw_global, &n, obj, kw);
}

static void dump_max_auto_priority(FILE *f, const struct kw *k, const void *obj, int indent)
{
	static const struct kw as_int[] = {{"max_auto_priority", A_INT,
	                                    offsetof(struct conf_global, max_auto_priority),
	                                    .flags = KW_SKIP_NEG},
	                                   {NULL}};

	dump_table(f, as_int, obj, indent);
}

/* random_seed N: ${_RANDOM} repeats from N (the lines after it). */
static void kw_random_seed(struct pctx *p, const struct kw *k, void *obj, const struct tok *kw)
{
	char *s = parse_need_arg(p, kw_global, kw, "a number");
	long n;

	if (s && parse_long(s, 0, UINT_MAX, &n))
		lex_seed(p->lx, (unsigned)n);
	else if (s)
		ERR(p, &kw->pos, "random_seed: '%s' is not a whole number from 0 to %u", s,
		    UINT_MAX);
	free(s);
}

/* keepalived: deprecated, means sync_group_tracking_weight */
static void kw_global_tracking(struct pctx *p, const struct kw *k, void *obj, const struct tok *kw)
{
	WARN(p, &kw->pos,
	     "'global_tracking' is deprecated: use track_interface, track_script and track_file on "
	     "the sync group; taken as sync_group_tracking_weight");
	*FIELD(obj, k, bool) = true;
}

static void kw_deprecated(struct pctx *p, const struct kw *k, void *obj, const struct tok *kw)
{
	WARN(p, &kw->pos, "'%s' is deprecated and has no effect", k->name);
}

_Static_assert(offsetof(struct conf_script, weight_reverse) ==
                   offsetof(struct conf_script, weight) + sizeof(int),
               "weight layout");
_Static_assert(offsetof(struct conf_track_file, weight_reverse) ==
                   offsetof(struct conf_track_file, weight) + sizeof(int),
               "weight layout");
_Static_assert(offsetof(struct conf_track_process, weight_reverse) ==
                   offsetof(struct conf_track_process, weight) + sizeof(int),
               "weight layout");
_Static_assert(offsetof(struct conf_bfd, weight_reverse) ==
                   offsetof(struct conf_bfd, weight) + sizeof(int),
               "weight layout");

/* garp_extra_if / vrrp_garp_extra_if [all] SECS (0-86400; 0: off); the old
 * names vmac_garp_intvl / vrrp_vmac_garp_intvl warned as deprecated. */
static void kw_garp_extra_if(struct pctx *p, const struct kw *k, void *obj, const struct tok *kw)
{
	struct conf_garp_extra *x = FIELD(obj, k, struct conf_garp_extra);
	bool all = false, have = false;
	long n = 0;

	if (strstr(k->name, "vmac_garp_intvl"))
		WARN(p, &kw->pos, "'%s' is deprecated: use %sgarp_extra_if", k->name,
		     k->name[0] == 'v' && k->name[1] == 'r' ? "vrrp_" : "");
	for (const struct tok *t = lex_peek(p->lx);
	     t->kind == TOK_WORD && tok_same_line(t, &kw->pos); t = lex_peek(p->lx)) {
		if (!t->quoted && !strcmp(t->text, "all")) {
			all = true;
		} else if (have) {
			break;
		} else {
			have = true;
			if (!parse_long(t->text, 0, 86400, &n))
				ERR(p, &t->pos,
				    "%s: '%s' is not a number of seconds from 0 to 86400", k->name,
				    t->text);
		}
		lex_next(p->lx);
	}
	if (!have)
		ERR(p, &kw->pos, "%s: the interval is missing", k->name);
	x->interval_s = (int)n;
	x->all = all;
}

static void dump_garp_extra_if(FILE *f, const struct kw *k, const void *obj, int indent)
{
	const struct conf_garp_extra *x = (const void *)((const char *)obj + k->off);

	if (x->interval_s >= 0)
		fprintf(f, "%*s%s%s %d\n", 4 * indent, "", k->name, x->all ? " all" : "",
		        x->interval_s);
}

/* timer_expired_backup [PRIORITY]: without it 254 (the quickest takeover);
 * thread_timer_expired is its old name. */
static void kw_timer_expired_backup(struct pctx *p, const struct kw *k, void *obj,
                                    const struct tok *kw)
{
	const struct tok *t = lex_peek(p->lx);
	static const struct kw n = {"timer_expired_backup", A_INT,
	                            offsetof(struct conf_instance, timer_expired_backup), 1, 254};

	if (!strcmp(k->name, "thread_timer_expired"))
		WARN(p, &kw->pos, "'thread_timer_expired' is deprecated: use timer_expired_backup");
	*FIELD(obj, k, int) = 254;
	if (t->kind == TOK_WORD && tok_same_line(t, &kw->pos) && !kw_lookup(kw_instance, t->text))
		parse_set_value(p, kw_instance, &n, obj, kw);
}

static void dump_timer_expired_backup(FILE *f, const struct kw *k, const void *obj, int indent)
{
	int v = *(const int *)((const char *)obj + k->off);

	if (v > 0)
		fprintf(f, "%*s%s %d\n", 4 * indent, "", k->name, v);
}

/* weight N [reverse] for vrrp_script, track_file, vrrp_track_process and
 * bfd_instance */
void kw_weight(struct pctx *p, const struct kw *k, void *obj, const struct tok *kw)
{
	static const struct kw rev[] = {{"reverse"}, {NULL}};
	long n;
	char *s = parse_need_arg(p, rev, kw, "a weight");

	if (s && !parse_long(s, k->min, k->max, &n))
		ERR(p, &kw->pos, "weight: '%s' is not a whole number from %ld to %ld", s, k->min,
		    k->max);
	else if (s)
		*FIELD(obj, k, int) = (int)n;
	free(s);
	const struct tok *t = lex_peek(p->lx);
	bool *reverse = (bool *)((char *)obj + k->off + sizeof(int));
	if (t->kind == TOK_WORD && tok_same_line(t, &kw->pos) && !strcmp(t->text, "reverse")) {
		lex_next(p->lx);
		*reverse = true;
	}
}

/* USER [GROUP] into *user / *group (global script_user, vrrp_script user). */
static void set_user_group(struct pctx *p, const struct kw *tab, const struct tok *kw, char **user,
                           char **group)
{
	char *u = parse_need_arg(p, tab, kw, "a user name");
	const struct tok *t;

	if (!u)
		return;
	free(*user);
	free(*group);
	*user = u;
	*group = (t = parse_take_arg(p, tab, kw, true)) ? strdup(t->text) : NULL;
}

static void kw_script_user(struct pctx *p, const struct kw *k, void *obj, const struct tok *kw)
{
	struct conf_global *g = obj;

	set_user_group(p, kw_global, kw, &g->script_user, &g->script_group);
}

static void kw_script_user_local(struct pctx *p, const struct kw *k, void *obj,
                                 const struct tok *kw)
{
	struct conf_script *s = obj;

	set_user_group(p, kw_script, kw, &s->cmd.user, &s->cmd.group);
}

static void kw_script_cmd(struct pctx *p, const struct kw *k, void *obj, const struct tok *kw)
{
	struct conf_script *s = obj;
	char *c = parse_need_arg(p, kw_script, kw, "a command");

	if (!c)
		return;
	free(s->cmd.cmd);
	s->cmd.cmd = c;
	s->cmd.pos = kw->pos;
}

static void kw_process(struct pctx *p, const struct kw *k, void *obj, const struct tok *kw)
{
	struct conf_track_process *tp = obj;
	char *name = parse_need_arg(p, kw_track_process, kw, "a process name");
	const struct tok *t;

	if (!name)
		return;
	free(tp->process);
	free(tp->param_match_args);
	tp->process = name;
	tp->param_match_args = NULL;
	while ((t = parse_take_arg(p, kw_track_process, kw, true))) {
		char *old = tp->param_match_args;
		bool q =
		    (t->quoted || !*t->text || strchr("#!", t->text[0])) && !strchr(t->text, '"');
		if (asprintf(&tp->param_match_args, q ? "%s%s\"%s\"" : "%s%s%s", old ? old : "",
		             old ? " " : "", t->text) < 0)
			tp->param_match_args = NULL;
		free(old);
	}
}

static void kw_param_match(struct pctx *p, const struct kw *k, void *obj, const struct tok *kw)
{
	struct conf_track_process *tp = obj;
	const struct tok *t = parse_take_arg(p, kw_track_process, kw, true);

	tp->param_match = PM_EXACT;
	if (!t)
		return;
	if (!strcmp(t->text, "initial"))
		tp->param_match = PM_INITIAL;
	else if (!strcmp(t->text, "partial"))
		tp->param_match = PM_PARTIAL;
	else
		ERR(p, &t->pos, "param_match: '%s' is not initial or partial", t->text);
}

static void kw_tp_delay(struct pctx *p, const struct kw *k, void *obj, const struct tok *kw)
{
	struct conf_track_process *tp = obj;

	parse_set_value(p, kw_track_process, k, obj, kw);
	tp->terminate_delay_us = tp->fork_delay_us = tp->delay_us;
}

static void kw_init_file(struct pctx *p, const struct kw *k, void *obj, const struct tok *kw)
{
	struct conf_track_file *tf = obj;
	const struct tok *t;
	long n;

	tf->init_file = true;
	while ((t = parse_take_arg(p, kw_track_file, kw, true))) {
		if (!strcmp(t->text, "overwrite"))
			tf->init_overwrite = true;
		else if (parse_long(t->text, -254, 254, &n))
			tf->init_value = n;
		else
			ERR(p, &t->pos, "init_file: '%s' is not a value or overwrite", t->text);
	}
}

/* ---- email alerts: smtp_server HOST [PORT], smtp_connect_timeout ---- */

/* An IP address, or a host name of letters, digits, '-' and '.'. */
static bool host_ok(const char *s)
{
	struct addr a;

	if (addr_parse(s, &a))
		return true;
	if (!*s || strlen(s) > 253)
		return false;
	return strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-.") ==
	       strlen(s);
}

static void kw_smtp_server(struct pctx *p, const struct kw *k, void *obj, const struct tok *kw)
{
	struct conf_global *g = obj;
	char *s = parse_need_arg(p, kw_global, kw, "an address or host name");
	const struct tok *t;
	long port = 0;

	if (!s)
		return;
	if ((t = parse_take_arg(p, kw_global, kw, true)) && !parse_long(t->text, 1, 65535, &port))
		ERR(p, &t->pos, "smtp_server: '%s' is not a port from 1 to 65535", t->text);
	if (!host_ok(s)) {
		ERR(p, &kw->pos, "smtp_server: '%s' is not an IP address or host name", s);
		free(s);
		return;
	}
	free(g->smtp_server);
	g->smtp_server = s;
	g->smtp_port = (int)port;
}

static void dump_smtp_server(FILE *f, const struct kw *k, const void *obj, int indent)
{
	const struct conf_global *g = obj;

	if (!g->smtp_server)
		return;
	fprintf(f, "%*ssmtp_server %s", indent * 4, "", g->smtp_server);
	if (g->smtp_port)
		fprintf(f, " %d", g->smtp_port);
	fputc('\n', f);
}

/* keepalived: 0 is taken as 1, with a warning */
static void kw_smtp_timeout(struct pctx *p, const struct kw *k, void *obj, const struct tok *kw)
{
	struct conf_global *g = obj;
	char *s = parse_need_arg(p, kw_global, kw, "a number of seconds");
	long n;

	if (!s)
		return;
	if (!parse_long(s, 0, 86400, &n))
		ERR(p, &kw->pos, "smtp_connect_timeout: '%s' is not a whole number from 0 to 86400",
		    s);
	else if (n == 0)
		WARN(p, &kw->pos, "smtp_connect_timeout must be greater than 0; 1 is used");
	else
		g->smtp_connect_timeout = (int)n;
	if (n == 0)
		g->smtp_connect_timeout = 1;
	free(s);
}

static void dump_emails(FILE *f, const struct kw *k, const void *obj, int indent)
{
	if (((const struct conf_global *)obj)->emails.n)
		dump_members(f, k, obj, indent);
}

#define LVS       "LVS/IPVS is outside vipd, which does VRRP only"
#define SNMP      "only VRRPV3-MIB (RFC 6527) is served: enable_snmp_rfcv3"
#define NOCHECKER "vipd has no health-checker process: LVS/IPVS is outside it"
#define NOBFDPROC "vipd has no BFD process: its BFD sessions run in its own event loop"
#define LINKBEAT  "vipd follows link state through netlink"
#define UNICAST_SRC                                                                                \
	"vipd always drops a unicast advert whose source is not one of the unicast_peer addresses"
#define BUFS                                                                                       \
	"vipd sizes its socket buffers itself (VRRP sockets 1 MiB, netlink 4 MiB, forced as root)"

#define GI(n, T, f, ...)                                                                           \
	{                                                                                          \
		n, T, offsetof(struct conf_global, f), __VA_ARGS__                                 \
	}
const struct kw kw_global[] = {
    GI("router_id", A_NAME, router_id),
    GI("vrrp_version", A_INT, vrrp_version, 2, 3),
    GI("vrrp_mcast_group4", A_ADDR, vrrp_mcast_group4, AF_INET),
    GI("vrrp_mcast_group6", A_ADDR, vrrp_mcast_group6, AF_INET6),
    GI("vrrp_garp_master_delay", A_SSEC, garp_master_delay_us, 0, 3600),
    GI("vrrp_garp_master_repeat", A_INT, garp_master_repeat, 1, 1000),
    GI("vrrp_garp_master_refresh", A_SSEC, garp_master_refresh_us, 0, 86400),
    GI("vrrp_garp_master_refresh_repeat", A_INT, garp_master_refresh_repeat, 1, 1000),
    GI("vrrp_garp_lower_prio_delay", A_SSEC, garp_lower_prio_delay_us, 0, 3600),
    GI("vrrp_garp_lower_prio_repeat", A_INT, garp_lower_prio_repeat, 0, 1000, .flags = KW_SKIP_NEG),
    GI("vrrp_garp_interval", A_SSEC, garp_interval_us, 0, 1),
    GI("vrrp_gna_interval", A_SSEC, gna_interval_us, 0, 1),
    GI("vrrp_lower_prio_no_advert", A_BOOLOPT, lower_prio_no_advert),
    GI("vrrp_higher_prio_send_advert", A_BOOLOPT, higher_prio_send_advert),
    GI("vrrp_strict", A_FLAG, vrrp_strict),
    GI("vipd_fast_master_start", A_FLAG, fast_master_start, .flags = KW_EXT),
    GI("vrrp_skip_check_adv_addr", A_FLAG, skip_check_adv_addr),
    {"vrrp_check_unicast_src", A_NOEFFECT, .why = UNICAST_SRC},
    GI("vrrp_startup_delay", A_USEC, startup_delay_us, 0, 3600),
    GI("enable_script_security", A_FLAG, enable_script_security),
    GI("script_user", A_CUSTOM, script_user, .fn = kw_script_user, .dump = dump_script_user),
    GI("notify_fifo", A_CMD, notify_fifo),
    GI("vrrp_notify_fifo", A_CMD, notify_fifo, .flags = KW_NODUMP),
    GI("notify_fifo_script", A_CMD, notify_fifo_script),
    GI("vrrp_notify_fifo_script", A_CMD, notify_fifo_script, .flags = KW_NODUMP),
    GI("vrrp_priority", A_INT, vrrp_priority, -20, 19),
    GI("vrrp_rt_priority", A_INT, vrrp_rt_priority, 0, 99),
    GI("vrrp_no_swap", A_FLAG, vrrp_no_swap),
    {"dynamic_interfaces", A_NOEFFECT,
     .why = "vipd always allows an interface that does not exist yet: the instance waits in "
            "Fault until it appears"},
    GI("max_auto_priority", A_CUSTOM, max_auto_priority, .fn = kw_max_auto_priority,
       .dump = dump_max_auto_priority),
    GI("min_auto_priority_delay", A_INT, min_auto_priority_delay_us, 1, 10000000),
    /* keepalived features vipd does not have: warned by name, with the reason */
    GI("notification_email", A_CUSTOM, emails, .fn = kw_group, .dump = dump_emails),
    GI("notification_email_from", A_STR, email_from),
    GI("smtp_server", A_CUSTOM, smtp_server, .fn = kw_smtp_server, .dump = dump_smtp_server),
    GI("smtp_helo_name", A_STR, smtp_helo_name),
    GI("smtp_connect_timeout", A_INT, smtp_connect_timeout, 1, 86400, .fn = kw_smtp_timeout),
    GI("smtp_alert", A_TRI, smtp_alert),
    GI("smtp_alert_vrrp", A_TRI, smtp_alert_vrrp),
    GI("no_email_faults", A_FLAG, no_email_faults),
    {"smtp_alert_checker", A_NOEFFECT, .why = NOCHECKER},
    {"lvs_id", A_UNSUPPORTED, .why = LVS},
    {"lvs_timeouts", A_UNSUPPORTED, .why = LVS},
    {"lvs_flush", A_UNSUPPORTED, .why = LVS},
    {"lvs_flush_on_stop", A_UNSUPPORTED, .why = LVS},
    {"lvs_flush_onstop", A_UNSUPPORTED, .why = LVS},
    {"lvs_sync_daemon", A_UNSUPPORTED, .why = LVS},
    {"lvs_notify_fifo", A_UNSUPPORTED, .why = LVS},
    {"lvs_notify_fifo_script", A_UNSUPPORTED, .why = LVS},
    {"lvs_netlink_cmd_rcv_bufs", A_UNSUPPORTED, .why = LVS},
    {"lvs_netlink_cmd_rcv_bufs_force", A_UNSUPPORTED, .why = LVS},
    {"lvs_netlink_monitor_rcv_bufs", A_UNSUPPORTED, .why = LVS},
    {"lvs_netlink_monitor_rcv_bufs_force", A_UNSUPPORTED, .why = LVS},
    {"nftables_ipvs", A_UNSUPPORTED, .why = LVS},
    {"nftables_ipvs_priority", A_UNSUPPORTED, .why = LVS},
    {"nftables_ipvs_start_fwmark", A_UNSUPPORTED, .why = LVS},
    {"rs_init_notifies", A_UNSUPPORTED, .why = LVS},
    {"no_checker_emails", A_UNSUPPORTED, .why = LVS},
    {"checker_log_all_failures", A_UNSUPPORTED, .why = LVS},
    {"checker_priority", A_NOEFFECT, .why = NOCHECKER},
    {"checker_no_swap", A_NOEFFECT, .why = NOCHECKER},
    {"checker_rt_priority", A_NOEFFECT, .why = NOCHECKER},
    {"checker_cpu_affinity", A_NOEFFECT, .why = NOCHECKER},
    {"checker_rlimit_rttime", A_NOEFFECT, .why = NOCHECKER},
    {"checker_rlimit_rtime", A_NOEFFECT, .why = NOCHECKER},
    {"checker_process_name", A_NOEFFECT, .why = NOCHECKER},
    {"lvs_process_name", A_NOEFFECT, .why = NOCHECKER},
    {"bfd_priority", A_NOEFFECT, .why = NOBFDPROC},
    {"bfd_no_swap", A_NOEFFECT, .why = NOBFDPROC},
    {"bfd_rt_priority", A_NOEFFECT, .why = NOBFDPROC},
    {"bfd_cpu_affinity", A_NOEFFECT, .why = NOBFDPROC},
    {"bfd_rlimit_rttime", A_NOEFFECT, .why = NOBFDPROC},
    {"bfd_rlimit_rtime", A_NOEFFECT, .why = NOBFDPROC},
    {"bfd_process_name", A_NOEFFECT, .why = NOBFDPROC},
    {"enable_snmp_vrrp", A_UNSUPPORTED, .why = SNMP},
    {"enable_snmp_keepalived", A_UNSUPPORTED, .why = SNMP},
    GI("enable_snmp_rfc", A_FLAG, snmp_rfc, .fn = kw_snmp_rfc),
    {"enable_snmp_rfcv2", A_UNSUPPORTED, .why = SNMP},
    GI("enable_snmp_rfcv3", A_FLAG, snmp_rfcv3),
    {"enable_snmp_checker", A_UNSUPPORTED, .why = NOCHECKER},
    GI("enable_traps", A_FLAG, snmp_traps),
    GI("snmp_socket", A_STR, snmp_socket, .fn = kw_snmp_socket),
    {"snmp_vs_stats_update_interval", A_UNSUPPORTED, .why = LVS},
    {"snmp_rs_stats_update_interval", A_UNSUPPORTED, .why = LVS},
    {"enable_dbus", A_UNSUPPORTED, .why = "D-Bus is not implemented"},
    {"dbus_service_name", A_UNSUPPORTED, .why = "D-Bus is not implemented"},
    {"dbus_no_interface_name", A_UNSUPPORTED, .why = "D-Bus is not implemented"},
    {"vrrp_iptables", A_NOEFFECT, .why = "vipd uses nftables, in its own table inet vipd"},
    {"vrrp_ipsets", A_NOEFFECT, .why = "vipd uses nftables, in its own table inet vipd"},
    {"nftables", A_NOEFFECT, .why = "vipd always uses nftables, in its own table inet vipd"},
    {"nftables_priority", A_UNSUPPORTED, .why = "the chains of vipd's table inet vipd are fixed"},
    {"nftables_ifindex", A_UNSUPPORTED, .why = "the chains of vipd's table inet vipd are fixed"},
    {"nftables_counters", A_UNSUPPORTED, .why = "the chains of vipd's table inet vipd are fixed"},
    {"vrrp_netlink_cmd_rcv_bufs", A_NOEFFECT, .why = BUFS},
    {"vrrp_netlink_cmd_rcv_bufs_force", A_NOEFFECT, .why = BUFS},
    {"vrrp_netlink_monitor_rcv_bufs", A_NOEFFECT, .why = BUFS},
    {"vrrp_netlink_monitor_rcv_bufs_force", A_NOEFFECT, .why = BUFS},
    {"process_monitor_rcv_bufs", A_NOEFFECT, .why = BUFS},
    {"process_monitor_rcv_bufs_force", A_NOEFFECT, .why = BUFS},
    {"vrrp_rx_bufs_policy", A_NOEFFECT, .why = BUFS},
    {"vrrp_rx_bufs_multiplier", A_NOEFFECT, .why = BUFS},
    GI("vrrp_garp_extra_if", A_CUSTOM, garp_extra_if, .fn = kw_garp_extra_if,
       .dump = dump_garp_extra_if),
    GI("vrrp_vmac_garp_intvl", A_CUSTOM, garp_extra_if, .fn = kw_garp_extra_if, .flags = KW_NODUMP),
    {"vrrp_min_garp", A_UNSUPPORTED,
     .why = "set vrrp_garp_master_repeat 1 and vrrp_garp_master_refresh 0 instead"},
    GI("default_interface", A_IFNAME, default_interface),
    {"disable_local_igmp", A_UNSUPPORTED, .why = "IGMP settings are left to the system"},
    {"use_symlink_paths", A_UNSUPPORTED, .why = "script paths are used as written"},
    {"process_names", A_CUSTOM, .fn = kw_process_names, .flags = KW_NODUMP},
    GI("process_name", A_STR, process_name, .fn = kw_process_name),
    GI("vrrp_process_name", A_STR, vrrp_process_name, .fn = kw_process_name),
    GI("startup_script", A_CMD, startup_script),
    GI("startup_script_timeout", A_USEC, startup_script_timeout_us, 1, 1000),
    GI("shutdown_script", A_CMD, shutdown_script),
    GI("shutdown_script_timeout", A_USEC, shutdown_script_timeout_us, 1, 1000),
    GI("vrrp_cpu_affinity", A_STR, cpu_affinity, .fn = kw_cpu_affinity),
    GI("vrrp_rlimit_rttime", A_INT, rlimit_rttime_us, 0, 2000000000, .flags = KW_SKIP_NEG),
    GI("vrrp_rlimit_rtime", A_INT, rlimit_rttime_us, 0, 2000000000, .flags = KW_NODUMP),
    GI("v3_checksum_as_v2", A_FLAG, v3_checksum_as_v2),
    GI("vrrp_down_timer_adverts", A_INT, down_timer_adverts, 1, 100),
    GI("vrrp_notify_priority_changes", A_BOOLOPT, notify_priority_changes),
    GI("fifo_write_vrrp_states_on_reload", A_FLAG, fifo_write_states_on_reload),
    GI("vrrp_delay_after_boot", A_USEC, delay_after_boot_us, 0, 31536000),
    GI("log_unknown_vrids", A_FLAG, log_unknown_vrids),
    GI("vrrp_owner_ignore_adverts", A_BOOLOPT, owner_ignore_adverts),
    GI("vmac_prefix", A_NAME, vmac_prefix, .fn = kw_vmac_prefix),
    {"vmac_addr_prefix", A_UNSUPPORTED, .why = "use_vmac_addr is not implemented"},
    GI("umask", A_CUSTOM, umask, .fn = kw_umask, .dump = dump_umask),
    {"random_seed", A_CUSTOM, .fn = kw_random_seed, .flags = KW_NODUMP},
    {"reload_check_config", A_NOEFFECT,
     .why = "vipd always reads a new config in full before using it and keeps the running one if "
            "it has errors"},
    {"reload_time_file", A_UNSUPPORTED,
     .why = "scheduled reloads are not implemented; send SIGHUP"},
    {"reload_repeat", A_UNSUPPORTED, .why = "scheduled reloads are not implemented; send SIGHUP"},
    {"reload_file", A_UNSUPPORTED, .why = "scheduled reloads are not implemented; send SIGHUP"},
    {"include_check", A_UNSUPPORTED, .why = "include files are read as they are"},
    {"config_save_dir", A_UNSUPPORTED, .why = "not implemented"},
    {"tmp_config_directory", A_UNSUPPORTED, .why = "not implemented"},
    {"data_use_instance", A_UNSUPPORTED,
     .why = "the dump files do not take the instance name or namespace in their names"},
    {"json_version", A_UNSUPPORTED, .why = "vipd writes keepalived's JSON version 1"},
    {"iproute_usr_dir", A_UNSUPPORTED,
     .why = "route table and protocol names are not read from iproute2 files"},
    {"iproute_etc_dir", A_UNSUPPORTED,
     .why = "route table and protocol names are not read from iproute2 files"},
    GI("state_dump_file", A_STR, state_dump_file, .fn = kw_dump_file),
    GI("stats_dump_file", A_STR, stats_dump_file, .fn = kw_dump_file),
    GI("json_dump_file", A_STR, json_dump_file, .fn = kw_dump_file),
    GI("metrics_listen", A_STR, metrics_listen, .fn = kw_metrics_listen, .flags = KW_EXT),
    {NULL},
};

#define IN(n, T, f, ...)                                                                           \
	{                                                                                          \
		n, T, offsetof(struct conf_instance, f), __VA_ARGS__                               \
	}
#define NOTIFY(base, n, f)                                                                         \
	{                                                                                          \
		n, A_CMD, offsetof(base, notify.f), .flags = KW_LIVE                               \
	}
const struct kw kw_instance[] = {
    IN("state", A_CUSTOM, state, .fn = kw_state, .dump = dump_state, .flags = KW_LIVE),
    IN("interface", A_IFNAME, ifname),
    IN("virtual_router_id", A_INT, vrid, 1, 255),
    IN("priority", A_INT, priority, 1, 255, .fn = kw_priority, .flags = KW_LIVE),
    IN("advert_int", A_USEC, advert_int_us, 0, 255),
    IN("version", A_INT, version, 2, 3),
    IN("authentication", A_CUSTOM, auth_type, .fn = kw_authentication, .dump = dump_auth,
       .sub = kw_auth),
    IN("virtual_ipaddress", A_CUSTOM, vips, .fn = kw_vips, .dump = dump_vips),
    IN("no_virtual_ipaddress", A_FLAG, no_vips),
    IN("virtual_ipaddress_excluded", A_CUSTOM, vips_excluded, .fn = kw_vips, .dump = dump_vips),
    IN("virtual_routes", A_CUSTOM, routes, .fn = kw_routes, .dump = dump_routes),
    IN("virtual_rules", A_CUSTOM, rules, .fn = kw_rules, .dump = dump_rules),
    IN("nopreempt", A_FLAG, nopreempt, .flags = KW_LIVE),
    IN("preempt", A_CUSTOM, nopreempt, .fn = kw_preempt, .flags = KW_NODUMP | KW_LIVE),
    IN("preempt_delay", A_USEC, preempt_delay_us, 0, 1000, .flags = KW_LIVE),
    IN("dont_track_primary", A_FLAG, dont_track_primary),
    IN("track_src_ip", A_FLAG, track_src_ip),
    IN("accept", A_CUSTOM, accept, .fn = kw_accept, .dump = dump_accept, .flags = KW_LIVE),
    IN("no_accept", A_CUSTOM, accept, .fn = kw_accept, .flags = KW_NODUMP | KW_LIVE),
    IN("strict_mode", A_TRI, strict, .flags = KW_LIVE),
    IN("skip_check_adv_addr", A_FLAG, skip_check_adv_addr, .flags = KW_LIVE),
    IN("v3_checksum_as_v2", A_FLAG, v3_checksum_as_v2, .flags = KW_LIVE),
    IN("preempt_lower_master", A_FLAG, preempt_lower_master, .flags = KW_LIVE | KW_EXT),
    IN("promote_secondaries", A_FLAG, promote_secondaries),
    IN("down_timer_adverts", A_INT, down_timer_adverts, 1, 100, .flags = KW_LIVE),
    IN("garp_master_delay", A_SSEC, garp_master_delay_us, 0, 3600, .flags = KW_LIVE),
    IN("garp_master_repeat", A_INT, garp_master_repeat, 1, 1000, .flags = KW_SKIP_NEG | KW_LIVE),
    IN("garp_master_refresh", A_SSEC, garp_master_refresh_us, 0, 86400, .flags = KW_LIVE),
    IN("garp_master_refresh_repeat", A_INT, garp_master_refresh_repeat, 1, 1000,
       .flags = KW_SKIP_NEG | KW_LIVE),
    IN("garp_lower_prio_delay", A_SSEC, garp_lower_prio_delay_us, 0, 3600, .flags = KW_LIVE),
    IN("garp_lower_prio_repeat", A_INT, garp_lower_prio_repeat, 0, 1000,
       .flags = KW_SKIP_NEG | KW_LIVE),
    IN("lower_prio_no_advert", A_TRI, lower_prio_no_advert, .flags = KW_LIVE),
    IN("higher_prio_send_advert", A_TRI, higher_prio_send_advert, .flags = KW_LIVE),
    IN("use_vmac", A_CUSTOM, use_vmac, .fn = kw_use_vmac, .dump = dump_use_vmac),
    IN("vmac_xmit_base", A_FLAG, vmac_xmit_base),
    IN("mcast_src_ip", A_ADDR, mcast_src_ip),
    IN("mcast_dst_ip", A_ADDR, mcast_dst_ip),
    IN("unicast_src_ip", A_ADDR, unicast_src_ip),
    IN("unicast_peer", A_CUSTOM, unicast_peers, .fn = kw_peers, .dump = dump_peers),
    IN("advert_path", A_CUSTOM, paths, .fn = kw_paths, .dump = dump_paths, .flags = KW_EXT),
    IN("unicast_ttl", A_INT, unicast_ttl, 0, 255, .flags = KW_SKIP_NEG),
    {"check_unicast_src", A_NOEFFECT, .why = UNICAST_SRC},
    IN("unicast_fault_no_peer", A_FLAG, unicast_fault_no_peer),
    IN("track_interface", A_CUSTOM, tracks[CONF_TRACK_INTERFACE], .fn = kw_track,
       .dump = dump_tracks, .flags = KW_LIVE),
    IN("track_script", A_CUSTOM, tracks[CONF_TRACK_SCRIPT], .fn = kw_track, .dump = dump_tracks,
       .flags = KW_LIVE),
    IN("track_file", A_CUSTOM, tracks[CONF_TRACK_FILE], .fn = kw_track, .dump = dump_tracks,
       .flags = KW_LIVE),
    IN("track_process", A_CUSTOM, tracks[CONF_TRACK_PROCESS], .fn = kw_track, .dump = dump_tracks,
       .flags = KW_LIVE),
    IN("track_bfd", A_CUSTOM, tracks[CONF_TRACK_BFD], .fn = kw_track, .dump = dump_tracks,
       .flags = KW_LIVE),
    IN("master_down_bfd", A_CUSTOM, master_down_bfd, .fn = kw_master_down_bfd,
       .dump = dump_master_down_bfd, .flags = KW_LIVE | KW_EXT),
    NOTIFY(struct conf_instance, "notify_master", master),
    NOTIFY(struct conf_instance, "notify_backup", backup),
    NOTIFY(struct conf_instance, "notify_fault", fault),
    NOTIFY(struct conf_instance, "notify_stop", stop),
    {"notify_deleted", A_CUSTOM, offsetof(struct conf_instance, notify), .fn = kw_notify_deleted,
     .dump = dump_notify_deleted, .flags = KW_LIVE},
    NOTIFY(struct conf_instance, "notify", any),
    NOTIFY(struct conf_instance, "notify_master_rx_lower_pri", master_rx_lower_pri),
    {"notify_split_brain", A_CMD, offsetof(struct conf_instance, notify.split_brain),
     .flags = KW_LIVE | KW_EXT},
    IN("notify_priority_changes", A_BOOLOPT, notify.priority_changes, .flags = KW_LIVE),
    IN("smtp_alert", A_TRI, smtp_alert, .flags = KW_LIVE),
    {"debug", A_NOEFFECT, .fn = kw_debug, .flags = KW_NODUMP,
     .why = "keepalived only shows it in its data dump; vipd's traces are set with -D or --debug"},
    IN("native_ipv6", A_CUSTOM, family, .fn = kw_deprecated, .flags = KW_NODUMP),
    {"old_unicast_checksum", A_UNSUPPORTED,
     .why = "the checksum of keepalived before 1.3.6 unicast adverts is not implemented"},
    IN("garp_extra_if", A_CUSTOM, garp_extra_if, .fn = kw_garp_extra_if,
       .dump = dump_garp_extra_if),
    IN("vmac_garp_intvl", A_CUSTOM, garp_extra_if, .fn = kw_garp_extra_if, .flags = KW_NODUMP),
    {"use_vmac_addr", A_UNSUPPORTED, .why = "a vmac always takes the virtual MAC address"},
    {"use_ipvlan", A_UNSUPPORTED, .why = "not implemented yet; use use_vmac"},
    {"vrf", A_UNSUPPORTED, .why = "not implemented yet"},
    {"kernel_rx_buf_size", A_NOEFFECT, .why = BUFS},
    {"lvs_sync_daemon_interface", A_UNSUPPORTED, .why = LVS},
    {"linkbeat_use_polling", A_NOEFFECT, .why = LINKBEAT},
    IN("owner_ignore_adverts", A_BOOLOPT, owner_ignore_adverts, .flags = KW_LIVE),
    IN("timer_expired_backup", A_CUSTOM, timer_expired_backup, 1, 254,
       .fn = kw_timer_expired_backup, .dump = dump_timer_expired_backup),
    IN("thread_timer_expired", A_CUSTOM, timer_expired_backup, 1, 254,
       .fn = kw_timer_expired_backup, .flags = KW_NODUMP),
    {"auth_hmac", A_UNSUPPORTED, .why = "keepalived 2.4's HMAC authentication is not implemented"},
    {NULL},
};

#define SC(n, T, f, ...)                                                                           \
	{                                                                                          \
		n, T, offsetof(struct conf_script, f), __VA_ARGS__                                 \
	}
const struct kw kw_script[] = {
    SC("script", A_CUSTOM, cmd, .fn = kw_script_cmd, .flags = KW_NODUMP),
    SC("interval", A_USEC, interval_us, 0, 86400),
    SC("timeout", A_USEC, timeout_us, 0, 86400),
    SC("weight", A_CUSTOM, weight, -253, 253, .fn = kw_weight, .dump = dump_weight),
    SC("rise", A_INT, rise, 1, 1000),
    SC("fall", A_INT, fall, 1, 1000),
    SC("user", A_CUSTOM, cmd, .fn = kw_script_user_local, .flags = KW_NODUMP),
    SC("init_fail", A_FLAG, init_fail),
    {NULL},
};

#define TF(n, T, f, ...)                                                                           \
	{                                                                                          \
		n, T, offsetof(struct conf_track_file, f), __VA_ARGS__                             \
	}
const struct kw kw_track_file[] = {
    TF("file", A_STR, path),
    TF("weight", A_CUSTOM, weight, -254, 254, .fn = kw_weight, .dump = dump_weight),
    TF("init_file", A_CUSTOM, init_file, .fn = kw_init_file, .dump = dump_init_file),
    {NULL},
};

#define TP(n, T, f, ...)                                                                           \
	{                                                                                          \
		n, T, offsetof(struct conf_track_process, f), __VA_ARGS__                          \
	}
const struct kw kw_track_process[] = {
    TP("process", A_CUSTOM, process, .fn = kw_process, .flags = KW_NODUMP),
    TP("param_match", A_CUSTOM, param_match, .fn = kw_param_match, .dump = dump_param_match),
    TP("weight", A_CUSTOM, weight, -254, 254, .fn = kw_weight, .dump = dump_weight),
    TP("quorum", A_INT, quorum, 0, 65535),
    TP("quorum_max", A_INT, quorum_max, -1, 65535, .flags = KW_SKIP_NEG),
    TP("delay", A_USEC, delay_us, 0, 3600, .fn = kw_tp_delay, .flags = KW_NODUMP),
    TP("terminate_delay", A_USEC, terminate_delay_us, 0, 3600),
    TP("fork_delay", A_USEC, fork_delay_us, 0, 3600),
    TP("full_command", A_FLAG, full_command),
    TP("process_user", A_STR, user, .flags = KW_EXT),
    {NULL},
};

#define SG(n, T, f, ...)                                                                           \
	{                                                                                          \
		n, T, offsetof(struct conf_sync_group, f), __VA_ARGS__                             \
	}
/* garp_group's "interface NAME": one interface of the group. */
static void kw_garp_iface(struct pctx *p, const struct kw *k, void *obj, const struct tok *kw)
{
	struct conf_garp_group *g = obj;
	char *s = parse_need_arg(p, kw_garp_group, kw, "an interface name");
	char **slot = s ? VEC_PUSH(&g->ifaces) : NULL;

	if (slot)
		*slot = s;
	else
		free(s);
}

#define GG(n, T, f, ...)                                                                           \
	{                                                                                          \
		n, T, offsetof(struct conf_garp_group, f), __VA_ARGS__                             \
	}
const struct kw kw_garp_group[] = {
    GG("garp_interval", A_SSEC, garp_interval_us, 0, 1),
    GG("gna_interval", A_SSEC, gna_interval_us, 0, 1),
    GG("interface", A_CUSTOM, ifaces, .fn = kw_garp_iface, .flags = KW_NODUMP),
    GG("interfaces", A_CUSTOM, ifaces, .fn = kw_group, .dump = dump_members),
    {NULL},
};

/* track_group NAME { group { ... } } (static_ipaddress, static_routes, static_rules) */
const struct kw kw_track_group[] = {
    {"group", A_CUSTOM, offsetof(struct conf_track_group, members), .fn = kw_group,
     .dump = dump_members},
    {NULL},
};

const struct kw kw_sync_group[] = {
    SG("group", A_CUSTOM, members, .fn = kw_group, .dump = dump_members),
    SG("track_interface", A_CUSTOM, tracks[CONF_TRACK_INTERFACE], 1, .fn = kw_track,
       .dump = dump_tracks),
    SG("track_script", A_CUSTOM, tracks[CONF_TRACK_SCRIPT], 1, .fn = kw_track, .dump = dump_tracks),
    SG("track_file", A_CUSTOM, tracks[CONF_TRACK_FILE], 1, .fn = kw_track, .dump = dump_tracks),
    SG("track_process", A_CUSTOM, tracks[CONF_TRACK_PROCESS], 1, .fn = kw_track,
       .dump = dump_tracks),
    SG("track_bfd", A_CUSTOM, tracks[CONF_TRACK_BFD], 1, .fn = kw_track, .dump = dump_tracks),
    NOTIFY(struct conf_sync_group, "notify_master", master),
    NOTIFY(struct conf_sync_group, "notify_backup", backup),
    NOTIFY(struct conf_sync_group, "notify_fault", fault),
    NOTIFY(struct conf_sync_group, "notify_stop", stop),
    NOTIFY(struct conf_sync_group, "notify", any),
    SG("notify_priority_changes", A_BOOLOPT, notify.priority_changes),
    SG("smtp_alert", A_TRI, smtp_alert),
    SG("global_tracking", A_CUSTOM, sync_group_tracking_weight, .fn = kw_global_tracking,
       .flags = KW_NODUMP),
    SG("sync_group_tracking_weight", A_FLAG, sync_group_tracking_weight),
    {NULL},
};
