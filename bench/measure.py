"""What the benchmarks share: the generated configs (the same for vipd and
keepalived), the processes' CPU time and memory, the wire's adverts from a
capture and the takeover gaps read from them."""
import json
import os
import re
import statistics
import subprocess
import time

CLK = os.sysconf("SC_CLK_TCK")
ADVERT = re.compile(r"^(\d+\.\d+) .*?IP (\d+\.\d+\.\d+\.\d+) > [^:]+: VRRPv\d, Advertisement, "
                    r"vrid (\d+), prio (\d+)")


# ---- configs -----------------------------------------------------------

def vip(k, vrid):
    return f"10.{64 + k}.0.{vrid}"


def instances(n, nics):
    """(link, vrid) of n instances spread over nics links, 250 at most each."""
    per = -(-n // nics)
    return [(k, v) for k in range(nics) for v in range(1, per + 1)][:n]


def conf(router_id, prio, n, nics, version, adv, extra_global="", extra_inst=""):
    out = [f"global_defs {{\n    router_id {router_id}\n    vrrp_garp_master_repeat 1\n"
           f"    vrrp_garp_master_refresh 0\n{extra_global}}}\n"]
    for k, v in instances(n, nics):
        auth = "    authentication {\n        auth_type PASS\n        auth_pass 1111\n    }\n" \
            if version == 2 else ""
        state = "MASTER" if prio == 255 else "BACKUP"
        out.append(f"vrrp_instance VI_{k}_{v} {{\n    state {state}\n    interface eth{k}\n"
                   f"    virtual_router_id {v}\n    priority {prio}\n    advert_int {adv}\n"
                   f"    version {version}\n{auth}    virtual_ipaddress {{\n"
                   f"        {vip(k, v)}/32\n    }}\n{extra_inst}}}\n")
    return "".join(out)


def skew(prio, adv):
    return (256 - prio) * adv / 256


# ---- measuring -----------------------------------------------------------

def held(host, n):
    out = host.ip("-4", "-o", "addr", "show").stdout
    return sum(1 for line in out.splitlines() if " 10.6" in line or " 10.7" in line) >= n


def group_procs(pgid):
    pids = []
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open(f"/proc/{d}/stat") as f:
                    st = f.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(st[2]) == pgid:
                pids.append((int(d), int(st[11]) + int(st[12])))
    return pids


def cpu_ticks(daemon):
    return sum(t for _, t in group_procs(daemon.proc.pid))


def peak_rss_kb(daemon):
    total = 0
    for pid, _ in group_procs(daemon.proc.pid):
        try:
            with open(f"/proc/{pid}/status") as f:
                for line in f:
                    if line.startswith("VmHWM:"):
                        total += int(line.split()[1])
        except OSError:
            pass
    return total


def capture(host, path):
    p = host.popen("tcpdump", "-U", "-Z", "root", "-n", "-i", "any", "-B", "16384", "-w", path,
                   "ip proto 112", stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(1)
    return p


def capture_switch(lab, path):
    """The wire as the switch sees it: every port of the lab's bridges. A
    host's capture can miss adverts in a burst (veth's NAPI ring holds 256
    frames), which reads as a gap an advert interval too long."""
    p = subprocess.Popen(["ip", "netns", "exec", lab.br, "tcpdump", "-U", "-Z", "root", "-n",
                          "-i", "any", "-B", "65536", "-w", path, "ip proto 112"],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                         start_new_session=True)
    lab.procs.append(p)
    time.sleep(1)
    return p


def adverts(path):
    out = subprocess.run(["tcpdump", "-r", path, "-tt", "-n"], capture_output=True,
                         text=True).stdout
    for line in out.splitlines():
        m = ADVERT.match(line)
        if m:
            yield float(m[1]), m[2], int(m[3]), int(m[4])


def gaps(path, old, new):
    """old, new: {link: address}. Gap per (link, vrid)."""
    link_of = {a: k for k, a in old.items()} | {a: k for k, a in new.items()}
    last_old, first_new = {}, {}
    for ts, src, vrid, prio in adverts(path):
        if src not in link_of:
            continue
        key = (link_of[src], vrid)
        if key in first_new:
            continue
        if src == old[key[0]]:
            last_old[key] = ts
        elif prio > 0:
            first_new[key] = ts
    return [first_new[k] - last_old[k] for k in first_new if k in last_old]


def wire_drops(lab):
    """Frames the hosts' links dropped on their way to the switch: a veth
    whose receiver's ring (256 frames, threaded NAPI) is full drops what
    comes on, where a NIC's transmit queue would hold it. A new master's
    advert lost so shows as a gap one interval too long."""
    total = 0
    for h in lab.hosts.values():
        out = subprocess.run(["ip", "-n", h.ns, "-j", "-s", "link", "show"], capture_output=True,
                             text=True, timeout=30).stdout
        for link in json.loads(out or "[]"):
            if link.get("ifname", "").startswith("eth"):
                total += link.get("stats64", {}).get("tx", {}).get("dropped", 0)
    return total


def summary(values):
    v = sorted(values)
    if not v:
        return None
    p99 = v[min(len(v) - 1, int(round(0.99 * (len(v) - 1))))]
    return {"min": v[0], "median": statistics.median(v), "p99": p99, "max": v[-1], "n": len(v)}


def cpu_ns(pgid):
    """CPU time (user + system) of a process group's threads so far, ns: the
    scheduler's own sum (schedstat), which utime + stime are scaled to, at
    full resolution rather than in clock ticks."""
    total = 0
    for pid, _ in group_procs(pgid):
        try:
            tasks = os.listdir(f"/proc/{pid}/task")
        except OSError:
            continue
        for tid in tasks:
            try:
                with open(f"/proc/{pid}/task/{tid}/schedstat") as f:
                    total += int(f.read().split()[0])
            except (OSError, ValueError, IndexError):
                pass
    return total


def master_lines(d):
    """The log lines of daemon d's instances going to Master (vipd's say why;
    keepalived's do not)."""
    key = "Entering MASTER STATE" if d.kind == "keepalived" else "BACKUP -> MASTER"
    return [line.strip() for line in d.log_text().splitlines() if key in line]


def tx_packets(pid, nics):
    """Packets sent so far on eth0..ethN-1 of the namespace process pid is
    in (the kernel's counters, from /proc/PID/net/dev: no process to start
    and no lock to wait on, where a netlink dump or "ip netns exec" waits on
    rtnl behind a daemon's burst of address changes), and when they were
    read."""
    want = {f"eth{k}" for k in range(nics)}
    total = 0
    with open(f"/proc/{pid}/net/dev") as f:
        for line in f.readlines()[2:]:
            name, _, fields = line.partition(":")
            if name.strip() in want:
                total += int(fields.split()[9])  # transmit packets
    return time.monotonic(), total


def held_any(host):
    try:
        out = host.ip("-4", "-o", "addr", "show").stdout
    except subprocess.TimeoutExpired:  # the kernel busy with another daemon's 10,000 addresses
        return 0
    return sum(1 for line in out.splitlines() if " 10." in line and "/32" in line)
