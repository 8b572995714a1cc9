/*
 * fuzz_packet.c: libFuzzer target for the VRRP receive path. Input byte 0
 * picks the family (even: IPv4), byte 1 the TTL, the rest is the message.
 * What parses must re-encode to the same bytes (either checksum form).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vrrp/packet.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct vrrp_pkt p;
	static uint8_t buf[VRRP_MAX_PKT];
	struct vrrp_rx_meta meta = {.ttl = 255};
	struct vrrp_expect want = {
	    .version = 2, .vrid = 50, .auth_type = VRRP_AUTH_PASS, .adver_int = 1};
	struct addr vip;

	if (size < 2)
		return 0;
	int family = data[0] & 1 ? AF_INET6 : AF_INET;
	meta.ttl = data[1] == 0 ? -1 : data[1];
	addr_parse(family == AF_INET ? "10.0.0.5" : "fe80::5", &meta.src);
	addr_parse(family == AF_INET ? "224.0.0.18" : "ff02::12", &meta.dst);
	addr_parse(family == AF_INET ? "10.0.0.3" : "fd00:50::3", &vip);
	memcpy(want.auth_data, "1111", 4);
	want.vips = &vip;
	want.n_vips = 1;
	if (vrrp_pkt_parse(data + 2, size - 2, family, &meta, &p) != VRRP_RX_OK)
		return 0;
	vrrp_pkt_check(&p, &meta, &want);
	want.version = 3;
	vrrp_pkt_check(&p, &meta, &want);
	uint16_t got = p.checksum;
	if (p.version == 3 && (data[6] & 0xf0))
		return 0; /* reserved bits are not kept: the re-encoding differs */
	size_t n = vrrp_pkt_build(&p, &meta.src, &meta.dst, p.csum_matched, buf, sizeof(buf));
	if (n != size - 2 || p.checksum != got)
		abort();
	if (memcmp(buf, data + 2, n))
		abort();
	return 0;
}
