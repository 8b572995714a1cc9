/*
 * child.c: spawning and reaping scripts. One registry of running children
 * maps a pid to its owner's callback, so one SIGCHLD reaper serves notify
 * and tracking scripts alike.
 */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <sys/stat.h>
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

static void exec_child(char **argv, const struct child_cred *cred)
{
	sigset_t none;
	int fd;

	if (cred && cred->set &&
	    (setgroups(0, NULL) < 0 || setgid(cred->gid) < 0 || setuid(cred->uid) < 0))
		_exit(126);
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

pid_t child_spawn(const char *cmd, const char *const *extra, const struct child_cred *cred,
                  child_fn on_exit, void *arg)
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
		exec_child(argv, cred);
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

bool child_cred_lookup(const char *user, const char *group, struct child_cred *c, char *why,
                       size_t len)
{
	struct passwd *pw = getpwnam(user);
	struct group *gr = NULL;

	if (!pw) {
		snprintf(why, len, "user %s does not exist", user);
		return false;
	}
	if (group && !(gr = getgrnam(group))) {
		snprintf(why, len, "group %s does not exist", group);
		return false;
	}
	c->set = true;
	c->uid = pw->pw_uid;
	c->gid = gr ? gr->gr_gid : pw->pw_gid;
	return true;
}

/* Can someone other than root change st? Sticky directories are safe. */
static bool insecure(const struct stat *st)
{
	if (st->st_uid != 0)
		return true;
	if (S_ISDIR(st->st_mode) && (st->st_mode & S_ISVTX))
		return false;
	return (st->st_mode & S_IWOTH) || ((st->st_mode & S_IWGRP) && st->st_gid != 0);
}

bool child_path_secure(const char *cmd, char *why, size_t len)
{
	char path[4096];
	struct stat st;

	snprintf(path, sizeof(path), "%s", cmd);
	path[strcspn(path, " \t")] = '\0';
	if (path[0] != '/') {
		snprintf(why, len, "%s is not an absolute path", path);
		return false;
	}
	for (;;) {
		if (stat(path, &st) < 0) {
			snprintf(why, len, "%s: %s", path, strerror(errno));
			return false;
		}
		if (insecure(&st)) {
			snprintf(why, len, "%s can be changed by a user other than root", path);
			return false;
		}
		char *slash = strrchr(path, '/');
		if (!slash || slash == path) {
			if (strcmp(path, "/") == 0)
				return true;
			strcpy(path, "/");
			continue;
		}
		*slash = '\0';
	}
}
