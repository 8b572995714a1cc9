/*
 * netns.c: joining a named network namespace (/run/netns/NAME, as
 * ip-netns makes them), for -s NAME and global net_namespace.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "linux/netns.h"

int netns_join(const char *name, char *why, size_t len)
{
	char path[512];
	int fd;

	if (strchr(name, '/') || !name[0] || !strcmp(name, ".") || !strcmp(name, "..")) {
		snprintf(why, len, "'%s' is not a namespace name", name);
		return -1;
	}
	snprintf(path, sizeof(path), "/run/netns/%s", name);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0 || setns(fd, CLONE_NEWNET) < 0) {
		snprintf(why, len, "network namespace %s: %s", name, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	close(fd);
	return 0;
}
