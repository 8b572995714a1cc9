/*
 * owned.c: the set of addresses vipd added (see owned.h), hashed by
 * address, and its record in RUN_DIR/addrs.owned: one line per address,
 * "IFNAME ADDR/PREFIXLEN". The record is read once at start and written,
 * whole and atomically, after each batch of changes (owned_sync), from
 * each entry's line made when it was added.
 */
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/log.h"
#include "linux/owned.h"
#include "lib/safefile.h"

#define BUCKETS 1024

struct entry {
	struct nl_addr a;
	char ifname[IFNAMSIZ];                 /* leftovers are known by name only */
	char line[IFNAMSIZ + ADDR_STRLEN + 8]; /* its line in the record, made once */
	int line_len;
	bool leftover; /* the crashed run's, not yet seen */
	bool fresh;    /* added by a request not yet answered */
	struct entry *next;
};

static struct entry *table[BUCKETS];
static char path[512];
static bool dirty;
static const char *(*name_of)(int ifindex, void *arg);
static void *name_arg;

static const char *ifname_for(int ifindex, char *buf)
{
	const char *n = name_of ? name_of(ifindex, name_arg) : NULL;
	return n ? n : if_indextoname((unsigned)ifindex, buf);
}

static unsigned bucket(const struct addr *a)
{
	unsigned h = 2166136261u;
	for (size_t i = 0; i < addr_len(a); i++)
		h = (h ^ a->u.bytes[i]) * 16777619u;
	return h % BUCKETS;
}

static bool same_iface(const struct entry *e, int ifindex)
{
	if (!e->leftover)
		return e->a.ifindex == ifindex;
	const char *n = name_of ? name_of(ifindex, name_arg) : NULL;
	return n && !strcmp(n, e->ifname);
}

static struct entry **find(int ifindex, const struct addr *a, int prefixlen)
{
	for (struct entry **p = &table[bucket(a)]; *p; p = &(*p)->next) {
		struct entry *e = *p;
		if (addr_eq(&e->a.addr, a) && (prefixlen < 0 || e->a.prefixlen == prefixlen) &&
		    same_iface(e, ifindex))
			return p;
	}
	return NULL;
}

static struct entry *insert(const struct nl_addr *a, const char *ifname, bool leftover)
{
	struct entry *e = calloc(1, sizeof(*e));
	unsigned b = bucket(&a->addr);

	if (!e) {
		log_warnx("out of memory: address not recorded as vipd's");
		return NULL;
	}
	e->a = *a;
	e->leftover = leftover;
	snprintf(e->ifname, sizeof(e->ifname), "%s", ifname ? ifname : "");
	char buf[ADDR_STRLEN];
	e->line_len =
	    snprintf(e->line, sizeof(e->line), "%s %s/%d\n", e->ifname[0] ? e->ifname : "?",
	             addr_ntop(&a->addr, buf), a->prefixlen);
	e->next = table[b];
	table[b] = e;
	dirty = true;
	return e;
}

static void unlink_entry(struct entry **p)
{
	struct entry *e = *p;
	*p = e->next;
	free(e);
	dirty = true;
}

/* A record line is trusted no further than its syntax: an interface name
 * and an address, nothing that becomes a path. */
static bool parse_line(const char *line, char *ifname, struct nl_addr *a)
{
	char name[IFNAMSIZ + 1], addr[64];
	int plen;

	if (sscanf(line, "%16s %63s", name, addr) != 2 || strlen(name) >= IFNAMSIZ ||
	    strchr(name, '/') || !addr_parse_prefix(addr, &a->addr, &plen) || plen < 0 ||
	    plen > (a->addr.family == AF_INET ? 32 : 128))
		return false;
	strcpy(ifname, name);
	a->prefixlen = plen;
	return true;
}

void owned_init(const char *run_dir, const char *(*ifname)(int ifindex, void *arg), void *arg)
{
	char line[256], name[IFNAMSIZ];
	struct nl_addr a;
	FILE *f;

	name_of = ifname;
	name_arg = arg;
	snprintf(path, sizeof(path), "%s/addrs.owned", run_dir);
	if (!(f = safe_fopen_record(path)))
		return;
	while (fgets(line, sizeof(line), f)) {
		memset(&a, 0, sizeof(a));
		if (parse_line(line, name, &a))
			insert(&a, name, true);
		else
			log_warnx("%s: ignoring a malformed line", path);
	}
	fclose(f);
	dirty = false;
}

bool owned_has(int ifindex, const struct addr *a, int prefixlen)
{
	return find(ifindex, a, prefixlen) != NULL;
}

void owned_request_add(const struct nl_addr *a)
{
	struct entry **p = find(a->ifindex, &a->addr, a->prefixlen);

	if (p && (*p)->leftover) { /* seen again before the start-up sweep */
		(*p)->leftover = false;
		(*p)->a.ifindex = a->ifindex;
	}
	if (!p) {
		char buf[IF_NAMESIZE];
		struct entry *e = insert(a, ifname_for(a->ifindex, buf), false);
		if (e)
			e->fresh = true;
	}
}

void owned_answer(void *arg, bool add, const struct nl_addr *a, int err)
{
	struct entry **p = find(a->ifindex, &a->addr, a->prefixlen);
	char buf[ADDR_STRLEN];

	if (!p)
		return;
	if (!add) {
		if (err == 0 || err == EADDRNOTAVAIL || err == ENODEV || err == ENOENT ||
		    err == ESRCH)
			unlink_entry(p);
		return;
	}
	if (err == 0) {
		(*p)->fresh = false;
	} else if ((*p)->fresh) { /* EEXIST: it was there before vipd; or it failed */
		if (err == EEXIST)
			log_info("%s/%d was already on interface %d: not vipd's, it stays there "
			         "when vipd lets it go",
			         addr_ntop(&a->addr, buf), a->prefixlen, a->ifindex);
		unlink_entry(p);
	}
}

bool owned_is_leftover(const struct nl_addr *a)
{
	struct entry **p = find(a->ifindex, &a->addr, a->prefixlen);
	return p && (*p)->leftover;
}

void owned_adopt(const struct nl_addr *a)
{
	struct entry **p = find(a->ifindex, &a->addr, a->prefixlen);

	if (p && (*p)->leftover) {
		(*p)->leftover = false;
		(*p)->a.ifindex = a->ifindex;
		dirty = true;
	}
}

static void drop_if(bool (*pred)(const struct entry *e, int ifindex), int ifindex)
{
	for (unsigned b = 0; b < BUCKETS; b++)
		for (struct entry **p = &table[b]; *p;)
			if (pred(*p, ifindex))
				unlink_entry(p);
			else
				p = &(*p)->next;
}

static bool is_leftover(const struct entry *e, int ifindex)
{
	return e->leftover;
}

static bool on_ifindex(const struct entry *e, int ifindex)
{
	return !e->leftover && e->a.ifindex == ifindex;
}

void owned_drop_leftovers(void)
{
	drop_if(is_leftover, 0);
}

void owned_forget_ifindex(int ifindex)
{
	drop_if(on_ifindex, ifindex);
}

void owned_sync(void)
{
	char *text = NULL;
	size_t n = 0, len = 0;
	FILE *f;

	if (!dirty || !path[0])
		return;
	dirty = false;
	if (!(f = open_memstream(&text, &len)))
		return;
	for (unsigned b = 0; b < BUCKETS; b++)
		for (struct entry *e = table[b]; e; e = e->next, n++)
			fwrite(e->line, 1, (size_t)e->line_len, f);
	fclose(f);
	if (!n)
		unlink(path);
	else if (safe_write_file(path, text, len, 0644) < 0)
		log_warn("writing %s", path);
	free(text);
}
