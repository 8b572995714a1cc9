/*
 * packet.c: BFD Control packet encoder and the receive checks that need no
 * session, no I/O.
 *
 * RFC 5880 4.1 (the mandatory section, network byte order) and 6.8.6 (the
 * checks before a session is looked up, and the A bit: vipd does not
 * authenticate). Each reject has its own reason and reports the offending
 * value. The names of states and diagnostics (4.1) live here too.
 */
#include "bfd/packet.h"

/* Bits of the second byte: Sta (2 bits), then P F C A D M. */
#define FLAG_P 0x20
#define FLAG_F 0x10
#define FLAG_C 0x08
#define FLAG_A 0x04
#define FLAG_D 0x02
#define FLAG_M 0x01

static const struct {
	const char *name, *text;
} reasons[BFD_RX_REASONS] = {
    [BFD_RX_OK] = {"ok", "accepted"},
    [BFD_RX_SHORT] = {"short", "shorter than a BFD Control packet"},
    [BFD_RX_VERSION] = {"version", "bad version (not 1)"},
    [BFD_RX_LENGTH] = {"length", "bad Length (under the minimum, or past the payload)"},
    [BFD_RX_DETECT_MULT] = {"detect_mult", "Detect Mult is 0"},
    [BFD_RX_MULTIPOINT] = {"multipoint", "Multipoint (M) bit set"},
    [BFD_RX_MY_DISC] = {"my_disc", "My Discriminator is 0"},
    [BFD_RX_YOUR_DISC] = {"your_disc", "Your Discriminator is 0 and the state is not Down"},
    [BFD_RX_AUTH] = {"auth", "authentication present (not supported)"},
    [BFD_RX_TTL] = {"ttl", "TTL / Hop Limit out of the allowed range"},
    [BFD_RX_NO_SESSION] = {"no_session", "no session for this packet"},
    [BFD_RX_POLL_FINAL] = {"poll_final", "Poll and Final both set"},
    [BFD_RX_ADMIN_DOWN] = {"admin_down", "the session is AdminDown"},
};

const char *bfd_rx_reason_name(enum bfd_rx_reason r)
{
	return r < BFD_RX_REASONS ? reasons[r].name : "unknown";
}

const char *bfd_rx_reason_str(enum bfd_rx_reason r)
{
	return r < BFD_RX_REASONS ? reasons[r].text : "unknown reason";
}

const char *bfd_state_str(enum bfd_state s)
{
	static const char *const names[] = {"AdminDown", "Down", "Init", "Up"};

	return (unsigned)s < 4 ? names[s] : "unknown";
}

const char *bfd_diag_str(unsigned diag)
{
	static const char *const names[] = {
	    "No Diagnostic",
	    "Control Detection Time Expired",
	    "Echo Function Failed",
	    "Neighbor Signaled Session Down",
	    "Forwarding Plane Reset",
	    "Path Down",
	    "Concatenated Path Down",
	    "Administratively Down",
	    "Reverse Concatenated Path Down",
	};

	return diag < sizeof(names) / sizeof(names[0]) ? names[diag] : "reserved";
}

static uint32_t get32(const uint8_t *b)
{
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

static void put32(uint8_t *b, uint32_t v)
{
	b[0] = (uint8_t)(v >> 24);
	b[1] = (uint8_t)(v >> 16);
	b[2] = (uint8_t)(v >> 8);
	b[3] = (uint8_t)v;
}

static void decode(const uint8_t *b, struct bfd_ctl *c)
{
	c->vers = b[0] >> 5;
	c->diag = b[0] & 0x1f;
	c->sta = b[1] >> 6;
	c->poll = b[1] & FLAG_P;
	c->final = b[1] & FLAG_F;
	c->cpi = b[1] & FLAG_C;
	c->auth = b[1] & FLAG_A;
	c->demand = b[1] & FLAG_D;
	c->multipoint = b[1] & FLAG_M;
	c->detect_mult = b[2];
	c->length = b[3];
	c->my_disc = get32(b + 4);
	c->your_disc = get32(b + 8);
	c->desired_min_tx = get32(b + 12);
	c->required_min_rx = get32(b + 16);
	c->required_min_echo_rx = get32(b + 20);
}

static enum bfd_rx_reason reject(enum bfd_rx_reason r, uint32_t value, uint32_t *bad)
{
	if (bad)
		*bad = value;
	return r;
}

/* RFC 5880 6.8.6, in its order; the lookup by Your Discriminator is the
 * shell's, the A bit comes after it as there. */
enum bfd_rx_reason bfd_parse(const uint8_t *buf, size_t len, struct bfd_ctl *out, uint32_t *bad)
{
	struct bfd_ctl c;

	if (len < BFD_CTL_LEN)
		return reject(BFD_RX_SHORT, (uint32_t)len, bad);
	decode(buf, &c);
	if (c.vers != BFD_VERSION)
		return reject(BFD_RX_VERSION, c.vers, bad);
	if (c.length < (c.auth ? BFD_CTL_AUTH_LEN : BFD_CTL_LEN) || c.length > len)
		return reject(BFD_RX_LENGTH, c.length, bad);
	if (c.detect_mult == 0)
		return reject(BFD_RX_DETECT_MULT, 0, bad);
	if (c.multipoint)
		return reject(BFD_RX_MULTIPOINT, buf[1], bad);
	if (c.my_disc == 0)
		return reject(BFD_RX_MY_DISC, 0, bad);
	if (c.your_disc == 0 && c.sta != BFD_DOWN && c.sta != BFD_ADMIN_DOWN)
		return reject(BFD_RX_YOUR_DISC, c.sta, bad);
	if (c.auth) /* Length >= 26 <= len: the Auth Type byte is there */
		return reject(BFD_RX_AUTH, buf[BFD_CTL_LEN], bad);
	if (c.poll && c.final) /* RFC 5880 6.5: a Final never carries a Poll */
		return reject(BFD_RX_POLL_FINAL, buf[1], bad);
	*out = c;
	return reject(BFD_RX_OK, 0, bad);
}

size_t bfd_build(const struct bfd_ctl *c, uint8_t out[BFD_CTL_LEN])
{
	out[0] = (uint8_t)(BFD_VERSION << 5 | (c->diag & 0x1f));
	out[1] = (uint8_t)((c->sta & 3) << 6 | (c->poll ? FLAG_P : 0) | (c->final ? FLAG_F : 0) |
	                   (c->cpi ? FLAG_C : 0) | (c->auth ? FLAG_A : 0) |
	                   (c->demand ? FLAG_D : 0) | (c->multipoint ? FLAG_M : 0));
	out[2] = c->detect_mult;
	out[3] = BFD_CTL_LEN;
	put32(out + 4, c->my_disc);
	put32(out + 8, c->your_disc);
	put32(out + 12, c->desired_min_tx);
	put32(out + 16, c->required_min_rx);
	put32(out + 20, c->required_min_echo_rx);
	return BFD_CTL_LEN;
}
