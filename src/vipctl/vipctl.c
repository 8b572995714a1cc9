/*
 * vipctl.c: the control tool: asks a running vipd for its status over the
 * control socket and prints it (text, or JSON with --json).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
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
	    "  -s, --socket FILE   vipd's control socket (default /run/vipd/vipd.sock)\n"
	    "  -i, --instance NAME the vipd of config 'instance NAME' (/run/vipd/vipd_NAME.sock)\n"
	    "  -j, --json          JSON instead of text (status)\n"
	    "  -v, --version       print the version\n"
	    "  -h, --help          print this help\n");
}

static int ask(const char *path, const char *req)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	char buf[65536];
	ssize_t n;
	int fd;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		fprintf(stderr, "vipctl: socket path too long: %s\n", path);
		return 1;
	}
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		fprintf(stderr, "vipctl: cannot reach vipd at %s: %s (is vipd running?)\n", path,
		        strerror(errno));
		return 1;
	}
	struct timeval tv = {5, 0};
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (write(fd, req, strlen(req)) < 0) {
		fprintf(stderr, "vipctl: %s\n", strerror(errno));
		close(fd);
		return 1;
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		fwrite(buf, 1, (size_t)n, stdout);
	close(fd);
	if (n < 0) {
		fprintf(stderr, "vipctl: reading the reply: %s\n", strerror(errno));
		return 1;
	}
	return 0;
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
	int json = 0, clear = 0, ch;

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
		} else {
			fprintf(stderr, "vipctl: unexpected argument '%s'\n", argv[optind]);
			return 2;
		}
	}
	if (!strcmp(cmd, "status"))
		return ask(path, json ? "status json\n" : "status\n");
	if (!strcmp(cmd, "stats"))
		return ask(path, clear ? "stats clear\n" : "stats\n");
	fprintf(stderr, "vipctl: unknown command '%s'\n", cmd);
	usage(stderr);
	return 2;
}
