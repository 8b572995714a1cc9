#!/usr/bin/env python3
"""Soak: vipd under a steady load of churn for a long time, sampled every
minute, to show that nothing grows and nothing drifts.

Two hosts with N instances (default 255) at 100 ms, VRRPv3. Throughout:
a link flap on the backup every 20 s (down 2 s, up), a reload of the master
every 10 s (its priority alternating 150/151, which keeps every router), a
status query every second on both. Every minute, for both daemons: resident
memory, open descriptors, the loop's worst timer lateness in that minute
(`vipctl stats --clear`), transitions in that minute, and that exactly one
host holds each VIP. At the end: whether memory and descriptors stayed flat
(RSS within 10 % + 1 MB of the second minute's, descriptors equal), no
minute had a timer late by 100 ms or more, and no VIP was ever held twice.

Usage (root): /usr/bin/python3 bench/soak.py [--minutes 60] [--instances 255]
The test command does not run it (it takes an hour); README says how.
"""
import argparse
import json
import os
import signal
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests",
                                "integration"))
from lab import BUILD, Lab, wait_until  # noqa: E402


def conf(router_id, prio, n):
    out = [f"global_defs {{\n    router_id {router_id}\n    vrrp_garp_master_repeat 1\n"
           f"    vrrp_garp_master_refresh 0\n}}\n"]
    for v in range(1, n + 1):
        out.append(f"vrrp_instance VI_{v} {{\n    state BACKUP\n    interface eth0\n"
                   f"    virtual_router_id {v}\n    priority {prio}\n    advert_int 0.1\n"
                   f"    version 3\n    virtual_ipaddress {{\n        10.64.{v // 250}.{v % 250 + 1}/32\n"
                   f"    }}\n}}\n")
    return "".join(out)


def vipctl(d, *args):
    r = d.host.exec(os.path.join(BUILD, "vipctl"), "-s", d.sock, *args, check=False)
    return r.stdout if r.returncode == 0 else None


def sample(d):
    pid = d.pid
    with open(f"/proc/{pid}/status") as f:
        rss = next(int(line.split()[1]) for line in f if line.startswith("VmRSS:"))
    fds = len(os.listdir(f"/proc/{pid}/fd"))
    late = None
    st = d.status() or {"instances": []}  # before the clear: this minute's counters
    out = vipctl(d, "stats", "--clear")
    for line in (out or "").splitlines():
        if line.startswith("vipd loop_late_max_us "):
            late = int(line.split()[-1])
    trans = sum(i["counters"]["transitions"] for i in st["instances"])
    masters = {i["name"] for i in st["instances"] if i["state"] == "MASTER"}
    return {"rss_kb": rss, "fds": fds, "late_max_us": late, "transitions": trans,
            "masters": masters}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--minutes", type=int, default=60)
    ap.add_argument("--instances", type=int, default=255)
    ap.add_argument("--json", default="")
    a = ap.parse_args()
    n = a.instances
    lab = Lab(names=("lb01", "lb02"))
    rows, bad = [], []
    try:
        lb01 = lab["lb01"].vipd(conf("lb01", 150, n))
        lb02 = lab["lb02"].vipd(conf("lb02", 100, n))
        wait_until(lambda: len((lb01.status() or {}).get("instances", [])) == n, 30)
        wait_until(lambda: sum(i["state"] == "MASTER" for i in lb01.status()["instances"]) == n,
                   60, what="lb01 master of every instance")
        for d in (lb01, lb02):
            vipctl(d, "stats", "--clear")
        start = time.monotonic()
        prio, flap_until = 150, 0.0
        next_reload, next_flap, next_sample = start + 10, start + 20, start + 60
        print(f"soak: {n} instances at 100 ms for {a.minutes} min", flush=True)
        print(f"{'min':>4} | {'RSS kB lb01 / lb02':>20} | {'fds':>9} | {'late max ms':>13} | "
              f"{'transitions':>13} | VIPs", flush=True)
        while time.monotonic() - start < a.minutes * 60:
            now = time.monotonic()
            if now >= next_reload:
                prio = 301 - prio  # 150 <-> 151: a live change, the routers stay
                with open(lb01.conf, "w") as f:
                    f.write(conf("lb01", prio, n))
                lb01.send(signal.SIGHUP)
                next_reload += 10
            if now >= next_flap:
                lab["lb02"].ip("link", "set", "eth0", "down")
                flap_until, next_flap = now + 2, next_flap + 20
            if flap_until and now >= flap_until:
                lab["lb02"].ip("link", "set", "eth0", "up")
                flap_until = 0.0
            for d in (lb01, lb02):
                d.status()
            if now >= next_sample:
                s1, s2 = sample(lb01), sample(lb02)
                both = s1["masters"] & s2["masters"]
                none = n - len(s1["masters"] | s2["masters"])
                row = {"minute": len(rows) + 1, "lb01": s1, "lb02": s2, "both": len(both),
                       "none": none}
                rows.append(row)
                print(f"{row['minute']:4} | {s1['rss_kb']:9} / {s2['rss_kb']:8} | "
                      f"{s1['fds']:4} / {s2['fds']:3} | "
                      f"{(s1['late_max_us'] or 0) / 1000:6.1f} / {(s2['late_max_us'] or 0) / 1000:5.1f}"
                      f" | {s1['transitions']:6} / {s2['transitions']:5} | "
                      f"{len(both)} twice, {none} none", flush=True)
                if both:
                    bad.append(f"minute {row['minute']}: {len(both)} VIP(s) held by both")
                next_sample += 60
            time.sleep(1)
        if not lb01.running() or not lb02.running():
            bad.append("a daemon died")
        if len(rows) >= 2:
            ref, last = rows[1] if len(rows) > 2 else rows[0], rows[-1]
            for h in ("lb01", "lb02"):
                if last[h]["rss_kb"] > ref[h]["rss_kb"] * 1.1 + 1024:
                    bad.append(f"{h}: RSS grew from {ref[h]['rss_kb']} to {last[h]['rss_kb']} kB")
                if last[h]["fds"] != ref[h]["fds"]:
                    bad.append(f"{h}: descriptors went from {ref[h]['fds']} to {last[h]['fds']}")
        for r in rows:
            for h in ("lb01", "lb02"):
                if (r[h]["late_max_us"] or 0) >= 100000:
                    bad.append(f"minute {r['minute']}: {h}'s timers {r[h]['late_max_us']} us late")
        if a.json:
            with open(a.json, "w") as f:
                json.dump([{**r, "lb01": {**r["lb01"], "masters": len(r["lb01"]["masters"])},
                            "lb02": {**r["lb02"], "masters": len(r["lb02"]["masters"])}}
                           for r in rows], f, indent=1)
        print("soak: " + ("flat: nothing grew, no timer 100 ms late, no VIP held twice"
                          if not bad else "; ".join(bad)), flush=True)
        return 0 if not bad else 1
    finally:
        lab.close()


if __name__ == "__main__":
    sys.exit(main())
