/*
 * safefile.h: opening and writing the files vipd shares with the rest of
 * the host (pid file, notify FIFO, status dumps, run-directory records)
 * so that a symlink or a file planted by another user cannot redirect
 * what root writes or feed what root reads.
 */
#ifndef VIPD_SAFEFILE_H
#define VIPD_SAFEFILE_H

#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

/* open() that never follows a final symlink (O_NOFOLLOW) and accepts only
 * a file of the given type (S_IFREG or S_IFIFO) that is owned by root or
 * by owner_ok (pass 0 for root only) and that nobody else can write (no
 * write bit for others, nor for a group other than root's). O_CLOEXEC is
 * added. Returns the fd, or -1 with why filled in (errno: open's, or
 * EPERM for a file that fails the checks). */
int safe_open(const char *path, int flags, mode_t mode, mode_t type, uid_t owner_ok, char *why,
              size_t len);
/* A run-directory record for reading: safe_open's checks (a regular file
 * of root's that only root can write), fdopen'd. NULL when it is missing,
 * or (logged: "...; ignored") when it fails the checks. */
FILE *safe_fopen_record(const char *path);

/* Writes text to path whole and atomically: a new file next to it under a
 * name nobody can guess, made with O_EXCL (never through a link), given
 * mode less the umask, then renamed over path (a link or FIFO there is
 * replaced, never written through). 0 or -1 with errno. */
int safe_write_file(const char *path, const char *text, size_t len, mode_t mode);

#endif
