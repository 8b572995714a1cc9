/*
 * strmap.h: a string -> index map (open addressing, grows), for the
 * checks and look-ups that would otherwise compare every pair: duplicate
 * VRIDs, names, VIPs in configs of 100,000 instances. Owns copies of its
 * keys.
 */
#ifndef VIPD_STRMAP_H
#define VIPD_STRMAP_H

#include <stdbool.h>
#include <stddef.h>

struct strmap {
	struct strmap_slot *slots;
	size_t cap, n;
};

/* The index stored for key, or -1. */
long strmap_get(const struct strmap *m, const char *key);
/* Stores key -> value unless key is there; returns the value stored for
 * key (the old one if it was there), or -1 out of memory. */
long strmap_put(struct strmap *m, const char *key, long value);
void strmap_free(struct strmap *m);

#endif
