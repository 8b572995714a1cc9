"""False takeovers under CPU starvation, for bench.py (--only starve).

255 instances at advert_int 0.1 s (VRRPv3) on one link, lb01 master at 150
for all of them, lb02 backup at 100; both alive the whole time. Then 60 s
(--quick: 20 s) of CPU load on the machine both hosts share:
  stress-ng --cpu 2 at nice 0 (as much work as there are cores), and
  nice -n -10 stress-ng --cpu 8 (four times that, at a higher priority than
  the daemons' default).
A false takeover is an instance of lb02 becoming master while lb01 lives
(counted from lb02's log: vipd's "BACKUP -> MASTER", keepalived's
"Entering MASTER STATE"). Daemons, in the same run: keepalived (nice 0);
vipd as shipped (nice -5); vipd with vrrp_rt_priority 50 (SCHED_RR,
keepalived's keyword).
"""
import os
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests",
                                "integration"))
from lab import Daemon, Lab, wait_until  # noqa: E402
from measure import master_lines  # noqa: E402

N = 255
LOADS = (("stress-ng --cpu 2, nice 0", [], 2),
         ("nice -n -10 stress-ng --cpu 8", ["nice", "-n", "-10"], 8))
SETUPS = (("keepalived", "keepalived", ""),
          ("vipd", "vipd", ""),
          ("vipd + vrrp_rt_priority 50", "vipd", "    vrrp_rt_priority 50\n"))


def conf(router_id, prio, extra_global):
    out = [f"global_defs {{\n    router_id {router_id}\n    vrrp_garp_master_repeat 1\n"
           f"    vrrp_garp_master_refresh 0\n{extra_global}}}\n"]
    for v in range(1, N + 1):
        out.append(f"vrrp_instance VI_{v} {{\n    state BACKUP\n    interface eth0\n"
                   f"    virtual_router_id {v}\n    priority {prio}\n    advert_int 0.1\n"
                   f"    version 3\n    virtual_ipaddress {{\n        10.64.{v // 250}.{v % 250 + 1}/32\n"
                   f"    }}\n}}\n")
    return "".join(out)


def held(host):
    out = host.ip("-4", "-o", "addr", "show", "dev", "eth0").stdout
    return sum(1 for line in out.splitlines() if " 10.64." in line) >= N


def takeovers(d):
    return len(master_lines(d))


def run_once(kind, extra_global, load, seconds):
    lab = Lab(("lb01", "lb02"), threaded_rx=True)
    try:
        a, b = lab["lb01"], lab["lb02"]
        Daemon(a, kind, conf("lb01", 150, extra_global))
        wait_until(lambda: held(a), 30, interval=0.2, what="lb01 holds every VIP")
        bd = Daemon(b, kind, conf("lb02", 100, extra_global))
        time.sleep(5)
        before = takeovers(bd)
        _, prefix, workers = load
        stress = subprocess.Popen([*prefix, "stress-ng", "--cpu", str(workers), "--timeout",
                                   f"{seconds}s", "--quiet"], start_new_session=True)
        try:
            stress.wait(seconds + 30)
        finally:
            if stress.poll() is None:
                os.killpg(stress.pid, signal.SIGKILL)
                stress.wait(5)
        time.sleep(1)
        return takeovers(bd) - before
    finally:
        lab.close()


def run(quick):
    seconds = 20 if quick else 60
    res = {}
    for load in LOADS:
        for name, kind, extra in SETUPS:
            res.setdefault(load[0], {})[name] = run_once(kind, extra, load, seconds)
    return {"seconds": seconds, "takeovers": res}


def table(res):
    names = [s[0] for s in SETUPS]
    lines = [f"| false takeovers in {res['seconds']} s, {N} instances at 100 ms | "
             + " | ".join(names) + " |", "|" + " --- |" * (len(names) + 1)]
    for load, row in res["takeovers"].items():
        lines.append(f"| {load} | " + " | ".join(str(row.get(n, "")) for n in names) + " |")
    return "\n".join(lines)


if __name__ == "__main__":
    import json
    out = run("--quick" in sys.argv)
    print(table(out))
    print(json.dumps(out))
