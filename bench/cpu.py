"""CPU per advert against the floor (bench.py --only floor).

The floor is bench/floor.c: the same adverts as the configs make the
daemons send (VRRPv3, IPv4, one address, 224.0.0.18, the same VRIDs on the
same links at the same interval), built once and sent in one sendmmsg per
link per tick off a timerfd, nothing else. Each sender runs as lb01 with a
backup on lb02 (the floor's is vipd, which its adverts must hold in Backup:
they are real adverts), so the wire is a pair's steady state; the backups
send nothing, so what lb01 is charged is its sending alone (threaded NAPI:
the receivers' work is theirs). Over the window: lb01's CPU time (user +
system, the scheduler's ns) over the adverts its links sent (the kernel's
counters), and the backup's over the same count, which it received.
"""
import os
import shutil
import signal
import subprocess
import tempfile
import time

from lab import Lab, wait_until
from measure import conf, cpu_ns, held_any, tx_packets, vip

HERE = os.path.dirname(os.path.abspath(__file__))
SENDERS = ("floor", "vipd", "keepalived")
CASES = [  # name, instances, links, advert_int
    ("255 x 100 ms v3", 255, 1, 0.1),
    ("1000 x 100 ms, 4 links, v3", 1000, 4, 0.1),
]


def build_floor(out_dir):
    path = os.path.join(out_dir, "floor")
    subprocess.run(["cc", "-std=c17", "-O2", "-Wall", "-Wextra", "-o", path,
                    os.path.join(HERE, "floor.c")], check=True)
    return path


def floor_args(lab, n, nics, adv):
    per = -(-n // nics)
    links = [f"eth{k},{lab['lb01'].addr4(k)},{vip(k, 0)}" for k in range(nics)]
    return [str(round(adv * 1000)), "150", str(per), *links]


def start(lab, sender, floor, n, nics, adv):
    """lb01's sender and lb02's backup; returns (sender's pgid, backup's, stop)."""
    if sender == "floor":
        p = lab["lb01"].popen(floor, *floor_args(lab, n, nics, adv), stdout=subprocess.PIPE,
                              text=True)
        b = lab["lb02"].vipd(conf("lb02", 100, n, nics, 3, adv))

        def stop():
            p.send_signal(signal.SIGTERM)
            out = p.communicate(timeout=10)[0]
            return "failed 0" in out
        return p.pid, b.proc.pid, stop
    m = getattr(lab["lb01"], sender)(conf("lb01", 150, n, nics, 3, adv))
    wait_until(lambda: held_any(lab["lb01"]) >= n, 4 * adv + 30, interval=0.2,
               what="lb01 holds every VIP")
    b = getattr(lab["lb02"], sender)(conf("lb02", 100, n, nics, 3, adv))
    return m.proc.pid, b.proc.pid, lambda: m.stop() is not None


def run_cpu(sender, floor, n, nics, adv, window):
    lab = Lab(("lb01", "lb02"), nics=nics, threaded_rx=True)
    try:
        pg, bpg, stop = start(lab, sender, floor, n, nics, adv)
        time.sleep(4 * adv + 2 + n / 250)
        t0, a0 = tx_packets(pg, nics)
        c0, b0, s0 = cpu_ns(pg), cpu_ns(bpg), time.monotonic()
        time.sleep(window)
        c1, b1, s1 = cpu_ns(pg), cpu_ns(bpg), time.monotonic()
        t1, a1 = tx_packets(pg, nics)
        backup_held = held_any(lab["lb02"])
        ok = stop()
        rate = (a1 - a0) / (t1 - t0)  # each over its own window: the reads may wait
        return {"adverts": a1 - a0, "seconds": s1 - s0, "rate": rate, "expected_rate": n / adv,
                "us_per_advert": (c1 - c0) / 1000 / (s1 - s0) / rate,
                "backup_us_per_advert": (b1 - b0) / 1000 / (s1 - s0) / rate,
                "backup_held": backup_held, "clean": ok}
    finally:
        lab.close()


def floor_section(results, quick):
    window = 10 if quick else 30
    print(f"\n# CPU per advert, us (user + system over the adverts sent; {window} s steady "
          "state, a backup on lb02), against the floor (bench/floor.c: prebuilt adverts, one "
          "sendmmsg per link per tick)")
    print(f"{'case':28} {'adverts/s':>9} | {'floor':>7} | {'vipd':>7} {'x floor':>7} | "
          f"{'keepalived':>10} {'x floor':>7} | {'backup us/advert: vipd / ka':>28}")
    tmp = tempfile.mkdtemp(prefix="vipd-floor-")
    results["floor"] = []
    try:
        floor = build_floor(tmp)
        for name, n, nics, adv in CASES:
            row = {"case": name, "instances": n, "links": nics, "advert_int": adv,
                   "window_s": window}
            for s in SENDERS:
                try:
                    row[s] = run_cpu(s, floor, n, nics, adv, window)
                except Exception as e:  # one sender's failure is a figure, not the end
                    row[s] = {"error": f"{type(e).__name__}: {e}"[:200]}
            results["floor"].append(row)
            print_row(row)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("(! : lb02 took a VIP, or the sender failed a send: the figures do not count)")


def print_row(row):
    f, v, k = row["floor"], row["vipd"], row["keepalived"]
    bad = lambda r: "" if r["clean"] and not r["backup_held"] else " !"

    def us(r):
        return f"{r['us_per_advert']:5.2f}{bad(r):2}" if "error" not in r else "  fail "

    def ratio(r):
        ok = "error" not in r and "error" not in f
        return f"{r['us_per_advert'] / f['us_per_advert']:7.2f}" if ok else "      -"

    def backup(r):
        return f"{r['backup_us_per_advert']:.2f}" if "error" not in r else "fail"
    rate = v.get("rate", f.get("rate", 0))
    print(f"{row['case']:28} {rate:9.0f} | {us(f)} | {us(v)} {ratio(v)} | "
          f"{us(k):>10} {ratio(k)} | {backup(v):>12} / {backup(k):>6}", flush=True)
    for name, r in (("floor", f), ("vipd", v), ("keepalived", k)):
        if "error" in r:
            print(f"  {name}: {r['error']}")
