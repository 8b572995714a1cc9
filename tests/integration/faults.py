"""Faults on the lab's wire, and what the wire then shows.

Loss and duplication are nftables rules on the bridge's ports (netdev
ingress: a port's hook sees what its host sends). Delay, jitter and
reordering are wirefault.py, fed by an NFQUEUE rule in the receiving host
(the kernel here has no sch_netem for `tc netem`). Masters are read from a
capture on the client: a host that sends adverts above priority 0 is master
in that interval; both at once is two masters.
"""
import json
import os
import re
import signal
import subprocess
import time

from lab import sh

HERE = os.path.dirname(os.path.abspath(__file__))
ADVERT = re.compile(r"^(\d+\.\d+) .*?IP (\d+\.\d+\.\d+\.\d+) > [^:]+: VRRPv\d, Advertisement, "
                    r"vrid (\d+), prio (\d+)")


class Impairment:
    """wirefault.py on one host's received adverts."""

    def __init__(self, host, queue, **opts):
        self.host, self.queue = host, queue
        host.exec("iptables", "-t", "raw", "-A", "PREROUTING", "-p", "112", "-j", "NFQUEUE",
                  "--queue-num", str(queue), "--queue-bypass")
        args = [f"--{k}={v}" for k, v in opts.items()]
        self.p = host.popen("/usr/bin/python3", os.path.join(HERE, "wirefault.py"),
                            f"--queue={queue}", *args, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
        line = self.p.stderr.readline()  # "ready" once bound to the queue
        if line.strip() != "ready":
            raise RuntimeError(f"wirefault.py on {host.name}: {line}{self.p.stderr.read()}")

    def stop(self):
        """Ends the impairment; returns wirefault.py's counts."""
        self.host.exec("iptables", "-t", "raw", "-F", "PREROUTING", check=False)
        self.p.send_signal(signal.SIGTERM)
        out, _ = self.p.communicate(timeout=10)
        return json.loads(out.strip().splitlines()[-1]) if out.strip() else {}


def ports(lab, names):
    """The bridge ports of the named hosts (their eth0's peers)."""
    return [f"p{list(lab.hosts).index(n) + 1}" for n in names]


def bridge_rules(lab, rules):
    """rules: {port: [nft statement, ...]} on the adverts each port's host
    sends; replaces the lab's fault table (an empty dict removes it)."""
    sh("ip", "netns", "exec", lab.br, "nft", "delete", "table", "netdev", "faults", check=False)
    if not rules:
        return
    text = ["table netdev faults {"]
    for port, stmts in rules.items():
        text.append(f"  chain {port} {{ type filter hook ingress device {port} priority 0;")
        for st in stmts:
            text.append(f"    meta protocol ip ip protocol 112 {st}")
        text.append("  }")
    text.append("}")
    subprocess.run(["ip", "netns", "exec", lab.br, "nft", "-f", "-"], input="\n".join(text),
                   text=True, check=True, timeout=10)


def loss(lab, pct, names=("lb01", "lb02")):
    bridge_rules(lab, {p: [f"numgen random mod 100 < {pct} drop"] for p in ports(lab, names)})


def duplicate(lab, pct, pairs):
    """pairs: [(sender, receiver)]: pct % of sender's adverts reach
    receiver twice."""
    rules = {}
    for s, r in pairs:
        src, dst = ports(lab, (s, r))
        rules.setdefault(src, []).append(f"numgen random mod 100 < {pct} dup to {dst}")
    bridge_rules(lab, rules)


def capture(host, path):
    p = host.popen("tcpdump", "-U", "-Z", "root", "-n", "-i", "eth0", "-w", path, "ip proto 112",
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(0.5)
    return p


def adverts(path):
    """(time, source, vrid, priority) of every advert in a capture."""
    out = subprocess.run(["tcpdump", "-r", path, "-tt", "-n"], capture_output=True, text=True,
                         timeout=60).stdout
    for line in out.splitlines():
        m = ADVERT.match(line)
        if m:
            yield float(m[1]), m[2], int(m[3]), int(m[4])


def runs(times, interval):
    """Master periods of one host from the times of its adverts: a period
    goes on while adverts come within 2.5 intervals (a lost one or two do
    not end it), and lasts until one interval after its last advert."""
    out = []
    for t in sorted(times):
        if out and t - out[-1][1] <= 1.5 * interval:
            out[-1][1] = t + interval
        else:
            out.append([t, t + interval])
    return out


def masters(path, a, b, interval, start, end):
    """Between start and end (time.time()): how often b became master (its
    master periods) and for how long both a and b were (longest, total)."""
    times = {a: [], b: []}
    for ts, src, _, prio in adverts(path):
        if start <= ts < end and prio > 0 and src in times:
            times[src].append(ts)
    ra, rb = runs(times[a], interval), runs(times[b], interval)
    both = [min(x[1], y[1]) - max(x[0], y[0]) for x in ra for y in rb]
    both = [d for d in both if d > 0]
    return {"takeovers": len(rb), "two_masters_s": round(sum(both), 3),
            "longest_two_masters_s": round(max(both, default=0.0), 3),
            "adverts": {a: len(times[a]), b: len(times[b])}}


def watch(lab, seconds, name, interval):
    """The wire for `seconds` as the client sees it: who was master (masters())."""
    pcap = os.path.join(lab.dir, name + ".pcap")
    cap = capture(lab["client"], pcap)
    start = time.time()
    time.sleep(seconds)
    end = time.time()
    cap.terminate()
    cap.wait(10)
    return masters(pcap, lab["lb01"].v4, lab["lb02"].v4, interval, start, end)
