/*
 * log.h: logging for vipd and vipctl, OpenBSD style.
 *
 * log_warn() appends strerror(errno); log_warnx() does not.
 * fatal() logs and exits 1. Messages go to syslog (LOG_DAEMON)
 * or, with log_init(.., console=true), to stderr.
 *
 * Debug traces come by category (-D turns on every one but packet, the
 * per-advert traces; --debug LIST picks): log_trace(LOG_FSM, ...) costs one
 * test when the category is off.
 */
#ifndef VIPD_LOG_H
#define VIPD_LOG_H

#include <stdbool.h>

#include "lib/vtime.h"

#define LOG_PRINTF(a, b) __attribute__((format(printf, a, b)))

enum log_cat {
	LOG_FSM,    /* every event of a machine, its table row and actions (the
	               steady ones of each advert: with packet) */
	LOG_PACKET, /* adverts sent, received and dropped (with the value) */
	LOG_KERNEL, /* netlink requests and answers, sockets, nftables */
	LOG_TRACK,  /* tracked objects: script results, interfaces, files, processes */
	LOG_NOTIFY, /* notify scripts and the FIFO */
	LOG_SYNC,   /* sync group decisions */
	LOG_CTL,    /* control socket clients */
	LOG_CAT_MAX
};
#define LOG_CAT_ALL    ((1u << LOG_CAT_MAX) - 1)
#define LOG_CAT_DETAIL (LOG_CAT_ALL & ~(1u << LOG_PACKET)) /* -D */

/* syslog_on false (keepalived's -G): without console, nothing is logged;
 * facility: syslog's (LOG_DAEMON unless -S). */
void log_init(const char *ident, bool console, unsigned debug, bool syslog_on, int facility);
/* The name log lines carry from now on (kept, not copied). */
void log_set_ident(const char *ident);
/* Whether category c is traced. */
bool log_on(enum log_cat c);
/* "fsm,kernel" or "all" into a mask; false (and *bad set) on an unknown name. */
bool log_cats_parse(const char *list, unsigned *mask, const char **bad);
const char *log_cat_name(enum log_cat c);
void log_trace_cat(enum log_cat c, const char *fmt, ...) LOG_PRINTF(2, 3);
#define log_trace(c, ...)                                                                          \
	do {                                                                                       \
		if (log_on(c))                                                                     \
			log_trace_cat(c, __VA_ARGS__);                                             \
	} while (0)
void log_warn(const char *fmt, ...) LOG_PRINTF(1, 2);
void log_warnx(const char *fmt, ...) LOG_PRINTF(1, 2);
void log_info(const char *fmt, ...) LOG_PRINTF(1, 2);
void log_debug(const char *fmt, ...) LOG_PRINTF(1, 2);
/* The daemon's loop holds its log lines while it works (log_hold(true))
 * and writes them once its adverts are out (log_release, after each pass):
 * a burst of traces never stands between an event and its advert. */
void log_hold(bool on);
void log_release(void);
/* Rate limit: true (and *last = now) once per every. */
bool log_due(vtime_t *last, vtime_t now, vtime_t every);
_Noreturn void fatal(const char *fmt, ...) LOG_PRINTF(1, 2);

#endif
