/*
 * log.h: logging for vipd and vipctl, OpenBSD style.
 *
 * log_warn() appends strerror(errno); log_warnx() does not.
 * fatal()/fatalx() log and exit(1). Messages go to syslog (LOG_DAEMON)
 * or, with log_init(.., console=true), to stderr.
 */
#ifndef VIPD_LOG_H
#define VIPD_LOG_H

#include <stdbool.h>

#define LOG_PRINTF(a, b) __attribute__((format(printf, a, b)))

void log_init(const char *ident, bool console, bool detail);
bool log_detail(void);
void log_warn(const char *fmt, ...) LOG_PRINTF(1, 2);
void log_warnx(const char *fmt, ...) LOG_PRINTF(1, 2);
void log_info(const char *fmt, ...) LOG_PRINTF(1, 2);
void log_debug(const char *fmt, ...) LOG_PRINTF(1, 2);
_Noreturn void fatal(const char *fmt, ...) LOG_PRINTF(1, 2);
_Noreturn void fatalx(const char *fmt, ...) LOG_PRINTF(1, 2);

#endif
