#!/usr/bin/env bash
# Captures VRRP adverts sent by Debian's keepalived, as golden test data for
# test_packet.c and test_ah.c: one file per case holding the IP source,
# destination, TTL and the VRRP message in hex (with IPsec AH, protocol 51,
# also the whole IPv4 datagram). Needs root; uses its own network namespace.
#   usage: tests/unit/golden/capture.sh     (rewrites tests/unit/golden/*.hex)
set -euo pipefail
cd "$(dirname "$0")"
ns=gold-$$
tmp=$(mktemp -d)
cleanup() {
	[ -f "$tmp/ka.pid" ] && kill "$(cat "$tmp/ka.pid")" 2>/dev/null || true
	ip netns pids "$ns" 2>/dev/null | xargs -r kill -9 2>/dev/null || true
	ip netns del "$ns" 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT
ip netns add "$ns"
ip -n "$ns" link set lo up
ip -n "$ns" link add eth0 type veth peer name eth1
ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0 \
	net.ipv6.conf.eth0.accept_dad=0
ip -n "$ns" link set eth0 addr 02:00:00:00:00:05
ip -n "$ns" addr add 10.0.0.5/24 dev eth0
ip -n "$ns" addr add fe80::5/64 dev eth0
ip -n "$ns" neigh add 10.0.0.6 lladdr 02:00:00:00:00:06 dev eth0 nud permanent
ip -n "$ns" link set eth1 up
ip -n "$ns" link set eth0 up

capture() { # name, config text, tcpdump filter
	local name=$1 conf=$2 filter=$3
	printf '%s\n' "$conf" >"$tmp/ka.conf"
	ip netns exec "$ns" tcpdump -i eth0 -n -w "$tmp/$name.pcap" -c 2 "$filter" 2>/dev/null &
	local tpid=$!
	sleep 0.5
	ip netns exec "$ns" keepalived -n -l -f "$tmp/ka.conf" -p "$tmp/ka.pid" -r "$tmp/vrrp.pid" \
		--vrrp >/dev/null 2>&1 &
	for _ in $(seq 100); do kill -0 $tpid 2>/dev/null || break; sleep 0.1; done
	kill $tpid 2>/dev/null || true
	kill "$(cat "$tmp/ka.pid")" 2>/dev/null || true
	sleep 1
	ip netns pids "$ns" | xargs -r kill -9 2>/dev/null || true
	tshark -r "$tmp/$name.pcap" -c 1 -T fields -e ip.src -e ip.dst -e ip.ttl -e ipv6.src \
		-e ipv6.dst -e ipv6.hlim -e vrrp >"$tmp/$name.txt" 2>/dev/null || true
	/usr/bin/python3 - "$tmp/$name.pcap" "$name.hex" <<'PY'
import struct, sys
data = open(sys.argv[1], 'rb').read()
off = 24                      # pcap global header; link type ethernet
incl = struct.unpack('<I', data[off + 8:off + 12])[0]
pkt = data[off + 16:off + 16 + incl][14:]
dgram = None
if pkt[0] >> 4 == 4:
    ihl = (pkt[0] & 15) * 4
    pkt = pkt[:pkt[2] << 8 | pkt[3]]
    src, dst, ttl, msg = pkt[12:16], pkt[16:20], pkt[8], pkt[ihl:]
    fam = 'inet'
    if pkt[9] == 51:          # IPsec AH: 24 bytes before the VRRP message
        dgram, msg = pkt, msg[24:]
else:
    src, dst, ttl, msg = pkt[8:24], pkt[24:40], pkt[7], pkt[40:]
    fam = 'inet6'
import ipaddress
a = lambda b: str(ipaddress.ip_address(b))
with open(sys.argv[2], 'w') as f:
    f.write('# VRRP advert captured from keepalived 2.2.7 by capture.sh\n')
    f.write(f'family {fam}\nsrc {a(src)}\ndst {a(dst)}\nttl {ttl}\nmsg {msg.hex()}\n')
    if dgram:
        f.write(f'ip {dgram.hex()}\n')
PY
	echo "$name: $(grep msg "$name.hex")"
}

# keepalived 2.2.7 misreads one-line blocks, so these are written over lines
inst() { # advert_int, extra lines, VIPs; $state (keepalived takes no MASTER with AH)
	printf 'vrrp_instance VI_1 {\nstate %s\ninterface eth0\nvirtual_router_id 50\n' "${state:-MASTER}"
	printf 'priority 150\nadvert_int %s\n%s' "$1" "$2"
	printf 'virtual_ipaddress {\n'
	for v in $3; do printf '%s\n' "$v"; done
	printf '}\n}\n'
}
auth=$'authentication {\nauth_type PASS\nauth_pass 1111\n}\n'
v3=$'global_defs {\nvrrp_version 3\n}\n'
capture v2-pass "$(inst 1 "$auth" 10.0.0.3)" "ip proto 112"
capture v3-ipv4 "$v3$(inst 1 "" "10.0.0.3 10.0.0.4")" "ip proto 112"
capture v3-ipv4-fast "$v3$(inst 0.1 "" 10.0.0.3)" "ip proto 112"
ah=$'authentication {\nauth_type AH\nauth_pass secret\n}\n'
uni=$'unicast_peer {\n10.0.0.6\n}\n'
capture v2-ah "$(state=BACKUP inst 1 "$ah" "10.0.0.3 10.0.0.4")" "ip proto 51"
capture v2-ah-unicast "$(state=BACKUP inst 1 "$ah$uni" 10.0.0.3)" "ip proto 51"
capture v3-ipv6 "$(inst 1 "" "fd00:50::3 fd00:50::4")" "ip6 proto 112"
