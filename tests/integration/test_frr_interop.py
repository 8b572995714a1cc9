"""Interop with FRR's vrrpd (Debian's frr, 8.4) as the other router: FRR
master and vipd backup, and the reverse; VRRPv3 over IPv4 and IPv6, and
VRRPv2; vipd with and without use_vmac. FRR runs zebra and vrrpd on its
own sockets in the lab's directory (frr.py), and its macvlans are made by
hand as FRR's documentation shows. Over IPv6 FRR's master sends Router
Advertisements from the virtual MAC: a vipd backup's vmac must not build
an address from them nor send anything (no DAD probe) from that MAC."""
import os
import subprocess
import time

import pytest

from frr import Frr, add_macvlan, vrrp_conf
from lab import tutorial_conf, wait_until

VIP, VIP6 = "10.0.0.3", "fd00:50::3"
VRID = 1
MAC4, MAC6 = "00:00:5e:00:01:01", "00:00:5e:00:02:01"
FLAVOURS = [("v3", 3, 0.5), ("v2", 2, 1)]  # (id, version, advert_int in s)


@pytest.fixture
def frr(lab, request):
    made = []

    def start(host, vrrpd_conf, zebra_conf=""):
        made.append(Frr(host, vrrpd_conf, zebra_conf))
        return made[-1]

    yield start
    failed = getattr(request.node, "rep_call", None)
    for f in made:
        f.stop()
        if failed and failed.failed:
            print(f.log_text())
    assert all(p.poll() is not None for f in made for p in f.procs.values())


def vipd_conf(host, prio, version, adv, vip=VIP, vmac=False):
    return tutorial_conf(host.name, [{"priority": prio, "vrid": VRID, "version": version,
                                      "advert_int": adv, "vip": vip,
                                      "extra": ["    use_vmac"] if vmac else []}])


def protodown(host, dev):
    return "protodown on" in host.ip("-d", "link", "show", dev).stdout


def capture(lab, where, iface, filt, name):
    """tcpdump to a pcap in the lab's directory, from a host or (where None)
    the bridges' namespace; returns (process, path) once it listens."""
    pcap = os.path.join(lab.dir, name)
    cmd = ["tcpdump", "-U", "-Z", "root", "-n", "-i", iface, "-w", pcap, *filt]
    if where is None:
        p = subprocess.Popen(["ip", "netns", "exec", lab.br, *cmd], stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL, start_new_session=True)
        lab.procs.append(p)
    else:
        p = where.popen(*cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_until(lambda: os.path.exists(pcap), 5, what=f"tcpdump on {iface}")
    time.sleep(0.2)
    return p, pcap


def frames(pcap):
    """A capture's frames so far, one line each (-tt -e -v)."""
    out = subprocess.run(["tcpdump", "-r", pcap, "-tt", "-n", "-e", "-v"], capture_output=True,
                         text=True, timeout=30).stdout
    return [x for x in out.splitlines() if x[:1].isdigit()]


def read_pcap(proc, pcap):
    """Stops the capture; its frames."""
    proc.terminate()
    proc.wait(5)
    return frames(pcap)


def takes_over_from_frr(lab, f, vipd, macvlan, vip, timeout):
    """FRR's host dies: its daemons killed, its macvlan (and VIP) gone."""
    f.stop()
    lab["lb01"].ip("link", "del", macvlan)
    vipd.wait_state("MASTER", timeout=timeout)
    wait_until(lambda: lab.holders(vip) == ["lb02"], 3, what="vipd alone holds the VIP")


@pytest.mark.parametrize("flavour,vmac", [(FLAVOURS[0], False), (FLAVOURS[1], True)],
                         ids=["v3", "v2-vmac"])
def test_frr_master_vipd_backup(lab, frr, flavour, vmac):
    _, version, adv = flavour
    lb01, lb02 = lab["lb01"], lab["lb02"]
    add_macvlan(lb01, "vrrp4-2-1", MAC4, VIP, 24)
    f = frr(lb01, vrrp_conf(VRID, version, 150, int(adv * 1000), [VIP]))
    f.wait_status(VRID, "Master", timeout=4 * adv + 5)
    vipd = lb02.vipd(vipd_conf(lb02, 100, version, adv, vmac=vmac))
    vipd.wait_state("BACKUP")
    wait_until(lambda: vipd.instance()["counters"]["adverts_received"] >= 3, 4 * adv + 2,
               what="vipd hears FRR's adverts")
    st = vipd.instance()
    assert st["state"] == "BACKUP" and st["master"] == lb01.v4
    assert sum(st["counters"]["drops"].values()) == 0, st["counters"]["drops"]
    assert f.status(VRID) == "Master" and f.vrrp(VRID)["v4"]["stats"]["adverRx"] == 0
    takes_over_from_frr(lab, f, vipd, "vrrp4-2-1", VIP, 4 * adv + 2)


@pytest.mark.parametrize("flavour,vmac", [(FLAVOURS[0], True), (FLAVOURS[1], False)],
                         ids=["v3-vmac", "v2"])
def test_vipd_master_frr_backup(lab, frr, flavour, vmac):
    _, version, adv = flavour
    lb01, lb02 = lab["lb01"], lab["lb02"]
    vipd = lb01.vipd(vipd_conf(lb01, 150, version, adv, vmac=vmac))
    vipd.wait_state("MASTER")
    add_macvlan(lb02, "vrrp4-2-1", MAC4, VIP, 24)
    f = frr(lb02, vrrp_conf(VRID, version, 100, int(adv * 1000), [VIP]))
    f.wait_status(VRID, "Backup")
    # FRR accepts vipd's adverts: backup for well over its down interval,
    # its macvlan (holding the VIP) kept protodown
    time.sleep(3 * adv + 1)
    st = f.vrrp(VRID)["v4"]
    assert st["status"] == "Backup" and st["stats"]["adverRx"] >= 3, st
    assert st["stats"]["transitions"] == 1, st  # Initialize -> Backup only
    assert protodown(lb02, "vrrp4-2-1")
    assert vipd.instance()["state"] == "MASTER"
    # vipd stops (priority 0 advert): FRR takes over at once
    vipd.stop()
    f.wait_status(VRID, "Master", timeout=2)
    assert not protodown(lb02, "vrrp4-2-1") and lab.holders(VIP) == ["lb02"]


@pytest.mark.parametrize("vmac", [True, False], ids=["vmac", "no-vmac"])
def test_ipv6_frr_master_vipd_backup(lab, frr, vmac):
    """FRR master over IPv6 with zebra and FRR's master both sending Router
    Advertisements; vipd backup. With use_vmac (and DAD on, as on a default
    host) the backup's vmac makes no address and sends nothing from the
    virtual MAC. After the takeover vipd's Neighbour Advertisement carries
    Router exactly when its interface forwards, as FRR's does."""
    lb01, lb02, client = lab["lb01"], lab["lb02"], lab["client"]
    lb01.exec("sysctl", "-qw", "net.ipv6.conf.all.forwarding=1")
    lb02.exec("sysctl", "-qw", "net.ipv6.conf.default.accept_dad=1",
              f"net.ipv6.conf.all.forwarding={0 if vmac else 1}")
    from_lb02, p2 = capture(lab, None, "p2", ["-Q", "in", "ether", "src", MAC6], "p2.pcap")
    nas, nap = capture(lab, client, "eth0", ["icmp6 and ip6[40] == 136"], "na.pcap")
    add_macvlan(lb01, "vrrp6-2-1", MAC6, VIP6, 64)
    f = frr(lb01, vrrp_conf(VRID, 3, 150, 500, [VIP6]),
            "interface eth0\n ipv6 nd prefix fd00:1::/64\n ipv6 nd ra-interval 1\n"
            " no ipv6 nd suppress-ra\n")
    f.wait_status(VRID, "Master", family="v6", timeout=6)
    vipd = lb02.vipd(vipd_conf(lb02, 100, 3, 0.5, vip=VIP6 + "/64", vmac=vmac))
    vipd.wait_state("BACKUP")
    wait_until(lambda: vipd.instance()["counters"]["adverts_received"] >= 3, 4,
               what="vipd hears FRR's adverts")
    st = vipd.instance()
    assert st["master"].startswith("fe80::"), st
    assert sum(st["counters"]["drops"].values()) == 0, st["counters"]["drops"]
    if vmac:
        # the RAs reach lb02 (eth0 takes an address from them); a vmac that
        # did the same would have probed its address by now (DAD: < 1 s)
        wait_until(lambda: "fd00:1::" in lb02.ip("-6", "addr", "show", "dev", "eth0").stdout,
                   5, what="lb02 hears the RAs")
        time.sleep(1.5)
        assert lb02.ip("-6", "addr", "show", "dev", "vrrp.1").stdout.strip() == ""
        assert lb02.exec("sysctl", "-n", "net.ipv6.conf.vrrp/1.accept_ra").stdout.strip() == "0"
    assert vipd.instance()["state"] == "BACKUP"
    sent = read_pcap(from_lb02, p2)
    assert sent == [], "\n".join(sent)
    t_kill = time.time()
    takes_over_from_frr(lab, f, vipd, "vrrp6-2-1", VIP6, 4)
    wait_until(lambda: any(float(x.split()[0]) > t_kill for x in frames(nap)), 3,
               what="vipd's Neighbour Advertisement")
    seen = read_pcap(nas, nap)
    frr_na = [x for x in seen if float(x.split()[0]) < t_kill and f"tgt is {VIP6}" in x]
    vipd_na = [x for x in seen if float(x.split()[0]) > t_kill and f"tgt is {VIP6}" in x]
    assert frr_na and vipd_na, "\n".join(seen)
    assert all("Flags [router, override]" in x for x in frr_na), frr_na
    for x in vipd_na:
        assert ("router" in x.split("Flags [")[1]) == (not vmac), x
        assert "override" in x.split("Flags [")[1], x

