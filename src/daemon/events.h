/*
 * events.h: the live event stream of `vipctl events` (events.c owns the
 * subscribers): state transitions, priority changes and tracking changes,
 * one line per event to each subscriber, as text or JSON.
 */
#ifndef VIPD_EVENTS_H
#define VIPD_EVENTS_H

#include <stdbool.h>

struct instance;
struct vipd;

/* A control client that asked for "events" ("events json"): fd is
 * non-blocking and no longer in the loop; from now on events.c owns it. */
void events_subscribe(struct vipd *d, int fd, bool json);
void events_transition(const struct instance *in, const char *from, const char *to,
                       const char *why);
void events_priority(const struct instance *in, unsigned from, unsigned to);
/* A tracked object's state changed: type "script", "file", "process",
 * "interface"; from/to its states ("OK", "FAILED", "UP", a value...). */
void events_track(const char *type, const char *name, const char *from, const char *to);
void events_close(struct vipd *d); /* every subscriber closed */

#endif
