/*
 * preproc.c: keepalived.conf's line preprocessing, run on each line before
 * it is tokenized (lex.c), in file order across includes:
 * - "@ID text" keeps text only when the config id (-i ID, default the host
 *   name up to its first '.') is ID; "@^ID text" only when it is not;
 * - "$NAME=value" defines NAME (a trailing '\' continues the value on the
 *   next line); $NAME (followed by a blank, ',', ')' or the end) and
 *   ${NAME} are replaced at use, again and again while the text changes;
 *   an undefined name stays as written. Predefined: ${_PWD}, ${_INSTANCE},
 *   ${_HASH}, ${_BANG}, ${_ENV VAR}, ${_RANDOM [MIN [MAX]]};
 * - "~SEQ(var, [start, [step,]] end) text" (~SEQx: hexadecimal) and
 *   "~LST(var, v1, v2, ...)" / "~LST({a, b}, {1, 2}, ...)" repeat the text
 *   with $var set to each value; several may be nested on one line.
 * Lines with none of these pass through untouched. The lexer owns a
 * struct preproc for one load; its definitions span the included files.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "conf/preproc.h"

#define PP_MAX_LINE   (64 * 1024)        /* one line after replacement */
#define PP_MAX_ROUNDS 64                 /* replacement passes over one line */
#define PP_MAX_DEPTH  16                 /* ~SEQ / multi-line nesting */
#define PP_MAX_OUT    (64 * 1024 * 1024) /* all the text one line may turn into */
#define PP_MAX_DEFS   10000
#define PP_MAX_REPEAT 1000000             /* ~SEQ / ~LST rounds in one load */
#define PP_MAX_LINES  250000              /* lines processed in one load, expansions included */
#define PP_MAX_WORK   (256 * 1024 * 1024) /* bytes of replacement passes in one load */

struct def {
	char *name, *value;
	bool multiline;
};

struct preproc {
	struct def *defs;
	size_t n, cap;
	char id[256];
	struct def *open; /* a multi-line definition being read */
	unsigned seed;
	pp_diag_fn diag;
	void *arg;
	const struct srcpos *pos;
	size_t out_total;
	size_t rounds; /* ~SEQ / ~LST rounds so far */
	size_t lines;  /* process() calls so far */
	size_t work;   /* bytes written by replacement passes so far */
	bool too_deep; /* the depth error was reported for this line */
};

struct buf {
	char *s;
	size_t len, cap;
	bool failed;
};

static void put(struct buf *b, const char *s, size_t n)
{
	if (b->failed)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 256;
		while (cap < b->len + n + 1)
			cap *= 2;
		char *p = realloc(b->s, cap);
		if (!p) {
			b->failed = true;
			return;
		}
		b->s = p;
		b->cap = cap;
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

static void report(struct preproc *pp, enum conf_severity sev, const char *fmt, const char *what)
{
	char msg[512];

	snprintf(msg, sizeof(msg), fmt, what);
	pp->diag(pp->arg, sev, pp->pos, msg);
}

struct preproc *pp_new(const char *config_id, pp_diag_fn diag, void *arg)
{
	struct preproc *pp = calloc(1, sizeof(*pp));

	if (!pp)
		return NULL;
	snprintf(pp->id, sizeof(pp->id), "%s", config_id ? config_id : "");
	pp->seed = (unsigned)time(NULL);
	pp->diag = diag;
	pp->arg = arg;
	return pp;
}

void pp_free(struct preproc *pp)
{
	if (!pp)
		return;
	for (size_t i = 0; i < pp->n; i++)
		free(pp->defs[i].name), free(pp->defs[i].value);
	free(pp->defs);
	free(pp);
}

void pp_seed(struct preproc *pp, unsigned seed)
{
	pp->seed = seed;
}

static bool name_start(int c)
{
	return isalpha(c) || c == '_';
}

static bool name_char(int c)
{
	return isalnum(c) || c == '_';
}

static struct def *find(struct preproc *pp, const char *name, size_t len)
{
	for (size_t i = 0; i < pp->n; i++)
		if (strlen(pp->defs[i].name) == len && !memcmp(pp->defs[i].name, name, len))
			return &pp->defs[i];
	return NULL;
}

static struct def *define(struct preproc *pp, const char *name, size_t len, const char *value)
{
	struct def *d = find(pp, name, len);

	if (!d) {
		if (pp->n == pp->cap) {
			size_t cap = pp->cap ? pp->cap * 2 : 16;
			struct def *p =
			    cap > PP_MAX_DEFS ? NULL : realloc(pp->defs, cap * sizeof(*p));
			if (!p) {
				report(pp, CONF_ERROR, "too many definitions (at %s)", "");
				return NULL;
			}
			pp->defs = p;
			pp->cap = cap;
		}
		d = &pp->defs[pp->n++];
		d->name = strndup(name, len);
		d->value = NULL;
	}
	free(d->value);
	d->value = strdup(value);
	d->multiline = false;
	return d;
}

/* keepalived's comment rule for preprocessed lines: '#' or '!' outside
 * quotes ends the line ("\#" is a literal '#'); leading blanks go. */
static void decomment(char *s)
{
	bool quote = false;
	char *p = s + strspn(s, " \t");

	memmove(s, p, strlen(p) + 1);
	for (p = s; (p = strpbrk(p, "!#\"\\"));) {
		if (*p == '"') {
			quote = !quote;
			p++;
		} else if (*p == '\\' && !quote && (p[1] == '#' || p[1] == '!')) {
			memmove(p, p + 1, strlen(p));
			p++;
		} else if (*p == '\\') {
			p += p[1] ? 2 : 1;
		} else if (!quote) {
			*p = '\0';
			break;
		} else {
			p++;
		}
	}
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		s[--n] = '\0';
}

/* The value of a predefined ${_NAME ARGS}, or NULL. */
static const char *predefined(struct preproc *pp, const char *name, size_t len, const char *args,
                              const char *pwd, char *tmp, size_t tmplen)
{
	if (len == 4 && !memcmp(name, "_PWD", 4))
		return pwd;
	if (len == 9 && !memcmp(name, "_INSTANCE", 9))
		return pp->id;
	if (len == 5 && !memcmp(name, "_HASH", 5))
		return "#";
	if (len == 5 && !memcmp(name, "_BANG", 5))
		return "!";
	if (len == 4 && !memcmp(name, "_ENV", 4)) {
		const char *v = args && *args ? getenv(args) : NULL;
		return v ? v : "";
	}
	if (len == 7 && !memcmp(name, "_RANDOM", 7)) {
		unsigned long lo = 0, hi = 32767;
		if (args && *args && sscanf(args, "%lu %lu", &lo, &hi) < 1)
			return NULL;
		if (hi < lo)
			hi = lo;
		pp->seed = pp->seed * 1103515245u + 12345u;
		snprintf(tmp, tmplen, "%lu", lo + (pp->seed >> 8) % (hi - lo + 1));
		return tmp;
	}
	return NULL;
}

/* One pass of $NAME / ${NAME} replacement over s into out; true if any. */
static bool replace_once(struct preproc *pp, const char *s, const char *pwd, struct buf *out)
{
	bool changed = false;
	char tmp[32];

	while (*s) {
		const char *d = strchr(s, '$');
		if (!d) {
			put(out, s, strlen(s));
			break;
		}
		put(out, s, (size_t)(d - s));
		const char *n = d + 1, *end, *args = NULL;
		char argbuf[256] = "";
		bool braces = *n == '{';
		if (braces)
			n++;
		size_t len = 0;
		while (name_char((unsigned char)n[len]) && (len || name_start((unsigned char)n[0])))
			len++;
		end = n + len;
		if (braces) {
			const char *close = strchr(end, '}');
			if (len && close && (close == end || *end == ' ' || *end == '\t')) {
				snprintf(argbuf, sizeof(argbuf), "%.*s", (int)(close - end), end);
				char *a = argbuf + strspn(argbuf, " \t");
				args = a;
				end = close + 1;
			} else {
				len = 0;
			}
		} else if (*end && !strchr(" \t,)", *end)) {
			len = 0;
		}
		const struct def *def = len ? find(pp, n, len) : NULL;
		const char *v =
		    def ? def->value
		        : (len && braces ? predefined(pp, n, len, args, pwd, tmp, sizeof(tmp))
		                         : NULL);
		if (!v || (args && *args && def)) {
			put(out, d, 1);
			s = d + 1;
			continue;
		}
		put(out, v, strlen(v));
		changed = true;
		s = end;
	}
	return changed;
}

static void process(struct preproc *pp, char *line, const char *pwd, int depth, struct buf *out);

/* Each line of text (separated by '\n') processed as a line of its own. */
static void process_lines(struct preproc *pp, const char *text, const char *pwd, int depth,
                          struct buf *out)
{
	char *copy = strdup(text), *save = NULL;

	if (!copy) {
		out->failed = true;
		return;
	}
	for (char *l = strtok_r(copy, "\n", &save); l; l = strtok_r(NULL, "\n", &save))
		process(pp, l, pwd, depth + 1, out);
	free(copy);
}

/* "$NAME=value": defines; true when line is a definition. */
static bool definition(struct preproc *pp, const char *line)
{
	const char *p = line + 1;
	size_t len = 0;

	if (line[0] != '$' || !name_start((unsigned char)p[0]))
		return false;
	while (name_char((unsigned char)p[len]))
		len++;
	const char *eq = p + len + strspn(p + len, " \t");
	if (*eq != '=')
		return false;
	const char *v = eq + 1 + strspn(eq + 1, " \t");
	size_t vlen = strlen(v);
	bool more = vlen && v[vlen - 1] == '\\';
	char *value = strndup(v, more ? vlen - 1 : vlen);
	if (!value)
		return true;
	size_t n = strlen(value);
	while (n && (value[n - 1] == ' ' || value[n - 1] == '\t'))
		value[--n] = '\0';
	struct def *d = define(pp, p, len, value);
	free(value);
	if (d && more) {
		d->multiline = true;
		pp->open = d;
	}
	return true;
}

/* A continuation line of the multi-line definition being read. */
static void continue_definition(struct preproc *pp, const char *line)
{
	struct def *d = pp->open;
	size_t n = strlen(line);
	bool more = n && line[n - 1] == '\\';
	if (more)
		n--;
	while (n && (line[n - 1] == ' ' || line[n - 1] == '\t'))
		n--;
	if (n) {
		size_t old = strlen(d->value);
		char *v = realloc(d->value, old + n + 2);
		if (v) {
			if (old)
				v[old++] = '\n';
			memcpy(v + old, line, n);
			v[old + n] = '\0';
			d->value = v;
		}
	}
	if (!more)
		pp->open = NULL;
}

/* One more ~SEQ / ~LST round, unless the expansion is already too large. */
static bool another_round(struct preproc *pp, const struct buf *out, const char *what)
{
	if (++pp->rounds > PP_MAX_REPEAT || pp->out_total + out->len > PP_MAX_OUT || out->failed) {
		if (pp->rounds != PP_MAX_REPEAT + 2) /* once */
			report(pp, CONF_ERROR,
			       "%s: the expansion is too large (1,000,000 rounds or 64 MB)", what);
		pp->rounds = PP_MAX_REPEAT + 2;
		return false;
	}
	return true;
}

/* Splits "a, b, c" (commas at the top level of {...}) into up to max items. */
static size_t split_args(char *s, char **item, size_t max)
{
	size_t n = 0;
	int depth = 0;
	char *start = s;

	for (char *p = s;; p++) {
		if (*p == '{')
			depth++;
		else if (*p == '}')
			depth--;
		if ((*p == ',' && depth == 0) || !*p) {
			bool last = !*p;
			*p = '\0';
			if (n < max) {
				char *t = start + strspn(start, " \t");
				size_t l = strlen(t);
				while (l && (t[l - 1] == ' ' || t[l - 1] == '\t'))
					t[--l] = '\0';
				item[n++] = t;
			}
			if (last)
				break;
			start = p + 1;
		}
	}
	return n;
}

static bool parse_num(const char *s, long *v)
{
	char *end;

	*v = strtol(s, &end, 0);
	return *s && !*end;
}

static void seq(struct preproc *pp, char *line, char *args, const char *rest, const char *pwd,
                int depth, struct buf *out)
{
	bool hex = line[4] == 'x';
	char *a[5], whole[256];
	long v[3];

	snprintf(whole, sizeof(whole), "%s", args);
	size_t n = split_args(args, a, 5);

	if (n < 2 || n > 4 || !name_start((unsigned char)a[0][0])) {
		report(pp, CONF_ERROR, "~SEQ: '%s' is not (var, [start, [step,]] end)", whole);
		return;
	}
	for (size_t i = 1; i < n; i++)
		if (!parse_num(a[i], &v[i - 1])) {
			report(pp, CONF_ERROR, "~SEQ: '%s' is not a number", a[i]);
			return;
		}
	long start, step, end;
	if (n == 2)
		end = v[0], start = end < 0 ? -1 : 1, step = 0;
	else if (n == 3)
		start = v[0], end = v[1], step = 0;
	else
		start = v[0], step = v[1], end = v[2];
	if (!step)
		step = end < start ? -1 : 1;
	if (hex && (start < 0 || end < 0)) {
		report(pp, CONF_ERROR, "~SEQx: '%s' needs numbers of 0 or more", whole);
		return;
	}
	for (long i = start; step > 0 ? i <= end : i >= end; i += step) {
		char num[32];
		snprintf(num, sizeof(num), hex ? "%lx" : "%ld", i);
		define(pp, a[0], strlen(a[0]), num);
		if (!another_round(pp, out, "~SEQ"))
			return;
		char *copy = strdup(rest);
		if (!copy) {
			out->failed = true;
			return;
		}
		process(pp, copy, pwd, depth + 1, out);
		free(copy);
	}
}

static void lst(struct preproc *pp, char *args, const char *rest, const char *pwd, int depth,
                struct buf *out)
{
	char *a[256], *vars[16], *vals[16];
	size_t n = split_args(args, a, 256), nv;

	if (n < 2) {
		report(pp, CONF_ERROR, "~LST: '%s' needs a variable and at least one value", args);
		return;
	}
	char *names = a[0];
	if (*names == '{')
		names++, names[strcspn(names, "}")] = '\0';
	nv = split_args(names, vars, 16);
	for (size_t i = 1; i < n; i++) {
		char *vs = a[i];
		if (*vs == '{')
			vs++, vs[strcspn(vs, "}")] = '\0';
		if (split_args(vs, vals, 16) != nv) {
			report(pp, CONF_ERROR, "~LST: '%s' does not give a value to each variable",
			       vs);
			return;
		}
		for (size_t k = 0; k < nv; k++)
			define(pp, vars[k], strlen(vars[k]), vals[k]);
		if (!another_round(pp, out, "~LST"))
			return;
		char *copy = strdup(rest);
		if (!copy) {
			out->failed = true;
			return;
		}
		process(pp, copy, pwd, depth + 1, out);
		free(copy);
	}
}

/* ~SEQ(...) / ~LST(...) at the start of line: true when it was one. */
static bool repeat(struct preproc *pp, char *line, const char *pwd, int depth, struct buf *out)
{
	bool is_seq = !strncmp(line, "~SEQ", 4), is_lst = !strncmp(line, "~LST", 4);

	if (!is_seq && !is_lst)
		return false;
	char *open = strchr(line, '('), *close = open ? strchr(open, ')') : NULL;
	if (!open || !close ||
	    (open != line + 4 && !(is_seq && open == line + 5 && line[4] == 'x'))) {
		report(pp, CONF_ERROR, "'%s': ~SEQ/~LST needs (...)", line);
		return true;
	}
	struct buf args = {0};
	*close = '\0';
	replace_once(pp, open + 1, pwd, &args); /* the bounds may be definitions */
	const char *rest = close + 1 + strspn(close + 1, " \t");
	if (args.s) {
		if (is_seq)
			seq(pp, line, args.s, rest, pwd, depth, out);
		else
			lst(pp, args.s, rest, pwd, depth, out);
	}
	free(args.s);
	return true;
}

/* One line (no '\n'), modified in place, its output appended to out. */
static void process(struct preproc *pp, char *line, const char *pwd, int depth, struct buf *out)
{
	if (depth > PP_MAX_DEPTH) {
		if (!pp->too_deep)
			report(pp, CONF_ERROR, "definitions or ~SEQ nested deeper than %s", "16");
		pp->too_deep = true;
		return;
	}
	if (++pp->lines > PP_MAX_LINES) { /* e.g. definitions that use themselves */
		if (pp->lines == PP_MAX_LINES + 1)
			report(pp, CONF_ERROR, "the expansion is too large (more than %s lines)",
			       "250,000");
		pp->lines = PP_MAX_LINES + 1;
		return;
	}
	decomment(line);
	if (line[0] == '@') {
		bool rev = line[1] == '^';
		char *id = line + 1 + rev, *text = strpbrk(id, " \t");
		if (!text)
			return;
		bool match =
		    (size_t)(text - id) == strlen(pp->id) && !strncmp(id, pp->id, text - id);
		if (match == rev)
			return;
		memmove(line, text, strlen(text) + 1);
		decomment(line);
	}
	if (definition(pp, line))
		return;
	if (repeat(pp, line, pwd, depth, out))
		return;
	char *cur = strdup(line);
	int round;
	for (round = 0; cur && strchr(cur, '$') && round < PP_MAX_ROUNDS && pp->work <= PP_MAX_WORK;
	     round++) {
		struct buf next = {0};
		bool changed = replace_once(pp, cur, pwd, &next);
		if ((pp->work += next.len) > PP_MAX_WORK) {
			if (pp->work - next.len <= PP_MAX_WORK)
				report(pp, CONF_ERROR,
				       "the expansion is too large (%s of replacing)", "256 MB");
			pp->work = PP_MAX_WORK + 1;
			free(next.s);
			break;
		}
		if (!changed || next.failed || next.len > PP_MAX_LINE) {
			if (next.len > PP_MAX_LINE)
				report(pp, CONF_ERROR,
				       "a line is longer than 64 KiB after replacing "
				       "definitions%s",
				       "");
			free(next.s);
			break;
		}
		free(cur);
		cur = next.s ? next.s : strdup("");
		/* a replacement may bring lines of its own (a multi-line
		 * definition), a definition, a condition or a ~SEQ */
		if (strchr(cur, '\n') || cur[0] == '@' || cur[0] == '~' ||
		    (cur[0] == '$' && strchr(cur, '='))) {
			process_lines(pp, cur, pwd, depth, out);
			free(cur);
			return;
		}
	}
	/* still changing: a definition that names itself, whose leftover
	 * would be replaced again wherever the text is read next */
	if (cur && round == PP_MAX_ROUNDS && strchr(cur, '$'))
		report(pp, CONF_ERROR,
		       "definitions are still being replaced after %s passes: does one name "
		       "itself?",
		       "64");
	_Static_assert(PP_MAX_ROUNDS == 64, "the message above says 64");
	if (cur) {
		put(out, cur, strlen(cur));
		put(out, "\n", 1);
	} else {
		out->failed = true;
	}
	free(cur);
}

static bool needs_work(const struct preproc *pp, const char *line, size_t len)
{
	size_t i = 0;

	while (i < len && (line[i] == ' ' || line[i] == '\t'))
		i++;
	if (i < len && (line[i] == '@' || line[i] == '$' || line[i] == '~'))
		return true;
	return memchr(line, '$', len) != NULL; /* the predefined names are always there */
}

enum pp_result pp_line(struct preproc *pp, const char *line, size_t len, const char *pwd,
                       const struct srcpos *pos, char **out, size_t *outlen)
{
	pp->pos = pos;
	*out = NULL;
	*outlen = 0;
	if (pp->open) {
		char *l = strndup(line, len);
		if (l) {
			decomment(l);
			continue_definition(pp, l);
		}
		free(l);
		return PP_DROP;
	}
	if (memchr(line, '\0', len)) { /* keepalived ignores such a line too */
		report(pp, CONF_ERROR, "a line with a NUL byte%s; ignored", "");
		return PP_DROP;
	}
	if (!needs_work(pp, line, len))
		return PP_KEEP;
	char *l = strndup(line, len);
	struct buf b = {0};
	if (!l)
		return PP_KEEP;
	pp->too_deep = false;
	process(pp, l, pwd, 0, &b);
	free(l);
	if (b.failed) {
		free(b.s);
		report(pp, CONF_ERROR, "out of memory expanding a line%s", "");
		return PP_DROP;
	}
	pp->out_total += b.len;
	if (!b.len) {
		free(b.s);
		return PP_DROP;
	}
	*out = b.s;
	*outlen = b.len;
	return PP_REPLACE;
}
