/*
 * kafiles.c: where keepalived's dump files go and writing them there:
 * keepalived.data (SIGUSR1), keepalived.stats (SIGUSR2, STATS_CLEAR) and
 * keepalived.json (JSON) in $TMPDIR when it is an absolute path, else in
 * /tmp, as keepalived 2.2.7 does; or where global_defs' state_dump_file,
 * stats_dump_file and json_dump_file say, by keepalived 2.4.3's rule for
 * state_dump_file (an absolute PATH is that file, PATH/ a directory that
 * gets the usual name; a relative one names a file in $TMPDIR). Each is
 * written whole beside its path and renamed there (safe_write_file: never
 * through a link or into a FIFO someone planted), mode 0600 as keepalived's
 * umask 0177 makes it unless a umask is configured. Owns nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "conf/conf.h"
#include "daemon/daemon.h"
#include "daemon/kadump.h"
#include "daemon/kafiles.h"
#include "daemon/katext.h"
#include "lib/log.h"
#include "lib/safefile.h"

static const char *tmp_dir(void)
{
	const char *t = getenv("TMPDIR");

	return t && t[0] == '/' ? t : "/tmp";
}

void kafiles_path(char *buf, size_t len, const char *conf, const char *name)
{
	const char *slash = conf ? strrchr(conf, '/') : NULL;
	bool is_dir = slash && !slash[1];

	if (conf && !is_dir)
		name = slash ? slash + 1 : conf;
	if (conf && conf[0] == '/')
		snprintf(buf, len, "%.*s/%s", (int)(slash - conf), conf, name);
	else
		snprintf(buf, len, "%s/%s", tmp_dir(), name);
}

static void write_one(const struct vipd *d, const char *conf, const char *name, char *text)
{
	char path[4096];
	mode_t mode = d->conf->global.umask >= 0 || d->opts.umask_set ? 0666 : 0600;

	kafiles_path(path, sizeof(path), conf, name);
	if (!text || safe_write_file(path, text, strlen(text), mode) < 0)
		log_warn("writing %s", path);
	else
		log_info("wrote %s", path);
	free(text);
}

void kafiles_data(struct vipd *d)
{
	write_one(d, d->conf->global.state_dump_file, "keepalived.data", katext_data(d));
}

void kafiles_stats(struct vipd *d)
{
	write_one(d, d->conf->global.stats_dump_file, "keepalived.stats", katext_stats(d));
}

void kafiles_json(struct vipd *d)
{
	write_one(d, d->conf->global.json_dump_file, "keepalived.json", kadump_json(d));
}
