/*
 * log.c: syslog or console logging with OpenBSD's log_warn/fatal discipline.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

#include "log.h"

static bool to_console = true;
static bool detail;
static const char *ident = "vipd";

void log_init(const char *name, bool console, bool verbose)
{
	ident = name;
	to_console = console;
	detail = verbose;
	if (!console)
		openlog(name, LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

bool log_detail(void)
{
	return detail;
}

static void vlog(int pri, const char *fmt, va_list ap, const char *suffix)
{
	char msg[1024];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (!to_console) {
		if (suffix)
			syslog(pri, "%s: %s", msg, suffix);
		else
			syslog(pri, "%s", msg);
		return;
	}
	struct timespec ts;
	struct tm tm;
	char stamp[32];
	clock_gettime(CLOCK_REALTIME, &ts);
	localtime_r(&ts.tv_sec, &tm);
	strftime(stamp, sizeof(stamp), "%H:%M:%S", &tm);
	fprintf(stderr, "%s.%03ld %s: %s%s%s\n", stamp, ts.tv_nsec / 1000000, ident, msg,
	        suffix ? ": " : "", suffix ? suffix : "");
	fflush(stderr);
}

#define LOG_BODY(pri, suffix)                                                                      \
	do {                                                                                       \
		va_list ap;                                                                        \
		va_start(ap, fmt);                                                                 \
		vlog(pri, fmt, ap, suffix);                                                        \
		va_end(ap);                                                                        \
	} while (0)

void log_warn(const char *fmt, ...)
{
	const char *err = strerror(errno);
	LOG_BODY(LOG_WARNING, err);
}

void log_warnx(const char *fmt, ...)
{
	LOG_BODY(LOG_WARNING, NULL);
}

void log_info(const char *fmt, ...)
{
	LOG_BODY(LOG_INFO, NULL);
}

void log_debug(const char *fmt, ...)
{
	if (!detail)
		return;
	LOG_BODY(LOG_DEBUG, NULL);
}

void fatal(const char *fmt, ...)
{
	const char *err = strerror(errno);
	LOG_BODY(LOG_CRIT, err);
	exit(1);
}

void fatalx(const char *fmt, ...)
{
	LOG_BODY(LOG_CRIT, NULL);
	exit(1);
}
