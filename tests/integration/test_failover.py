"""docs/deployment.md, scenarios 1, 2, 3 and 5, on network-namespace hosts: two load balancers
and a client pinging the VIP throughout. VRRPv2 with PASS, v3 over IPv4 and
v3 over IPv6."""
import math
import os
import signal
import subprocess
import time

import pytest

from lab import tutorial_conf, wait_until

VIP4, VIP6 = "10.0.0.3", "fd00:50::3"

# (id, instance settings, VIP); v3 runs faster to keep the suite short
FLAVOURS = [
    ("v2-pass", {"auth_pass": "1111", "advert_int": 1}, VIP4),
    ("v3-ipv4", {"version": 3, "advert_int": 0.5}, VIP4),
    ("v3-ipv6", {"version": 3, "advert_int": 0.5, "vip": VIP6 + "/64"}, VIP6),
]


def pair(lab, settings, vip, prio=(150, 100)):
    """The tutorial's pair: lb01 MASTER 150, lb02 BACKUP 100."""
    confs = {}
    for host, state, p in (("lb01", "MASTER", prio[0]), ("lb02", "BACKUP", prio[1])):
        inst = dict(settings, state=state, priority=p)
        confs[host] = tutorial_conf(host, [inst])
    lb01 = lab["lb01"].vipd(confs["lb01"])
    lb02 = lab["lb02"].vipd(confs["lb02"])
    lb01.wait_state("MASTER", timeout=10)
    lb02.wait_state("BACKUP", timeout=5)
    wait_until(lambda: lab.holders(vip) == ["lb01"], 5, what="lb01 alone holds the VIP")
    return lb01, lb02


def down_bound(advert_int, prio):
    """Master_Down_Interval (RFC 9568 6.1) in seconds."""
    return 3 * advert_int + (256 - prio) * advert_int / 256


@pytest.mark.parametrize("flavour", FLAVOURS, ids=[f[0] for f in FLAVOURS])
def test_start_master_holds_vip(lab, flavour):
    """Scenario 1: the MASTER holds the VIP, the BACKUP does not."""
    _, settings, vip = flavour
    lb01, lb02 = pair(lab, settings, vip)
    st1, st2 = lb01.instance(), lb02.instance()
    assert st1["master"] == lab["lb01"].v4 or st1["master"].startswith("fe80:")
    assert st2["master"] == st1["master"]
    assert st1["counters"]["adverts_sent"] >= 1
    assert wait_until(lambda: lb02.instance()["counters"]["adverts_received"] >= 2, 5)
    assert lab.holders(vip) == ["lb01"]
    assert lab["client"].exec("ping", "-c", "1", "-W", "2", vip, check=False).returncode == 0


@pytest.mark.parametrize("flavour", FLAVOURS, ids=[f[0] for f in FLAVOURS])
def test_crash_failover_and_failback(lab, flavour):
    """Scenarios 2 and 3: kill -9 the master; the backup takes the VIP within
    Master_Down_Interval; the master comes back and preempts."""
    from lab import Pinger
    _, settings, vip = flavour
    adv = settings["advert_int"]
    lb01, lb02 = pair(lab, settings, vip)
    ping = Pinger(lab["client"], vip, interval=0.1, count=400)
    wait_until(lambda: lab["client"].exec("ping", "-c", "1", "-W", "1", vip,
                                          check=False).returncode == 0, 5)
    # the master host dies: its daemon is killed and its link goes dark
    lb01.kill9()
    lab["lb01"].ip("link", "set", "eth0", "down")
    lb02.wait_state("MASTER", timeout=down_bound(adv, 100) + 3)
    st = lb02.instance()
    assert st["last_transition"]["reason"].startswith("no advert from ")
    wait_until(lambda: lab["client"].exec("ping", "-c", "1", "-W", "1", vip,
                                          check=False).returncode == 0, 5, what="VIP reachable")
    # fail-back: lb01 returns, removes the VIP its crashed run left, preempts
    lab["lb01"].ip("link", "set", "eth0", "up")
    lb01 = lab["lb01"].vipd(open(lb01.conf).read())
    lb01.wait_state("MASTER", timeout=down_bound(adv, 150) + 3)
    lb02.wait_state("BACKUP", timeout=3)
    wait_until(lambda: lab.holders(vip) == ["lb01"], 5, what="lb01 alone holds the VIP again")
    sent, lost = ping.stop()
    # the gap allowed by the protocol, plus ARP/ND settling, at 10 pings/s
    bound = math.ceil((down_bound(adv, 100) + 1.0) / 0.1)
    print(f"{flavour[0]}: {lost} of {sent} pings lost (bound {bound})")
    # the pinger ran through the whole takeover window at least
    assert sent > down_bound(adv, 100) / 0.1 and 0 < lost <= bound, \
        f"{lost} of {sent} pings lost, bound {bound}"


def test_graceful_stop_hands_over_fast(lab):
    """SIGTERM: priority 0 advert, VIP removed at once; the backup takes over
    after Skew_Time instead of Master_Down_Interval."""
    from lab import Pinger
    lb01, lb02 = pair(lab, {"version": 3, "advert_int": 1}, VIP4)
    ping = Pinger(lab["client"], VIP4, interval=0.05, count=400)
    wait_until(lambda: lab["client"].exec("ping", "-c", "1", "-W", "1", VIP4,
                                          check=False).returncode == 0, 5)
    assert lb01.stop(signal.SIGTERM) == 0
    assert not lab["lb01"].holds(VIP4)
    lb02.wait_state("MASTER", timeout=2)
    assert "priority 0" in lb02.instance()["last_transition"]["reason"]
    wait_until(lambda: lab["client"].exec("ping", "-c", "1", "-W", "1", VIP4,
                                          check=False).returncode == 0, 5)
    sent, lost = ping.stop()
    # Skew_Time at priority 100 is 0.609 s: about 13 pings at 20/s
    assert lost <= 25, f"{lost} of {sent} pings lost"


def test_dual_master(lab):
    """Scenario 5: VI_1 mastered by lb01, VI_2 by lb02, each backs up the other."""
    def conf(host, p1, p2):
        return tutorial_conf(host, [
            {"name": "VI_1", "vrid": 50, "priority": p1, "auth_pass": "1111", "vip": "10.0.0.3"},
            {"name": "VI_2", "vrid": 51, "priority": p2, "auth_pass": "2222", "vip": "10.0.0.4"},
        ])
    lb01 = lab["lb01"].vipd(conf("lb01", 150, 100))
    lb02 = lab["lb02"].vipd(conf("lb02", 100, 150))
    lb01.wait_state("MASTER", "VI_1")
    lb02.wait_state("MASTER", "VI_2")
    lb01.wait_state("BACKUP", "VI_2")
    lb02.wait_state("BACKUP", "VI_1")
    wait_until(lambda: lab.holders("10.0.0.3") == ["lb01"] and lab.holders("10.0.0.4") == ["lb02"],
               5, what="each host holds its own VIP")
    lb02.kill9()
    lb01.wait_state("MASTER", "VI_2", timeout=6)
    assert lab["lb01"].holds("10.0.0.3") and lab["lb01"].holds("10.0.0.4")


def test_interface_down_and_up(lab):
    """The master's link goes down: Fault, the backup takes over; link up: back."""
    lb01, lb02 = pair(lab, {"version": 3, "advert_int": 0.5}, VIP4)
    lab["lb01"].ip("link", "set", "eth0", "down")
    lb01.wait_state("FAULT", timeout=3)
    assert "eth0 is down" in lb01.instance()["last_transition"]["reason"]
    lb02.wait_state("MASTER", timeout=4)
    lab["lb01"].ip("link", "set", "eth0", "up")
    lb01.wait_state("MASTER", timeout=6)
    lb02.wait_state("BACKUP", timeout=3)
    wait_until(lambda: lab.holders(VIP4) == ["lb01"], 5)


def test_wrong_password_and_vrid_are_ignored_and_counted(lab):
    """A third router with the wrong password, then one with another VRID, at
    a higher priority: lb01 stays master and counts the drops."""
    lab3 = lab
    lb01 = lab3["lb01"].vipd(tutorial_conf("lb01", [{"priority": 150, "auth_pass": "1111"}]))
    lb01.wait_state("MASTER")
    intruder = lab3["lb02"].vipd(tutorial_conf("lb02", [{"priority": 200, "auth_pass": "9999"}]))
    intruder.wait_state("MASTER", timeout=6)  # it cannot hear lb01 either
    wait_until(lambda: lb01.instance()["counters"]["drops"]["auth_pass"] >= 2, 5)
    assert lb01.instance()["state"] == "MASTER"
    intruder.stop()
    other = lab3["lb02"].vipd(tutorial_conf("lb02", [{"priority": 200, "vrid": 77,
                                                        "auth_pass": "1111"}]))
    other.wait_state("MASTER", timeout=6)
    wait_until(lambda: sum(s["drops"]["vrid"] for s in lb01.status()["sockets"]) >= 2, 5)
    assert lb01.instance()["state"] == "MASTER"


def test_state_master_waits_master_down_interval_as_keepalived(lab):
    """`state MASTER` below priority 255 is a hint, as in keepalived 2.2.7:
    the router starts as Backup and takes over after Master_Down_Interval
    (3 x 1 s + Skew_Time = 3.414 s at priority 150). vipd_fast_master_start
    (a vipd extension) shortens the first wait to one interval plus the
    smallest skew (1.008 s)."""
    inst = {"priority": 150, "version": 3, "state": "MASTER"}
    lb01 = lab["lb01"].vipd(tutorial_conf("lb01", [inst]))
    lb02 = lab["lb02"].vipd(tutorial_conf("lb02", [dict(inst, vrid=51, vip="10.0.0.4")],
                                          "    vipd_fast_master_start\n"))
    for d in (lb01, lb02):
        d.wait_state("MASTER", timeout=6)
    waits = {}
    for d in (lb01, lb02):
        line = next(x for x in d.log_text().splitlines() if "BACKUP -> MASTER" in x)
        waits[d.host.name] = float(line.split("no advert heard for ")[1].split()[0])
    assert 3.41 <= waits["lb01"] < 3.6, waits
    assert 1.0 <= waits["lb02"] < 1.2, waits


@pytest.mark.parametrize("forwarding", [0, 1])
def test_unsolicited_na_router_flag_follows_forwarding(lab, forwarding):
    """The Neighbour Advertisements for an IPv6 VIP after a takeover carry
    Override, and Router when the interface forwards IPv6 (RFC 4861 4.4; FRR
    and keepalived do the same), so hosts that route through the VIP keep
    it as their router."""
    lab["lb01"].exec("sysctl", "-qw", f"net.ipv6.conf.eth0.forwarding={forwarding}")
    pcap = os.path.join(lab.dir, "na.pcap")
    cap = lab["client"].popen("tcpdump", "-U", "-Z", "root", "-n", "-i", "eth0", "-w", pcap,
                              "icmp6 and ip6[40] == 136", stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    time.sleep(0.5)
    lb01 = lab["lb01"].vipd(tutorial_conf("lb01", [{"priority": 150, "version": 3,
                                                     "advert_int": 0.5, "vip": VIP6 + "/64"}]))
    lb01.wait_state("MASTER", timeout=5)
    wait_until(lambda: lab["lb01"].holds(VIP6), 3)
    time.sleep(1)
    cap.terminate()
    cap.wait(5)
    out = subprocess.run(["tcpdump", "-r", pcap, "-n", "-v"], capture_output=True, text=True,
                         timeout=30).stdout
    nas = [line for line in out.splitlines() if f"tgt is {VIP6}" in line]
    assert nas, out
    for line in nas:
        flags = line.split("Flags [")[1].split("]")[0]
        assert "override" in flags, line
        assert ("router" in flags) == bool(forwarding), line
