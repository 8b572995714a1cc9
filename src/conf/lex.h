/*
 * lex.h: tokenizer for keepalived.conf, with include expansion.
 */
#ifndef VIPD_LEX_H
#define VIPD_LEX_H

#include <stdbool.h>
#include <stddef.h>

#include "conf/conf.h"

enum tok_kind { TOK_EOF, TOK_WORD, TOK_OPEN, TOK_CLOSE };

struct tok {
	enum tok_kind kind;
	char *text; /* TOK_WORD: the word, quotes removed (owned by the lexer) */
	bool quoted;
	struct srcpos pos;
};

struct lexer;

typedef void (*lex_diag_fn)(void *arg, enum conf_severity, const struct srcpos *, const char *msg);

/* intern(arg, name) returns a stable copy of a file name for positions. */
typedef const char *(*lex_intern_fn)(void *arg, const char *name);

struct lexer *lex_new(lex_diag_fn diag, lex_intern_fn intern, void *arg);
/* Pushes a file (path) or a buffer (name, text); returns -1 if unreadable. */
int lex_push_file(struct lexer *lx, const char *path, const struct srcpos *from);
void lex_push_string(struct lexer *lx, const char *name, const char *text, size_t len);
/* What @ID lines are compared with (NULL: the host name up to its first '.'). */
void lex_config_id(struct lexer *lx, const char *id);
/* random_seed: ${_RANDOM} repeats from seed from here on. */
void lex_seed(struct lexer *lx, unsigned seed);
/* Disallow include (fuzzing): include becomes an error. */
void lex_no_include(struct lexer *lx);
/* The next token; the returned struct is valid until the next lex_next call. */
const struct tok *lex_next(struct lexer *lx);
/* Look at the next token without consuming it. */
const struct tok *lex_peek(struct lexer *lx);
void lex_free(struct lexer *lx);

#endif
