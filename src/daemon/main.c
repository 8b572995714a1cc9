/*
 * main.c: the vipd command line (keepalived's flags where keepalived has them).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>
#include <linux/close_range.h>

#include "conf/conf.h"
#include "conf/kwlist.h"
#include "linux/netns.h"
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
	    "usage: vipd [options]  (keepalived's options, with the same letters and meanings)\n"
	    "  -f, --use-file FILE      config file (default %s,\n"
	    "                           else %s)\n"
	    "  -t, --config-test[=FILE] check the config and exit (0 valid, 3 unreadable, 4 "
	    "errors);\n"
	    "                           the report to FILE instead of stderr\n"
	    "  -n, --dont-fork          stay in the foreground\n"
	    "  -l, --log-console        log to stderr instead of syslog\n"
	    "  -D, --log-detail         debug traces of all but the per-advert ones\n"
	    "  -S, --log-facility F     syslog facility: 0-7 (local0-7), localN, user, daemon\n"
	    "  -G, --no-syslog          do not log to syslog\n"
	    "  -d, --dump-conf          log the config in force when starting\n"
	    "  -p, --pid FILE           pid file (default /run/vipd/vipd.pid)\n"
	    "  -r, --vrrp_pid FILE      keepalived's VRRP process pid file: vipd's pid too\n"
	    "  -s, --namespace NAME     run in network namespace NAME (/run/netns/NAME)\n"
	    "  -i, --config-id ID       config lines @ID ... are for this host (default: host "
	    "name)\n"
	    "  -u, --umask MASK         umask for the files vipd creates\n"
	    "  -m, --core-dump          allow a core dump if vipd crashes\n"
	    "      --signum NAME        print the number of STOP, RELOAD, DATA, STATS,\n"
	    "                           STATS_CLEAR or JSON and exit\n"
	    "  -P, -B, -R, --all, -c FILE, -b FILE: accepted, nothing to do in vipd (VRRP only,\n"
	    "      one process); -X, -V, -I, -a, -x, -A, -M, -e: accepted with a warning\n"
	    "  vipd's own:\n"
	    "      --print-conf         print the config in canonical form and exit\n"
	    "      --keywords           list every config keyword and what vipd does with it\n"
	    "      --debug LIST         debug traces of some: fsm,packet,kernel,track,notify,\n"
	    "                           sync,ctl (or all)\n"
	    "      --socket FILE        control socket (default /run/vipd/vipd.sock)\n"
	    "      --run-dir DIR        state and statistics files (default /run/vipd)\n"
	    "  -v, --version            print the version and exit\n"
	    "  -h, --help               print this help and exit\n",
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

/* -t and --print-conf: parse, validate, report; keepalived's exit codes. */
static int check_conf(const char *path, bool dump, const char *config_id)
{
	struct conf_opts opts = {
	    .check_interfaces = !dump, .check_commands = !dump, .config_id = config_id};
	struct conf *c;
	int rc;

	if (conf_load(path, &opts, &c) < 0) {
		conf_free(c);
		return EXIT_CONF_FATAL;
	}
	conf_validate(c, &opts);
	rc = c->errors ? EXIT_CONF_ERRORS : 0;
	if (c->errors)
		fprintf(stderr, "%s: %d error%s, %d warning%s%s\n", path, c->errors,
		        c->errors == 1 ? "" : "s", c->warnings, c->warnings == 1 ? "" : "s",
		        c->errors + c->warnings > CONF_DIAG_SHOWN ? " (the first 1000 shown)" : "");
	else if (dump)
		conf_dump(c, stdout);
	conf_free(c);
	return rc;
}

/* keepalived's -S: a number 0-7 (local0-7), localN, user or daemon. */
static int facility(const char *s)
{
	static const int local[] = {LOG_LOCAL0, LOG_LOCAL1, LOG_LOCAL2, LOG_LOCAL3,
	                            LOG_LOCAL4, LOG_LOCAL5, LOG_LOCAL6, LOG_LOCAL7};

	if (!strncmp(s, "local", 5))
		s += 5;
	else if (!strcmp(s, "user"))
		return LOG_USER;
	else if (!strcmp(s, "daemon"))
		return LOG_DAEMON;
	return s[0] >= '0' && s[0] <= '7' && !s[1] ? local[s[0] - '0'] : -1;
}

/* keepalived --signum=NAME: the signal that does NAME (vipd answers the same). */
static int signum(const char *name)
{
	static const struct {
		const char *name;
		int sig;
	} tab[] = {{"STOP", SIGTERM}, {"RELOAD", SIGHUP}, {"DATA", SIGUSR1}, {"STATS", SIGUSR2}};

	for (size_t i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
		if (!strcmp(name, tab[i].name))
			return tab[i].sig;
	if (!strcmp(name, "STATS_CLEAR"))
		return SIGRTMAX - 1;
	if (!strcmp(name, "JSON"))
		return SIGRTMIN + 2;
	return -1;
}

/* keepalived's options that have nothing to act on in vipd, and why. */
static void no_effect(int ch, const char *arg)
{
	const char *why = NULL;

	switch (ch) {
	case 'X':
		why = "-X (--release-vips): vipd always removes its VIPs when it leaves Master";
		break;
	case 'V':
		why = "-V (--dont-release-vrrp) is not supported by vipd: it removes its VIPs "
		      "when it stops, so that a backup takes over";
		break;
	case 'I':
		why = "-I (--dont-release-ipvs): vipd has no IPVS (LVS) part";
		break;
	case 'a':
		why = "-a (--address-monitoring): not supported by vipd; -D traces the address "
		      "changes vipd makes";
		break;
	case 'x':
		why = "-x (--snmp): ignored; SNMP (VRRPV3-MIB) is started by enable_snmp_rfcv3 in "
		      "global_defs";
		break;
	case 'A':
		why = "-A (--snmp-agent-socket): ignored; SNMP's master agent is snmp_socket in "
		      "global_defs";
		break;
	case 'M':
		why = "-M (--core-dump-pattern): vipd does not change kernel.core_pattern; use -m "
		      "for a core dump";
		break;
	case 'e':
		why = "-e (--all-config): vipd always treats a missing include file as an error";
		break;
	}
	if (why)
		fprintf(stderr, "vipd: warning: %s%s%s\n", why, arg ? "; ignored: " : "",
		        arg ? arg : "");
}

static int join_netns(const char *name)
{
	char why[600];

	if (netns_join(name, why, sizeof(why)) < 0) {
		fprintf(stderr, "vipd: %s\n", why);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	enum {
		OPT_PRINT = 256,
		OPT_DEBUG,
		OPT_SOCKET,
		OPT_RUNDIR,
		OPT_SIGNUM,
		OPT_ALL,
		OPT_KEYWORDS
	};
	static const struct option longopts[] = {
	    {"use-file", required_argument, NULL, 'f'},
	    {"vrrp", no_argument, NULL, 'P'},
	    {"check", no_argument, NULL, 'C'},
	    {"no_bfd", no_argument, NULL, 'B'},
	    {"all", no_argument, NULL, OPT_ALL},
	    {"log-console", no_argument, NULL, 'l'},
	    {"log-detail", no_argument, NULL, 'D'},
	    {"log-facility", required_argument, NULL, 'S'},
	    {"no-syslog", no_argument, NULL, 'G'},
	    {"umask", required_argument, NULL, 'u'},
	    {"release-vips", no_argument, NULL, 'X'},
	    {"dont-release-vrrp", no_argument, NULL, 'V'},
	    {"dont-release-ipvs", no_argument, NULL, 'I'},
	    {"dont-respawn", no_argument, NULL, 'R'},
	    {"dont-fork", no_argument, NULL, 'n'},
	    {"dump-conf", no_argument, NULL, 'd'},
	    {"pid", required_argument, NULL, 'p'},
	    {"vrrp_pid", required_argument, NULL, 'r'},
	    {"genhash", no_argument, NULL, 'T'},
	    {"checkers_pid", required_argument, NULL, 'c'},
	    {"address-monitoring", no_argument, NULL, 'a'},
	    {"bfd_pid", required_argument, NULL, 'b'},
	    {"snmp", no_argument, NULL, 'x'},
	    {"snmp-agent-socket", required_argument, NULL, 'A'},
	    {"namespace", required_argument, NULL, 's'},
	    {"core-dump", no_argument, NULL, 'm'},
	    {"core-dump-pattern", optional_argument, NULL, 'M'},
	    {"all-config", no_argument, NULL, 'e'},
	    {"config-id", required_argument, NULL, 'i'},
	    {"signum", required_argument, NULL, OPT_SIGNUM},
	    {"config-test", optional_argument, NULL, 't'},
	    {"version", no_argument, NULL, 'v'},
	    {"help", no_argument, NULL, 'h'},
	    {"print-conf", no_argument, NULL, OPT_PRINT},
	    {"keywords", no_argument, NULL, OPT_KEYWORDS},
	    {"debug", required_argument, NULL, OPT_DEBUG},
	    {"socket", required_argument, NULL, OPT_SOCKET},
	    {"run-dir", required_argument, NULL, OPT_RUNDIR},
	    {NULL, 0, NULL, 0},
	};
	/* descriptors vipd inherited are not its scripts' to have */
	close_range(3, ~0U, CLOSE_RANGE_CLOEXEC);
	struct vipd_opts o = {
	    .pid_file = "/run/vipd/vipd.pid",
	    .ctl_path = "/run/vipd/vipd.sock",
	    .run_dir = "/run/vipd",
	    .log_facility = LOG_DAEMON,
	};
	const char *conf = NULL, *test_log = NULL, *netns = NULL;
	bool test = false, print = false;
	int ch;

	while ((ch = getopt_long(argc, argv, "f:PCBlDS:Gu:XVIRndp:r:Tc:ab:xA:s:mM::ei:t::vh",
	                         longopts, NULL)) != -1) {
		switch (ch) {
		case 'f':
			conf = optarg;
			break;
		case 't':
			test = true;
			test_log = optarg;
			break;
		case OPT_PRINT:
			print = true;
			break;
		case OPT_KEYWORDS:
			conf_keywords_list(stdout);
			return 0;
		case 'n':
			o.dont_fork = true;
			break;
		case 'l':
			o.log_console = true;
			break;
		case 'D':
			o.debug |= LOG_CAT_DETAIL;
			break;
		case 'S':
			if ((o.log_facility = facility(optarg)) < 0) {
				fprintf(stderr,
				        "vipd: -S: unknown syslog facility '%s' (0-7, local0-7, "
				        "user, daemon)\n",
				        optarg);
				return 2;
			}
			break;
		case 'G':
			o.no_syslog = true;
			break;
		case 'd':
			o.dump_conf = true;
			break;
		case 'u': {
			char *end;
			long m = strtol(optarg, &end, 0);
			if (*end || m < 0 || m > 0777) {
				fprintf(stderr, "vipd: -u: '%s' is not a umask\n", optarg);
				return 2;
			}
			umask((mode_t)m);
			o.umask_set = true;
			break;
		}
		case 'm': {
			struct rlimit rl = {RLIM_INFINITY, RLIM_INFINITY};
			setrlimit(RLIMIT_CORE, &rl);
			break;
		}
		case 's':
			netns = optarg;
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
			o.paths_set[0] = true;
			break;
		case 'r':
			o.vrrp_pid_file = optarg;
			break;
		case OPT_SOCKET:
			o.ctl_path = optarg;
			o.paths_set[1] = true;
			break;
		case OPT_RUNDIR:
			o.run_dir = optarg;
			o.paths_set[2] = true;
			break;
		case OPT_SIGNUM: {
			int sig = signum(optarg);
			if (sig < 0) {
				fprintf(stderr, "Unknown sigfunc %s\n", optarg);
				return 1;
			}
			printf("%d\n", sig);
			return 0;
		}
		case 'B': /* keepalived starts no BFD process */
			o.no_bfd = true;
			break;
		case 'P': /* VRRP only: no checker (keepalived still starts BFD) */
		case 'R': /* no child processes to respawn */
		case OPT_ALL:
		case 'c': /* the checkers' and BFD processes' pid files: there are none */
		case 'b':
			break;
		case 'X':
		case 'V':
		case 'I':
		case 'a':
		case 'x':
		case 'A':
		case 'M':
		case 'e':
			no_effect(ch, optarg);
			break;
		case 'C':
			fprintf(stderr,
			        "vipd: -C (--check) runs keepalived's health checkers only; "
			        "vipd has none (VRRP only)\n");
			return 2;
		case 'T':
			fprintf(stderr,
			        "vipd: -T (--genhash) is keepalived's genhash utility; vipd "
			        "has none\n");
			return 2;
		case 'i':
			o.config_id = optarg;
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
	if (netns && join_netns(netns) < 0)
		return 1;
	o.netns_set = netns != NULL;
	o.conf_path = pick_conf(conf);
	if (test && test_log && !freopen(test_log, "w", stderr)) {
		fprintf(stdout, "vipd: -t: cannot write %s: %s\n", test_log, strerror(errno));
		return 1;
	}
	if (test || print)
		return check_conf(o.conf_path, print, o.config_id);
	return vipd_run(&o);
}
