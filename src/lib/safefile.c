/*
 * safefile.c: see safefile.h. Checks are made on the open descriptor
 * (fstat), never on the path, so nothing can be swapped in between.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/log.h"
#include "lib/safefile.h"

static const char *type_name(mode_t type)
{
	return type == S_IFIFO ? "a FIFO" : "a regular file";
}

int safe_open(const char *path, int flags, mode_t mode, mode_t type, uid_t owner_ok, char *why,
              size_t len)
{
	int fd = open(path, flags | O_NOFOLLOW | O_CLOEXEC, mode);
	struct stat st;

	if (fd < 0) {
		int e = errno;
		snprintf(why, len, "%s: %s", path, e == ELOOP ? "is a symbolic link" : strerror(e));
		errno = e;
		return -1;
	}
	if (fstat(fd, &st) < 0) {
		snprintf(why, len, "%s: %s", path, strerror(errno));
	} else if ((st.st_mode & S_IFMT) != type) {
		snprintf(why, len, "%s is not %s", path, type_name(type));
	} else if (st.st_uid != 0 && st.st_uid != owner_ok) {
		snprintf(why, len, "%s belongs to uid %u, not root", path, (unsigned)st.st_uid);
	} else if ((st.st_mode & S_IWOTH) || ((st.st_mode & S_IWGRP) && st.st_gid != 0)) {
		snprintf(why, len, "%s can be written by users other than its owner", path);
	} else {
		return fd;
	}
	close(fd);
	errno = EPERM;
	return -1;
}

/* The process umask, read without changing it (umask(2) would, for a
 * moment, for every thread). */
static mode_t current_umask(void)
{
	FILE *f = fopen("/proc/self/status", "re");
	char line[128];
	unsigned m = 022;

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "Umask: %o", &m) == 1)
			break;
	if (f)
		fclose(f);
	return (mode_t)m;
}

/* The new file: a name nobody can guess (mkostemp, O_EXCL), so a file,
 * link or directory planted beside path in a shared directory such as
 * /tmp can neither redirect the write nor block it. */
static int open_beside(const char *path, char *tmp, size_t len, mode_t mode)
{
	int fd;

	if (snprintf(tmp, len, "%s.XXXXXX", path) >= (int)len) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if ((fd = mkostemp(tmp, O_CLOEXEC)) < 0)
		return -1;
	if (fchmod(fd, mode & ~current_umask()) < 0) {
		int e = errno;
		close(fd);
		unlink(tmp);
		errno = e;
		return -1;
	}
	return fd;
}

int safe_write_file(const char *path, const char *text, size_t len, mode_t mode)
{
	char tmp[4096];
	int fd = open_beside(path, tmp, sizeof(tmp), mode), e;

	if (fd < 0)
		return -1;
	for (size_t off = 0; off < len;) {
		ssize_t n = write(fd, text + off, len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			goto fail;
		off += (size_t)n;
	}
	if (close(fd) < 0 || rename(tmp, path) < 0) {
		fd = -1;
		goto fail;
	}
	return 0;
fail:
	e = errno;
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	errno = e;
	return -1;
}

FILE *safe_fopen_record(const char *path)
{
	char why[600];
	FILE *f;
	int fd = safe_open(path, O_RDONLY, 0, S_IFREG, 0, why, sizeof(why));

	if (fd < 0) {
		if (errno != ENOENT)
			log_warnx("%s; ignored", why);
		return NULL;
	}
	if (!(f = fdopen(fd, "r")))
		close(fd);
	return f;
}
