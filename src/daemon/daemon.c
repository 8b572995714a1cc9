/*
 * daemon.c: the vipd process. Loads the config, daemonizes, holds the pid
 * file, runs the one event loop (signalfd, netlink, VRRP sockets, control
 * socket, timers) and handles signals: SIGTERM/SIGINT stop (priority 0,
 * VIPs removed), SIGHUP reloads without touching unchanged instances,
 * SIGUSR1/SIGUSR2 write the state and the counters in keepalived's files
 * (kafiles.c) and in vipd's own under the run dir.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sched.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "linux/child.h"
#include "daemon/bfd.h"
#include "daemon/confload.h"
#include "daemon/ctl.h"
#include "daemon/alert.h"
#include "daemon/daemon.h"
#include "daemon/statics.h"
#include "daemon/runpaths.h"
#include "daemon/autoprio.h"
#include "daemon/garpq.h"
#include "daemon/iface.h"
#include "daemon/instance.h"
#include "daemon/kafiles.h"
#include "daemon/procname.h"
#include "daemon/lifescript.h"
#include "daemon/metrics.h"
#include "daemon/vrrpmib.h"
#include "daemon/work.h"
#include "daemon/notify.h"
#include "daemon/proc.h"
#include "daemon/reload.h"
#include "daemon/sync.h"
#include "daemon/track.h"
#include "linux/owned.h"
#include "lib/safefile.h"
#include "linux/netns.h"
#include "linux/nft.h"
#include "linux/sysctl.h"
#include "linux/garp.h"
#include "lib/log.h"
#include "linux/sock.h"
#include "linux/netlink.h"
#include "linux/loop.h"
#include "conf/conf.h"
#include "lib/timer.h"

static struct vipd vipd;

/* ---- systemd readiness (sd_notify protocol, no library) ---- */

void vipd_sd_notify(const char *msg)
{
	const char *path = getenv("NOTIFY_SOCKET");
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	int fd;

	if (!path || (path[0] != '/' && path[0] != '@') || strlen(path) >= sizeof(sa.sun_path))
		return;
	strcpy(sa.sun_path, path);
	if (path[0] == '@')
		sa.sun_path[0] = '\0';
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return;
	sendto(fd, msg, strlen(msg), 0, (struct sockaddr *)&sa,
	       (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(path)));
	close(fd);
}

/* ---- netlink batching: one sendmsg per loop turn ---- */

static void nl_error(void *arg, uint32_t seq, int err)
{
	log_warnx("netlink: a VIP/route/rule change failed: %s", strerror(err));
}

void vipd_nl_batch(struct vipd *d)
{
	if (!d->nl_batch_open) {
		nl_batch_begin(d->nl);
		d->nl_batch_open = true;
	}
}

void vipd_nl_flush(struct vipd *d)
{
	if (d->nl_batch_open) {
		d->nl_batch_open = false;
		nl_batch_commit(d->nl, nl_error, d);
	}
	owned_sync();
}

/* The loop runs at a nice value below its children's: scripts start at
 * nice 0 again (SCHED_FLAG_RESET_ON_FORK), so a hundred scripts starting
 * on a busy machine do not keep the adverts waiting. keepalived's
 * vrrp_priority sets the value (default here -5, keepalived's 0);
 * vrrp_rt_priority N runs the loop SCHED_RR at N instead (scripts still
 * start as normal processes), and vrrp_no_swap locks its memory. */
#define VIPD_NICE_DEFAULT (-5)

/* vrrp_cpu_affinity: the CPUs the loop (and the scripts it starts) run on.
 * vrrp_rlimit_rttime, with SCHED_RR: the CPU time the loop may take without
 * blocking, as keepalived sets it (a warning, SIGXCPU, at half of it; the
 * kernel kills at all of it). Unlike keepalived, no limit unless it is
 * configured: a killed VRRP daemon loses its VIPs. */
static void set_affinity_and_rttime(const struct conf *c, bool rt)
{
	cpu_set_t set;

	if (c->global.cpu_affinity && conf_cpu_list(c->global.cpu_affinity, &set)) {
		if (sched_setaffinity(0, sizeof(set), &set) < 0)
			log_warn("vrrp_cpu_affinity %s", c->global.cpu_affinity);
		else
			log_info("running on CPU(s) %s (vrrp_cpu_affinity)",
			         c->global.cpu_affinity);
	}
	if (rt && c->global.rlimit_rttime_us > 0) {
		struct rlimit rl = {(rlim_t)c->global.rlimit_rttime_us / 2,
		                    (rlim_t)c->global.rlimit_rttime_us};
		if (setrlimit(RLIMIT_RTTIME, &rl) < 0)
			log_warn("vrrp_rlimit_rttime %lld", (long long)c->global.rlimit_rttime_us);
	}
}

static void set_priority(const struct conf *c)
{
	struct {
		uint32_t size, policy;
		uint64_t flags;
		int32_t nice;
		uint32_t priority;
		uint64_t runtime, deadline, period;
	} attr = {.size = sizeof(attr), .policy = SCHED_OTHER, .flags = 0x01 /* RESET_ON_FORK */};

	attr.nice = c->global.vrrp_priority ? c->global.vrrp_priority : VIPD_NICE_DEFAULT;
	if (c->global.vrrp_rt_priority > 0) {
		attr.policy = SCHED_RR;
		attr.nice = 0;
		attr.priority = (uint32_t)c->global.vrrp_rt_priority;
	}
	if (syscall(SYS_sched_setattr, 0, &attr, 0) < 0) {
		if (attr.policy == SCHED_RR)
			log_warn("vrrp_rt_priority %u (SCHED_RR)", attr.priority);
		else
			log_warn("running at nice %d", attr.nice);
	} else if (attr.policy == SCHED_RR) {
		log_info("running SCHED_RR at priority %u (vrrp_rt_priority)", attr.priority);
	}
	if (c->global.vrrp_no_swap && mlockall(MCL_CURRENT | MCL_FUTURE) < 0)
		log_warn("vrrp_no_swap: locking memory");
	set_affinity_and_rttime(c, attr.policy == SCHED_RR);
}

static const char *ifname_of(int ifindex, void *arg)
{
	struct iface *i = iface_by_index(arg, ifindex);
	return i ? i->name : NULL;
}

/* adverts, then transition work, then netlink */
void vipd_flush_all(struct vipd *d)
{
	instances_flush_all(d);
	vipd_nl_flush(d);
}

static void on_idle(void *arg)
{
	instances_flush(arg); /* sliced: timers come first */
	vipd_nl_flush(arg);
	log_release(); /* the pass's log lines, now that its adverts are out */
}

/* ---- config ---- */

static struct conf *load_conf(const char *path, const char *config_id)
{
	struct conf_opts opts = {.config_id = config_id};
	struct conf *c = NULL;

	if (conf_load(path, &opts, &c) == 0)
		conf_validate(c, &opts);
	if (!c || c->errors) {
		log_warnx("%s: %d error(s); not used", path, c ? c->errors : 1);
		conf_free(c);
		return NULL;
	}
	conf_sync_merge_tracking(c);
	return c;
}

/* keepalived's -d: the config in force, in canonical form, into the log. */
static void log_conf(const struct conf *c)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (!f)
		return;
	conf_dump(c, f);
	if (fclose(f) == 0)
		for (char *line = text, *end; *line; line = end + 1) {
			end = strchrnul(line, '\n');
			log_info("config: %.*s", (int)(end - line), line);
			if (!*end)
				break;
		}
	free(text);
}

/* vipd's nftables table for the config in force and the instances' vmacs. */
void vipd_apply_nft(struct vipd *d)
{
	size_t n = 0, k = 0;
	const char **names;

	for (struct instance *in = d->instances; in; in = in->next)
		n++;
	names = calloc(n ? n : 1, sizeof(*names));
	if (!names) {
		log_warnx("nftables: out of memory");
		return;
	}
	for (struct instance *in = d->instances; in; in = in->next)
		if (in->c->use_vmac && in->vmac.name[0])
			names[k++] = in->vmac.name;
	nft_apply(d->conf, names, k);
	free(names);
}

static void start_all(struct vipd *d)
{
	struct instance **tail = &d->instances;

	for (size_t i = 0; i < d->conf->instances.n; i++) {
		struct instance *in = instance_new(d, &d->conf->instances.items[i]);
		if (!in)
			fatal("out of memory");
		*tail = in;
		tail = &in->next;
	}
	sync_start(d);
	vipd_apply_nft(d);
	script_user_init(d);
	notify_fifo_start(d);
	track_start(d);
	tfiles_start(d);
	tprocs_start(d);
	vtime_t base = 0;
	for (struct instance *in = d->instances; in; in = in->next)
		instance_start(in, instance_start_base(in, &base));
	vipd_flush_all(d);
}

/* keepalived's vrrp_startup_delay: the instances start that much later
 * (the machine's other services have come up meanwhile). */
static void on_startup_delay(struct timer *t, vtime_t now, void *arg)
{
	struct vipd *d = arg;

	log_info("vrrp_startup_delay over: starting %zu instance(s)", d->conf->instances.n);
	d->instances_started = true;
	start_all(d);
}

/* vrrp_startup_delay, or vrrp_delay_after_boot less the time since boot:
 * the longer, as keepalived takes it. */
static uint64_t startup_delay(const struct conf_global *g)
{
	uint64_t delay = g->startup_delay_us;
	struct timespec boot;

	if (g->delay_after_boot_us && clock_gettime(CLOCK_BOOTTIME, &boot) == 0) {
		uint64_t up = (uint64_t)boot.tv_sec * 1000000 + (uint64_t)boot.tv_nsec / 1000;
		if (up < g->delay_after_boot_us && g->delay_after_boot_us - up > delay)
			delay = g->delay_after_boot_us - up;
	}
	return delay;
}

static void start_or_delay(struct vipd *d)
{
	uint64_t delay = startup_delay(&d->conf->global);

	bfd_start(d); /* at once, as keepalived's BFD process: peers see us come up */
	if (!delay) {
		d->instances_started = true;
		start_all(d);
		return;
	}
	log_info("%s: the instances start in %.3f s",
	         delay == d->conf->global.startup_delay_us ? "vrrp_startup_delay"
	                                                   : "vrrp_delay_after_boot",
	         (double)delay / 1e6);
	timer_init(&d->t_startup, on_startup_delay, d);
	loop_timer_set(d->loop, &d->t_startup, loop_now() + (vtime_t)delay);
}

static void stop_all(struct vipd *d)
{
	for (struct instance *in = d->instances; in; in = in->next)
		instance_stop(in);
	bfd_say_down(d); /* after the priority 0 adverts, before any wait */
	vipd_flush_all(d);
	notify_drain(d);
	alert_stop(d);
	sync_stop(d);
	while (d->instances) {
		struct instance *in = d->instances;
		d->instances = in->next;
		instance_free(in);
	}
	track_stop(d);
	tfiles_stop(d);
	tprocs_stop(d);
	bfd_stop(d);
	notify_fifo_stop(d, false);
	nft_remove();
}

/* ---- signals ---- */

/* SIGUSR1/2 dumps: written beside and renamed, never through a link. */
static void write_in(const char *dir, const char *name, char *text)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (!text || safe_write_file(path, text, strlen(text), 0644) < 0)
		log_warn("writing %s", path);
	else
		log_info("wrote %s", path);
	free(text);
}

static void write_file(struct vipd *d, const char *name, char *text)
{
	write_in(d->opts.run_dir, name, text);
}

/* The real-time signals keepalived's tools send (`keepalived --signum=`):
 * JSON (SIGRTMIN+2) writes keepalived.json; STATS_CLEAR (SIGRTMAX-1) writes
 * the counters, then zeroes them; TDUMP (SIGRTMAX, keepalived's thread
 * dump) has nothing to dump. None of them stops vipd, as their default
 * action would. */
static void keepalived_signal(struct vipd *d, int sig)
{
	if (sig == SIGRTMIN + 2) {
		kafiles_json(d);
	} else if (sig == SIGRTMAX - 1) {
		kafiles_stats(d);
		write_file(d, "vipd.stats", ctl_stats(d));
		ctl_stats_clear(d);
	} else {
		log_info("signal %d: nothing to do (keepalived's thread dump)", sig);
	}
}

static void on_signal(int fd, uint32_t events, void *arg)
{
	struct vipd *d = arg;
	struct signalfd_siginfo si;

	while (read(fd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		switch (si.ssi_signo) {
		case SIGTERM:
		case SIGINT:
			log_info("%s: stopping", strsignal((int)si.ssi_signo));
			d->stopping = true;
			loop_stop(d->loop);
			break;
		case SIGHUP:
			reload_request(d);
			break;
		case SIGUSR1: /* keepalived's file for its tools, vipd's for vipd's */
			kafiles_data(d);
			write_file(d, "vipd.data", ctl_status(d, false));
			break;
		case SIGUSR2:
			kafiles_stats(d);
			write_file(d, "vipd.stats", ctl_stats(d));
			break;
		case SIGCHLD:
			notify_reap();
			break;
		case SIGXCPU:
			log_warnx(
			    "SIGXCPU: half of vrrp_rlimit_rttime (%lld us) used without blocking; "
			    "at all of it the kernel kills vipd",
			    (long long)d->conf->global.rlimit_rttime_us);
			break;
		default:
			keepalived_signal(d, (int)si.ssi_signo);
		}
	}
}

static int signals_open(void)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGUSR2);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGXCPU);      /* vrrp_rlimit_rttime's warning */
	sigaddset(&set, SIGRTMIN + 2); /* keepalived's JSON, STATS_CLEAR, TDUMP */
	sigaddset(&set, SIGRTMAX - 1);
	sigaddset(&set, SIGRTMAX);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0)
		return -1;
	signal(SIGPIPE, SIG_IGN);
	return signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
}

/* ---- pid file ---- */

static int pidfile_lock(const char *path)
{
	char buf[32], why[512];
	int fd = safe_open(path, O_RDWR | O_CREAT, 0644, S_IFREG, 0, why, sizeof(why));

	if (fd < 0) {
		log_warnx("pid file %s", why);
		return -1;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		ssize_t n = read(fd, buf, sizeof(buf) - 1);
		buf[n > 0 ? n : 0] = '\0';
		buf[strcspn(buf, "\n")] = '\0';
		log_warnx("vipd is already running (pid %s, pid file %s)", buf[0] ? buf : "?",
		          path);
		close(fd);
		return -1;
	}
	return fd;
}

static void pidfile_write(int fd)
{
	char buf[32];
	int n = snprintf(buf, sizeof(buf), "%d\n", (int)getpid());

	if (ftruncate(fd, 0) < 0 || pwrite(fd, buf, (size_t)n, 0) != n)
		log_warn("writing the pid file");
}

static void mkdir_parent(const char *path)
{
	char dir[512];
	char *slash;

	snprintf(dir, sizeof(dir), "%s", path);
	if ((slash = strrchr(dir, '/')) && slash != dir) {
		*slash = '\0';
		mkdir(dir, 0755);
	}
}

int vipd_run(const struct vipd_opts *o)
{
	struct vipd *d = &vipd;
	int pidfd, sigfd, vrrp_pidfd = -1;

	log_init("vipd", o->log_console, o->debug, !o->no_syslog, o->log_facility);
	d->opts = *o;
	d->inotify_fd = -1;
	instances_init(d);
	d->proc_cn_fd = -1;
	d->fifo_fd = -1;
	timer_init(&d->t_proc_scan, NULL, d);
	if (!(d->conf = load_conf(o->conf_path, o->config_id)))
		return 1;
	runpaths_apply(&d->opts, &d->conf->global);
	o = &d->opts;
	if (d->conf->global.umask >= 0 && !o->umask_set) /* -u wins, as in keepalived */
		umask((mode_t)d->conf->global.umask);
	if (d->conf->global.net_namespace[0] && !o->netns_set) {
		char why[600];
		if (netns_join(d->conf->global.net_namespace, why, sizeof(why)) < 0) {
			log_warnx("net_namespace: %s", why);
			return 1;
		}
		log_info("running in network namespace %s (net_namespace)",
		         d->conf->global.net_namespace);
	}
	mkdir_parent(o->run_dir); /* /run/vipd for instance NAME's /run/vipd/NAME */
	mkdir(o->run_dir, 0755);
	mkdir_parent(o->pid_file);
	mkdir_parent(o->ctl_path);
	if ((pidfd = pidfile_lock(o->pid_file)) < 0)
		return 1;
	if (o->vrrp_pid_file) { /* keepalived's VRRP process is this one */
		mkdir_parent(o->vrrp_pid_file);
		if ((vrrp_pidfd = pidfile_lock(o->vrrp_pid_file)) < 0)
			return 1;
	}
	if (!o->dont_fork && daemon(0, 0) < 0)
		fatal("daemon");
	procname_apply(&d->conf->global);
	pidfile_write(pidfd);
	if (vrrp_pidfd >= 0)
		pidfile_write(vrrp_pidfd);
	if ((sigfd = signals_open()) < 0)
		fatal("signals");
	if (!(d->loop = loop_new()) || child_init(d->loop) < 0 || !(d->nl = nl_open()) ||
	    !(d->garp = garp_open()) ||
	    !(d->confload = confload_new(d->loop, &d->conf, reload_apply, d)))
		fatal("starting (netlink, packet sockets)");
	confload_config_id(d->confload, o->config_id);
	d->started_at = loop_now();
	set_priority(d->conf);
	owned_init(o->run_dir, ifname_of, d);
	nl_set_addr_hook(d->nl, owned_answer, NULL);
	loop_add(d->loop, sigfd, on_signal, d);
	loop_on_idle(d->loop, on_idle, d);
	autoprio_start(d);
	if (iface_init(d) < 0)
		fatal("reading interfaces");
	iface_remove_stale_vips(d);
	sysctl_init(d->opts.run_dir);
	ctl_open(d);
	metrics_apply(d);
	vrrpmib_apply(d);
	log_info("vipd %s starting with %zu instance(s) from %s", VIPD_VERSION,
	         d->conf->instances.n, o->conf_path);
	if (o->dump_conf)
		log_conf(d->conf);
	log_hold(true);
	statics_apply(d, NULL);
	lifescript_startup(d, start_or_delay);
	vipd_sd_notify("READY=1");
	while (!d->stopping) {
		if (loop_run(d->loop) < 0)
			break;
		on_idle(d);
	}
	vipd_sd_notify("STOPPING=1");
	confload_free(d->confload); /* a reload under way is dropped */
	reload_drop(d);
	stop_all(d);
	statics_remove(d);
	garpq_free_all(d);
	lifescript_shutdown(d); /* after the VIPs are released, as in keepalived */
	vipd_nl_flush(d);
	log_hold(false);
	ctl_close(d);
	metrics_close(d);
	vrrpmib_close(d);
	loop_free(d->loop);
	nl_close(d->nl);
	garp_close(d->garp);
	iface_free_all(d);
	conf_free(d->conf);
	close(sigfd);
	unlink(o->pid_file);
	close(pidfd);
	if (vrrp_pidfd >= 0) {
		unlink(o->vrrp_pid_file);
		close(vrrp_pidfd);
	}
	log_info("stopped");
	return 0;
}
