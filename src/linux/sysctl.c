/*
 * sysctl.c: the per-interface IPv4 settings (net.ipv4.conf.IF.KEY) vipd
 * changes for use_vmac. Each original value is kept once, counted by its
 * users and written back when the last one goes. The originals are also
 * written to RUN_DIR/sysctl.saved, so a run after a crash puts them back
 * first instead of taking vipd's own values for the originals. A vmac's
 * own settings, IPv6 ones too (net.ipv6.conf.IF.KEY), are set for good.
 */
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <stdbool.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/log.h"
#include "lib/safefile.h"
#include "linux/sysctl.h"

struct saved {
	char ifname[IFNAMSIZ], key[32], orig[16];
	int users;
	struct saved *next;
};
static struct saved *list;
static char file[512];

static int rw_in(const char *proto, const char *ifname, const char *key, const char *set, char *old,
                 size_t len)
{
	char path[128];
	int fd;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/sys/net/%s/conf/%s/%s", proto, ifname, key);
	if ((fd = open(path, O_RDWR | O_CLOEXEC)) < 0)
		return -errno;
	if (old) {
		if ((n = read(fd, old, len - 1)) < 0)
			n = 0;
		old[n] = '\0';
		old[strcspn(old, "\n")] = '\0';
	}
	if (set && (lseek(fd, 0, SEEK_SET) < 0 || write(fd, set, strlen(set)) < 0)) {
		int e = errno;
		close(fd);
		return -e;
	}
	close(fd);
	return 0;
}

static int rw(const char *ifname, const char *key, const char *set, char *old, size_t len)
{
	return rw_in("ipv4", ifname, key, set, old, len);
}

void sysctl_set(const char *ifname, const char *key, const char *value)
{
	int rc = rw(ifname, key, value, NULL, 0);

	if (rc < 0)
		log_warnx("setting %s %s to %s: %s", ifname, key, value, strerror(-rc));
}

void sysctl_set6(const char *ifname, const char *key, const char *value)
{
	int rc = rw_in("ipv6", ifname, key, value, NULL, 0);

	if (rc < 0 && rc != -ENOENT) /* ENOENT: a kernel without IPv6 */
		log_warnx("setting %s IPv6 %s to %s: %s", ifname, key, value, strerror(-rc));
}

int sysctl_get(const char *ifname, const char *key, char *buf, size_t len)
{
	return rw(ifname, key, NULL, buf, len);
}

static void write_file(void)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	if (!file[0])
		return;
	if (!list) {
		unlink(file);
		return;
	}
	if (!(f = open_memstream(&text, &len)))
		return;
	for (struct saved *s = list; s; s = s->next)
		fprintf(f, "%s %s %s\n", s->ifname, s->key, s->orig);
	fclose(f);
	if (safe_write_file(file, text, len, 0644) < 0)
		log_warn("writing %s", file);
	free(text);
}

/* A line of sysctl.saved names a setting vipd changes, on an interface
 * name, with a number: nothing else becomes a path under /proc/sys. */
static bool saved_line_ok(const char *ifname, const char *key, const char *value)
{
	static const char *const keys[] = {"rp_filter", "arp_ignore", "arp_filter", "arp_announce"};
	bool known = false;

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		known |= !strcmp(key, keys[i]);
	if (!known || strchr(ifname, '/') || !strcmp(ifname, ".") || !strcmp(ifname, "..") ||
	    !ifname[0] || !value[0])
		return false;
	for (const char *p = value; *p; p++)
		if (*p < '0' || *p > '9')
			return false;
	return true;
}

void sysctl_init(const char *run_dir)
{
	char ifname[IFNAMSIZ], key[32], orig[16];
	FILE *f;

	snprintf(file, sizeof(file), "%s/sysctl.saved", run_dir);
	if (!(f = safe_fopen_record(file)))
		return;
	log_info("putting back interface settings left changed by an earlier run");
	while (fscanf(f, "%15s %31s %15s", ifname, key, orig) == 3)
		if (!saved_line_ok(ifname, key, orig))
			log_warnx("%s: ignoring %s %s %s", file, ifname, key, orig);
		else if (rw(ifname, key, orig, NULL, 0) == 0)
			log_info("%s %s back to %s", ifname, key, orig);
	fclose(f);
	unlink(file);
}

void sysctl_take(const char *ifname, const char *key, const char *value)
{
	struct saved *s;
	int rc;

	for (s = list; s; s = s->next)
		if (!strcmp(s->ifname, ifname) && !strcmp(s->key, key))
			break;
	if (!s) {
		if (!(s = calloc(1, sizeof(*s))))
			return;
		snprintf(s->ifname, sizeof(s->ifname), "%s", ifname);
		snprintf(s->key, sizeof(s->key), "%s", key);
		if (rw(ifname, key, NULL, s->orig, sizeof(s->orig)) < 0 || !s->orig[0]) {
			free(s);
			log_warnx("reading %s %s: no such setting", ifname, key);
			return;
		}
		s->next = list;
		list = s;
		write_file();
	}
	s->users++;
	if ((rc = rw(ifname, key, value, NULL, 0)) < 0)
		log_warnx("setting %s %s to %s: %s", ifname, key, value, strerror(-rc));
}

void sysctl_release(const char *ifname, const char *key)
{
	for (struct saved **p = &list; *p; p = &(*p)->next) {
		struct saved *s = *p;
		if (strcmp(s->ifname, ifname) || strcmp(s->key, key) || --s->users > 0)
			continue;
		rw(ifname, key, s->orig, NULL, 0);
		*p = s->next;
		free(s);
		write_file();
		return;
	}
}
