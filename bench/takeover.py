#!/usr/bin/env python3
"""Takeover benchmark: vipd and Debian's keepalived on the same namespace
hosts, with the same configs, in one run, side by side.

Host lb01 (priority 150) masters every instance, lb02 (priority 100) backs
up, the client captures the wire. A crash is SIGKILL to the master's whole
process group; a graceful stop is SIGTERM. The gap of a VRID is the time
from the old master's last advert to the new master's first, read from the
capture. Prints a table and writes bench/results.json.

Usage (root): /usr/bin/python3 bench/takeover.py [--reps N]
"""
import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests",
                                "integration"))
from lab import Lab, tutorial_conf, wait_until  # noqa: E402

CASES = [
    # name, instances, version, advert_int, stop signal
    ("crash 1 x 1 s v2", 1, 2, 1.0, signal.SIGKILL),
    ("crash 10 x 100 ms v3", 10, 3, 0.1, signal.SIGKILL),
    ("graceful 1 x 1 s v3", 1, 3, 1.0, signal.SIGTERM),
]


def confs(n, version, adv):
    def insts(prio):
        return [{"name": f"VI_{i}", "vrid": i, "priority": prio, "version": version,
                 "advert_int": adv, "vip": f"10.0.1.{i}",
                 **({"auth_pass": "1111"} if version == 2 else {})} for i in range(1, n + 1)]
    return tutorial_conf("lb01", insts(150)), tutorial_conf("lb02", insts(100))


def bound(adv, graceful):
    skew = (256 - 100) * adv / 256
    return skew if graceful else 3 * adv + skew


def gaps(pcap, old, new):
    out = subprocess.run(["tcpdump", "-r", pcap, "-tt", "-n", "ip proto 112"],
                         capture_output=True, text=True).stdout
    last_old, first_new = {}, {}
    for line in out.splitlines():
        parts = line.replace(",", "").split()
        if "vrid" not in parts:
            continue
        ts, src = float(parts[0]), parts[2]
        vrid = int(parts[parts.index("vrid") + 1])
        if src == old and vrid not in first_new:
            last_old[vrid] = ts
        elif src == new and vrid not in first_new:
            first_new[vrid] = ts
    return [first_new[v] - last_old[v] for v in first_new if v in last_old]


def run_case(kind, n, version, adv, sig):
    lab = Lab(("lb01", "lb02", "client"))
    try:
        c1, c2 = confs(n, version, adv)
        start = getattr(lab["lb01"], kind)
        m = start(c1)
        wait_until(lambda: all(lab["lb01"].holds(f"10.0.1.{i}") for i in range(1, n + 1)),
                   4 * adv + 10, what="lb01 holds every VIP")
        b = getattr(lab["lb02"], kind)(c2)
        time.sleep(4 * adv + 1)  # the backup settles
        pcap = os.path.join(lab.dir, "wire.pcap")
        cap = lab["client"].popen("tcpdump", "-U", "-Z", "root", "-n", "-i", "eth0", "-w", pcap,
                                  "ip proto 112", stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL)
        time.sleep(0.5 + 2 * adv)
        if sig == signal.SIGKILL:
            m.kill9()
        else:
            m.stop(signal.SIGTERM)
        wait_until(lambda: all(lab["lb02"].holds(f"10.0.1.{i}") for i in range(1, n + 1)),
                   4 * adv + 5, what="lb02 holds every VIP")
        time.sleep(2 * adv + 0.3)
        cap.terminate()
        cap.wait(5)
        g = gaps(pcap, lab["lb01"].v4, lab["lb02"].v4)
        b.stop()
        return g
    finally:
        lab.close()


def summary(values):
    v = sorted(values)
    if not v:
        return {}
    p99 = v[min(len(v) - 1, int(round(0.99 * (len(v) - 1))))]
    return {"min": v[0], "median": statistics.median(v), "p99": p99, "max": v[-1], "n": len(v)}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--json", default=os.path.join(os.path.dirname(__file__), "results.json"))
    args = ap.parse_args()
    results = []
    for name, n, version, adv, sig in CASES:
        row = {"case": name, "bound": bound(adv, sig == signal.SIGTERM)}
        for kind in ("vipd", "keepalived"):
            values = []
            for _ in range(args.reps):
                values += run_case(kind, n, version, adv, sig)
            row[kind] = summary(values)
        results.append(row)
        print_row(row)
    with open(args.json, "w") as f:
        json.dump({"reps": args.reps, "results": results}, f, indent=2)
    print(f"\nwrote {args.json}")


HEADER = False


def print_row(row):
    global HEADER
    if not HEADER:
        print(f"{'case':24} {'bound s':>8} | {'vipd median':>11} {'p99':>7} {'max':>7} | "
              f"{'keepalived median':>17} {'p99':>7} {'max':>7} | {'p99 past bound (ms)':>20} {'ratio':>6}")
        HEADER = True
    v, k, b = row["vipd"], row["keepalived"], row["bound"]
    over_v, over_k = v["p99"] - b, k["p99"] - b
    past = f"{over_v * 1000:+.1f} / {over_k * 1000:+.1f}"
    ratio = f"{over_v / over_k:.2f}" if over_k > 0 else "-"
    row["p99_past_bound_ratio"] = over_v / over_k if over_k > 0 else None
    print(f"{row['case']:24} {b:8.3f} | {v['median']:11.4f} {v['p99']:7.4f} {v['max']:7.4f} | "
          f"{k['median']:17.4f} {k['p99']:7.4f} {k['max']:7.4f} | {past:>20} {ratio:>6}")


if __name__ == "__main__":
    main()
