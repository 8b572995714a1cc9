/*
 * bfdstatus.c: what vipctl shows of the BFD sessions (bfdstatus.h): per
 * bfd_instance its state and the neighbor's, the discriminators, the
 * negotiated intervals (RFC 5880 6.8.2-6.8.4), the last change and why,
 * and the counters, packets dropped by reason among them.
 */
#include <string.h>

#include "daemon/bfdstatus.h"
#include "daemon/bfd.h"
#include "daemon/ctl.h"
#include "daemon/daemon.h"
#include "linux/loop.h"

static double secs(vtime_t us)
{
	return (double)us / 1e6;
}

void bfd_status_text(FILE *f, struct vipd *d)
{
	char a[ADDR_STRLEN];
	vtime_t now = loop_now();

	for (struct bfd_rt *b = d->bfds; b; b = b->next) {
		const struct bfd_session *s = &b->s;
		fprintf(f, "\nbfd_instance %s: %s\n", b->name, bfd_state_str(s->session_state));
		fprintf(f, "  neighbor    %s%s, %s\n", addr_ntop(&b->c->neighbor, a),
		        b->c->multihop ? " (multihop)" : "", bfd_state_str(s->remote_session_state));
		fprintf(f, "  discr       local %u, remote %u\n", s->local_discr, s->remote_discr);
		fprintf(f, "  timers      tx %.3f ms, detection %.3f ms, multiplier %u%s\n",
		        bfd_session_tx_interval(s) / 1e3, bfd_session_detect_time(s) / 1e3,
		        s->detect_mult, b->c->passive ? ", passive" : "");
		if (b->changed_at)
			fprintf(f, "  last change %.1f s ago: %s\n", secs(now - b->changed_at),
			        b->why);
		fprintf(f, "  packets     %llu sent, %llu received; %llu up, %llu down\n",
		        (unsigned long long)(s->tx_packets - b->tx_errors),
		        (unsigned long long)s->rx_packets,
		        (unsigned long long)s->up_count, (unsigned long long)s->down_count);
		if (b->tx_errors)
			fprintf(f, "  not sent    %llu: the kernel refused them\n",
			        (unsigned long long)b->tx_errors);
		for (int r = 1; r < BFD_RX_REASONS; r++)
			if (b->drops[r])
				fprintf(f, "  dropped     %llu: %s\n", (unsigned long long)b->drops[r],
				        bfd_rx_reason_str(r));
	}
}

void bfd_status_json(FILE *f, struct vipd *d)
{
	char a[ADDR_STRLEN];
	vtime_t now = loop_now();
	const uint64_t *u = bfd_unmatched(d);

	fputs("\"bfd\":[", f);
	for (struct bfd_rt *b = d->bfds; b; b = b->next) {
		const struct bfd_session *s = &b->s;
		fputs(b == d->bfds ? "{\"name\":" : ",{\"name\":", f);
		ctl_json_str(f, b->name);
		fprintf(f, ",\"state\":\"%s\",\"remote_state\":\"%s\",\"neighbor\":",
		        bfd_state_str(s->session_state), bfd_state_str(s->remote_session_state));
		ctl_json_str(f, addr_ntop(&b->c->neighbor, a));
		fprintf(f,
		        ",\"multihop\":%s,\"local_discr\":%u,\"remote_discr\":%u,"
		        "\"tx_interval_us\":%u,\"detection_time_us\":%u,\"seconds_since_change\":",
		        b->c->multihop ? "true" : "false", s->local_discr, s->remote_discr,
		        bfd_session_tx_interval(s), bfd_session_detect_time(s));
		if (b->changed_at)
			fprintf(f, "%.3f", secs(now - b->changed_at));
		else
			fputs("null", f);
		fputs(",\"reason\":", f);
		ctl_json_str(f, b->why);
		fprintf(f,
		        ",\"sent\":%llu,\"send_errors\":%llu,\"received\":%llu,\"up\":%llu,"
		        "\"down\":%llu,\"drops\":{",
		        (unsigned long long)(s->tx_packets - b->tx_errors),
		        (unsigned long long)b->tx_errors, (unsigned long long)s->rx_packets,
		        (unsigned long long)s->up_count, (unsigned long long)s->down_count);
		for (int r = 1; r < BFD_RX_REASONS; r++)
			fprintf(f, "%s\"%s\":%llu", r > 1 ? "," : "", bfd_rx_reason_name(r),
			        (unsigned long long)b->drops[r]);
		fputs("}}", f);
	}
	fputs("],\"bfd_unmatched\":{", f);
	for (int r = 1; r < BFD_RX_REASONS; r++)
		fprintf(f, "%s\"%s\":%llu", r > 1 ? "," : "", bfd_rx_reason_name(r),
		        (unsigned long long)u[r]);
	fputc('}', f);
}

void bfd_stats(FILE *f, struct vipd *d)
{
	for (struct bfd_rt *b = d->bfds; b; b = b->next) {
		fprintf(f, "bfd:%s packets_sent %llu\nbfd:%s send_errors %llu\n", b->name,
		        (unsigned long long)(b->s.tx_packets - b->tx_errors), b->name,
		        (unsigned long long)b->tx_errors);
		fprintf(f, "bfd:%s packets_received %llu\n", b->name,
		        (unsigned long long)b->s.rx_packets);
		for (int r = 1; r < BFD_RX_REASONS; r++)
			fprintf(f, "bfd:%s drop_%s %llu\n", b->name, bfd_rx_reason_name(r),
			        (unsigned long long)b->drops[r]);
	}
}

void bfd_stats_clear(struct vipd *d)
{
	for (struct bfd_rt *b = d->bfds; b; b = b->next) {
		b->s.tx_packets = b->s.rx_packets = b->tx_errors = 0;
		memset(b->drops, 0, sizeof(b->drops));
	}
}
