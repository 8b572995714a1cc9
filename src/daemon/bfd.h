/*
 * bfd.h: the BFD sessions of the bfd_instance blocks at run time (bfd.c
 * owns the list in struct vipd and the receive sockets). Each session is a
 * bfd/session.c machine driven by the loop: its packets in and out, one
 * loop timer for its next deadline. What a session's state does to the
 * instances: track_bfd (tracked.c's weights and Fault) and the vipd
 * extension master_down_bfd (bfdmaster.c).
 *
 * RFC 5880 (asynchronous mode), RFC 5881 (single hop), RFC 5883 (multihop).
 */
#ifndef VIPD_BFD_H
#define VIPD_BFD_H

#include <stdbool.h>
#include <stdint.h>

#include "bfd/session.h"
#include "conf/conf.h"
#include "lib/timer.h"

struct vipd;

struct bfd_rt {
	struct vipd *d;
	const struct conf_bfd *c;
	char name[CONF_NAME_MAX];
	struct bfd_session s;
	struct timer t;
	int fd;         /* sends: bound to source_ip and sport */
	uint16_t sport; /* RFC 5881 4: 49152-65535 */
	int port;       /* the neighbor's: 3784, or 4784 multihop */
	bool tracked_up;         /* what track_bfd sees: Up, until a fall from Up that is
	                            not the neighbor's AdminDown (as keepalived's events) */
	uint32_t rx_interval_us; /* while Up: the interval the neighbor's packets come at */
	uint32_t logged_tx_us, logged_detect_us; /* the timers the log last gave */
	vtime_t changed_at;      /* the last state change */
	char why[160];           /* ... and its reason */
	uint64_t drops[BFD_RX_REASONS];
	uint64_t tx_errors; /* packets the kernel refused (sent = built - these) */
	vtime_t retry_at;   /* its socket could not be opened: tried again then */
	vtime_t last_log[BFD_RX_REASONS];
	vtime_t tx_logged;
	struct bfd_rt *next;
};

/* At start and after a reload: a session for each bfd_instance; one kept
 * by name keeps its state when its addresses did not change (new timers
 * are announced with a Poll Sequence); removed ones say AdminDown. */
void bfd_start(struct vipd *d);
/* Shutdown, first: AdminDown to each neighbor (RFC 5880 6.8.16), at once,
 * so peers see a stop and not a failure. */
void bfd_say_down(struct vipd *d);
/* Shutdown, last: every session and socket closed. */
void bfd_stop(struct vipd *d);
struct bfd_rt *bfd_find(struct vipd *d, const char *name);
/* Packets that found no session, by reason (status and metrics). */
const uint64_t *bfd_unmatched(const struct vipd *d);

#endif
