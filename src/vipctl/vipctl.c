/*
 * vipctl.c: the control tool: asks a running vipd for its status over the
 * control socket and prints it (text, or JSON with --json); follows its
 * events (until interrupted); asks what a reload would change.
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static void usage(FILE *f)
{
	fprintf(
	    f,
	    "usage: vipctl [-s SOCKET] status [--json]\n"
	    "       vipctl [-s SOCKET] stats [--clear]\n"
	    "       vipctl [-s SOCKET] events [--json]\n"
	    "       vipctl [-s SOCKET] reload --check [-f FILE]\n"
	    "  -s, --socket FILE   vipd's control socket (default /run/vipd/vipd.sock)\n"
	    "  -i, --instance NAME the vipd of config 'instance NAME' (/run/vipd/vipd_NAME.sock)\n"
	    "  -j, --json          JSON instead of text (status, events)\n"
	    "  -f, --file FILE     the config to check (default: the one vipd runs)\n"
	    "  -v, --version       print the version\n"
	    "  -h, --help          print this help\n");
}

/* A connection to vipd with req sent; -1 (said why) when there is none. */
static int connect_to(const char *path, const char *req)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	int fd;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		fprintf(stderr, "vipctl: socket path too long: %s\n", path);
		return -1;
	}
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		fprintf(stderr, "vipctl: cannot reach vipd at %s: %s (is vipd running?)\n", path,
		        strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if (write(fd, req, strlen(req)) < 0) {
		fprintf(stderr, "vipctl: %s\n", strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

/* Copies the reply to stdout; 1 when vipd answered "error: ...". */
static int ask(const char *path, const char *req, bool follow)
{
	char buf[65536];
	ssize_t n;
	size_t total = 0;
	int fd = connect_to(path, req), err = 0;

	if (fd < 0)
		return 1;
	if (!follow) {
		struct timeval tv = {5, 0};
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		if (!total && n >= 6 && !memcmp(buf, "error:", 6))
			err = 1;
		total += (size_t)n;
		fwrite(buf, 1, (size_t)n, stdout);
		if (follow)
			fflush(stdout);
	}
	close(fd);
	if (n < 0) {
		fprintf(stderr, "vipctl: reading the reply: %s\n", strerror(errno));
		return 1;
	}
	return err;
}

/* reload --check [-f FILE]: the file as vipd will find it. */
static int check(const char *path, const char *file)
{
	char abs[PATH_MAX], req[PATH_MAX + 32];

	if (!file) {
		snprintf(req, sizeof(req), "reload check\n");
	} else if (!realpath(file, abs)) {
		fprintf(stderr, "vipctl: %s: %s\n", file, strerror(errno));
		return 1;
	} else {
		snprintf(req, sizeof(req), "reload check %s\n", abs);
	}
	return ask(path, req, false);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"socket", required_argument, NULL, 's'}, {"instance", required_argument, NULL, 'i'},
	    {"json", no_argument, NULL, 'j'},         {"version", no_argument, NULL, 'v'},
	    {"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0},
	};
	const char *path = "/run/vipd/vipd.sock";
	char inst[300];
	const char *file = NULL;
	int json = 0, clear = 0, check_only = 0, ch;

	while ((ch = getopt_long(argc, argv, "+s:i:jvh", longopts, NULL)) != -1) {
		switch (ch) {
		case 's':
			path = optarg;
			break;
		case 'i': /* keepalived's instance NAME: vipd_NAME.sock */
			snprintf(inst, sizeof(inst), "/run/vipd/vipd_%s.sock", optarg);
			path = inst;
			break;
		case 'j':
			json = 1;
			break;
		case 'v':
			printf("vipctl %s\n", VIPD_VERSION);
			return 0;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return 2;
	}
	const char *cmd = argv[optind++];
	for (; optind < argc; optind++) {
		if (!strcmp(argv[optind], "--json") || !strcmp(argv[optind], "-j")) {
			json = 1;
		} else if (!strcmp(argv[optind], "--clear")) {
			clear = 1;
		} else if (!strcmp(argv[optind], "--check")) {
			check_only = 1;
		} else if ((!strcmp(argv[optind], "-f") || !strcmp(argv[optind], "--file")) &&
		           optind + 1 < argc) {
			file = argv[++optind];
		} else {
			fprintf(stderr, "vipctl: unexpected argument '%s'\n", argv[optind]);
			return 2;
		}
	}
	if (!strcmp(cmd, "status"))
		return ask(path, json ? "status json\n" : "status\n", false);
	if (!strcmp(cmd, "stats"))
		return ask(path, clear ? "stats clear\n" : "stats\n", false);
	if (!strcmp(cmd, "events"))
		return ask(path, json ? "events json\n" : "events\n", true);
	if (!strcmp(cmd, "reload") && check_only)
		return check(path, file);
	if (!strcmp(cmd, "reload")) {
		fprintf(stderr, "vipctl: reload needs --check (a reload itself: systemctl reload "
		                "vipd, or SIGHUP)\n");
		return 2;
	}
	fprintf(stderr, "vipctl: unknown command '%s'\n", cmd);
	usage(stderr);
	return 2;
}
