/*
 * child.c: spawning and reaping scripts. One registry of running children
 * maps a pid to its owner's callback, so one SIGCHLD reaper serves notify
 * and tracking scripts alike.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "child.h"
#include "log.h"

#define MAX_ARGS 64

struct child {
	pid_t pid;
	child_fn fn;
	void *arg;
	struct child *next;
};

static struct child *children;

static int split(char *s, char **argv, int max)
{
	int n = 0;

	while (*s && n < max - 1) {
		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s)
			break;
		char q = (*s == '"' || *s == '\'') ? *s++ : 0;
		argv[n++] = s;
		while (*s && (q ? *s != q : (*s != ' ' && *s != '\t')))
			s++;
		if (*s)
			*s++ = '\0';
	}
	argv[n] = NULL;
	return n;
}

static void exec_child(char **argv)
{
	sigset_t none;
	int fd;

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGPIPE, SIG_DFL);
	setpgid(0, 0);
	if ((fd = open("/dev/null", O_RDWR)) >= 0) {
		dup2(fd, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		if (fd > 2)
			close(fd);
	}
	execv(argv[0], argv);
	_exit(127);
}

pid_t child_spawn(const char *cmd, const char *const *extra, child_fn on_exit, void *arg)
{
	char *line = strdup(cmd);
	char *argv[MAX_ARGS + 8];
	struct child *c = calloc(1, sizeof(*c));
	int n;

	if (!line || !c) {
		free(line);
		free(c);
		return -1;
	}
	n = split(line, argv, MAX_ARGS);
	for (int i = 0; extra && extra[i] && n < MAX_ARGS + 6; i++)
		argv[n++] = (char *)extra[i];
	argv[n] = NULL;
	if (n == 0) {
		free(line);
		free(c);
		return -1;
	}
	c->pid = fork();
	if (c->pid == 0)
		exec_child(argv);
	free(line);
	if (c->pid < 0) {
		log_warn("running %s", cmd);
		free(c);
		return -1;
	}
	setpgid(c->pid, c->pid); /* also here: no race with a kill before exec */
	c->fn = on_exit;
	c->arg = arg;
	c->next = children;
	children = c;
	return c->pid;
}

void child_kill(pid_t pid)
{
	if (pid > 0)
		kill(-pid, SIGKILL);
}

void child_forget(pid_t pid)
{
	for (struct child *c = children; c; c = c->next)
		if (c->pid == pid)
			c->fn = NULL;
}

void child_reap(void)
{
	int status;
	pid_t pid;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		for (struct child **p = &children; *p; p = &(*p)->next) {
			struct child *c = *p;
			if (c->pid != pid)
				continue;
			*p = c->next;
			if (c->fn)
				c->fn(c->arg, status);
			free(c);
			break;
		}
	}
}
