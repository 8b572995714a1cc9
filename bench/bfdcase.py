"""The crash of a master, with and without BFD, for bench.py (--only bfd).

One instance, advert_int 1 (VRRPv2, as the reference tutorial), lb01
master at 150, lb02 backup at 100, the client pinging the VIP every 10 ms.
The master is killed (SIGKILL to its process group) and its link taken
down, as a dead host's. Four setups in the same run:
  vipd + BFD: a bfd_instance 50 ms x 3 each way, master_down_bfd on lb02;
  vipd: VRRP alone;
  keepalived + BFD: the same bfd_instance each way (keepalived's BFD
    process), track_bfd on lb02 (weight -10): all keepalived can do with BFD
    is move priorities, so the takeover waits for Master_Down_Interval;
  keepalived: VRRP alone.
Measured: crash to the VIP added on lb02 (the kernel's address event,
`ip -ts monitor address`, against the time of the kill), the gap on the
wire (the old master's last advert to the new master's first) and pings
lost.
"""
import datetime
import os
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests",
                                "integration"))
from lab import Lab, Pinger, tutorial_conf, wait_until  # noqa: E402

VIP = "10.0.0.3"
SETUPS = (("vipd", True), ("vipd", False), ("keepalived", True), ("keepalived", False))


def label(kind, bfd):
    if kind == "vipd":
        return "vipd + BFD 50 ms x 3 (master_down_bfd)" if bfd else "vipd"
    return "keepalived + BFD 50 ms x 3 (track_bfd)" if bfd else "keepalived"


def bfd_block(neighbor, source):
    return (f"bfd_instance peer {{\n    neighbor_ip {neighbor}\n    source_ip {source}\n"
            f"    min_rx 50\n    min_tx 50\n    multiplier 3\n}}\n")


def confs(lab, kind, bfd):
    a, b = lab["lb01"], lab["lb02"]
    inst = {"advert_int": 1, "auth_pass": "1111"}
    extra = []
    if bfd:
        extra = ["    master_down_bfd peer"] if kind == "vipd" else \
            ["    track_bfd {", "        peer weight -10", "    }"]
    m = tutorial_conf("lb01", [dict(inst, state="MASTER", priority=150)])
    s = tutorial_conf("lb02", [dict(inst, state="BACKUP", priority=100, extra=extra)])
    if bfd:  # keepalived finds a tracked bfd_instance only when it comes first
        at = m.index("vrrp_instance")
        m = m[:at] + bfd_block(b.v4, a.v4) + m[at:]
        at = s.index("vrrp_instance")
        s = s[:at] + bfd_block(a.v4, b.v4) + s[at:]
    return m, s


def start(host, kind, text, bfd):
    if kind == "vipd":
        return host.vipd(text)
    return host.keepalived(text, bfd=bfd)


def vip_added_at(path):
    """Wall-clock time of the first `ip -ts monitor address` line adding the VIP."""
    with open(path) as f:
        for line in f:
            if f" {VIP}/" in line and "Deleted" not in line and line.startswith("["):
                stamp = line[1:line.index("]")]
                return datetime.datetime.fromisoformat(stamp).timestamp()
    return None


def wire_gap(path, old, new):
    out = subprocess.run(["tcpdump", "-r", path, "-tt", "-n"], capture_output=True,
                         text=True).stdout
    last_old = first_new = None
    for line in out.splitlines():
        parts = line.split()
        if len(parts) < 4 or "VRRP" not in line:
            continue
        ts, src = float(parts[0]), parts[2]
        if src == old and first_new is None:
            last_old = ts
        elif src == new and "prio 0" not in line and first_new is None and last_old:
            first_new = ts
    return first_new - last_old if first_new and last_old else None


def run_once(kind, bfd):
    lab = Lab(("lb01", "lb02", "client"), threaded_rx=True)
    try:
        a, b, c = lab["lb01"], lab["lb02"], lab["client"]
        mconf, sconf = confs(lab, kind, bfd)
        m = start(a, kind, mconf, bfd)
        wait_until(lambda: a.holds(VIP), 10, what="lb01 holds the VIP")
        start(b, kind, sconf, bfd)
        time.sleep(5)  # the backup follows; BFD Up and at its fast timers
        mon_path = os.path.join(lab.dir, "monitor")
        mon_f = open(mon_path, "w")
        b.popen("ip", "-ts", "monitor", "address", stdout=mon_f, stderr=subprocess.DEVNULL)
        pcap = os.path.join(lab.dir, "wire.pcap")
        cap = c.popen("tcpdump", "-U", "-Z", "root", "-n", "-i", "eth0", "-w", pcap,
                      "ip proto 112", stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        pinger = Pinger(c, VIP, interval=0.01, count=1500)
        time.sleep(1.5 + (time.monotonic() % 1.0))  # the crash falls anywhere in an interval
        t_kill = time.time()
        m.kill9()
        a.ip("link", "set", "eth0", "down")
        wait_until(lambda: b.holds(VIP), 10, interval=0.02, what="lb02 holds the VIP")
        time.sleep(1.5)
        lost = pinger.stop()[1]
        cap.terminate()
        cap.wait(10)
        mon_f.close()
        added = vip_added_at(mon_path)
        return {"to_vip": added - t_kill if added else None,
                "gap": wire_gap(pcap, a.v4, b.v4), "pings_lost": lost}
    finally:
        lab.close()


def run(reps):
    """{label: {"to_vip": [...], "gap": [...], "pings_lost": [...]}}, setups interleaved."""
    res = {label(k, b): {"to_vip": [], "gap": [], "pings_lost": []} for k, b in SETUPS}
    for _ in range(reps):
        for kind, bfd in SETUPS:
            r = run_once(kind, bfd)
            for key, v in r.items():
                if v is not None:
                    res[label(kind, bfd)][key].append(v)
    return res


def table(res):
    lines = ["| crash of the master, advert_int 1 (bound 3.6094 s) | crash to VIP on the backup, "
             "median / max s | gap on the wire, median s | pings lost (every 10 ms), median |",
             "| --- | --- | --- | --- |"]
    for name, r in res.items():
        t, g, p = r["to_vip"], r["gap"], r["pings_lost"]
        if not t:
            lines.append(f"| {name} | failed | | |")
            continue
        lines.append(f"| {name} | {statistics.median(t):.3f} / {max(t):.3f} | "
                     f"{statistics.median(g):.3f} | {statistics.median(p):.0f} |"
                     if g and p else f"| {name} | {statistics.median(t):.3f} | | |")
    return "\n".join(lines)


if __name__ == "__main__":  # alone: two of each
    import json
    out = run(2)
    print(table(out))
    print(json.dumps(out))
