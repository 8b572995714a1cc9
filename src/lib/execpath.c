/*
 * execpath.c: PATH search for the programs of scripts (vrrp_script, the
 * notify scripts), done by vipd itself because it execs them directly,
 * without a shell. Owns nothing.
 */
#include <paths.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/execpath.h"

void exec_program(const char *cmd, char *out, size_t len)
{
	const char *s = cmd;
	size_t n;

	while (*s == ' ' || *s == '\t')
		s++;
	if (*s == '"' || *s == '\'') {
		const char *end = strchr(s + 1, *s);
		n = end ? (size_t)(end - s - 1) : strlen(s + 1);
		s++;
	} else {
		n = strcspn(s, " \t");
	}
	snprintf(out, len, "%.*s", (int)n, s);
}

const char *exec_search_path(void)
{
	const char *p = getenv("PATH");

	return p && *p ? p : _PATH_DEFPATH;
}

static bool runnable(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0;
}

bool exec_find(const char *program, char *out, size_t len)
{
	const char *p = exec_search_path();

	if (!program || !program[0] || strlen(program) >= len)
		return false;
	if (strchr(program, '/')) {
		memcpy(out, program, strlen(program) + 1);
		return runnable(program);
	}
	while (*p) {
		size_t n = strcspn(p, ":");
		char cand[4096];
		/* entries that are not absolute (the current directory) are
		 * skipped: root runs nothing found relative to where it is */
		if (n && p[0] == '/' &&
		    (size_t)snprintf(cand, sizeof(cand), "%.*s/%s", (int)n, p, program) <
		        sizeof(cand) &&
		    runnable(cand)) {
			snprintf(out, len, "%s", cand);
			return true;
		}
		p += n + (p[n] == ':');
	}
	return false;
}
