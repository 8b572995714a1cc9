/*
 * addr.c: parsing, formatting and comparing IPv4/IPv6 addresses.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lib/addr.h"

bool addr_parse(const char *s, struct addr *a)
{
	memset(a, 0, sizeof(*a));
	if (inet_pton(AF_INET, s, &a->u.v4) == 1) {
		a->family = AF_INET;
		return true;
	}
	if (inet_pton(AF_INET6, s, &a->u.v6) == 1) {
		a->family = AF_INET6;
		return true;
	}
	a->family = AF_UNSPEC;
	return false;
}

bool addr_parse_prefix(const char *s, struct addr *a, int *plen)
{
	char buf[ADDR_STRLEN + 8];
	const char *slash = strchr(s, '/');
	size_t n = slash ? (size_t)(slash - s) : strlen(s);

	*plen = -1;
	if (n >= ADDR_STRLEN)
		return false;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (!addr_parse(buf, a))
		return false;
	if (!slash)
		return true;
	const char *p = slash + 1;
	if (*p < '0' || *p > '9' || strlen(p) > 3)
		return false;
	char *end;
	errno = 0;
	long v = strtol(p, &end, 10);
	if (*end || errno || v < 0 || v > (a->family == AF_INET ? 32 : 128))
		return false;
	*plen = (int)v;
	return true;
}

/* An octet in decimal at p; returns the end. */
static char *octet(char *p, unsigned v)
{
	if (v >= 100)
		*p++ = (char)('0' + v / 100);
	if (v >= 10)
		*p++ = (char)('0' + v / 10 % 10);
	*p++ = (char)('0' + v % 10);
	return p;
}

/* IPv4 by hand: inet_ntop formats it through sprintf, twenty times the
 * work, and a thousand takeovers or a record of a thousand addresses
 * format one each. */
const char *addr_ntop(const struct addr *a, char *buf)
{
	if (a && a->family == AF_INET) {
		char *p = buf;
		for (int i = 0; i < 4; i++) {
			if (i)
				*p++ = '.';
			p = octet(p, a->u.bytes[i]);
		}
		*p = '\0';
		return buf;
	}
	if (!a || (a->family != AF_INET && a->family != AF_INET6) ||
	    !inet_ntop(a->family, &a->u, buf, ADDR_STRLEN))
		strcpy(buf, "(none)");
	return buf;
}

size_t addr_len(const struct addr *a)
{
	return a->family == AF_INET ? 4 : a->family == AF_INET6 ? 16 : 0;
}

bool addr_eq(const struct addr *a, const struct addr *b)
{
	return a->family == b->family && !memcmp(&a->u, &b->u, addr_len(a));
}

int addr_cmp(const struct addr *a, const struct addr *b)
{
	if (a->family != b->family)
		return a->family < b->family ? -1 : 1;
	return memcmp(&a->u, &b->u, addr_len(a));
}

bool addr_is_set(const struct addr *a)
{
	return a->family == AF_INET || a->family == AF_INET6;
}

bool addr_is_multicast(const struct addr *a)
{
	if (a->family == AF_INET)
		return (a->u.bytes[0] & 0xf0) == 0xe0;
	return a->family == AF_INET6 && a->u.bytes[0] == 0xff;
}

bool addr_is_linklocal6(const struct addr *a)
{
	return a->family == AF_INET6 && a->u.bytes[0] == 0xfe && (a->u.bytes[1] & 0xc0) == 0x80;
}
