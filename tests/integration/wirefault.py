#!/usr/bin/env python3
"""Faults on the wire for VRRP adverts, where `tc netem` is not available
(kernels built without sch_netem): the adverts a host receives are queued to
this program (iptables NFQUEUE, nfnetlink_queue) and given back to the
kernel late, out of order or not at all. (Duplication and plain loss are
nftables' work on the lab's bridge: see test_wire_faults.py.)

    wirefault.py --queue N [--loss PCT] [--delay MS] [--jitter MS]
                 [--reorder PCT --gap MS] [--seed S]

Each packet: lost with probability --loss; else held --delay +- --jitter ms
(uniform), and with probability --reorder held --gap ms more, so that later
packets pass it. Runs until SIGTERM, then prints its counts as one JSON
line on stdout. Run it in the receiving host's network
namespace, with a rule such as

    iptables -t raw -A PREROUTING -p vrrp -j NFQUEUE --queue-num N --queue-bypass

(--queue-bypass: if this program is gone, packets pass).
"""
import argparse
import heapq
import json
import os
import random
import select
import signal
import socket
import struct
import sys
import time

NETLINK_NETFILTER = 12
NFNL_SUBSYS_QUEUE = 3
NFQNL_MSG_PACKET, NFQNL_MSG_VERDICT, NFQNL_MSG_CONFIG = 0, 1, 2
NFQA_CFG_CMD, NFQA_CFG_PARAMS = 1, 2
NFQNL_CFG_CMD_BIND = 1
NFQNL_COPY_META = 1
NFQA_PACKET_HDR, NFQA_VERDICT_HDR = 1, 2
NF_DROP, NF_ACCEPT = 0, 1
NLM_F_REQUEST, NLM_F_ACK = 1, 4
NLMSG_ERROR = 2


def attr(kind, data):
    n = 4 + len(data)
    return struct.pack("=HH", n, kind) + data + b"\0" * ((4 - n % 4) % 4)


def message(sock, msg_type, queue, attrs, flags=NLM_F_REQUEST, seq=0):
    body = struct.pack("=BBH", socket.AF_UNSPEC, 0, socket.htons(queue)) + b"".join(attrs)
    hdr = struct.pack("=IHHII", 16 + len(body), (NFNL_SUBSYS_QUEUE << 8) | msg_type, flags, seq, 0)
    sock.send(hdr + body)


def expect_ack(sock):
    data = sock.recv(65536)
    length, kind = struct.unpack_from("=IH", data)
    if kind == NLMSG_ERROR:
        err = struct.unpack_from("=i", data, 16)[0]
        if err:
            raise OSError(-err, os.strerror(-err))


def bind(queue):
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_NETFILTER)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 21)
    s.bind((0, 0))
    message(s, NFQNL_MSG_CONFIG, queue, [attr(NFQA_CFG_CMD, struct.pack("!BBH", NFQNL_CFG_CMD_BIND,
                                                                       0, 0))],
            NLM_F_REQUEST | NLM_F_ACK, 1)
    expect_ack(s)
    message(s, NFQNL_MSG_CONFIG, queue, [attr(NFQA_CFG_PARAMS, struct.pack("!IB", 0,
                                                                          NFQNL_COPY_META))],
            NLM_F_REQUEST | NLM_F_ACK, 2)
    expect_ack(s)
    return s


def packets(data):
    """The id of each queued packet in one read."""
    off = 0
    while off + 16 <= len(data):
        length, kind = struct.unpack_from("=IH", data, off)
        if length < 16:
            break
        if kind == (NFNL_SUBSYS_QUEUE << 8) | NFQNL_MSG_PACKET:
            pid, a = None, off + 20
            while a + 4 <= off + length:
                alen, atype = struct.unpack_from("=HH", data, a)
                if alen < 4:
                    break
                atype &= 0x7fff
                if atype == NFQA_PACKET_HDR:
                    pid = struct.unpack_from("!I", data, a + 4)[0]
                a += (alen + 3) & ~3
            if pid is not None:
                yield pid
        off += (length + 3) & ~3


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--queue", type=int, default=0)
    ap.add_argument("--loss", type=float, default=0.0)
    ap.add_argument("--delay", type=float, default=0.0)
    ap.add_argument("--jitter", type=float, default=0.0)
    ap.add_argument("--reorder", type=float, default=0.0)
    ap.add_argument("--gap", type=float, default=0.0)
    ap.add_argument("--seed", type=int, default=None)
    a = ap.parse_args()
    rnd = random.Random(a.seed)
    sock = bind(a.queue)
    counts = {"seen": 0, "lost": 0, "delayed": 0, "reordered": 0}
    held = []  # (release time, packet id)
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    print("ready", file=sys.stderr, flush=True)
    while not stop:
        now = time.monotonic()
        while held and held[0][0] <= now:
            _, pid = heapq.heappop(held)
            message(sock, NFQNL_MSG_VERDICT, a.queue,
                    [attr(NFQA_VERDICT_HDR, struct.pack("!II", NF_ACCEPT, pid))])
        timeout = max(0.0, held[0][0] - now) if held else 0.2
        try:
            ready = select.select([sock], [], [], timeout)[0]
        except InterruptedError:
            continue
        if not ready:
            continue
        try:
            data = sock.recv(1 << 17)
        except OSError:  # ENOBUFS: the kernel dropped some; they count as lost
            continue
        now = time.monotonic()
        for pid in packets(data):
            counts["seen"] += 1
            if rnd.random() * 100 < a.loss:
                counts["lost"] += 1
                message(sock, NFQNL_MSG_VERDICT, a.queue,
                        [attr(NFQA_VERDICT_HDR, struct.pack("!II", NF_DROP, pid))])
                continue
            wait = max(0.0, a.delay + rnd.uniform(-a.jitter, a.jitter)) / 1000
            if rnd.random() * 100 < a.reorder:
                wait += a.gap / 1000
                counts["reordered"] += 1
            if wait > 0:
                counts["delayed"] += 1
            heapq.heappush(held, (now + wait, pid))
    for _, pid in held:
        message(sock, NFQNL_MSG_VERDICT, a.queue,
                [attr(NFQA_VERDICT_HDR, struct.pack("!II", NF_ACCEPT, pid))])
    print(json.dumps(counts), flush=True)


if __name__ == "__main__":
    main()
