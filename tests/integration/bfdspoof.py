"""Hand-made BFD Control packets (RFC 5880 4.1) from any IPv4 source, as a
hostile LAN host sends them. Run inside a test host's namespace:

  python3 bfdspoof.py SRC DST COUNT [--ttl N] [--your-disc N] [--my-disc N]
                      [--state admindown|down|init|up] [--diag N] [--version N]
                      [--length N] [--mult N] [--interval S]

Sent from a raw socket with the IP header written here (IP_HDRINCL), so the
source can be anyone's; UDP from port 49152 to 3784. Bounded: COUNT packets.
"""
import argparse
import socket
import struct
import time

STATES = {"admindown": 0, "down": 1, "init": 2, "up": 3}


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def control(a):
    first = (a.version << 5) | (a.diag & 0x1F)
    flags = STATES[a.state] << 6
    return struct.pack("!BBBBIIIII", first, flags, a.mult, a.length, a.my_disc, a.your_disc,
                       100000, 100000, 0)


def datagram(a, payload):
    src, dst = socket.inet_aton(a.src), socket.inet_aton(a.dst)
    udp = struct.pack("!HHHH", 49152, 3784, 8 + len(payload), 0) + payload
    pseudo = src + dst + struct.pack("!BBH", 0, 17, len(udp))
    udp = udp[:6] + struct.pack("!H", csum(pseudo + udp) or 0xFFFF) + udp[8:]
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0xC0, 20 + len(udp), 0, 0, a.ttl, 17, 0, src, dst)
    ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
    return ip + udp


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("src")
    ap.add_argument("dst")
    ap.add_argument("count", type=int)
    ap.add_argument("--ttl", type=int, default=255)
    ap.add_argument("--your-disc", type=int, default=0)
    ap.add_argument("--my-disc", type=int, default=0x1234)
    ap.add_argument("--state", default="down", choices=STATES)
    ap.add_argument("--diag", type=int, default=0)
    ap.add_argument("--version", type=int, default=1)
    ap.add_argument("--length", type=int, default=24)
    ap.add_argument("--mult", type=int, default=3)
    ap.add_argument("--interval", type=float, default=0.01)
    a = ap.parse_args()
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    s.setsockopt(socket.IPPROTO_IP, socket.IP_HDRINCL, 1)
    pkt = datagram(a, control(a))
    for _ in range(min(a.count, 100000)):
        s.sendto(pkt, (a.dst, 0))
        time.sleep(a.interval)


if __name__ == "__main__":
    main()
