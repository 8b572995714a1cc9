/*
 * lex.c: tokenizer for keepalived.conf.
 *
 * Words, quoted strings ("..." keeps inner blanks), braces (also when glued
 * to a word), comments from '#' or '!' at the start of a token to the end of
 * the line. "include GLOB" is expanded here, at any position, relative to
 * the including file's directory; a file that includes itself (directly or
 * not) is an error. The matches of a pattern are opened one at a time, so
 * the depth limit counts nesting only; only regular files are read, and
 * all files read together are bounded in size and number. Each line goes
 * through preproc.c (@ID, $NAME, ~SEQ) before it is scanned, in file order
 * across includes, and keeps its own line number.
 */
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "conf/lex.h"
#include "conf/preproc.h"

#define LEX_MAX_FILE  (16 * 1024 * 1024)
#define LEX_MAX_TOTAL (64 * 1024 * 1024) /* all files read, includes of includes too */
#define LEX_MAX_FILES 10000
#define LEX_MAX_DEPTH 32 /* include nesting */

struct src {
	const char *name; /* interned */
	char *real;       /* realpath, NULL for strings */
	char *raw;        /* the whole file, read one line at a time */
	size_t raw_len, raw_pos;
	int raw_line;
	char *buf; /* the line being scanned: in raw, or owned (preprocessed) */
	char *owned;
	size_t len, pos;
	int line, col;
	/* the matches of an include in this source not read yet: opened one
	 * at a time, after the one before ends */
	glob_t pending;
	size_t next_pending;
	struct srcpos pending_from;
};

struct lexer {
	struct src stack[LEX_MAX_DEPTH];
	int depth;
	size_t total_read, files_read;
	struct tok cur, ahead;
	bool has_ahead;
	bool no_include;
	struct preproc *pp;
	lex_diag_fn diag;
	lex_intern_fn intern;
	void *arg;
};

static void diag(struct lexer *lx, enum conf_severity sev, const struct srcpos *pos,
                 const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void diag(struct lexer *lx, enum conf_severity sev, const struct srcpos *pos,
                 const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	lx->diag(lx->arg, sev, pos, msg);
}

struct lexer *lex_new(lex_diag_fn d, lex_intern_fn intern, void *arg)
{
	struct lexer *lx = calloc(1, sizeof(*lx));

	if (!lx)
		return NULL;
	lx->diag = d;
	lx->intern = intern;
	lx->arg = arg;
	if (!(lx->pp = pp_new(NULL, d, arg))) {
		free(lx);
		return NULL;
	}
	lex_config_id(lx, NULL);
	return lx;
}

void lex_config_id(struct lexer *lx, const char *id)
{
	struct utsname u;
	char host[sizeof(u.nodename)] = "";

	if (!id && uname(&u) == 0) { /* keepalived: the host name up to its first '.' */
		snprintf(host, sizeof(host), "%.*s", (int)strcspn(u.nodename, "."), u.nodename);
		id = host;
	}
	struct preproc *pp = pp_new(id, lx->diag, lx->arg);
	if (pp) {
		pp_free(lx->pp);
		lx->pp = pp;
	}
}

void lex_seed(struct lexer *lx, unsigned seed)
{
	pp_seed(lx->pp, seed);
}

void lex_no_include(struct lexer *lx)
{
	lx->no_include = true;
}

static void push(struct lexer *lx, const char *name, char *real, char *buf, size_t len)
{
	struct src *s = &lx->stack[lx->depth++];

	memset(s, 0, sizeof(*s));
	s->name = lx->intern(lx->arg, name);
	s->real = real;
	s->raw = buf;
	s->raw_len = len;
	s->line = 1;
	s->col = 1;
}

void lex_push_string(struct lexer *lx, const char *name, const char *text, size_t len)
{
	char *buf = malloc(len + 1);

	if (!buf || lx->depth >= LEX_MAX_DEPTH) {
		free(buf);
		return;
	}
	memcpy(buf, text, len);
	buf[len] = '\0';
	push(lx, name, NULL, buf, len);
}

/* Regular files only: a FIFO or a device would block or never end. */
static FILE *open_regular(const char *path)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	struct stat st;
	FILE *f;

	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		errno = EINVAL;
		return NULL;
	}
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	if (!(f = fdopen(fd, "r")))
		close(fd);
	return f;
}

static char *read_file(const char *path, size_t *len)
{
	FILE *f = open_regular(path);
	char *buf = NULL;
	size_t n = 0;

	if (!f)
		return NULL;
	buf = malloc(LEX_MAX_FILE + 1);
	if (buf)
		n = fread(buf, 1, LEX_MAX_FILE + 1, f);
	if (buf && (ferror(f) || n > LEX_MAX_FILE)) {
		errno = ferror(f) ? EIO : EFBIG;
		free(buf);
		buf = NULL;
	}
	fclose(f);
	if (buf) {
		buf[n] = '\0';
		*len = n;
	}
	return buf;
}

int lex_push_file(struct lexer *lx, const char *path, const struct srcpos *from)
{
	char *real = realpath(path, NULL);
	size_t len;
	char *buf;

	if (!real) {
		diag(lx, CONF_ERROR, from, "cannot open %s: %s", path, strerror(errno));
		return -1;
	}
	for (int i = 0; i < lx->depth; i++) {
		if (lx->stack[i].real && !strcmp(lx->stack[i].real, real)) {
			diag(lx, CONF_ERROR, from, "include loop: %s is already being read", path);
			free(real);
			return -1;
		}
	}
	if (lx->depth >= LEX_MAX_DEPTH) {
		diag(lx, CONF_ERROR, from, "includes nested deeper than %d", LEX_MAX_DEPTH);
		free(real);
		return -1;
	}
	if (lx->files_read >= LEX_MAX_FILES) {
		diag(lx, CONF_ERROR, from, "more than %d files included", LEX_MAX_FILES);
		free(real);
		return -1;
	}
	buf = read_file(path, &len);
	if (!buf) {
		diag(lx, CONF_ERROR, from, "cannot read %s: %s", path,
		     errno == EINVAL ? "not a regular file" : strerror(errno));
		free(real);
		return -1;
	}
	if (lx->total_read + len > LEX_MAX_TOTAL) {
		diag(lx, CONF_ERROR, from, "%s: the included files exceed %d MB in all", path,
		     LEX_MAX_TOTAL / (1024 * 1024));
		free(buf);
		free(real);
		return -1;
	}
	lx->total_read += len;
	lx->files_read++;
	push(lx, path, real, buf, len);
	return 0;
}

static void pop(struct lexer *lx)
{
	struct src *s = &lx->stack[--lx->depth];

	free(s->raw);
	free(s->owned);
	free(s->real);
	if (s->pending.gl_pathc)
		globfree(&s->pending);
}

/* Opens the next pending match of the source on top, if any: true when
 * one was pushed. */
static bool push_pending(struct lexer *lx)
{
	struct src *s = &lx->stack[lx->depth - 1];

	while (s->next_pending < s->pending.gl_pathc) {
		const char *path = s->pending.gl_pathv[s->next_pending++];
		struct srcpos from = s->pending_from;
		if (lex_push_file(lx, path, &from) == 0)
			return true;
	}
	if (s->pending.gl_pathc) {
		globfree(&s->pending);
		memset(&s->pending, 0, sizeof(s->pending));
		s->next_pending = 0;
	}
	return false;
}

static const char *cur_dir_of(const char *file, char *buf, size_t len)
{
	snprintf(buf, len, "%s", file ? file : ".");
	return dirname(buf);
}

static int peekc(const struct src *s)
{
	return s->pos < s->len ? (unsigned char)s->buf[s->pos] : -1;
}

/* The line number is the raw line's (refill), also for the lines a
 * preprocessed line turned into. */
static void advance(struct src *s)
{
	s->col = s->buf[s->pos] == '\n' ? 1 : s->col + 1;
	s->pos++;
}

/* The next line of the source, preprocessed; false at its end. */
static bool refill(struct lexer *lx, struct src *s)
{
	char dirbuf[PATH_MAX];

	free(s->owned);
	s->owned = NULL;
	while (s->raw_pos < s->raw_len) {
		const char *start = s->raw + s->raw_pos;
		const char *nl = memchr(start, '\n', s->raw_len - s->raw_pos);
		size_t len = nl ? (size_t)(nl - start) : s->raw_len - s->raw_pos;
		struct srcpos pos = {s->name, ++s->raw_line, 1};
		char *out;
		size_t outlen;
		s->raw_pos += len + (nl ? 1 : 0);
		const char *pwd = cur_dir_of(s->real ? s->real : s->name, dirbuf, sizeof(dirbuf));
		enum pp_result r = pp_line(lx->pp, start, len, pwd, &pos, &out, &outlen);
		if (r == PP_DROP)
			continue;
		if (r == PP_REPLACE) {
			s->buf = s->owned = out;
			s->len = outlen;
		} else {
			s->buf = (char *)start;
			s->len = len + (nl ? 1 : 0);
		}
		s->pos = 0;
		s->line = pos.line;
		s->col = 1;
		return true;
	}
	return false;
}

static bool is_blank(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* Skips blanks and comments; false at the end of the source. */
static bool skip_space(struct src *s)
{
	for (;;) {
		int c = peekc(s);
		if (c < 0)
			return false;
		if (c == '#' || c == '!') {
			while (peekc(s) >= 0 && peekc(s) != '\n')
				advance(s);
		} else if (is_blank(c) || c == '\0') {
			advance(s);
		} else {
			return true;
		}
	}
}

static void set_tok(struct tok *t, enum tok_kind k, char *text, bool quoted, struct srcpos pos)
{
	free(t->text);
	t->kind = k;
	t->text = text;
	t->quoted = quoted;
	t->pos = pos;
}

static char *scan_word(struct lexer *lx, struct src *s, bool *quoted, const struct srcpos *pos)
{
	size_t start;

	*quoted = peekc(s) == '"';
	if (*quoted) {
		advance(s);
		start = s->pos;
		while (peekc(s) >= 0 && peekc(s) != '"' && peekc(s) != '\n')
			advance(s);
		size_t end = s->pos;
		if (peekc(s) == '"')
			advance(s);
		else
			diag(lx, CONF_ERROR, pos, "unterminated quoted string");
		return strndup(s->buf + start, end - start);
	}
	start = s->pos;
	for (int c = peekc(s); c >= 0 && !is_blank(c) && c != '{' && c != '}' && c != '\0';
	     c = peekc(s))
		advance(s);
	return strndup(s->buf + start, s->pos - start);
}

/* Reads one token from the sources, ignoring include. */
static void scan(struct lexer *lx, struct tok *t)
{
	while (lx->depth > 0) {
		struct src *s = &lx->stack[lx->depth - 1];
		if (s->pending.gl_pathc && push_pending(lx))
			continue;
		if (!skip_space(s)) {
			if (!refill(lx, s))
				pop(lx);
			continue;
		}
		struct srcpos pos = {s->name, s->line, s->col};
		int c = peekc(s);
		if (c == '{' || c == '}') {
			advance(s);
			set_tok(t, c == '{' ? TOK_OPEN : TOK_CLOSE, NULL, false, pos);
			return;
		}
		bool quoted;
		char *w = scan_word(lx, s, &quoted, &pos);
		set_tok(t, TOK_WORD, w ? w : strdup(""), quoted, pos);
		return;
	}
	struct srcpos end = {t->pos.file, t->pos.line, t->pos.col};
	set_tok(t, TOK_EOF, NULL, false, end);
}

static void do_include(struct lexer *lx, const struct tok *kw)
{
	struct tok pat = {0};
	char dirbuf[PATH_MAX], path[PATH_MAX * 2];
	glob_t g;

	scan(lx, &pat);
	if (pat.kind != TOK_WORD) {
		diag(lx, CONF_ERROR, &kw->pos, "include needs a file name or pattern");
		free(pat.text);
		return;
	}
	if (lx->no_include) {
		diag(lx, CONF_ERROR, &kw->pos, "include is not allowed here");
		free(pat.text);
		return;
	}
	if (pat.text[0] == '/')
		snprintf(path, sizeof(path), "%s", pat.text);
	else
		snprintf(path, sizeof(path), "%s/%s",
		         cur_dir_of(kw->pos.file, dirbuf, sizeof(dirbuf)), pat.text);
	int rc = glob(path, GLOB_ERR, NULL, &g);
	if (rc == GLOB_NOMATCH) {
		diag(lx, CONF_WARNING, &kw->pos, "include %s: no file matches", pat.text);
	} else if (rc != 0) {
		diag(lx, CONF_ERROR, &kw->pos, "include %s: cannot read", pat.text);
	} else if (lx->depth > 0) {
		/* the includer keeps the matches; scan() opens them in order */
		struct src *s = &lx->stack[lx->depth - 1];
		if (s->pending.gl_pathc)
			globfree(&s->pending);
		s->pending = g;
		s->next_pending = 0;
		s->pending_from = kw->pos;
		g.gl_pathc = 0;
	}
	if (rc == 0 && g.gl_pathc)
		globfree(&g);
	free(pat.text);
}

static void scan_expanded(struct lexer *lx, struct tok *t)
{
	for (;;) {
		scan(lx, t);
		if (t->kind != TOK_WORD || t->quoted || strcmp(t->text, "include"))
			return;
		do_include(lx, t);
	}
}

const struct tok *lex_peek(struct lexer *lx)
{
	if (!lx->has_ahead) {
		scan_expanded(lx, &lx->ahead);
		lx->has_ahead = true;
	}
	return &lx->ahead;
}

const struct tok *lex_next(struct lexer *lx)
{
	if (lx->has_ahead) {
		struct tok tmp = lx->cur;
		lx->cur = lx->ahead;
		lx->ahead = tmp;
		lx->has_ahead = false;
	} else {
		scan_expanded(lx, &lx->cur);
	}
	return &lx->cur;
}

void lex_free(struct lexer *lx)
{
	if (!lx)
		return;
	while (lx->depth > 0)
		pop(lx);
	free(lx->cur.text);
	free(lx->ahead.text);
	pp_free(lx->pp);
	free(lx);
}
