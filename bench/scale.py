"""Scale (bench.py --only scale): thousands of instances, vipd and keepalived.

Per case and daemon, on the same namespace hosts (lb01 150 masters every
instance, lb02 100 backs up, the client captures): launch to every VIP held
on lb01 (every instance starts as backup: the floor is Master_Down_Interval);
then, with lb02 up, the steady state's CPU (user + system, the scheduler's
ns) of both over the window and the peak RSS; then a crash of lb01 (SIGKILL,
its links down) and the takeover gaps from the capture against the bound
(Master_Down_Interval at priority 100). Every wait is bounded: a daemon that
does not get there in time is reported so, with how far it got.

The takeover floor (bench/takefloor.c) is the least a backup can do: it
hears vipd's adverts and sends prebuilt ones when a VRID's bound has passed,
nothing else; its gaps past the bound, on the same lab and wire, are what
this machine's kernel and links allow.
"""
import os
import subprocess
import time

from lab import Lab, wait_until
from measure import (capture_switch, conf, cpu_ns, gaps, held_any, peak_rss_kb, skew, summary,
                     vip, wire_drops)

CASES = [  # name, instances, links, advert_int
    ("4000 x 1 s, 16 links, v3", 4000, 16, 1.0),
    ("1000 x 100 ms, 4 links, v3", 1000, 4, 0.1),
]
START_LIMIT = 120  # s: launch to every VIP held, at most


def held_by(host, n, limit):
    """Seconds until host holds n VIPs, or None after limit (and how many)."""
    t0 = time.monotonic()
    try:
        wait_until(lambda: held_any(host) >= n, limit, interval=0.05)
    except AssertionError:
        return None, held_any(host)
    return time.monotonic() - t0, n


def steady(m, b, window):
    c0, b0, t0 = cpu_ns(m.proc.pid), cpu_ns(b.proc.pid), time.monotonic()
    time.sleep(window)
    dt = time.monotonic() - t0
    return {"cpu_master": (cpu_ns(m.proc.pid) - c0) / 1e7 / dt,
            "cpu_backup": (cpu_ns(b.proc.pid) - b0) / 1e7 / dt,
            "rss_master_kb": peak_rss_kb(m), "rss_backup_kb": peak_rss_kb(b)}


def crash(lab, m, n, nics, adv, taken=None):
    """SIGKILL of lb01 with its links down; the gaps from the capture.
    taken(): (seconds, how many) once lb02 has taken over (default: its VIPs)."""
    pcap = os.path.join(lab.dir, "wire.pcap")
    cap = capture_switch(lab, pcap)
    time.sleep(2 * adv + 0.5)
    m.kill9()
    for k in range(nics):  # the host is gone: its addresses answer no more
        lab["lb01"].ip("link", "set", f"eth{k}", "down")
    took, got = taken() if taken else held_by(lab["lb02"], n, 4 * adv + START_LIMIT)
    time.sleep(2 * adv + 0.5)
    cap.terminate()
    cap.wait(30)
    old = {k: lab["lb01"].addr4(k) for k in range(nics)}
    new = {k: lab["lb02"].addr4(k) for k in range(nics)}
    return {"takeover_s": took, "held_after": got, "gap": summary(gaps(pcap, old, new)),
            "wire_drops": wire_drops(lab)}


def run_scale(kind, n, nics, adv, window):
    lab = Lab(("lb01", "lb02", "client"), nics=nics, threaded_rx=True)
    try:
        for k in range(nics):
            lab["client"].ip("route", "add", f"10.{64 + k}.0.0/16", "dev", f"eth{k}")
        m = getattr(lab["lb01"], kind)(conf("lb01", 150, n, nics, 3, adv))
        start, got = held_by(lab["lb01"], n, START_LIMIT)
        res = {"start_s": start, "start_floor_s": 3 * adv + skew(150, adv)}
        if start is None:
            res["error"] = f"{got} of {n} VIPs held {START_LIMIT} s after the launch"
            return res
        b = getattr(lab["lb02"], kind)(conf("lb02", 100, n, nics, 3, adv))
        time.sleep(4 * adv + 2 + n / 250)
        if held_any(lab["lb02"]):
            res["error"] = f"lb02 holds {held_any(lab['lb02'])} VIPs in the steady state"
            return res
        res.update(steady(m, b, window))
        res.update(crash(lab, m, n, nics, adv))
        b.stop(timeout=60)
        return res
    finally:
        lab.close()


def build_takefloor(out_dir):
    path = os.path.join(out_dir, "takefloor")
    subprocess.run(["cc", "-std=c17", "-O2", "-Wall", "-Wextra", "-o", path,
                    os.path.join(os.path.dirname(os.path.abspath(__file__)), "takefloor.c")],
                   check=True)
    return path


def run_takefloor(n, nics, adv):
    """vipd masters every instance on lb01, the takeover floor backs up on lb02."""
    lab = Lab(("lb01", "lb02", "client"), nics=nics, threaded_rx=True)
    try:
        floor = build_takefloor(lab.dir)
        m = lab["lb01"].vipd(conf("lb01", 150, n, nics, 3, adv))
        start, got = held_by(lab["lb01"], n, START_LIMIT)
        if start is None:
            return {"error": f"{got} of {n} VIPs held {START_LIMIT} s after the launch"}
        bound = 3 * adv + skew(100, adv)
        links = [f"eth{k},{lab['lb02'].addr4(k)},{vip(k, 0)}" for k in range(nics)]
        f = lab["lb02"].popen(floor, str(round(bound * 1e6)), str(round(adv * 1000)), "100",
                              str(-(-n // nics)), *links, stdout=subprocess.PIPE, text=True)
        time.sleep(4 * adv + 2)

        def taken():
            time.sleep(bound + 2 * adv + 1)
            f.terminate()
            out = f.communicate(timeout=10)[0].split()
            took = int(out[1]) if len(out) > 1 and out[0] == "took" else 0
            return (bound if took >= n else None), took
        res = crash(lab, m, n, nics, adv, taken)
        res["takeover_s"] = None if res["takeover_s"] is None else 0.0
        return res
    finally:
        lab.close()


def scale_section(results, quick):
    window = 10 if quick else 30
    print(f"\n# Scale: launch to every VIP held (floor: Master_Down_Interval), steady state "
          f"({window} s: CPU % of one core, peak RSS MB), crash of the master: takeover gap "
          "p99 against the bound, s")
    print(f"{'case':28} {'daemon':10} {'start':>7} {'floor':>6} | {'cpu master':>10} "
          f"{'backup':>7} | {'RSS MB m / b':>13} | {'gap med':>8} {'p99':>7} {'bound':>7} "
          f"{'p99-bound ms':>12} {'all held':>8}")
    results["scale"] = []
    for name, n, nics, adv in CASES:
        row = {"case": name, "instances": n, "links": nics, "advert_int": adv,
               "bound": 3 * adv + skew(100, adv), "window_s": window}
        for kind in ("vipd", "keepalived"):
            try:
                row[kind] = run_scale(kind, n, nics, adv, window)
            except Exception as e:  # one daemon's failure is a figure, not the end
                row[kind] = {"error": f"{type(e).__name__}: {e}"[:200]}
            print_row(name, kind, row["bound"], row[kind])
        try:
            row["takefloor"] = run_takefloor(n, nics, adv)
        except Exception as e:
            row["takefloor"] = {"error": f"{type(e).__name__}: {e}"[:200]}
        print_floor(name, row["bound"], row["takefloor"])
        results["scale"].append(row)


def print_floor(name, bound, r):
    """The takeover floor's row: its gaps only."""
    if "error" in r:
        print(f"{name:28} {'floor':10} fails: {r['error']}", flush=True)
        return
    print(f"{name:28} {'floor':10} {'':>7} {'':>6} | {'':>10} {'':>7} | {'':>13} | "
          f"{gap_cells(bound, r)}", flush=True)


def gap_cells(bound, r):
    """The row's gap columns: median, p99, bound, p99 past it, all held."""
    g = r["gap"]
    gap = (f"{g['median']:8.4f} {g['p99']:7.4f} {bound:7.4f} {(g['p99'] - bound) * 1000:+12.1f}"
           if g else f"{'-':>8} {'-':>7} {bound:7.4f} {'-':>12}")
    took = "yes" if r["takeover_s"] is not None else f"{r['held_after']}"
    drops = f"  (links dropped {r['wire_drops']} frames)" if r.get("wire_drops") else ""
    return f"{gap} {took:>8}{drops}"


def print_row(name, kind, bound, r):
    if "error" in r:
        print(f"{name:28} {kind:10} fails: {r['error']}", flush=True)
        return
    print(f"{name:28} {kind:10} {r['start_s']:7.3f} {r['start_floor_s']:6.3f} | "
          f"{r['cpu_master']:10.2f} {r['cpu_backup']:7.2f} | "
          f"{r['rss_master_kb'] / 1024:6.1f} / {r['rss_backup_kb'] / 1024:4.1f} | "
          f"{gap_cells(bound, r)}", flush=True)
