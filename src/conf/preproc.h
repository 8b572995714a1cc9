/*
 * preproc.h: keepalived.conf's line preprocessing (@ID conditions, $NAME
 * definitions, ~SEQ / ~LST repetition), one line at a time (preproc.c).
 */
#ifndef VIPD_PREPROC_H
#define VIPD_PREPROC_H

#include <stdbool.h>
#include <stddef.h>

#include "conf/conf.h"

struct preproc;

typedef void (*pp_diag_fn)(void *arg, enum conf_severity, const struct srcpos *, const char *msg);

enum pp_result {
	PP_KEEP,    /* the line as it is */
	PP_DROP,    /* nothing (a definition, or a condition for another host) */
	PP_REPLACE, /* *out (malloc'd, lines ending in '\n') instead */
};

/* config_id: what @ID lines are compared with (-i, default the host name). */
struct preproc *pp_new(const char *config_id, pp_diag_fn diag, void *arg);
void pp_free(struct preproc *pp);
/* random_seed: ${_RANDOM} from here on repeats from seed. */
void pp_seed(struct preproc *pp, unsigned seed);
/* One line of a file (len bytes, without its '\n'); pwd: the file's directory. */
enum pp_result pp_line(struct preproc *pp, const char *line, size_t len, const char *pwd,
                       const struct srcpos *pos, char **out, size_t *outlen);

#endif
