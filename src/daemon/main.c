/*
 * main.c: the vipd command line (keepalived's flags where keepalived has them).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/close_range.h>

#include "conf/conf.h"
#include "lib/log.h"
#include "daemon/vipd.h"

#define EXIT_CONF_FATAL  3 /* keepalived -t: config could not be read */
#define EXIT_CONF_ERRORS 4

static const char default_conf[] = VIPD_SYSCONFDIR "/vipd/vipd.conf";
static const char keepalived_conf[] = "/etc/keepalived/keepalived.conf";

static void usage(FILE *f)
{
	fprintf(
	    f,
	    "usage: vipd [options]\n"
	    "  -f, --use-file FILE    config file (default %s,\n"
	    "                         else %s)\n"
	    "  -t, --config-test      check the config and exit (0 valid, 3 unreadable, 4 errors)\n"
	    "      --dump-conf        print the config in canonical form and exit\n"
	    "  -n, --dont-fork        stay in the foreground\n"
	    "  -l, --log-console      log to stderr instead of syslog\n"
	    "  -D, --log-detail       debug traces of all but the per-advert ones\n"
	    "      --debug LIST       debug traces of some: fsm,packet,kernel,track,notify,\n"
	    "                         sync,ctl (or all)\n"
	    "  -p, --pid FILE         pid file (default /run/vipd/vipd.pid)\n"
	    "  -S, --socket FILE      control socket (default /run/vipd/vipd.sock)\n"
	    "  -r, --run-dir DIR      state and statistics files (default /run/vipd)\n"
	    "  -v, --version          print the version and exit\n"
	    "  -h, --help             print this help and exit\n",
	    default_conf, keepalived_conf);
}

static const char *pick_conf(const char *given)
{
	if (given)
		return given;
	if (access(default_conf, F_OK) == 0 || access(keepalived_conf, F_OK) != 0)
		return default_conf;
	return keepalived_conf;
}

/* -t and --dump-conf: parse, validate, report; keepalived's exit codes. */
static int check_conf(const char *path, bool dump)
{
	struct conf_opts opts = {.check_interfaces = !dump, .check_commands = !dump};
	struct conf *c;
	int rc;

	if (conf_load(path, &opts, &c) < 0) {
		conf_free(c);
		return EXIT_CONF_FATAL;
	}
	conf_validate(c, &opts);
	rc = c->errors ? EXIT_CONF_ERRORS : 0;
	if (c->errors)
		fprintf(stderr, "%s: %d error%s, %d warning%s\n", path, c->errors,
		        c->errors == 1 ? "" : "s", c->warnings, c->warnings == 1 ? "" : "s");
	else if (dump)
		conf_dump(c, stdout);
	conf_free(c);
	return rc;
}

int main(int argc, char **argv)
{
	enum { OPT_DUMP = 256, OPT_DEBUG };
	static const struct option longopts[] = {
	    {"use-file", required_argument, NULL, 'f'},
	    {"config-test", no_argument, NULL, 't'},
	    {"dump-conf", no_argument, NULL, OPT_DUMP},
	    {"dont-fork", no_argument, NULL, 'n'},
	    {"log-console", no_argument, NULL, 'l'},
	    {"log-detail", no_argument, NULL, 'D'},
	    {"pid", required_argument, NULL, 'p'},
	    {"socket", required_argument, NULL, 'S'},
	    {"run-dir", required_argument, NULL, 'r'},
	    {"version", no_argument, NULL, 'v'},
	    {"help", no_argument, NULL, 'h'},
	    {"debug", required_argument, NULL, OPT_DEBUG},
	    {NULL, 0, NULL, 0},
	};
	/* descriptors vipd inherited are not its scripts' to have */
	close_range(3, ~0U, CLOSE_RANGE_CLOEXEC);
	struct vipd_opts o = {
	    .pid_file = "/run/vipd/vipd.pid",
	    .ctl_path = "/run/vipd/vipd.sock",
	    .run_dir = "/run/vipd",
	};
	const char *conf = NULL;
	bool test = false, dump = false;
	int ch;

	while ((ch = getopt_long(argc, argv, "f:tnlDp:S:r:vh", longopts, NULL)) != -1) {
		switch (ch) {
		case 'f':
			conf = optarg;
			break;
		case 't':
			test = true;
			break;
		case OPT_DUMP:
			dump = true;
			break;
		case 'n':
			o.dont_fork = true;
			break;
		case 'l':
			o.log_console = true;
			break;
		case 'D':
			o.debug |= LOG_CAT_DETAIL;
			break;
		case OPT_DEBUG: {
			unsigned mask;
			const char *bad = "";
			if (!log_cats_parse(optarg, &mask, &bad)) {
				fprintf(stderr,
				        "vipd: --debug: unknown category '%s' (fsm, packet, "
				        "kernel, track, notify, sync, ctl, all)\n",
				        bad);
				return 2;
			}
			o.debug |= mask;
			break;
		}
		case 'p':
			o.pid_file = optarg;
			break;
		case 'S':
			o.ctl_path = optarg;
			break;
		case 'r':
			o.run_dir = optarg;
			break;
		case 'v':
			printf("vipd %s\n", VIPD_VERSION);
			return 0;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "vipd: unexpected argument '%s'\n", argv[optind]);
		usage(stderr);
		return 2;
	}
	o.conf_path = pick_conf(conf);
	if (test || dump)
		return check_conf(o.conf_path, dump);
	return vipd_run(&o);
}
