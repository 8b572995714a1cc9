/*
 * addr.h: an IPv4 or IPv6 address with its family, used by every part of vipd.
 */
#ifndef VIPD_ADDR_H
#define VIPD_ADDR_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>

struct addr {
	int family; /* AF_INET, AF_INET6, or AF_UNSPEC when unset */
	union {
		struct in_addr v4;
		struct in6_addr v6;
		unsigned char bytes[16];
	} u;
};

#define ADDR_STRLEN 46 /* INET6_ADDRSTRLEN */

/* Parses a literal IPv4 or IPv6 address (no prefix). Returns false on error. */
bool addr_parse(const char *s, struct addr *a);
/* Parses "ADDR[/LEN]"; *plen is set to -1 when no prefix is given. */
bool addr_parse_prefix(const char *s, struct addr *a, int *plen);
/* Formats into buf (ADDR_STRLEN bytes); returns buf. */
const char *addr_ntop(const struct addr *a, char *buf);
/* Address length in bytes for the family: 4, 16, or 0. */
size_t addr_len(const struct addr *a);
bool addr_eq(const struct addr *a, const struct addr *b);
/* Numeric (network byte order) comparison; families must match. <0, 0, >0. */
int addr_cmp(const struct addr *a, const struct addr *b);
bool addr_is_set(const struct addr *a);
bool addr_is_multicast(const struct addr *a);
bool addr_is_linklocal6(const struct addr *a);

#endif
