"""Hand-made VRRP adverts from any source address, as a hostile LAN host
sends them. Run inside a test host's namespace:

  python3 spoof.py IFACE FIRST_SRC COUNT VRID PRIO [--version 2|3] [--pass PW]
                   [--interval S] [--ttl N] [--bad-checksum] [--vip ADDR]

Sources are FIRST_SRC, FIRST_SRC+1, ...; the advert names 10.0.0.3 (or
--vip). An IPv6 FIRST_SRC sends VRRPv3 over IPv6 to ff02::12 (hop limit
--ttl), from a packet socket, so any source goes.
Bounded: COUNT packets, then it exits."""
import argparse
import ipaddress
import socket
import struct
import sys
import time

GROUP = "224.0.0.18"
GROUP6 = "ff02::12"
ETH_P_IPV6 = 0x86DD


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def advert(src, vrid, prio, version=3, password="", vip="10.0.0.3", bad=False):
    addr = socket.inet_aton(vip)
    if version == 3:
        body = struct.pack("!BBBBH", 0x31, vrid, prio, 1, 100) + b"\0\0" + addr
        pseudo = socket.inet_aton(src) + socket.inet_aton(GROUP) + struct.pack(
            "!BBH", 0, 112, len(body))
        c = csum(pseudo + body)
        body = body[:6] + struct.pack("!H", c ^ (0xFFFF if bad else 0)) + body[8:]
    else:
        auth = 1 if password else 0
        body = struct.pack("!BBBBBB", 0x21, vrid, prio, 1, auth, 1) + b"\0\0" + addr + \
            password.encode().ljust(8, b"\0")[:8]
        c = csum(body)
        body = body[:6] + struct.pack("!H", c ^ (0xFFFF if bad else 0)) + body[8:]
    return body


def advert6(src, vrid, prio, vip, bad=False):
    """VRRPv3 over IPv6 (RFC 9568 5.1.2): the checksum covers the pseudo-header."""
    addr = socket.inet_pton(socket.AF_INET6, vip)
    body = struct.pack("!BBBBH", 0x31, vrid, prio, 1, 100) + b"\0\0" + addr
    pseudo = socket.inet_pton(socket.AF_INET6, src) + socket.inet_pton(socket.AF_INET6, GROUP6) + \
        struct.pack("!I3xB", len(body), 112)
    c = csum(pseudo + body)
    return body[:6] + struct.pack("!H", c ^ (0xFFFF if bad else 0)) + body[8:]


def ip6_packet(src, body, hop_limit):
    hdr = struct.pack("!IHBB", 6 << 28, len(body), 112, hop_limit) + \
        socket.inet_pton(socket.AF_INET6, src) + socket.inet_pton(socket.AF_INET6, GROUP6)
    return hdr + body


def ip_packet(src, body, ttl):
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0xC0, 20 + len(body), 0, 0, ttl, 112, 0,
                      socket.inet_aton(src), socket.inet_aton(GROUP))
    hdr = hdr[:10] + struct.pack("!H", csum(hdr)) + hdr[12:]
    return hdr + body


def send6(a):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM, socket.htons(ETH_P_IPV6))
    dst = (a.iface, ETH_P_IPV6, 0, 0, bytes.fromhex("333300000012"))
    first = ipaddress.IPv6Address(a.first_src)
    for i in range(min(a.count, 100000)):
        src = str(first + i)
        body = advert6(src, a.vrid, a.prio, a.vip or "fd00:50::3", bad=a.bad_checksum)
        s.sendto(ip6_packet(src, body, a.ttl), dst)
        if a.interval:
            time.sleep(a.interval)
    return 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("iface")
    ap.add_argument("first_src")
    ap.add_argument("count", type=int)
    ap.add_argument("vrid", type=int)
    ap.add_argument("prio", type=int)
    ap.add_argument("--version", type=int, default=3)
    ap.add_argument("--password", default="")
    ap.add_argument("--interval", type=float, default=0.0)
    ap.add_argument("--ttl", type=int, default=255)
    ap.add_argument("--bad-checksum", action="store_true")
    ap.add_argument("--vip", default="")
    a = ap.parse_args()
    if ":" in a.first_src:
        return send6(a)
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, a.iface.encode())
    first = ipaddress.IPv4Address(a.first_src)
    for i in range(min(a.count, 100000)):
        src = str(first + i)
        body = advert(src, a.vrid, a.prio, a.version, a.password, vip=a.vip or "10.0.0.3",
                      bad=a.bad_checksum)
        s.sendto(ip_packet(src, body, a.ttl), (GROUP, 0))
        if a.interval:
            time.sleep(a.interval)
    return 0


if __name__ == "__main__":
    sys.exit(main())
