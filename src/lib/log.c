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

#include "lib/log.h"

static bool to_console = true;
static bool to_syslog; /* when not to the console: false with keepalived's -G */
static unsigned debug_mask;
static const char *ident = "vipd";
static const char *const cat_names[LOG_CAT_MAX] = {"fsm",    "packet", "kernel", "track",
                                                   "notify", "sync",   "ctl"};

static int log_facility;

void log_init(const char *name, bool console, unsigned debug, bool syslog_on, int facility)
{
	ident = name;
	log_facility = facility;
	to_console = console;
	to_syslog = !console && syslog_on;
	debug_mask = debug & LOG_CAT_ALL;
	if (to_syslog)
		openlog(name, LOG_PID | LOG_NDELAY, facility);
}

void log_set_ident(const char *name)
{
	ident = name;
	if (to_syslog) {
		closelog();
		openlog(name, LOG_PID | LOG_NDELAY, log_facility);
	}
}

bool log_on(enum log_cat c)
{
	return (unsigned)c < LOG_CAT_MAX && debug_mask & (1u << c);
}

const char *log_cat_name(enum log_cat c)
{
	return (unsigned)c < LOG_CAT_MAX ? cat_names[c] : "?";
}

bool log_cats_parse(const char *list, unsigned *mask, const char **bad)
{
	static char word[32];
	const char *p = list;

	*mask = 0;
	while (*p) {
		size_t n = strcspn(p, ",");
		unsigned c;
		snprintf(word, sizeof(word), "%.*s",
		         (int)(n < sizeof(word) - 1 ? n : sizeof(word) - 1), p);
		if (!strcmp(word, "all"))
			*mask |= LOG_CAT_ALL;
		else {
			for (c = 0; c < LOG_CAT_MAX && strcmp(word, cat_names[c]); c++)
				;
			if (c == LOG_CAT_MAX) {
				*bad = word;
				return false;
			}
			*mask |= 1u << c;
		}
		p += n + (p[n] == ',');
	}
	return true;
}

/* Held lines (log_hold): each is its syslog priority, then the text with
 * its newline; written out by log_release, in order. */
#define HOLD_MAX (256 * 1024)
static bool holding;
static char *held;
static size_t held_len;

static void emit(int pri, const char *line, size_t len)
{
	if (!to_console) {
		if (to_syslog)
			syslog(pri, "%.*s", (int)(len - 1), line);
		return;
	}
	fwrite(line, 1, len, stderr);
}

void log_release(void)
{
	size_t at = 0;

	while (at < held_len) {
		int pri = held[at];
		size_t len = strcspn(held + at + 1, "\n") + 1;
		emit(pri, held + at + 1, len);
		at += 1 + len;
	}
	held_len = 0;
	if (to_console)
		fflush(stderr);
}

void log_hold(bool on)
{
	if (!on)
		log_release();
	holding = on;
	if (on && !held && !(held = malloc(HOLD_MAX)))
		holding = false;
}

static void put(int pri, const char *line, size_t len)
{
	if (!holding) {
		emit(pri, line, len);
		if (to_console)
			fflush(stderr);
		return;
	}
	if (held_len + 1 + len > HOLD_MAX)
		log_release();
	held[held_len++] = (char)pri;
	memcpy(held + held_len, line, len);
	held_len += len;
}

static void vlog(int pri, const char *fmt, va_list ap, const char *suffix)
{
	char msg[1024], line[1200];
	int n;

	vsnprintf(msg, sizeof(msg), fmt, ap);
	for (char *p = msg; *p; p++) /* one line per message: held lines end at \n */
		if (*p == '\n')
			*p = ' ';
	if (!to_console) {
		n = snprintf(line, sizeof(line), "%s%s%s\n", msg, suffix ? ": " : "",
		             suffix ? suffix : "");
	} else {
		static time_t stamp_sec = -1;
		static char stamp[32];
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		if (ts.tv_sec != stamp_sec) { /* the clock's fields once a second */
			struct tm tm;
			localtime_r(&ts.tv_sec, &tm);
			strftime(stamp, sizeof(stamp), "%H:%M:%S", &tm);
			stamp_sec = ts.tv_sec;
		}
		n = snprintf(line, sizeof(line), "%s.%03ld %s: %s%s%s\n", stamp,
		             ts.tv_nsec / 1000000, ident, msg, suffix ? ": " : "",
		             suffix ? suffix : "");
	}
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(line)) { /* cut: still one line */
		n = sizeof(line) - 1;
		line[n - 1] = '\n';
	}
	put(pri, line, (size_t)n);
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
	if (!debug_mask)
		return;
	LOG_BODY(LOG_DEBUG, NULL);
}

void log_trace_cat(enum log_cat c, const char *fmt, ...)
{
	char f[256];

	snprintf(f, sizeof(f), "[%s] %s", log_cat_name(c), fmt);
	va_list ap;
	va_start(ap, fmt);
	vlog(LOG_DEBUG, f, ap, NULL);
	va_end(ap);
}

bool log_due(vtime_t *last, vtime_t now, vtime_t every)
{
	if (*last && now - *last < every)
		return false;
	*last = now;
	return true;
}

void fatal(const char *fmt, ...)
{
	const char *err = strerror(errno);
	log_hold(false);
	LOG_BODY(LOG_CRIT, err);
	exit(1);
}
