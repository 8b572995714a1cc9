/*
 * child.c: spawning and reaping scripts. One registry of running children
 * maps a pid to its owner's callback, so one SIGCHLD reaper serves notify
 * and tracking scripts alike.
 *
 * A child starts with clone(CLONE_VM): no copy of vipd's page tables (what
 * makes fork() cost milliseconds in a large daemon), and vipd does not
 * wait for the exec. Until it execs, the child runs on a stack of its own
 * in vipd's memory and only makes raw system calls on a block (struct
 * start) that vipd no longer writes; the block is freed when its exec pipe
 * closes. Owns: the registry, the blocks in flight, /dev/null's fd.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lib/execpath.h"
#include "linux/child.h"
#include "lib/log.h"
#include "linux/loop.h"

#define MAX_ARGS    64
#define CHILD_STACK (64 * 1024)

extern char **environ;

struct child {
	pid_t pid;
	child_fn fn;
	void *arg;
	struct child *next;
};

static struct child *children;
static struct child_stats stats;
static int devnull = -1;

static int split(char *s, char **argv, int max)
{
	int n = 0;

	while (*s && n < max - 1) {
		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s)
			break;
		char q = (*s == '"' || *s == '\'') ? *s++ : 0;
		argv[n++] = s;
		while (*s && (q ? *s != q : (*s != ' ' && *s != '\t')))
			s++;
		if (*s)
			*s++ = '\0';
	}
	argv[n] = NULL;
	return n;
}

/* Variables that speak to vipd itself (systemd's), not to its scripts. */
static bool private_env(const char *e)
{
	static const char *const names[] = {"NOTIFY_SOCKET=",  "LISTEN_FDS=",   "LISTEN_PID=",
	                                    "LISTEN_FDNAMES=", "WATCHDOG_PID=", "WATCHDOG_USEC="};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strncmp(e, names[i], strlen(names[i])))
			return true;
	return false;
}

/*
 * A start in flight: everything the child reads until it has exec'd, and
 * its stack. The child shares vipd's memory until then (CLONE_VM) while
 * vipd goes on, so this block is written only before the clone and freed
 * only when the exec pipe says the child is done with it (EOF: exec'd or
 * exited; an errno first: a step failed).
 */
struct start {
	struct start *next;
	char *cmd;    /* for the log */
	char *line;   /* argv's words */
	char **extra; /* copies of the extra arguments */
	char **argv;
	char *exec_path; /* what is exec'd: argv[0], or the checked real path */
	char **envp;
	struct child_cred cred;
	bool has_cred;
	int devnull;
	int exec_rd, exec_wr; /* the exec pipe: O_CLOEXEC, so exec closes it */
	pid_t pid;
	bool unwatched; /* not in exec_ep: looked at on each start and reap */
	char stack[CHILD_STACK];
};

static struct start *in_flight;
static int exec_ep = -1;
static int unwatched; /* starts in flight outside exec_ep */

#define NO_SANITIZE __attribute__((no_sanitize("address", "undefined")))

/* System calls in the child that leave errno alone: errno is vipd's own,
 * in the memory the child shares, and vipd is running meanwhile. */
#if defined(__x86_64__)
#define RAW_SYSCALLS 1
NO_SANITIZE static long raw(long n, long a, long b, long c, long d)
{
	register long r10 __asm__("r10") = d;
	long ret;
	__asm__ volatile("syscall"
	                 : "=a"(ret)
	                 : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10)
	                 : "rcx", "r11", "memory");
	return ret;
}
#elif defined(__aarch64__)
#define RAW_SYSCALLS 1
NO_SANITIZE static long raw(long n, long a, long b, long c, long d)
{
	register long x8 __asm__("x8") = n, x0 __asm__("x0") = a, x1 __asm__("x1") = b;
	register long x2 __asm__("x2") = c, x3 __asm__("x3") = d;
	__asm__ volatile("svc 0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2), "r"(x3) : "memory");
	return x0;
}
#else
#define RAW_SYSCALLS 0 /* elsewhere the parent waits for the exec (CLONE_VFORK) */
NO_SANITIZE static long raw(long n, long a, long b, long c, long d)
{
	long r = syscall(n, a, b, c, d);
	return r < 0 ? -errno : r;
}
#endif

NO_SANITIZE static void child_fail(const struct start *st, long err, int status)
{
	int e = (int)-err;
	raw(SYS_write, st->exec_wr, (long)&e, sizeof(e), 0);
	raw(SYS_exit, status, 0, 0, 0);
}

/* Runs in the child, on its own stack: credentials, signals, process
 * group, stdio, exec. Only system calls, on memory it does not write. */
NO_SANITIZE static int child_main(void *arg)
{
	static const struct {
		void (*handler)(int);
		unsigned long flags;
		void (*restorer)(void);
		unsigned long mask;
	} dfl = {SIG_DFL, 0, 0, 0};
	static const unsigned long none = 0;
	const struct start *st = arg;
	const struct child_cred *c = &st->cred;
	long r;

	if (st->has_cred && c->set &&
	    ((r = raw(SYS_setgroups, c->n_groups, (long)c->groups, 0, 0)) < 0 ||
	     (r = raw(SYS_setresgid, c->gid, c->gid, c->gid, 0)) < 0 ||
	     (r = raw(SYS_setresuid, c->uid, c->uid, c->uid, 0)) < 0))
		child_fail(st, r, 126);
	if ((r = raw(SYS_rt_sigaction, SIGPIPE, (long)&dfl, 0, sizeof(dfl.mask))) < 0 ||
	    (r = raw(SYS_rt_sigprocmask, SIG_SETMASK, (long)&none, 0, sizeof(none))) < 0 ||
	    (r = raw(SYS_setpgid, 0, 0, 0, 0)) < 0)
		child_fail(st, r, 127);
	for (int fd = 0; fd < 3; fd++)
		if (st->devnull != fd && (r = raw(SYS_dup3, st->devnull, fd, 0, 0)) < 0)
			child_fail(st, r, 127);
	r = raw(SYS_execve, (long)st->exec_path, (long)st->argv, (long)st->envp, 0);
	child_fail(st, r, 127);
	return 127;
}

static vtime_t now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (vtime_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static bool use_fork(void)
{
	static int v = -1;
	if (v < 0) {
		const char *e = getenv("VIPD_SPAWN");
		v = e && !strcmp(e, "fork");
		stats.method = v ? "fork" : RAW_SYSCALLS ? "clone-vm" : "clone-vfork";
	}
	return v;
}

const struct child_stats *child_stats(void)
{
	use_fork();
	return &stats;
}

void child_stats_clear(void)
{
	use_fork();
	const char *m = stats.method;
	memset(&stats, 0, sizeof(stats));
	stats.method = m;
}

/* fork() copies the page tables of the whole daemon: kept only to compare
 * (VIPD_SPAWN=fork). clone(CLONE_VM) copies nothing, and vipd does not
 * wait for the exec (unlike vfork and posix_spawn, which wait). */
static pid_t start_child(struct start *st)
{
	vtime_t t0 = now_us();
	pid_t pid;

	if (use_fork()) {
		if ((pid = fork()) == 0) {
			child_main(st);
			_exit(127);
		}
	} else {
		int flags = CLONE_VM | SIGCHLD | (RAW_SYSCALLS ? 0 : CLONE_VFORK);
		uintptr_t top = ((uintptr_t)st->stack + CHILD_STACK) & ~(uintptr_t)15;
		pid = clone(child_main, (void *)top, flags, st);
	}
	vtime_t took = now_us() - t0;
	stats.spawns++;
	stats.us_total += (uint64_t)took;
	if ((uint64_t)took > stats.us_max)
		stats.us_max = (uint64_t)took;
	return pid;
}

static void start_free(struct start *st)
{
	if (st->exec_rd >= 0)
		close(st->exec_rd);
	if (st->exec_wr >= 0)
		close(st->exec_wr);
	free(st->cmd);
	free(st->line);
	for (int i = 0; st->extra && st->extra[i]; i++)
		free(st->extra[i]);
	free(st->extra);
	free(st->argv);
	free(st->exec_path);
	free(st->envp);
	free(st);
}

/* The start's child has exec'd or exited if its exec pipe says so: then
 * logs a failed step, unlinks and frees the start. */
static bool start_done(struct start *st)
{
	int err = 0;
	ssize_t n = read(st->exec_rd, &err, sizeof(err));

	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return false;
	if (n == (ssize_t)sizeof(err) && err)
		log_warnx("running %s: %s", st->cmd, strerror(err));
	for (struct start **p = &in_flight; *p; p = &(*p)->next)
		if (*p == st) {
			*p = st->next;
			break;
		}
	/* explicitly: a child started since may hold a copy of exec_rd until
	 * it execs, and epoll forgets a pipe only when every copy is closed */
	if (!st->unwatched)
		epoll_ctl(exec_ep, EPOLL_CTL_DEL, st->exec_rd, NULL);
	unwatched -= st->unwatched;
	start_free(st);
	return true;
}

/* Exec pipes that closed, in one epoll set of their own beside the loop:
 * O(1) per start however many are in flight. */
static void on_exec_pipes(int fd, uint32_t events, void *arg)
{
	struct epoll_event ev[64];
	int n;

	while ((n = epoll_wait(fd, ev, 64, 0)) > 0)
		for (int i = 0; i < n; i++)
			start_done(ev[i].data.ptr);
}

int child_init(struct loop *l)
{
	if (exec_ep >= 0)
		return 0;
	if ((exec_ep = epoll_create1(EPOLL_CLOEXEC)) < 0)
		return -1;
	return loop_add(l, exec_ep, on_exec_pipes, NULL);
}

/* Starts outside exec_ep (no loop, or epoll refused one): a look at each. */
static void collect_starts(void)
{
	if (!unwatched)
		return;
	for (struct start *st = in_flight, *next; st; st = next) {
		next = st->next;
		if (st->unwatched)
			start_done(st);
	}
}

/* A refused run is logged when its reason changes, else once a minute. */
static void refused(const char *cmd, const char *why)
{
	static struct {
		unsigned hash;
		time_t at;
	} seen[32];
	unsigned h = 2166136261u;
	time_t now = time(NULL);

	for (const char *p = cmd; *p; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	for (const char *p = why; *p; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	unsigned slot = h % 32;
	if (seen[slot].hash == h && now - seen[slot].at < 60)
		return;
	seen[slot].hash = h;
	seen[slot].at = now;
	log_warnx("%s: %s; not run (enable_script_security)", cmd, why);
}

static struct start *start_new(const char *cmd, const char *const *extra,
                               const struct child_cred *cred)
{
	struct start *st = calloc(1, sizeof(*st));
	size_t n_env = 0, k = 0;
	int fds[2];

	if (!st)
		return NULL;
	st->exec_rd = st->exec_wr = -1;
	while (environ && environ[n_env])
		n_env++;
	st->cmd = strdup(cmd);
	st->line = strdup(cmd);
	st->argv = calloc(MAX_ARGS + 8, sizeof(char *));
	st->extra = calloc(8, sizeof(char *));
	st->envp = calloc(n_env + 1, sizeof(char *));
	if (!st->cmd || !st->line || !st->argv || !st->extra || !st->envp ||
	    pipe2(fds, O_CLOEXEC | O_NONBLOCK) < 0) {
		start_free(st);
		return NULL;
	}
	st->exec_rd = fds[0];
	st->exec_wr = fds[1];
	int n = split(st->line, st->argv, MAX_ARGS);
	for (int i = 0; extra && extra[i] && i < 7; i++)
		if (!(st->argv[n++] = st->extra[i] = strdup(extra[i]))) {
			start_free(st);
			return NULL;
		}
	for (size_t i = 0; i < n_env; i++)
		if (!private_env(environ[i]))
			st->envp[k++] = environ[i];
	if (cred) {
		st->cred = *cred;
		st->has_cred = true;
	}
	st->devnull = devnull;
	if (n == 0) {
		start_free(st);
		return NULL;
	}
	/* a name without a slash is found in PATH (exec'd without a shell);
	 * with enable_script_security, at every run: the real path of what was
	 * found is checked and is what gets exec'd, so a link swapped later
	 * changes nothing */
	char found[4096], real[4096], why[4200];
	if (!exec_find(st->argv[0], found, sizeof(found)))
		snprintf(found, sizeof(found), "%s", st->argv[0]); /* exec fails: exit 127 */
	if (cred && cred->secure_path &&
	    !child_path_secure(found, real, sizeof(real), why, sizeof(why))) {
		refused(cmd, why);
		start_free(st);
		return NULL;
	}
	if (!(st->exec_path = strdup(cred && cred->secure_path ? real : found))) {
		start_free(st);
		return NULL;
	}
	return st;
}

pid_t child_spawn(const char *cmd, const char *const *extra, const struct child_cred *cred,
                  child_fn on_exit, void *arg)
{
	struct child *c = calloc(1, sizeof(*c));
	struct start *st;

	collect_starts();
	if (devnull < 0)
		devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (!c || devnull < 0 || !(st = start_new(cmd, extra, cred))) {
		free(c);
		return -1;
	}
	c->pid = st->pid = start_child(st);
	close(st->exec_wr);
	st->exec_wr = -1;
	if (c->pid < 0) {
		log_warn("running %s", cmd);
		start_free(st);
		free(c);
		return -1;
	}
	st->next = in_flight;
	in_flight = st;
	struct epoll_event ev = {.events = EPOLLIN, .data.ptr = st};
	if (exec_ep < 0 || epoll_ctl(exec_ep, EPOLL_CTL_ADD, st->exec_rd, &ev) < 0) {
		st->unwatched = true;
		unwatched++;
	}
	setpgid(c->pid, c->pid); /* also here: no race with a kill before exec */
	c->fn = on_exit;
	c->arg = arg;
	c->next = children;
	children = c;
	return c->pid;
}

void child_kill(pid_t pid)
{
	if (pid > 0)
		kill(-pid, SIGKILL);
}

void child_forget(pid_t pid)
{
	for (struct child *c = children; c; c = c->next)
		if (c->pid == pid)
			c->fn = NULL;
}

void child_reap(void)
{
	int status;
	pid_t pid;

	collect_starts();
	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		for (struct child **p = &children; *p; p = &(*p)->next) {
			struct child *c = *p;
			if (c->pid != pid)
				continue;
			*p = c->next;
			if (c->fn)
				c->fn(c->arg, status);
			free(c);
			break;
		}
	}
}

bool child_cred_lookup(const char *user, const char *group, struct child_cred *c, char *why,
                       size_t len)
{
	struct passwd *pw = getpwnam(user);
	struct group *gr = NULL;

	if (!pw) {
		snprintf(why, len, "user %s does not exist", user);
		return false;
	}
	if (group && !(gr = getgrnam(group))) {
		snprintf(why, len, "group %s does not exist", group);
		return false;
	}
	c->set = true;
	c->uid = pw->pw_uid;
	c->gid = gr ? gr->gr_gid : pw->pw_gid;
	/* the user's supplementary groups, as initgroups() would set them */
	int n = CHILD_MAX_GROUPS;
	if (getgrouplist(pw->pw_name, c->gid, c->groups, &n) < 0)
		n = CHILD_MAX_GROUPS; /* truncated: fewer groups, never more */
	c->n_groups = n;
	return true;
}

/* Can someone other than root change st? Sticky directories are safe. */
static bool insecure(const struct stat *st)
{
	if (st->st_uid != 0)
		return true;
	if (S_ISDIR(st->st_mode) && (st->st_mode & S_ISVTX))
		return false;
	return (st->st_mode & S_IWOTH) || ((st->st_mode & S_IWGRP) && st->st_gid != 0);
}

/* The first word of cmd, the script itself. */
static void script_word(const char *cmd, char *out, size_t len)
{
	snprintf(out, len, "%s", cmd);
	out[strcspn(out, " \t")] = '\0';
}

bool child_path_secure(const char *cmd, char *real_out, size_t real_len, char *why, size_t len)
{
	char word[4096], path[4096];
	struct stat st;

	script_word(cmd, word, sizeof(word));
	if (word[0] != '/') {
		snprintf(why, len, "%s is not an absolute path", word);
		return false;
	}
	/* the real path: a link's target is what runs, so it is what counts */
	char *real = realpath(word, NULL);
	if (!real) {
		snprintf(why, len, "%s: %s", word, strerror(errno));
		return false;
	}
	snprintf(path, sizeof(path), "%s", real);
	if (real_out)
		snprintf(real_out, real_len, "%s", real);
	free(real);
	for (bool file = true;; file = false) {
		/* lstat: no link is followed; one found (put there since) fails */
		if (lstat(path, &st) < 0) {
			snprintf(why, len, "%s: %s", path, strerror(errno));
			return false;
		}
		if (S_ISLNK(st.st_mode) || (file && !S_ISREG(st.st_mode))) {
			snprintf(why, len, "%s is %s", path,
			         S_ISLNK(st.st_mode) ? "a symbolic link" : "not a regular file");
			return false;
		}
		if (insecure(&st)) {
			snprintf(why, len, "%s can be changed by a user other than root", path);
			return false;
		}
		char *slash = strrchr(path, '/');
		if (!slash || slash == path) {
			if (strcmp(path, "/") == 0)
				return true;
			strcpy(path, "/");
			continue;
		}
		*slash = '\0';
	}
}
