"""The reference deployment's service tracking (docs/deployment.md, scenarios 6 and 7): real
nginx on two load balancers in front of two web servers, a client
requesting the VIP throughout. The tutorial's own check_web.sh and
check_vip.sh and its configs are used; they differ from the tutorial only
where it calls systemctl (the test hosts have no systemd). Each lb host has
its own PID namespace, so `ps -C nginx` sees that host's nginx only."""
import os
import time

import pytest

from lab import Lab, wait_until
from web import (LB_PROCESS, Client, capture, deployment, first_advert_after,
                 kill_nginx_for_good, report, served_by, tutorial_pair)

VIP = "10.0.0.3"
HOSTS = ("lb01", "lb02", "web01", "web02", "client")

@pytest.fixture
def web_lab():
    lb = Lab(HOSTS, pidns=("lb01", "lb02"))
    try:
        yield lb, deployment(lb)
    finally:
        reports = lb.sanitizer_reports()
        print(lb.logs())
        lb.close()
    assert not reports, f"sanitizer reports in {reports}"


def watch(lab):
    """The wire captured and the client requesting the VIP, both running."""
    pcap = os.path.join(lab.dir, "wire.pcap")
    cap = capture(lab["client"], pcap)
    client = Client(lab["client"], VIP)
    wait_until(lambda: client.out.tell() > 0, 5, what="client running")
    time.sleep(1)
    return pcap, cap, client


def test_scenario6_check_web_script(web_lab):
    """check_web.sh, interval 5, weight 50: nginx on the master dies and
    cannot restart; the script stops the daemon, lb02 takes the VIP and the
    client is served again."""
    lab, nginx = web_lab
    lb01, lb02 = tutorial_pair(lab, nginx)
    assert lb01.instance()["priority"] == 200 and lb02.instance()["priority"] == 200
    pcap, cap, client = watch(lab)
    t0 = kill_nginx_for_good(lab["lb01"], nginx["lb01"])
    wait_until(lambda: not lb01.running(), 10, what="check_web.sh stopped vipd on lb01")
    lb02.wait_state("MASTER", timeout=3)
    wait_until(lambda: lab.holders(VIP) == ["lb02"], 3)
    time.sleep(1.5)
    rows = client.stop()
    cap.terminate()
    cap.wait(5)
    t_adv = first_advert_after(pcap, lab["lb02"].v4, t0)
    assert t_adv is not None, "no advert from lb02 after nginx died"
    fails = report("check_web.sh (interval 5)", t0, t_adv, rows)
    assert fails > 0  # the VIP sat on a dead nginx until the script ran
    assert rows[-1][1] == "200" and served_by(rows, t_adv + 1) <= {"web01", "web02"}
    assert served_by(rows, t_adv + 1), "the client was not served after the takeover"
    assert "stopped (priority 0)" in lb02.instance()["last_transition"]["reason"]


def test_scenario6_track_process(web_lab):
    """The same failure with track_process on nginx: the master hears of the
    death through a pidfd and gives the VIP up at once."""
    lab, nginx = web_lab
    lb01 = lab["lb01"].vipd(LB_PROCESS.format(name="lb01", state="MASTER", prio=150))
    lb01.wait_state("MASTER", timeout=6)
    lb02 = lab["lb02"].vipd(LB_PROCESS.format(name="lb02", state="BACKUP", prio=100))
    lb02.wait_state("BACKUP", timeout=6)
    pcap, cap, client = watch(lab)
    t0 = kill_nginx_for_good(lab["lb01"], nginx["lb01"])
    lb01.wait_state("FAULT", timeout=2)
    lb02.wait_state("MASTER", timeout=3)
    time.sleep(1.5)
    rows = client.stop()
    cap.terminate()
    cap.wait(5)
    t_adv = first_advert_after(pcap, lab["lb02"].v4, t0)
    assert t_adv is not None
    report("track_process", t0, t_adv, rows)
    # Skew_Time at priority 100 is 0.61 s: the takeover is bounded by it,
    # not by a polling interval
    assert t_adv - t0 < 2.0
    assert lab.holders(VIP) == ["lb02"]
    assert served_by(rows, t_adv + 1), "the client was not served after the takeover"
    assert "nginx" in lb01.instance()["last_transition"]["reason"]


def test_scenario7_check_vip_split_brain(web_lab):
    """A firewall on lb02 drops VRRP: lb02 hears no master and takes the VIP;
    the tutorial's check_vip.sh on lb02 sees lb01's web answer while lb02
    holds the VIP, and stops nginx and the daemon there; lb01 keeps the VIP.
    (With the tutorial's weights both hosts run at 200, so lb01, which still
    hears lb02, yields to lb02's higher address instead of staying master.)"""
    lab, nginx = web_lab
    lb01, lb02 = tutorial_pair(lab, nginx)
    lab["lb02"].exec("nft", "add table inet vrrpcut")
    lab["lb02"].exec("nft", "add chain inet vrrpcut in { type filter hook input priority 0; }")
    lab["lb02"].exec("nft", "add rule inet vrrpcut in ip protocol vrrp drop")
    lb02.wait_state("MASTER", timeout=6)
    assert lab["lb02"].holds(VIP)
    # check_vip.sh runs every 5 s: it stops nginx and vipd on lb02
    wait_until(lambda: not lb02.running(), 8, what="check_vip.sh stopped vipd on lb02")
    wait_until(lambda: lab.holders(VIP) == ["lb01"], 3, what="only lb01 holds the VIP")
    assert lab["lb02"].exec("ps", "-C", "nginx", "--no-header", check=False).stdout == ""
    assert lb01.instance()["state"] == "MASTER"
