/*
 * execpath.h: where a command's program is, as execvp() would find it:
 * a name without a slash is looked up in PATH (keepalived resolves script
 * names the same way, from its environment's PATH or the system default).
 */
#ifndef VIPD_EXECPATH_H
#define VIPD_EXECPATH_H

#include <stdbool.h>
#include <stddef.h>

/* The program word of a command line (its first word, without quotes). */
void exec_program(const char *cmd, char *out, size_t len);
/* The file that runs for program: itself when it has a slash, else the
 * first executable regular file of that name in PATH's absolute entries.
 * False when none. */
bool exec_find(const char *program, char *out, size_t len);
/* The search path exec_find uses. */
const char *exec_search_path(void);

#endif
