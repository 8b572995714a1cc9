"""What vipd does to the host: virtual routes and rules with the VIPs,
paced announcements, an interface that appears after start, a second
daemon on the same pid file."""
import os
import signal
import subprocess
import time

from lab import script, sh, tutorial_conf, wait_until

VIP = "10.0.0.3"


def test_routes_and_rules_follow_mastership(lab):
    extra = ["    virtual_routes {", "        192.168.109.0/24 via 10.0.0.254 dev eth0",
             "        blackhole 192.168.114.0/24", "    }",
             "    virtual_rules {", "        from 192.168.2.0/24 table 100 priority 1000", "    }"]
    lb01 = lab["lb01"].vipd(tutorial_conf("lb01", [{"priority": 150, "version": 3,
                                                     "advert_int": 0.5, "extra": extra}]))
    lb01.wait_state("MASTER")
    routes = lab["lb01"].ip("route", "show").stdout
    assert "192.168.109.0/24 via 10.0.0.254 dev eth0" in routes
    assert "blackhole 192.168.114.0/24" in routes
    assert "from 192.168.2.0/24 lookup 100" in lab["lb01"].ip("rule", "show").stdout
    lb02 = lab["lb02"].vipd(tutorial_conf("lb02", [{"priority": 200, "version": 3,
                                                     "advert_int": 0.5}]))
    lb02.wait_state("MASTER", timeout=5)
    lb01.wait_state("BACKUP", timeout=3)
    wait_until(lambda: "192.168.109.0" not in lab["lb01"].ip("route", "show").stdout, 3)
    assert "blackhole" not in lab["lb01"].ip("route", "show").stdout
    assert "192.168.2.0/24" not in lab["lb01"].ip("rule", "show").stdout
    assert not lab["lb01"].holds(VIP)


def test_paced_announcements(lab):
    """vrrp_garp_interval spaces the gratuitous ARPs of a takeover."""
    pcap = os.path.join(lab.dir, "arp.pcap")
    cap = lab["client"].popen("tcpdump", "-U", "-Z", "root", "-n", "-i", "eth0", "-w", pcap,
                              "arp", stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(0.5)
    lb01 = lab["lb01"].vipd(tutorial_conf(
        "lb01", [{"priority": 150, "version": 3, "advert_int": 0.5}],
        global_extra="    vrrp_garp_master_repeat 3\n    vrrp_garp_interval 0.2\n"
                     "    vrrp_garp_master_delay 0\n"))
    lb01.wait_state("MASTER")
    time.sleep(1.0)
    cap.terminate()
    cap.wait(5)
    out = subprocess.run(["tcpdump", "-r", pcap, "-tt", "-n"], capture_output=True,
                         text=True).stdout
    times = [float(line.split()[0]) for line in out.splitlines() if "10.0.0.3" in line]
    assert len(times) == 3, out
    gaps = [b - a for a, b in zip(times, times[1:])]
    assert all(g >= 0.19 for g in gaps), gaps


GARP_GROUP = """
garp_group {
    garp_interval 0.2
    interfaces {
        eth0
        eth1
    }
}
"""


def garp_times(lab, host, pcaps):
    """Times of the gratuitous ARPs host sent, from the client's captures."""
    times = []
    for pcap in pcaps:
        out = subprocess.run(["tcpdump", "-r", pcap, "-tt", "-n", "-e"], capture_output=True,
                             text=True).stdout
        ips = {f"tell {a}" for a in ("10.0.0.3", "10.1.0.3", "10.0.0.4", "10.1.0.4")}
        times += [float(x.split()[0]) for x in out.splitlines()
                  if any(i in x for i in ips) and x.split()[1] in host]
    return sorted(times)


def test_garp_group_spaces_announcements_across_links(lab2):
    """garp_group { garp_interval 0.2 interfaces { eth0 eth1 } }: the
    gratuitous ARPs of two instances, one on each link, 3 each, are spaced
    0.2 s apart all together (one switch behind both links), by vipd on
    lb01 as by keepalived 2.2.7 on lb02 in the same run."""
    lab = lab2
    pcaps = [os.path.join(lab.dir, f"arp{k}.pcap") for k in (0, 1)]
    caps = [lab["client"].popen("tcpdump", "-U", "-Z", "root", "-n", "-i", f"eth{k}", "-w",
                                pcaps[k], "arp", stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL) for k in (0, 1)]
    time.sleep(0.5)
    macs = {}
    for host, last in (("lb01", 3), ("lb02", 4)):
        conf = tutorial_conf(host, [
            {"name": "VI_1", "priority": 150, "vrid": 50 + last, "vip": f"10.0.0.{last}"},
            {"name": "VI_2", "priority": 150, "vrid": 60 + last, "vip": f"10.1.0.{last}",
             "interface": "eth1"}],
            global_extra="    vrrp_garp_master_repeat 3\n    vrrp_garp_master_delay 0\n")
        conf += GARP_GROUP
        if host == "lb01":
            lab[host].vipd(conf)
        else:
            lab[host].keepalived(conf)
        macs[host] = [lab[host].exec("cat", f"/sys/class/net/eth{k}/address").stdout.strip()
                      for k in (0, 1)]
    wait_until(lambda: lab.holders("10.1.0.3") == ["lb01"] and lab.holders("10.1.0.4") ==
               ["lb02"], 8, what="both masters of both instances")
    time.sleep(2.0)
    for c in caps:
        c.terminate()
        c.wait(5)
    for host in ("lb01", "lb02"):
        times = garp_times(lab, macs[host], pcaps)
        gaps = [round(b - a, 3) for a, b in zip(times, times[1:])]
        # keepalived 2.2.7 drops the repeats of an address while one of its
        # announcements waits (3 of the 6 went out); vipd sends every one
        assert len(times) == (6 if host == "lb01" else 3), (host, times)
        assert all(g >= 0.18 for g in gaps), (host, times, gaps)


def test_interface_appearing_later(lab):
    """An instance on an interface that does not exist yet waits in Fault and
    starts when the interface appears."""
    conf = tutorial_conf("lb01", [{"priority": 150, "version": 3, "advert_int": 0.5,
                                   "interface": "vrrp0", "vip": "10.9.0.3"}])
    lb01 = lab["lb01"].vipd(conf)
    lb01.wait_state("FAULT")
    assert "vrrp0 is missing" in lb01.instance()["last_transition"]["reason"]
    lab["lb01"].ip("link", "add", "vrrp0", "type", "veth", "peer", "name", "vrrp0p")
    lab["lb01"].ip("addr", "add", "10.9.0.5/24", "dev", "vrrp0")
    lab["lb01"].ip("link", "set", "vrrp0p", "up")
    lab["lb01"].ip("link", "set", "vrrp0", "up")
    lb01.wait_state("MASTER", timeout=5)
    assert "10.9.0.3" in lab["lb01"].ip("-br", "addr", "show", "dev", "vrrp0").stdout


def test_second_daemon_on_same_pidfile_refused(lab):
    lb01 = lab["lb01"].vipd(tutorial_conf("lb01", [{"priority": 150}]))
    lb01.wait_state("BACKUP", timeout=3)
    from lab import BUILD
    r = lab["lb01"].exec(os.path.join(BUILD, "vipd"), "-n", "-l", "-f", lb01.conf, "-p",
                         lb01.pidfile, "--socket", lb01.sock + "2", check=False, timeout=10)
    assert r.returncode == 1
    assert "already running" in r.stdout + r.stderr
    assert lb01.running()


def test_netlink_churn_keeps_the_view_right(lab):
    """Thousands of address changes in bursts (which can overflow vipd's
    event socket and interrupt its dumps) while the instance's interface
    flaps: afterwards vipd's view is the kernel's: the interface down means
    Fault, up again means Master, and the host's address is still known."""
    h = lab["lb01"]
    lb01 = h.vipd(tutorial_conf("lb01", [{"priority": 150, "version": 3, "advert_int": 0.3}]))
    lb01.wait_state("MASTER")
    batch = os.path.join(lab.dir, "churn.batch")
    with open(batch, "w") as f:
        for k in range(3):
            for i in range(1, 1001):
                f.write(f"addr add 10.{100 + k}.{i // 250}.{i % 250 + 1}/32 dev eth0\n")
            for i in range(1, 1001):
                f.write(f"addr del 10.{100 + k}.{i // 250}.{i % 250 + 1}/32 dev eth0\n")
    for _ in range(2):
        h.ip("-batch", batch)
        h.ip("link", "set", "eth0", "down")
        h.ip("link", "set", "eth0", "up")
    h.ip("link", "set", "eth0", "down")
    lb01.wait_state("FAULT", timeout=5)
    h.ip("link", "set", "eth0", "up")
    lb01.wait_state("MASTER", timeout=5)
    st = lb01.status()
    assert st["instances"][0]["state"] == "MASTER"
    assert h.holds(VIP)


def test_reload_with_a_changed_route_replaces_it(lab):
    """A reload that changes only a route's gateway makes another router of
    the instance (its whole fixed configuration is compared, not counts of
    routes): the old route goes, the new one comes, nothing is left behind.
    A reload that changes only live settings keeps the router and its VIP."""
    def conf(gw, prio=150):
        extra = ["    virtual_routes {", f"        192.168.109.0/24 via {gw} dev eth0", "    }"]
        return tutorial_conf("lb01", [{"priority": prio, "version": 3, "advert_int": 0.5,
                                       "extra": extra}])
    lb01 = lab["lb01"].vipd(conf("10.0.0.254"))
    lb01.wait_state("MASTER")
    assert "192.168.109.0/24 via 10.0.0.254" in lab["lb01"].ip("route", "show").stdout
    with open(lb01.conf, "w") as f:
        f.write(conf("10.0.0.253"))
    lb01.send(signal.SIGHUP)
    wait_until(lambda: lb01.status()["reloads"] == 1, 5, what="reload done")
    wait_until(lambda: "192.168.109.0/24 via 10.0.0.253" in lab["lb01"].ip("route", "show").stdout,
               5, what="the new route")
    routes = lab["lb01"].ip("route", "show").stdout
    assert "via 10.0.0.254" not in routes, routes
    assert "VI_1: changed (virtual_routes); restarting it" in lb01.log_text()
    transitions = lb01.instance()["counters"]["transitions"]
    with open(lb01.conf, "w") as f:  # a live setting only: the same router
        f.write(conf("10.0.0.253", prio=160))
    lb01.send(signal.SIGHUP)
    wait_until(lambda: lb01.status()["reloads"] == 2, 5, what="second reload done")
    wait_until(lambda: lb01.instance()["priority"] == 160, 3, what="the new priority")
    st = lb01.instance()
    assert st["state"] == "MASTER" and st["counters"]["transitions"] == transitions
    assert lb01.log_text().count("); restarting it") == 1
    assert lab["lb01"].holds(VIP)
    lb01.stop()
    assert "192.168.109.0" not in lab["lb01"].ip("route", "show").stdout


def test_vrrp_rt_priority_runs_the_loop_realtime_and_scripts_not(lab):
    """keepalived's vrrp_rt_priority: the daemon SCHED_RR at that priority;
    the scripts it starts are ordinary processes again (reset on fork)."""
    out = os.path.join(lab.dir, "sched")
    chk = script(lab, "sched.sh", f"chrt -p $$ > {out}.tmp; mv {out}.tmp {out}")
    c = (f'vrrp_script chk {{\n    script "{chk}"\n    interval 1\n}}\n' +
         tutorial_conf("lb01", [{"priority": 150, "version": 3, "advert_int": 0.5,
                                 "extra": ["    track_script {", "        chk", "    }"]}],
                       "    vrrp_rt_priority 10\n"))
    lb01 = lab["lb01"].vipd(c)
    lb01.wait_state("MASTER")
    r = sh("chrt", "-p", str(lb01.pid))
    assert "SCHED_RR" in r.stdout and "priority: 10" in r.stdout, r.stdout
    wait_until(lambda: os.path.exists(out), 5, what="the script's report")
    assert "SCHED_OTHER" in open(out).read(), open(out).read()
    assert "running SCHED_RR at priority 10 (vrrp_rt_priority)" in lb01.log_text()


def test_vrrp_startup_delay_holds_the_instances_back(lab):
    """keepalived's vrrp_startup_delay: no instance runs (no advert, no
    VIP) until the delay is over; a reload meanwhile only swaps the config."""
    c = tutorial_conf("lb01", [{"priority": 150, "version": 3, "advert_int": 0.5}],
                      "    vrrp_startup_delay 3\n")
    lb01 = lab["lb01"].vipd(c)
    wait_until(lambda: "vrrp_startup_delay: the instances start in 3.000 s" in lb01.log_text(), 5)
    assert lb01.status()["instances"] == []
    with open(lb01.conf, "w") as f:
        f.write(c.replace("priority 150", "priority 160"))
    lb01.send(signal.SIGHUP)
    wait_until(lambda: lb01.status()["reloads"] == 1, 3, what="the reload")
    assert lb01.status()["instances"] == [] and not lab["lb01"].holds("10.0.0.3")
    lb01.wait_state("MASTER", timeout=8)
    assert lb01.instance()["priority"] == 160
    assert "vrrp_startup_delay over: starting 1 instance(s)" in lb01.log_text()


def test_interface_up_down_delays(lab):
    """interface_up_down_delays { eth0 1.5 0.5 }: a link down for 0.4 s is
    not counted (the master stays Master, no transition); down for longer,
    the instance goes to Fault 1.5 s after the link went down, and back 0.5 s
    after it came up. keepalived 2.2.7 on lb02 with the same block rides out
    the same short flap."""
    delays = "interface_up_down_delays {\n    eth0 1.5 0.5\n}\n"
    lb01 = lab["lb01"].vipd(tutorial_conf("lb01", [{"priority": 150}]) + delays)
    ka = lab["lb02"].keepalived(tutorial_conf("lb02", [{"priority": 150, "vrid": 51,
                                                        "vip": "10.0.0.4"}]) + delays)
    lb01.wait_state("MASTER", timeout=6)
    wait_until(lambda: lab["lb02"].holds("10.0.0.4"), 6, what="keepalived master")
    n0 = lb01.instance()["counters"]["transitions"]
    for h in ("lb01", "lb02"):
        lab[h].ip("link", "set", "eth0", "down")
    time.sleep(0.4)
    for h in ("lb01", "lb02"):
        lab[h].ip("link", "set", "eth0", "up")
    time.sleep(1.5)
    st = lb01.instance()
    assert st["state"] == "MASTER" and st["counters"]["transitions"] == n0, st
    assert "Entering FAULT STATE" not in ka.log_text()
    assert "not counted" in lb01.log_text()
    lab["lb01"].ip("link", "set", "eth0", "down")
    t0 = time.monotonic()
    lb01.wait_state("FAULT", timeout=4)
    assert 1.3 < time.monotonic() - t0 < 3, time.monotonic() - t0
    lab["lb01"].ip("link", "set", "eth0", "up")
    t0 = time.monotonic()
    lb01.wait_state("MASTER", timeout=8)
    assert time.monotonic() - t0 > 0.4
