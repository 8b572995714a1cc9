/*
 * ctl.c: the control socket (root only, /run/vipd/vipd.sock) and the status
 * it serves: per instance the state, priorities, master, VIPs, the last
 * transition and its reason, and the counters, as text or JSON.
 * Protocol: one request line ("status", "status json", "stats", "stats
 * clear"), one reply, then the server closes; or "events" ("events json"):
 * the connection becomes a subscriber (events.c) and stays open. "reload
 * check [PATH]" is answered when the file has been read (reloadcheck.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "linux/child.h"
#include "daemon/ctl.h"
#include "daemon/bfdstatus.h"
#include "daemon/daemon.h"
#include "daemon/events.h"
#include "daemon/iface.h"
#include "daemon/instance.h"
#include "daemon/path.h"
#include "daemon/reloadcheck.h"
#include "daemon/proc.h"
#include "daemon/sync.h"
#include "daemon/track.h"
#include "daemon/tracked.h"
#include "daemon/vsock.h"
#include "lib/log.h"
#include "lib/memtext.h"
#include "linux/loop.h"
#include "vrrp/fsm.h"
#include "lib/timer.h"

static int ctl_fd = -1;

void ctl_json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

static double secs(vtime_t us)
{
	return (double)us / 1e6;
}

/* What each tracked object of an instance is doing, for status. */
static void tracking(const struct instance *in,
                     void (*emit)(void *, const char *type, const char *name, const char *state,
                                  int weight, const char *result),
                     void *arg)
{
	for (int k = 0; k < CONF_TRACK_KINDS; k++)
		for (size_t i = 0; i < in->c->tracks[k].n; i++) {
			const struct conf_track *t = &in->c->tracks[k].items[i];
			struct tracked_view v;
			tracked_view(in, (enum conf_track_kind)k, t, &v);
			if (v.exists)
				emit(arg, tracked_kinds[k].type, t->name, v.state, v.weight,
				     v.result);
		}
}

struct emit_ctx {
	FILE *f;
	int n;
};

static void json_track(void *arg, const char *type, const char *name, const char *state, int weight,
                       const char *result)
{
	struct emit_ctx *e = arg;

	fprintf(e->f, "%s{\"type\":\"%s\",\"name\":", e->n++ ? "," : "", type);
	ctl_json_str(e->f, name);
	fprintf(e->f, ",\"state\":\"%s\",\"weight\":%d,\"last_result\":", state, weight);
	ctl_json_str(e->f, result);
	fputc('}', e->f);
}

static void json_tracking(FILE *f, const struct instance *in)
{
	struct emit_ctx e = {f, 0};

	tracking(in, json_track, &e);
}

static void text_track(void *arg, const char *type, const char *name, const char *state, int weight,
                       const char *result)
{
	struct emit_ctx *e = arg;

	fprintf(e->f, "  tracking    %s %s: %s, weight %d%s%s%s\n", type, name, state, weight,
	        result[0] ? " (" : "", result, result[0] ? ")" : "");
}

static void json_paths(FILE *f, const struct instance *in)
{
	char a[ADDR_STRLEN];

	if (!in->n_paths)
		return;
	fputs(",\"paths\":[", f);
	for (size_t i = 0; i < in->n_paths; i++) {
		const struct inst_path *p = &in->paths[i];
		fputs(i ? ",{\"interface\":" : "{\"interface\":", f);
		ctl_json_str(f, p->c->ifname);
		fputs(",\"peer\":", f);
		if (addr_is_set(&p->c->peer))
			ctl_json_str(f, addr_ntop(&p->c->peer, a));
		else
			fputs("null", f);
		fprintf(f, ",\"up\":%s,\"sent\":%llu,\"received\":%llu}", p->up ? "true" : "false",
		        (unsigned long long)p->tx, (unsigned long long)p->rx);
	}
	fputc(']', f);
}

static void json_instance(FILE *f, const struct instance *in, vtime_t now)
{
	char a[ADDR_STRLEN];
	const struct fsm *m = &in->fsm;

	fputs("{\"name\":", f);
	ctl_json_str(f, in->name);
	fprintf(f, ",\"state\":\"%s\",\"interface\":", vrrp_state_name(m->state));
	ctl_json_str(f, in->c->ifname);
	if (in->vmac.ifindex > 0) {
		fputs(",\"vmac\":", f);
		ctl_json_str(f, in->vmac.name);
	}
	json_paths(f, in);
	fprintf(f,
	        ",\"vrid\":%d,\"version\":%d,\"family\":\"%s\",\"priority\":%u,"
	        "\"base_priority\":%d,\"advert_int\":%.3f,",
	        in->c->vrid, in->c->version, in->c->family == AF_INET6 ? "inet6" : "inet",
	        m->priority, in->c->priority, secs((vtime_t)in->c->advert_int_us));
	fputs("\"master\":", f);
	if (m->state == VRRP_STATE_MASTER || addr_is_set(&m->master_addr))
		ctl_json_str(
		    f,
		    addr_ntop(m->state == VRRP_STATE_MASTER ? &in->primary : &m->master_addr, a));
	else
		fputs("null", f);
	fputs(",\"primary\":", f);
	ctl_json_str(f, addr_ntop(&in->primary, a));
	fputs(",\"vips\":[", f);
	for (size_t i = 0; i < in->n_vips; i++) {
		fputs(i ? "," : "", f);
		ctl_json_str(f, addr_ntop(&in->vips[i], a));
	}
	fputs("],\"tracking\":[", f);
	json_tracking(f, in);
	fputs("],\"last_transition\":", f);
	if (in->last_transition_at) {
		fprintf(f, "{\"from\":\"%s\",\"to\":\"%s\",\"seconds_ago\":%.3f,\"reason\":",
		        vrrp_state_name(in->last_from), vrrp_state_name(m->state),
		        secs(now - in->last_transition_at));
		char why[FSM_WHY_LEN];
		ctl_json_str(f, fsm_why_text(&m->last_why, why, sizeof(why)));
		fputc('}', f);
	} else {
		fputs("null", f);
	}
	fputs(",\"sync_group\":", f);
	if (in->sync)
		ctl_json_str(f, in->sync->c->name);
	else
		fputs("null", f);
	fputs(",\"split_brain\":", f);
	if (in->sb_active) {
		fputs("{\"other_master\":", f);
		ctl_json_str(f, addr_ntop(&in->sb_peer, a));
		fprintf(f, ",\"priority\":%u,\"seconds\":%.3f,\"adverts\":%llu}", in->sb_prio,
		        secs(now - in->sb_since), (unsigned long long)in->sb_adverts);
	} else {
		fputs("null", f);
	}
	fprintf(f,
	        ",\"counters\":{\"adverts_sent\":%llu,\"adverts_received\":%llu,"
	        "\"transitions\":%llu,\"vip_errors\":%llu,\"split_brains\":%llu,\"drops\":{",
	        (unsigned long long)in->st.adverts_sent,
	        (unsigned long long)in->st.adverts_received, (unsigned long long)in->st.transitions,
	        (unsigned long long)in->st.vip_errors, (unsigned long long)in->st.split_brains);
	for (int r = 1; r < VRRP_RX_REASON_MAX; r++)
		fprintf(f, "%s\"%s\":%llu", r > 1 ? "," : "", vrrp_rx_reason_name(r),
		        (unsigned long long)in->st.drops[r]);
	fputs("}}}", f);
}

/* The loop's timer lateness and the cost of starting children. */
static void json_loop(FILE *f, struct vipd *d)
{
	const struct loop_stats *ls = loop_stats(d->loop);
	const struct child_stats *cs = child_stats();

	fprintf(f, "\"loop\":{\"timer_turns\":%llu,\"late_max_us\":%lld,\"late_hist\":[",
	        (unsigned long long)ls->timer_turns, (long long)ls->late_max_us);
	for (int b = 0; b < LOOP_LATE_BUCKETS; b++) {
		fprintf(f, "%s{\"le_us\":", b ? "," : "");
		if (b < LOOP_LATE_BUCKETS - 1)
			fprintf(f, "%lld", (long long)loop_late_bounds_us[b]);
		else
			fputs("null", f);
		fprintf(f, ",\"count\":%llu}", (unsigned long long)ls->late_hist[b]);
	}
	fprintf(f,
	        "]},\"spawn\":{\"method\":\"%s\",\"count\":%llu,\"us_total\":%llu,"
	        "\"us_max\":%llu}",
	        cs->method, (unsigned long long)cs->spawns, (unsigned long long)cs->us_total,
	        (unsigned long long)cs->us_max);
}

/* router_id names this host (keepalived: default the host name). */
static const char *router_id(const struct vipd *d)
{
	static char host[256];

	if (d->conf->global.router_id[0])
		return d->conf->global.router_id;
	if (gethostname(host, sizeof(host) - 1) < 0)
		snprintf(host, sizeof(host), "unknown");
	return host;
}

static void json_status(FILE *f, void *arg)
{
	struct vipd *d = arg;
	vtime_t now = loop_now();
	int first = 1;

	fprintf(f, "{\"version\":\"%s\",\"router_id\":", VIPD_VERSION);
	ctl_json_str(f, router_id(d));
	fprintf(f, ",\"pid\":%d,\"uptime\":%.3f,\"reloads\":%llu,\"instances\":[", (int)getpid(),
	        secs(now - d->started_at), (unsigned long long)d->reloads);
	for (struct instance *in = d->instances; in; in = in->next) {
		fputs(first ? "" : ",", f);
		first = 0;
		json_instance(f, in, now);
	}
	fputs("],", f);
	bfd_status_json(f, d);
	fputc(',', f);
	json_loop(f, d);
	fputs(",\"sockets\":[", f);
	first = 1;
	for (struct vsock *vs = d->socks; vs; vs = vs->next) {
		fprintf(f, "%s{\"ifindex\":%d,\"family\":\"%s\",\"drops\":{", first ? "" : ",",
		        vs->ifindex, vs->family == AF_INET6 ? "inet6" : "inet");
		first = 0;
		for (int r = 1; r < VRRP_RX_REASON_MAX; r++)
			fprintf(f, "%s\"%s\":%llu", r > 1 ? "," : "", vrrp_rx_reason_name(r),
			        (unsigned long long)vs->drops[r]);
		fputs("}}", f);
	}
	fputs("]}\n", f);
}

static void text_status(FILE *f, void *arg)
{
	struct vipd *d = arg;
	vtime_t now = loop_now();
	char a[ADDR_STRLEN];

	fprintf(f, "vipd %s on %s, pid %d, up %.0f s, %llu reload(s)\n", VIPD_VERSION, router_id(d),
	        (int)getpid(), secs(now - d->started_at), (unsigned long long)d->reloads);
	for (struct instance *in = d->instances; in; in = in->next) {
		const struct fsm *m = &in->fsm;
		fprintf(f, "\n%s: %s\n", in->name, vrrp_state_name(m->state));
		fprintf(f, "  interface   %s, VRID %d, VRRPv%d, advert every %.3f s\n",
		        in->c->ifname, in->c->vrid, in->c->version,
		        secs((vtime_t)in->c->advert_int_us));
		if (in->vmac.ifindex > 0)
			fprintf(f, "  vmac        %s, %02x:%02x:%02x:%02x:%02x:%02x%s\n",
			        in->vmac.name, in->vmac.mac[0], in->vmac.mac[1], in->vmac.mac[2],
			        in->vmac.mac[3], in->vmac.mac[4], in->vmac.mac[5],
			        in->c->vmac_xmit_base ? ", adverts from the interface" : "");
		for (size_t i = 0; i < in->n_paths; i++) {
			const struct inst_path *p = &in->paths[i];
			fprintf(f, "  path        %s %s%s, %s, %llu sent, %llu received\n",
			        p->c->ifname, addr_is_set(&p->c->peer) ? "to " : "multicast",
			        addr_is_set(&p->c->peer) ? addr_ntop(&p->c->peer, a) : "",
			        p->up ? "up" : "down", (unsigned long long)p->tx,
			        (unsigned long long)p->rx);
		}
		fprintf(f, "  priority    %u (configured %d)\n", m->priority, in->c->priority);
		if (m->state == VRRP_STATE_MASTER)
			fprintf(f, "  master      this host (%s)\n", addr_ntop(&in->primary, a));
		else if (addr_is_set(&m->master_addr))
			fprintf(f, "  master      %s, priority %u\n", addr_ntop(&m->master_addr, a),
			        m->master_priority);
		else
			fprintf(f, "  master      none heard\n");
		fputs("  VIPs       ", f);
		for (size_t i = 0; i < in->n_vips; i++)
			fprintf(f, " %s", addr_ntop(&in->vips[i], a));
		fputc('\n', f);
		if (in->sb_active)
			fprintf(f,
			        "  SPLIT BRAIN %s (priority %u) also advertises as master, for "
			        "%.1f s\n",
			        addr_ntop(&in->sb_peer, a), in->sb_prio, secs(now - in->sb_since));
		struct emit_ctx e = {f, 0};
		tracking(in, text_track, &e);
		char why[FSM_WHY_LEN];
		if (in->last_transition_at)
			fprintf(f, "  last change %.1f s ago, %s -> %s: %s\n",
			        secs(now - in->last_transition_at), vrrp_state_name(in->last_from),
			        vrrp_state_name(m->state),
			        fsm_why_text(&m->last_why, why, sizeof(why)));
		fprintf(f, "  adverts     %llu sent, %llu received\n",
		        (unsigned long long)in->st.adverts_sent,
		        (unsigned long long)in->st.adverts_received);
		for (int r = 1; r < VRRP_RX_REASON_MAX; r++)
			if (in->st.drops[r])
				fprintf(f, "  dropped     %llu: %s\n",
				        (unsigned long long)in->st.drops[r],
				        vrrp_rx_reason_text(r));
	}
	bfd_status_text(f, d);
}

char *ctl_status(struct vipd *d, bool json)
{
	return memtext(json ? json_status : text_status, d);
}

static void stats(FILE *f, void *arg)
{
	struct vipd *d = arg;
	const struct loop_stats *ls = loop_stats(d->loop);
	const struct child_stats *cs = child_stats();

	fprintf(f, "vipd loop_timer_turns %llu\nvipd loop_late_max_us %lld\n",
	        (unsigned long long)ls->timer_turns, (long long)ls->late_max_us);
	fprintf(f, "vipd spawns %llu\nvipd spawn_us_total %llu\nvipd spawn_us_max %llu\n",
	        (unsigned long long)cs->spawns, (unsigned long long)cs->us_total,
	        (unsigned long long)cs->us_max);
	for (struct instance *in = d->instances; in; in = in->next) {
		fprintf(f, "%s adverts_sent %llu\n%s adverts_received %llu\n%s transitions %llu\n",
		        in->name, (unsigned long long)in->st.adverts_sent, in->name,
		        (unsigned long long)in->st.adverts_received, in->name,
		        (unsigned long long)in->st.transitions);
		for (int r = 1; r < VRRP_RX_REASON_MAX; r++)
			fprintf(f, "%s drop_%s %llu\n", in->name, vrrp_rx_reason_name(r),
			        (unsigned long long)in->st.drops[r]);
	}
	bfd_stats(f, d);
}

char *ctl_stats(struct vipd *d)
{
	return memtext(stats, d);
}

/* Zeroes the counters (instances', the loop's, the children's), after
 * the reply that shows them. */
void ctl_stats_clear(struct vipd *d)
{
	for (struct instance *in = d->instances; in; in = in->next)
		memset(&in->st, 0, sizeof(in->st));
	bfd_stats_clear(d);
	loop_stats_clear(d->loop);
	child_stats_clear();
}

/*
 * Clients: the request is read and the reply written without blocking,
 * each within a deadline, at most CTL_MAX_CLIENTS at once; a client that
 * reads slowly holds only its own buffer, never the loop.
 */
#define CTL_MAX_CLIENTS 16
#define CTL_REQUEST_US  (5 * 1000000)  /* to send the request line */
#define CTL_REPLY_US    (30 * 1000000) /* to read the whole reply */

struct client {
	struct vipd *d;
	int fd;
	char req[4200];
	size_t req_len;
	bool waiting; /* for its reload check */
	bool handed;  /* its fd is events.c's now */
	char *reply;
	size_t len, off;
	struct timer deadline;
	struct client *next;
};

static struct client *clients;
static int n_clients;
static struct client *checking; /* the client whose reload check is being read */
static int reserve_fd = -1;     /* given up to accept (and close) when out of fds */

static void client_close(struct client *c)
{
	for (struct client **p = &clients; *p; p = &(*p)->next)
		if (*p == c) {
			*p = c->next;
			break;
		}
	n_clients--;
	if (checking == c)
		checking = NULL;
	log_trace(LOG_CTL, "control client %d closed (%d open)", c->fd, n_clients);
	loop_timer_cancel(c->d->loop, &c->deadline);
	if (!c->handed) {
		loop_del(c->d->loop, c->fd);
		close(c->fd);
	}
	free(c->reply);
	free(c);
}

static void on_deadline(struct timer *t, vtime_t now, void *arg)
{
	struct client *c = arg;

	log_trace(LOG_CTL, "control client dropped: %s",
	          c->reply ? "too slow reading the reply" : "no request in time");
	client_close(c);
}

static char *answer(struct client *c)
{
	char *reply = NULL;

	if (!strcmp(c->req, "status") || !strcmp(c->req, "status json"))
		return ctl_status(c->d, !strcmp(c->req, "status json"));
	if (!strcmp(c->req, "stats"))
		return ctl_stats(c->d);
	if (!strcmp(c->req, "stats clear") && (reply = ctl_stats(c->d))) {
		ctl_stats_clear(c->d);
		return reply;
	}
	if (asprintf(&reply, "error: unknown request '%.60s'\n", c->req) < 0)
		return NULL;
	return reply;
}

/* Writes what the socket takes; true when the reply is out (or the client
 * is gone). */
static bool send_some(struct client *c)
{
	while (c->off < c->len) {
		ssize_t n = send(c->fd, c->reply + c->off, c->len - c->off, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return false;
		if (n <= 0)
			return true;
		c->off += (size_t)n;
	}
	return true;
}

/* Reads the request line; true when it is complete (or cannot be). */
static bool read_request(struct client *c, bool *gone)
{
	for (;;) {
		ssize_t n = read(c->fd, c->req + c->req_len, sizeof(c->req) - 1 - c->req_len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return false;
		if (n <= 0) {
			*gone = c->req_len == 0;
			return true;
		}
		c->req_len += (size_t)n;
		c->req[c->req_len] = '\0';
		if (strchr(c->req, '\n') || c->req_len == sizeof(c->req) - 1)
			return true;
	}
}

/* "events": the connection goes to events.c, which owns it from now on. */
static void hand_over(struct client *c)
{
	struct vipd *d = c->d;
	int fd = c->fd;
	bool json = !strcmp(c->req, "events json");

	loop_del(d->loop, fd);
	c->handed = true;
	client_close(c);
	events_subscribe(d, fd, json);
}

static void start_reply(struct client *c, char *reply)
{
	c->reply = reply;
	c->len = strlen(reply);
	loop_timer_set(c->d->loop, &c->deadline, loop_now() + CTL_REPLY_US);
	if (send_some(c))
		client_close(c);
	else
		loop_set_events(c->d->loop, c->fd, EPOLLOUT);
}

static void on_checked(struct vipd *d, char *report)
{
	struct client *c = checking;

	checking = NULL;
	if (!c) { /* the client left */
		free(report);
		return;
	}
	c->waiting = false;
	if (!report && !(report = strdup("error: out of memory\n")))
		client_close(c);
	else
		start_reply(c, report);
}

/* "reload check [PATH]": the reply waits for the read. */
static void check(struct client *c)
{
	const char *path = c->req[12] == ' ' ? c->req + 13 : c->d->opts.conf_path;
	char *busy = strdup("error: a reload or check is being read; try again\n");

	checking = c;
	c->waiting = true;
	loop_timer_set(c->d->loop, &c->deadline, loop_now() + CTL_REPLY_US);
	loop_set_events(c->d->loop, c->fd, 0);
	if (reload_check(c->d, path, on_checked) == 0) {
		free(busy);
		return;
	}
	checking = NULL;
	c->waiting = false;
	if (busy)
		start_reply(c, busy);
	else
		client_close(c);
}

static void on_client(int fd, uint32_t events, void *arg)
{
	struct client *c = arg;
	bool gone = false;

	if (c->waiting) { /* only its hang-up can come */
		if (events & (EPOLLHUP | EPOLLERR))
			client_close(c);
		return;
	}
	if (!c->reply) {
		if (!read_request(c, &gone))
			return;
		if (gone) {
			client_close(c);
			return;
		}
		c->req[strcspn(c->req, "\r\n")] = '\0';
		if (!strcmp(c->req, "events") || !strcmp(c->req, "events json")) {
			hand_over(c);
			return;
		}
		if (!strncmp(c->req, "reload check", 12) && (!c->req[12] || c->req[12] == ' ')) {
			check(c);
			return;
		}
		if (!(c->reply = answer(c))) {
			client_close(c);
			return;
		}
		c->len = strlen(c->reply);
		loop_timer_set(c->d->loop, &c->deadline, loop_now() + CTL_REPLY_US);
	}
	if (send_some(c))
		client_close(c);
	else
		loop_set_events(c->d->loop, fd, EPOLLOUT);
}

/* Out of descriptors: the pending connection is accepted with the reserve
 * fd and closed, so the listening socket does not stay readable and spin
 * the loop. */
static void shed(int fd)
{
	static vtime_t logged;
	vtime_t now = loop_now();

	if (now - logged > 60 * 1000000) {
		log_warnx("control socket: out of file descriptors; a client was refused");
		logged = now;
	}
	if (reserve_fd >= 0) {
		close(reserve_fd);
		int cfd = accept4(fd, NULL, NULL, SOCK_CLOEXEC);
		if (cfd >= 0)
			close(cfd);
	}
	reserve_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
}

static void on_accept(int fd, uint32_t events, void *arg)
{
	struct vipd *d = arg;
	struct client *c;

	for (int i = 0; i < CTL_MAX_CLIENTS; i++) {
		int cfd = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (cfd < 0) {
			if (errno == EMFILE || errno == ENFILE)
				shed(fd);
			return;
		}
		if (n_clients >= CTL_MAX_CLIENTS) {
			static const char busy[] = "error: too many control clients\n";
			ssize_t n = send(cfd, busy, sizeof(busy) - 1, MSG_NOSIGNAL | MSG_DONTWAIT);
			(void)n;
			close(cfd);
			continue;
		}
		if (!(c = calloc(1, sizeof(*c))) ||
		    (c->d = d, c->fd = cfd, loop_add(d->loop, cfd, on_client, c) < 0)) {
			free(c);
			close(cfd);
			continue;
		}
		timer_init(&c->deadline, on_deadline, c);
		loop_timer_set(d->loop, &c->deadline, loop_now() + CTL_REQUEST_US);
		c->next = clients;
		clients = c;
		n_clients++;
		log_trace(LOG_CTL, "control client %d connected (%d open)", cfd, n_clients);
	}
}

int ctl_open(struct vipd *d)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	const char *path = d->opts.ctl_path;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		log_warnx("control socket path %s is too long", path);
		return -1;
	}
	strcpy(sa.sun_path, path);
	ctl_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (ctl_fd < 0)
		return -1;
	unlink(path);
	mode_t old = umask(0077);
	int rc = bind(ctl_fd, (struct sockaddr *)&sa, sizeof(sa));
	umask(old);
	if (reserve_fd < 0)
		reserve_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (rc < 0 || chmod(path, 0600) < 0 || listen(ctl_fd, 16) < 0 ||
	    loop_add(d->loop, ctl_fd, on_accept, d) < 0) {
		log_warn("control socket %s", path);
		close(ctl_fd);
		ctl_fd = -1;
		return -1;
	}
	return 0;
}

void ctl_close(struct vipd *d)
{
	events_close(d);
	while (clients)
		client_close(clients);
	if (ctl_fd < 0)
		return;
	loop_del(d->loop, ctl_fd);
	close(ctl_fd);
	ctl_fd = -1;
	unlink(d->opts.ctl_path);
}
