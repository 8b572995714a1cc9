/*
 * packet.h: BFD Control packet codec, no I/O.
 *
 * RFC 5880 section 4.1 (the mandatory section of a Control packet) and the
 * first checks of section 6.8.6 (those that need no session). RFC 5881
 * (single hop: UDP port 3784, TTL 255) and RFC 5883 (multihop: port 4784)
 * give the ports; the shell passes the IP-level facts. Authentication
 * (section 4.2) is not supported: a packet with the A bit is rejected.
 */
#ifndef VIPD_BFD_PACKET_H
#define VIPD_BFD_PACKET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BFD_PORT_SINGLE     3784  /* RFC 5881 section 4 */
#define BFD_PORT_MULTI      4784  /* RFC 5883 section 3 */
#define BFD_SRC_PORT_MIN    49152 /* RFC 5881 section 4: source port range */
#define BFD_SRC_PORT_MAX    65535
#define BFD_TTL             255 /* RFC 5881 section 5: sent and required */
#define BFD_VERSION         1
#define BFD_CTL_LEN         24 /* without authentication */
#define BFD_CTL_AUTH_LEN    26 /* the least Length with the A bit (RFC 5880 6.8.6) */
#define BFD_DETECT_MULT_MAX 255

/* bfd.SessionState, and the Sta field (RFC 5880 section 4.1). */
enum bfd_state { BFD_ADMIN_DOWN = 0, BFD_DOWN = 1, BFD_INIT = 2, BFD_UP = 3 };

/* Diagnostic (Diag) codes, RFC 5880 section 4.1. */
enum bfd_diag {
	BFD_DIAG_NONE = 0,
	BFD_DIAG_EXPIRED = 1,         /* Control Detection Time Expired */
	BFD_DIAG_ECHO_FAILED = 2,     /* Echo Function Failed */
	BFD_DIAG_NEIGHBOR_DOWN = 3,   /* Neighbor Signaled Session Down */
	BFD_DIAG_FWD_RESET = 4,       /* Forwarding Plane Reset */
	BFD_DIAG_PATH_DOWN = 5,       /* Path Down */
	BFD_DIAG_CONCAT_DOWN = 6,     /* Concatenated Path Down */
	BFD_DIAG_ADMIN_DOWN = 7,      /* Administratively Down */
	BFD_DIAG_REV_CONCAT_DOWN = 8, /* Reverse Concatenated Path Down */
	BFD_DIAG_MAX = 31             /* five bits */
};

/* A Control packet; members name the RFC 5880 section 4.1 fields. Intervals
 * are microseconds, as on the wire. */
struct bfd_ctl {
	uint8_t vers;                  /* Vers */
	uint8_t diag;                  /* Diag */
	uint8_t sta;                   /* Sta: enum bfd_state */
	bool poll;                     /* P */
	bool final;                    /* F */
	bool cpi;                      /* C: Control Plane Independent */
	bool auth;                     /* A: Authentication Present */
	bool demand;                   /* D */
	bool multipoint;               /* M */
	uint8_t detect_mult;           /* Detect Mult */
	uint8_t length;                /* Length */
	uint32_t my_disc;              /* My Discriminator */
	uint32_t your_disc;            /* Your Discriminator */
	uint32_t desired_min_tx;       /* Desired Min TX Interval */
	uint32_t required_min_rx;      /* Required Min RX Interval */
	uint32_t required_min_echo_rx; /* Required Min Echo RX Interval */
};

/* Why a packet was rejected. Each reason is a counter and a log line. The
 * comment names what bfd_parse() leaves in *bad. */
enum bfd_rx_reason {
	BFD_RX_OK = 0,
	BFD_RX_SHORT,       /* fewer bytes than the mandatory section; bad: the byte count */
	BFD_RX_VERSION,     /* Vers not 1; bad: Vers */
	BFD_RX_LENGTH,      /* Length under 24 (26 with A), or past the payload; bad: Length */
	BFD_RX_DETECT_MULT, /* Detect Mult zero; bad: 0 */
	BFD_RX_MULTIPOINT,  /* M set; bad: the flags byte (Sta P F C A D M) */
	BFD_RX_MY_DISC,     /* My Discriminator zero; bad: 0 */
	BFD_RX_YOUR_DISC,   /* Your Discriminator zero, Sta neither Down nor AdminDown; bad: Sta */
	BFD_RX_AUTH,        /* A set: authentication is not supported; bad: Auth Type */
	BFD_RX_TTL,         /* single hop: TTL / Hop Limit not 255; multihop: under the floor */
	BFD_RX_NO_SESSION,  /* no session for Your Discriminator, or for the addresses */
	BFD_RX_POLL_FINAL,  /* P and F both set; bad: the flags byte */
	BFD_RX_ADMIN_DOWN,  /* the session is AdminDown: RFC 5880 6.8.6 discards the packet */
	BFD_RX_REASONS
};

/* Parses a UDP payload (RFC 5880 4.1, the checks of 6.8.6 that need no
 * session). On BFD_RX_OK *out is filled; otherwise *bad (when bad is not
 * NULL) holds the offending value named above, 0 when there is none. */
enum bfd_rx_reason bfd_parse(const uint8_t *buf, size_t len, struct bfd_ctl *out, uint32_t *bad);
/* Writes the 24-byte packet of c in network byte order and returns 24.
 * Vers and Length are set here (1 and 24); every other field as c has it. */
size_t bfd_build(const struct bfd_ctl *c, uint8_t out[BFD_CTL_LEN]);

const char *bfd_rx_reason_str(enum bfd_rx_reason r);  /* "bad version", ... */
const char *bfd_rx_reason_name(enum bfd_rx_reason r); /* metric label: "version", ... */
const char *bfd_state_str(enum bfd_state s);          /* "AdminDown", "Down", "Init", "Up" */
const char *bfd_diag_str(unsigned diag);              /* "Control Detection Time Expired", ...;
                                                         "No Diagnostic" for 0, "reserved" past 8 */

#endif
