#!/usr/bin/env python3
"""vipd against Debian's keepalived on the same network-namespace hosts,
with the same generated configs, in one run, side by side.

Host lb01 (priority 150) masters every instance, lb02 (priority 100) backs
up, the client pings. A crash is SIGKILL to the master's whole
process group, a graceful stop SIGTERM. The takeover gap of a VRID is the
time from the old master's last advert to the new master's first, read from
the capture at the switch; the bound is Master_Down_Interval (crash) or Skew_Time
(graceful). After a crash the old master's links go down too, as a dead
host's would. Also: CPU and peak memory, start-up (as backups and as address
owner) and reload with 1000 instances, service death to VIP released, pings
lost in one failover, the nginx scenario; CPU per advert against a minimal
sender (cpu.py, --only floor); 4000 and 1000 instances (scale.py, --only
scale); a crash with and without BFD (bfdcase.py, --only bfd); false
takeovers under CPU starvation (starve.py, --only starve). One picture per
comparison goes to bench/plots/ (plots.py). The hosts' veths hand received frames to threaded NAPI, so the
receivers' work is not charged to the sender's CPU figure (as between real
hosts).
Prints a table and writes bench/results.json.

Usage (root): /usr/bin/python3 bench/bench.py [--quick] [--only NAME]
"""
import argparse
import datetime
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import time
import traceback

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests",
                                "integration"))
from lab import Daemon, Lab, Pinger, tutorial_conf, wait_until  # noqa: E402
import faults  # noqa: E402
import web  # noqa: E402
from cpu import floor_section  # noqa: E402
from scale import scale_section  # noqa: E402
import bfdcase  # noqa: E402
import plots  # noqa: E402
import starve  # noqa: E402
from measure import (CLK, adverts, capture, capture_switch, conf, cpu_ticks, gaps,  # noqa: E402
                     held, held_any, master_lines, peak_rss_kb, skew, summary,
                     vip, wire_drops)

KINDS = ("vipd", "keepalived")


# ---- cases -----------------------------------------------------------

def run_takeover(kind, n, nics, version, adv, sig, resources=False, ping=False):
    lab = Lab(("lb01", "lb02", "client"), nics=nics, threaded_rx=True)
    res = {}
    try:
        for k in range(nics):
            lab["client"].ip("route", "add", f"10.{64 + k}.0.0/16", "dev", f"eth{k}")
        m = getattr(lab["lb01"], kind)(conf("lb01", 150, n, nics, version, adv))
        wait_until(lambda: held(lab["lb01"], n), 4 * adv + 30, interval=0.2,
                   what="lb01 holds every VIP")
        b = getattr(lab["lb02"], kind)(conf("lb02", 100, n, nics, version, adv))
        time.sleep(4 * adv + 2 + n / 250)
        if resources:
            t0, c_m, c_b = time.monotonic(), cpu_ticks(m), cpu_ticks(b)
            time.sleep(resources)
            dt = time.monotonic() - t0
            res["cpu_master"] = (cpu_ticks(m) - c_m) / CLK / dt * 100
            res["cpu_backup"] = (cpu_ticks(b) - c_b) / CLK / dt * 100
        pcap = os.path.join(lab.dir, "wire.pcap")
        cap = capture_switch(lab, pcap)
        pinger = Pinger(lab["client"], vip(0, 1), interval=0.01, count=3000) if ping else None
        time.sleep(2 * adv + 0.5)
        went = master_lines(b)
        res["steady_takeovers"] = len(went)  # the master lives: none is right
        res["steady_why"] = went[:3]
        if sig == signal.SIGKILL:
            if resources:
                res["rss_master_kb"] = peak_rss_kb(m)
            m.kill9()
            for k in range(nics):  # the host is gone: its addresses answer no more
                lab["lb01"].ip("link", "set", f"eth{k}", "down")
        else:
            m.stop(signal.SIGTERM)
        wait_until(lambda: held(lab["lb02"], n), 4 * adv + 30, interval=0.1,
                   what="lb02 holds every VIP")
        time.sleep(2 * adv + 0.5)
        if pinger:
            res["pings_lost"] = pinger.stop()[1]
        cap.terminate()
        cap.wait(10)
        if resources:
            res["rss_backup_kb"] = peak_rss_kb(b)
        old = {k: lab["lb01"].addr4(k) for k in range(nics)}
        new = {k: lab["lb02"].addr4(k) for k in range(nics)}
        res["gaps"] = gaps(pcap, old, new)
        res["wire_drops"] = wire_drops(lab)
        b.stop()
        return res
    finally:
        lab.close()


def monitor(host, path):
    f = open(path, "w")
    p = host.popen("ip", "-ts", "monitor", "address", stdout=f, stderr=subprocess.DEVNULL)
    time.sleep(0.3)
    return p, f


def monitor_events(path, what="Deleted"):
    out = []
    for line in open(path):
        m = re.match(r"^\[(\S+)\]\s*(.*)$", line)
        if m and m[2].startswith(what):
            out.append(datetime.datetime.fromisoformat(m[1]).timestamp())
    return out


def run_start_reload(kind, n, nics, prio=150):
    """Launch to every VIP held, against the protocol's floor; then SIGHUP
    with the same config: time to done, addresses removed meanwhile. At
    priority 255 (the address owner, RFC 9568 6.4.1: Master at once) the
    floor is 0 and only the start-up is measured."""
    lab = Lab(("lb01", "client"), nics=nics)
    try:
        t0 = time.monotonic()
        m = getattr(lab["lb01"], kind)(conf("lb01", prio, n, nics, 2, 1))
        wait_until(lambda: held(lab["lb01"], n), 60, interval=0.02, what="every VIP held")
        start = time.monotonic() - t0
        if prio == 255:
            return {"start": start, "floor": 0.0}
        time.sleep(3)
        mon, f = monitor(lab["lb01"], os.path.join(lab.dir, "mon"))
        before = m.log_text()
        t1 = time.monotonic()
        m.send(signal.SIGHUP)
        done = None
        marks = ("reload done",) if kind == "vipd" else ("Reload complete",)
        try:
            wait_until(lambda: any(x in m.log_text()[len(before):] for x in marks), 30,
                       interval=0.01, what="reload done")
            done = time.monotonic() - t1
        except AssertionError:
            pass
        time.sleep(5)
        mon.terminate()
        mon.wait(5)
        f.close()
        removed = len(monitor_events(os.path.join(lab.dir, "mon")))
        still = held(lab["lb01"], n)
        return {"start": start, "floor": 3 + skew(150, 1), "reload": done, "removed": removed,
                "held_after": still}
    finally:
        lab.close()


def advert_stall(path, adv):
    """From a capture: per (source, vrid), the longest wait between two of
    its adverts; returns the worst wait past the advert interval, and how
    many instances went silent for 3 intervals (their backups would have
    taken over)."""
    last, worst = {}, {}
    for ts, src, vrid, prio in adverts(path):
        key = (src, vrid)
        if key in last:
            worst[key] = max(worst.get(key, 0.0), ts - last[key])
        last[key] = ts
    if not worst:
        return None, 0, 0
    return max(worst.values()) - adv, sum(w >= 3 * adv for w in worst.values()), len(worst)


def run_reload(kind, n, nics, change):
    """n instances at 1 s, all master; SIGHUP with the same config or with
    every priority changed (150 -> 151, a live setting), the adverts of the
    10 s around it captured: how long the longest advert waited past its
    interval, and whether any instance fell silent."""
    lab = Lab(("lb01",), nics=nics)
    try:
        m = getattr(lab["lb01"], kind)(conf("lb01", 150, n, nics, 3, 1))
        try:
            wait_until(lambda: held_any(lab["lb01"]) >= n, 180, interval=0.5)
        except AssertionError:
            return {"error": f"{held_any(lab['lb01'])} of {n} VIPs held after 180 s"}
        time.sleep(3)
        pcap = os.path.join(lab.dir, "reload.pcap")
        cap = capture(lab["lb01"], pcap)
        time.sleep(2)
        with open(m.conf, "w") as f:
            f.write(conf("lb01", 151 if change else 150, n, nics, 3, 1))
        before = len(m.log_text())
        t1 = time.monotonic()
        m.send(signal.SIGHUP)
        done = None
        marks = ("reload done",) if kind == "vipd" else ("Reload finished", "Reload complete")
        try:
            wait_until(lambda: any(x in m.log_text()[before:] for x in marks), 60,
                       interval=0.01, what="reload done")
            done = time.monotonic() - t1
        except AssertionError:
            pass
        time.sleep(6)
        cap.terminate()
        cap.wait(10)
        stall, silent, seen = advert_stall(pcap, 1.0)
        return {"reload": done, "stall": stall, "silent": silent, "instances_seen": seen,
                "held_after": held_any(lab["lb01"]) >= n}
    finally:
        lab.close()


FAULTS = (("loss 5 %", lambda lab: faults.loss(lab, 5)),
          ("loss 20 %", lambda lab: faults.loss(lab, 20)),
          ("delay 40+-30 ms, 25 % +60 ms", None),
          ("duplicated 50 %", lambda lab: faults.duplicate(lab, 50, [("lb01", "lb02"),
                                                                     ("lb02", "lb01")])))


def run_faults(kind, name, apply, seconds):
    """A pair at 100 ms (lb01 150, lb02 100) with a fault on the wire for
    `seconds`: the backup's takeovers and the time with two masters, as the
    client's capture shows them."""
    lab = Lab(("lb01", "lb02", "client"))
    try:
        ds = [getattr(lab[h], kind)(tutorial_conf(h, [{"priority": p, "version": 3,
                                                       "advert_int": 0.1}]))
              for h, p in (("lb01", 150), ("lb02", 100))]
        wait_until(lambda: lab.holders("10.0.0.3") == ["lb01"], 15, what="lb01 master")
        time.sleep(2)
        imp = []
        if apply:
            apply(lab)
        else:
            imp = [faults.Impairment(lab[h], 5, delay=40, jitter=30, reorder=25, gap=60)
                   for h in ("lb01", "lb02")]
        r = faults.watch(lab, seconds, "faults", 0.1)
        for i in imp:
            i.stop()
        faults.bridge_rules(lab, {})
        time.sleep(2)
        r["one_master_after"] = lab.holders("10.0.0.3") == ["lb01"]
        for d in ds:
            d.stop()
        return r
    finally:
        lab.close()


def faults_section(results, quick):
    secs = 20 if quick else 60
    print(f"\n# Faults on the wire, a pair at 100 ms, v3 (lb01 150, lb02 100), {secs} s each: the "
          "backup's takeovers / time with two masters, total and longest (client's capture)")
    print(f"{'fault':32} {'vipd':>26} {'keepalived':>26}")
    results["faults"] = {}
    for name, apply in FAULTS:
        row = {kind: run_faults(kind, name, apply, secs) for kind in KINDS}
        results["faults"][name] = row
        cells = [f"{r['takeovers']:3d} / {r['two_masters_s']:6.2f} / {r['longest_two_masters_s']:5.2f}"
                 f"{'' if r['one_master_after'] else ' !'}" for r in (row["vipd"], row["keepalived"])]
        print(f"{name:32} {cells[0]:>26} {cells[1]:>26}", flush=True)
    print("(! : not back to one master, lb01, 2 s after the fault)")


SVC_CHECK = "/usr/bin/pgrep -x svc"


def run_service(kind, method):
    """A tracked service (a process named svc) dies on the master: time to
    the VIP removed there and to the new master's first advert."""
    lab = Lab(("lb01", "lb02", "client"), pidns=("lb01", "lb02"))
    try:
        svc = os.path.join(lab.dir, "svc")
        shutil.copy("/bin/sleep", svc)
        procs = {h: lab[h].popen(svc, "1000", stdout=subprocess.DEVNULL)
                 for h in ("lb01", "lb02")}
        if method == "script":
            g = f'vrrp_script chk {{\n    script "{SVC_CHECK}"\n    interval 1\n    fall 1\n' \
                f'    weight 0\n}}\n'
            track = "    track_script {\n        chk\n    }\n"
        else:
            g = "vrrp_track_process chk {\n    process svc\n    weight 0\n}\n"
            track = "    track_process {\n        chk\n    }\n"
        c1 = g + conf("lb01", 150, 1, 1, 2, 1, extra_inst=track)
        c2 = g + conf("lb02", 100, 1, 1, 2, 1, extra_inst=track)
        m = getattr(lab["lb01"], kind)(c1)
        try:
            wait_until(lambda: held(lab["lb01"], 1), 10, interval=0.1, what="lb01 master")
        except AssertionError:
            why = [x for x in m.log_text().splitlines()
                   if "rror" in x or "FAULT" in x or "ailed" in x]
            return {"error": (why[-1] if why else "lb01 never became master")[-110:]}
        b = getattr(lab["lb02"], kind)(c2)
        time.sleep(5)
        pcap = os.path.join(lab.dir, "wire.pcap")
        cap = capture(lab["client"], pcap)
        mon, f = monitor(lab["lb01"], os.path.join(lab.dir, "mon"))
        time.sleep(1.3)  # a random phase against the script's interval
        t0 = time.time()
        lab["lb01"].exec("pkill", "-9", "-x", "svc")
        wait_until(lambda: held(lab["lb02"], 1), 10, interval=0.05, what="lb02 master")
        time.sleep(1)
        mon.terminate()
        mon.wait(5)
        f.close()
        cap.terminate()
        cap.wait(5)
        dels = [t for t in monitor_events(os.path.join(lab.dir, "mon")) if t >= t0]
        first = [ts for ts, src, _, prio in adverts(pcap)
                 if ts >= t0 and src == lab["lb02"].v4 and prio > 0]
        b.stop()
        del procs
        return {"released": dels[0] - t0 if dels else None,
                "new_master": first[0] - t0 if first else None}
    finally:
        lab.close()


def run_nginx(kind, method, phase):
    """docs/deployment.md, scenario 6: nginx on the master dies for good; the tutorial's
    check_web.sh (interval 5) or track_process. Time from the death to the
    new master's first advert; failed client requests."""
    lab = Lab(("lb01", "lb02", "web01", "web02", "client"), pidns=("lb01", "lb02"))
    try:
        nginx = web.deployment(lab)
        if method == "script":
            web.tutorial_pair(lab, nginx, kind)
        else:
            for name, state, prio in (("lb01", "MASTER", 150), ("lb02", "BACKUP", 100)):
                Daemon(lab[name], kind, web.LB_PROCESS.format(name=name, state=state,
                                                              prio=prio))
                if name == "lb01":
                    try:
                        wait_until(lambda: lab["lb01"].holds("10.0.0.3"), 8, what="lb01")
                    except AssertionError:
                        log = lab.daemons[0].log_text().splitlines()
                        why = [x for x in log if "FAULT" in x or "rror" in x or "ailed" in x]
                        return {"error": (why[-1] if why else "no master")[-100:]}
            time.sleep(2)
        pcap = os.path.join(lab.dir, "wire.pcap")
        cap = web.capture(lab["client"], pcap)
        client = web.Client(lab["client"], "10.0.0.3")
        time.sleep(1 + phase)  # where in the script's 5 s interval nginx dies
        t0 = web.kill_nginx_for_good(lab["lb01"], nginx["lb01"])
        wait_until(lambda: lab.holders("10.0.0.3") == ["lb02"], 12, interval=0.05,
                   what="lb02 holds the VIP")
        time.sleep(1.5)
        rows = client.stop()
        cap.terminate()
        cap.wait(5)
        t_adv = web.first_advert_after(pcap, lab["lb02"].v4, t0)
        return {"new_master": t_adv - t0 if t_adv else None,
                "failed_requests": web.Client.failures(rows, t0), "requests": len(rows)}
    finally:
        lab.close()


def nginx_section(results, quick):
    phases = (2.5,) if quick else (0.5, 1.5, 2.5, 3.5, 4.5)  # the same for both daemons
    reps = len(phases)
    print("\n# nginx dies on the master (docs/deployment.md, scenario 6): to the new master's first advert, s; "
          f"failed client requests (one every 0.1 s); median of {reps}")
    for method, label in (("script", "check_web.sh, interval 5"),
                          ("process", "track_process nginx")):
        cells = []
        for kind in KINDS:
            rs = [run_nginx(kind, method, ph) for ph in phases]
            errs = [r["error"] for r in rs if "error" in r]
            if errs:
                results["nginx"][f"{kind} {method}"] = {"error": errs[0]}
                cells.append(f"{kind}: fails: {errs[0]}")
                continue
            adv = statistics.median(r["new_master"] for r in rs if r["new_master"] is not None)
            fails = statistics.median(r["failed_requests"] for r in rs)
            results["nginx"][f"{kind} {method}"] = {"new_master": adv,
                                                    "failed_requests": fails, "runs": rs}
            cells.append(f"{kind} {adv:.3f} s, {fails:.0f} failed")
        print(f"{label:32} | " + " | ".join(cells), flush=True)


# ---- the suite -----------------------------------------------------------

TAKEOVER = [
    # name, instances, links, version, advert_int, signal, reps, resources s, ping
    ("crash 1 x 1 s v2", 1, 1, 2, 1.0, signal.SIGKILL, 5, 0, True),
    ("crash 255 x 100 ms v3", 255, 1, 3, 0.1, signal.SIGKILL, 1, 30, False),
    ("crash 1000 x 1 s, 4 links, v2", 1000, 4, 2, 1.0, signal.SIGKILL, 1, 30, False),
    ("crash 255 x 20 ms v3", 255, 1, 3, 0.02, signal.SIGKILL, 1, 0, False),
    ("graceful 1 x 1 s v3", 1, 1, 3, 1.0, signal.SIGTERM, 5, 0, False),
]


def fmt(x, unit="s", nd=4):
    if x is None:
        return "-"
    return f"{x:.{nd}f}" if unit == "s" else f"{x:.1f}"


def ratio(a, b):
    return f"{a / b:.2f}" if a is not None and b else "-"


def takeover_section(results, quick, only):
    print("\n# Takeover gap, s (old master's last advert to new master's first, per VRID)")
    print(f"{'case':32} {'bound':>7} | {'vipd min':>8} {'median':>7} {'p99':>7} {'max':>7} | "
          f"{'keepalived min':>14} {'median':>7} {'p99':>7} {'max':>7} | "
          f"{'p99-bound ms vipd / ka':>24}")
    for name, n, nics, ver, adv, sig, reps, res_s, ping in TAKEOVER:
        if only and only not in name:
            continue
        if quick:
            reps, res_s = 1, min(res_s, 5)
        graceful = sig == signal.SIGTERM
        bound = skew(100, adv) + (0 if graceful else 3 * adv)
        row = {"case": name, "bound": bound}
        for kind in KINDS:
            vals, extra, why = [], {}, []
            for _ in range(reps):
                r = run_takeover(kind, n, nics, ver, adv, sig, res_s, ping)
                vals += r.pop("gaps")
                why += r.pop("steady_why")
                for k, v in r.items():
                    extra.setdefault(k, []).append(v)
            row[kind] = {"gap": summary(vals), "raw": vals,
                         **{k: statistics.median(v) for k, v in extra.items()}}
            row[kind]["steady_takeovers"] = sum(extra.get("steady_takeovers", []))
            row[kind]["wire_drops"] = sum(extra.get("wire_drops", []))
            row[kind]["steady_why"] = why[:5]
        # a case run again (--only) takes its row's place
        results["takeover"] = [r for r in results["takeover"] if r.get("case") != name] + [row]
        v, k = row["vipd"]["gap"], row["keepalived"]["gap"]
        past = f"{(v['p99'] - bound) * 1000:+.1f} / {(k['p99'] - bound) * 1000:+.1f}" \
            if v and k else "-"
        cells = lambda s: (f"{s['min']:8.4f} {s['median']:7.4f} {s['p99']:7.4f} {s['max']:7.4f}"
                           if s else f"{'-':>8} {'-':>7} {'-':>7} {'-':>7}")
        print(f"{name:32} {bound:7.4f} | {cells(v)} | {'':6}{cells(k)} | {past:>24}",
              flush=True)
        for kind in KINDS:
            if row[kind]["wire_drops"]:
                print(f"  {kind}: the hosts' links dropped {row[kind]['wire_drops']} frames on "
                      "their way to the switch, over every repetition (a veth drops a burst "
                      "past its receiver's ring)", flush=True)
            if row[kind]["steady_takeovers"]:
                print(f"  {kind}: the backup took over {row[kind]['steady_takeovers']} times "
                      "while the master lived (before the crash), over every repetition",
                      flush=True)
                for line in row[kind]["steady_why"]:
                    print(f"    {line[:160]}", flush=True)
    return results


def resources_section(results):
    rows = [r for r in results["takeover"] if "cpu_master" in r["vipd"]]
    if rows:
        print("\n# CPU (user+sys, % of one core, 30 s steady state) and peak resident memory")
        print(f"{'case':32} | {'master cpu vipd / ka':>21} {'ratio':>6} | "
              f"{'backup cpu vipd / ka':>21} {'ratio':>6} | {'peak RSS MB vipd / ka':>22}")
    for r in rows:
        v, k = r["vipd"], r["keepalived"]
        print(f"{r['case']:32} | {v['cpu_master']:9.2f} / {k['cpu_master']:9.2f} "
              f"{ratio(v['cpu_master'], k['cpu_master']):>6} | {v['cpu_backup']:9.2f} / "
              f"{k['cpu_backup']:9.2f} {ratio(v['cpu_backup'], k['cpu_backup']):>6} | "
              f"{v['rss_master_kb'] / 1024:9.1f} / {k['rss_master_kb'] / 1024:9.1f}")
    rows = [r for r in results["takeover"] if "pings_lost" in r["vipd"]]
    for r in rows:
        print(f"\n# Client pings lost in one crash failover (ping every 10 ms), {r['case']}: "
              f"vipd {r['vipd']['pings_lost']:.0f}, keepalived {r['keepalived']['pings_lost']:.0f}"
              f" (Master_Down_Interval is {r['bound'] * 100:.0f} pings)")


def start_section(results, quick):
    n = 250 if quick else 1000
    print(f"\n# Start-up and reload, {n} instances over 4 links, v2, 1 s")
    print(f"{'daemon':12} {'launch to all VIPs held':>24} {'past the floor':>15} | "
          f"{'SIGHUP to done':>15} {'VIPs removed':>13} {'all held after':>15}")
    for kind in KINDS:
        r = run_start_reload(kind, n, 4)
        results["start_reload"][kind] = r
        print(f"{kind:12} {r['start']:24.3f} {r['start'] - r['floor']:15.3f} | "
              f"{fmt(r['reload'], nd=3):>15} {r['removed']:13d} {str(r['held_after']):>15}",
              flush=True)
    print(f"(floor: Master_Down_Interval {3 + skew(150, 1):.3f} s; every instance starts as "
          "backup)")
    print(f"{'':12} {'launch to all VIPs held':>24}   (address owner, priority 255: Master at once)")
    for kind in KINDS:
        r = run_start_reload(kind, n, 4, prio=255)
        results["start_reload"][kind + "_owner"] = r
        print(f"{kind:12} {r['start']:24.3f}", flush=True)


def reload_section(results, quick):
    n, nics = (2000, 8) if quick else (10000, 40)
    print(f"\n# Reload with {n} instances over {nics} links, v3, 1 s, all master: the longest "
          "wait of an advert past its interval (on the wire), instances silent 3 intervals")
    print(f"{'daemon':12} {'config':>20} {'SIGHUP to done':>15} {'advert stall':>13} "
          f"{'silent':>7} {'all held after':>15}")
    results["reload"] = {}
    for change in (False, True):
        label = "every priority new" if change else "unchanged"
        row = {}
        for kind in KINDS:
            r = run_reload(kind, n, nics, change)
            row[kind] = r
            if "error" in r:
                print(f"{kind:12} {label:>20} {r['error']}", flush=True)
                continue
            print(f"{kind:12} {label:>20} {fmt(r['reload'], nd=3):>15} "
                  f"{fmt(r['stall'], nd=3):>13} {r['silent']:7d} {str(r['held_after']):>15}",
                  flush=True)
        print(f"{'':12} {'ratio':>20} {'':15} "
              f"{ratio(row['keepalived'].get('stall'), row['vipd'].get('stall')):>13}")
        results["reload"][label] = row


def service_section(results, quick):
    reps = 1 if quick else 5
    print("\n# Tracked service dies on the master: to the VIP removed there / to the new "
          f"master's first advert, s (median of {reps})")
    for method, label in (("script", "vrrp_script pgrep, interval 1"),
                          ("process", "track_process")):
        cells = []
        for kind in KINDS:
            rs = [run_service(kind, method) for _ in range(reps)]
            errs = [r["error"] for r in rs if "error" in r]
            if errs:
                results["service"][f"{kind} {method}"] = {"error": errs[0]}
                cells.append(f"{kind}: fails: {errs[0]}")
                continue
            rel = statistics.median(r["released"] for r in rs if r["released"] is not None)
            new = statistics.median(r["new_master"] for r in rs if r["new_master"] is not None)
            results["service"][f"{kind} {method}"] = {"released": rel, "new_master": new,
                                                      "runs": rs}
            cells.append(f"{kind} {rel:.3f} / {new:.3f}")
        print(f"{label:32} | " + " | ".join(cells), flush=True)


def bfd_section(results, quick):
    reps = 2 if quick else 5
    print(f"\n# Crash of the master with and without BFD ({reps} of each, interleaved)")
    results["bfd"] = bfdcase.run(reps)
    print(bfdcase.table(results["bfd"]), flush=True)


def starve_section(results, quick):
    print("\n# False takeovers under CPU starvation (bench/starve.py)")
    results["starve"] = starve.run(quick)
    print(starve.table(results["starve"]), flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="one rep, smaller start-up case")
    ap.add_argument("--only", help="run the takeover cases whose name has this, and no more "
                    "(\"reload\", \"faults\", \"floor\", \"scale\", \"bfd\", \"starve\": that "
                    "section alone)")
    ap.add_argument("--json", default=os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                   "results.json"))
    args = ap.parse_args()
    if os.geteuid() != 0:
        sys.exit("bench.py: run as root (namespaces, raw sockets)")
    ka = subprocess.run(["keepalived", "--version"], capture_output=True, text=True)
    results = {"when": time.strftime("%Y-%m-%d %H:%M"), "cores": os.cpu_count(),
               "keepalived": (ka.stderr or ka.stdout).splitlines()[0], "takeover": [],
               "start_reload": {}, "service": {}, "nginx": {}}
    if args.only and os.path.exists(args.json):
        # one section: the other sections' figures stay as the last run left them
        with open(args.json) as f:
            results = {**json.load(f), "when": results["when"]}
    sections = {"reload": reload_section, "faults": faults_section, "floor": floor_section,
                "scale": scale_section, "bfd": bfd_section, "starve": starve_section}
    if args.only in sections:
        run = [sections[args.only]]
    else:
        def takeovers(r, q):
            takeover_section(r, q, args.only)

        def resources(r, q):
            resources_section(r)
        run = [takeovers, resources]
    if not args.only:
        run += [bfd_section, floor_section, scale_section, starve_section, start_section,
                reload_section, faults_section, service_section, nginx_section]
    failed = []
    for section in run:
        try:
            section(results, args.quick)
        except Exception:  # the next sections still run; the figures so far are kept
            traceback.print_exc()
            failed.append(getattr(section, "__name__", "takeover"))
        with open(args.json, "w") as f:
            json.dump(results, f, indent=1)
    print(f"\nwrote {args.json}")
    for path in plots.write(results, os.path.join(os.path.dirname(args.json), "plots")):
        print(f"wrote {path}")
    if failed:
        sys.exit(f"bench.py: these sections failed: {', '.join(failed)}")


if __name__ == "__main__":
    main()
