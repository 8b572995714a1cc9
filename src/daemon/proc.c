/*
 * proc.c: vrrp_track_process, driven by events rather than polling.
 *
 * Each matching process is watched through a pidfd, so its death is seen
 * at once. New processes are found through the kernel's process connector
 * where it works (the initial network namespace) and by a /proc scan once
 * a second where it does not (other namespaces and containers). keepalived's
 * quorum, quorum_max, fork_delay / terminate_delay (delay) and param_match
 * apply; a process name matches the Name of /proc/PID/status, a path or
 * full_command the command line.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <pwd.h>
#include <sys/stat.h>
#include <sys/pidfd.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/cn_proc.h>
#include <linux/connector.h>
#include <linux/netlink.h>

#include "daemon/daemon.h"
#include "daemon/events.h"
#include "daemon/instance.h"
#include "daemon/proc.h"
#include "daemon/tracked.h"
#include "daemon/track.h"
#include "lib/log.h"
#include "linux/loop.h"
#include "lib/timer.h"

#define SCAN_EVERY (1 * VTIME_SEC)

#define PROC_MAX_WATCHED 256

static void on_scan(struct timer *t, vtime_t now, void *arg);

static bool read_small(const char *path, char *buf, size_t len, size_t *got)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return false;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return false;
	buf[n] = '\0';
	*got = (size_t)n;
	return true;
}

/* A zombie (or a dead task) has exited: its name is still there, but it
 * is not running, and its pidfd is readable at once. */
static bool exited(pid_t pid)
{
	char path[64], buf[512];
	size_t n;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if (!read_small(path, buf, sizeof(buf), &n))
		return true;
	const char *end = strrchr(buf, ')'); /* the name may hold anything */
	return !end || end[1] != ' ' || end[2] == 'Z' || end[2] == 'X' || end[2] == 'x';
}

/* Is pid run by uid (its effective uid: the owner of /proc/PID)? */
static bool run_by(pid_t pid, uid_t uid)
{
	char path[64];
	struct stat st;

	snprintf(path, sizeof(path), "/proc/%d", (int)pid);
	return stat(path, &st) == 0 && st.st_uid == uid;
}

/* Does process pid match the tracked process t? */
static bool matches(const struct tproc_rt *t, pid_t pid)
{
	const struct conf_track_process *c = t->c;
	char path[64], buf[4096];
	size_t n;

	if (!c->process || exited(pid) || (t->by_uid && !run_by(pid, t->uid)))
		return false;
	if (!strchr(c->process, '/') && !c->full_command && !c->param_match_args &&
	    c->param_match == PM_NONE) {
		snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
		if (!read_small(path, buf, sizeof(buf), &n))
			return false;
		buf[strcspn(buf, "\n")] = '\0';
		/* the kernel keeps 15 characters of the name */
		if (strlen(c->process) > 15)
			return !strncmp(buf, c->process, 15);
		return !strcmp(buf, c->process);
	}
	snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)pid);
	if (!read_small(path, buf, sizeof(buf), &n) || n == 0)
		return false;
	if (strcmp(buf, c->process))
		return false;
	/* the arguments, joined by single spaces */
	char *args = buf + strlen(buf) + 1;
	for (char *p = args; p < buf + n; p++)
		if (*p == '\0' && p + 1 < buf + n)
			*p = ' ';
	const char *want = c->param_match_args ? c->param_match_args : "";
	size_t wl = strlen(want);
	if (args >= buf + n)
		args = "";
	switch (c->param_match) {
	case PM_INITIAL:
		return !strncmp(args, want, wl);
	case PM_PARTIAL:
		return !strncmp(args, want, wl) && (args[wl] == '\0' || args[wl] == ' ');
	default:
		return c->param_match_args || c->param_match == PM_EXACT ? !strcmp(args, want)
		                                                         : true;
	}
}

static void evaluate(struct tproc_rt *t);

static void on_pid_exit(int fd, uint32_t events, void *arg)
{
	struct tproc_rt *t = arg;

	for (size_t i = 0; i < t->n; i++) {
		if (t->pids[i].fd != fd)
			continue;
		loop_del(t->d->loop, fd);
		close(fd);
		t->pids[i] = t->pids[--t->n];
		t->capped = false;
		break;
	}
	evaluate(t);
}

static bool watching(const struct tproc_rt *t, pid_t pid)
{
	for (size_t i = 0; i < t->n; i++)
		if (t->pids[i].pid == pid)
			return true;
	return false;
}

/* Starts watching pid if it matches; true when the count changed. At
 * most PROC_MAX_WATCHED per tracked process: a user starting processes
 * with the name cannot use up vipd's descriptors (the count then reads
 * "at least" that many). */
static bool consider(struct tproc_rt *t, pid_t pid)
{
	if (watching(t, pid) || !matches(t, pid))
		return false;
	if (t->n >= PROC_MAX_WATCHED) {
		if (!t->capped)
			log_warnx("vrrp_track_process %s: more than %d matching processes; the "
			          "others are not watched",
			          t->name, PROC_MAX_WATCHED);
		t->capped = true;
		return false;
	}
	int fd = pidfd_open(pid, 0);
	if (fd < 0)
		return false; /* gone already */
	struct pollfd pfd = {.fd = fd, .events = POLLIN};
	if (poll(&pfd, 1, 0) > 0) { /* exited since the check: not running */
		close(fd);
		return false;
	}
	if (t->n == t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 8;
		struct tproc_pid *p = realloc(t->pids, cap * sizeof(*p));
		if (!p) {
			close(fd);
			return false;
		}
		t->pids = p;
		t->cap = cap;
	}
	t->pids[t->n].pid = pid;
	t->pids[t->n].fd = fd;
	t->n++;
	loop_add(t->d->loop, fd, on_pid_exit, t);
	return true;
}

static void scan(struct vipd *d)
{
	DIR *dir = opendir("/proc");
	struct dirent *e;

	if (!dir)
		return;
	while ((e = readdir(dir))) {
		if (!isdigit((unsigned char)e->d_name[0]))
			continue;
		pid_t pid = (pid_t)atoi(e->d_name);
		for (struct tproc_rt *t = d->tprocs; t; t = t->next)
			if (consider(t, pid))
				evaluate(t);
	}
	closedir(dir);
}

static void settle(struct tproc_rt *t, bool up)
{
	if (t->ok == up)
		return;
	events_track("process", t->name, t->ok ? "OK" : "FAILED", up ? "OK" : "FAILED");
	t->ok = up;
	log_info("vrrp_track_process %s: %s (%zu running)", t->name, up ? "OK" : "FAILED", t->n);
	for (struct instance *in = t->d->instances; in; in = in->next)
		for (size_t i = 0; i < in->c->tracks[CONF_TRACK_PROCESS].n; i++)
			if (!strcmp(in->c->tracks[CONF_TRACK_PROCESS].items[i].name, t->name)) {
				track_update(in);
				break;
			}
}

static void on_delay(struct timer *tm, vtime_t now, void *arg)
{
	struct tproc_rt *t = arg;

	settle(t, t->pending_up);
}

/* Quorum reached or lost: settle now, or after fork_delay / terminate_delay. */
static void evaluate(struct tproc_rt *t)
{
	const struct conf_track_process *c = t->c;
	bool up = (int)t->n >= c->quorum && (c->quorum_max < 0 || (int)t->n <= c->quorum_max);
	uint64_t delay = up ? c->fork_delay_us : c->terminate_delay_us;

	if (up == t->ok) {
		loop_timer_cancel(t->d->loop, &t->t_delay);
		return;
	}
	if (!delay) {
		loop_timer_cancel(t->d->loop, &t->t_delay);
		settle(t, up);
		return;
	}
	if (!timer_armed(&t->t_delay) || t->pending_up != up) {
		t->pending_up = up;
		loop_timer_set(t->d->loop, &t->t_delay, loop_now() + (vtime_t)delay);
	}
}

/* ---- the process connector (initial network namespace only) ---- */

static void on_connector(int fd, uint32_t events, void *arg)
{
	struct vipd *d = arg;
	char buf[4096] __attribute__((aligned(NLMSG_ALIGNTO)));
	ssize_t n;

	while ((n = recv(fd, buf, sizeof(buf), 0)) > 0) {
		for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, (size_t)n);
		     h = NLMSG_NEXT(h, n)) {
			struct cn_msg *m = NLMSG_DATA(h);
			struct proc_event *ev = (struct proc_event *)m->data;
			pid_t pid = 0;
			if (ev->what == PROC_EVENT_EXEC)
				pid = ev->event_data.exec.process_tgid;
			else if (ev->what == PROC_EVENT_COMM)
				pid = ev->event_data.comm.process_tgid;
			for (struct tproc_rt *t = d->tprocs; pid && t; t = t->next)
				if (consider(t, pid))
					evaluate(t);
		}
	}
	if (n < 0 && errno == ENOBUFS)
		scan(d); /* events were lost */
}

static int connector_open(void)
{
	struct sockaddr_nl sa = {.nl_family = AF_NETLINK, .nl_groups = CN_IDX_PROC};
	char req[NLMSG_SPACE(sizeof(struct cn_msg) + sizeof(enum proc_cn_mcast_op))]
	    __attribute__((aligned(NLMSG_ALIGNTO))) = {0};
	struct nlmsghdr *h = (struct nlmsghdr *)req;
	struct cn_msg *m = NLMSG_DATA(h);
	enum proc_cn_mcast_op op = PROC_CN_MCAST_LISTEN;
	int fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, NETLINK_CONNECTOR);
	char ack[256];

	if (fd < 0)
		return -1;
	h->nlmsg_len = NLMSG_LENGTH(sizeof(*m) + sizeof(op));
	h->nlmsg_type = NLMSG_DONE;
	m->id.idx = CN_IDX_PROC;
	m->id.val = CN_VAL_PROC;
	m->len = sizeof(op);
	memcpy(m->data, &op, sizeof(op));
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    send(fd, req, h->nlmsg_len, 0) < 0) {
		close(fd);
		return -1;
	}
	/* outside the initial network namespace the kernel refuses here */
	usleep(1000);
	if (recv(fd, ack, sizeof(ack), MSG_PEEK) < 0 && errno == ECONNREFUSED) {
		close(fd);
		errno = ECONNREFUSED;
		return -1;
	}
	return fd;
}

static void on_scan(struct timer *t, vtime_t now, void *arg)
{
	struct vipd *d = arg;

	scan(d);
	loop_timer_set(d->loop, &d->t_proc_scan, now + SCAN_EVERY);
}

void tprocs_start(struct vipd *d)
{
	tprocs_stop(d);
	for (size_t i = 0; i < d->conf->track_processes.n; i++) {
		const struct conf_track_process *c = &d->conf->track_processes.items[i];
		struct tproc_rt *t;
		if (!conf_tracked(d->conf, CONF_TRACK_PROCESS, c->name) ||
		    !(t = calloc(1, sizeof(*t))))
			continue;
		t->d = d;
		t->c = c;
		snprintf(t->name, sizeof(t->name), "%s", c->name);
		if (c->user) {
			struct passwd *pw = getpwnam(c->user);
			t->by_uid = true;
			t->uid = pw ? pw->pw_uid : (uid_t)-1; /* unknown: nothing matches */
			if (!pw)
				log_warnx(
				    "vrrp_track_process %s: process_user %s does not exist; no "
				    "process matches",
				    c->name, c->user);
		}
		t->ok = false;
		timer_init(&t->t_delay, on_delay, t);
		t->next = d->tprocs;
		d->tprocs = t;
	}
	if (!d->tprocs)
		return;
	scan(d);
	for (struct tproc_rt *t = d->tprocs; t; t = t->next) {
		/* the first verdict is immediate: no delay at start */
		bool up = (int)t->n >= t->c->quorum &&
		          (t->c->quorum_max < 0 || (int)t->n <= t->c->quorum_max);
		t->ok = up;
		log_info("vrrp_track_process %s: %s (%zu running)", t->name, up ? "OK" : "FAILED",
		         t->n);
	}
	if ((d->proc_cn_fd = connector_open()) >= 0) {
		loop_add(d->loop, d->proc_cn_fd, on_connector, d);
	} else {
		log_info("process events are not available here (%s); scanning /proc every %d s "
		         "for new processes, deaths are still seen at once",
		         strerror(errno), (int)(SCAN_EVERY / VTIME_SEC));
		timer_init(&d->t_proc_scan, on_scan, d);
		loop_timer_set(d->loop, &d->t_proc_scan, loop_now() + SCAN_EVERY);
	}
}

void tprocs_stop(struct vipd *d)
{
	while (d->tprocs) {
		struct tproc_rt *t = d->tprocs;
		d->tprocs = t->next;
		for (size_t i = 0; i < t->n; i++) {
			loop_del(d->loop, t->pids[i].fd);
			close(t->pids[i].fd);
		}
		loop_timer_cancel(d->loop, &t->t_delay);
		free(t->pids);
		free(t);
	}
	if (d->proc_cn_fd >= 0) {
		loop_del(d->loop, d->proc_cn_fd);
		close(d->proc_cn_fd);
		d->proc_cn_fd = -1;
	}
	loop_timer_cancel(d->loop, &d->t_proc_scan);
}

struct tproc_rt *tproc_find(struct vipd *d, const char *name)
{
	for (struct tproc_rt *t = d->tprocs; t; t = t->next)
		if (!strcmp(t->name, name))
			return t;
	return NULL;
}

void tproc_view(const struct instance *in, const struct conf_track *t, int w,
                struct tracked_view *v)
{
	struct tproc_rt *p = tproc_find(in->d, t->name);

	if (!(v->exists = p != NULL))
		return;
	v->ok = p->ok;
	v->reverse = t->reverse || p->c->weight_reverse;
	v->state = p->ok ? "OK" : "FAILED";
	snprintf(v->result, sizeof(v->result), "%zu running", p->n);
	if (w == 0 && p->ok == v->reverse)
		snprintf(v->fault, sizeof(v->fault), "vrrp_track_process %s %s", p->name,
		         p->ok ? "is running (reverse)" : "is not running");
	v->contribution = tracked_contribution(w, v->reverse, p->ok);
}
