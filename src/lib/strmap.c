/*
 * strmap.c: see strmap.h. FNV-1a hash, linear probing, at most half full.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/strmap.h"

struct strmap_slot {
	char *key; /* NULL: empty */
	long value;
};

static size_t hash(const char *s)
{
	uint64_t h = 1469598103934665603ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return (size_t)h;
}

static struct strmap_slot *find(const struct strmap *m, const char *key)
{
	if (!m->cap)
		return NULL;
	for (size_t i = hash(key) & (m->cap - 1);; i = (i + 1) & (m->cap - 1))
		if (!m->slots[i].key || !strcmp(m->slots[i].key, key))
			return &m->slots[i];
}

static bool grow(struct strmap *m)
{
	size_t cap = m->cap ? 2 * m->cap : 64;
	struct strmap_slot *old = m->slots, *s;
	size_t old_cap = m->cap;

	if (!(m->slots = calloc(cap, sizeof(*m->slots)))) {
		m->slots = old;
		return false;
	}
	m->cap = cap;
	for (size_t i = 0; i < old_cap; i++)
		if (old[i].key) {
			s = find(m, old[i].key);
			*s = old[i];
		}
	free(old);
	return true;
}

long strmap_get(const struct strmap *m, const char *key)
{
	const struct strmap_slot *s = find(m, key);
	return s && s->key ? s->value : -1;
}

long strmap_put(struct strmap *m, const char *key, long value)
{
	struct strmap_slot *s;

	if (2 * (m->n + 1) > m->cap && !grow(m))
		return -1;
	s = find(m, key);
	if (s->key)
		return s->value;
	if (!(s->key = strdup(key)))
		return -1;
	s->value = value;
	m->n++;
	return value;
}

void strmap_free(struct strmap *m)
{
	for (size_t i = 0; i < m->cap; i++)
		free(m->slots[i].key);
	free(m->slots);
	memset(m, 0, sizeof(*m));
}
