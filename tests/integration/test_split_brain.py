"""Unicast peers and split brain (docs/deployment.md, scenario 4): adverts sent to peers
when multicast is blocked, strangers ignored, interop with keepalived in
unicast mode; a master that hears another master reports split brain."""
import os
import stat
import time

from lab import BUILD, tutorial_conf, wait_until

VIP = "10.0.0.3"


def unicast(host, prio, peer_hosts, version=3, extra=()):
    peers = ["    unicast_src_ip " + host.v4, "    unicast_peer {",
             *[f"        {p.v4}" for p in peer_hosts], "    }"]
    return tutorial_conf(host.name, [{"priority": prio, "version": version,
                                      "advert_int": 0.5 if version == 3 else 1,
                                      "auth_pass": "1111" if version == 2 else None,
                                      "extra": [*peers, *extra]}])


def block_multicast(lab):
    """The bridge drops IPv4 multicast and the IPv6 VRRP group, as many
    clouds do (IPv6 Neighbor Discovery still works, as it does there)."""
    for cmd in ("add table bridge vrrp",
                "add chain bridge vrrp cut { type filter hook forward priority 0; }",
                "add rule bridge vrrp cut ip daddr 224.0.0.0/4 drop",
                "add rule bridge vrrp cut ip6 daddr ff02::12 drop"):
        lab.br_exec("nft", cmd)


def test_unicast_with_multicast_blocked_and_a_stranger(lab):
    block_multicast(lab)
    lb01, lb02, client = lab["lb01"], lab["lb02"], lab["client"]
    d1 = lb01.vipd(unicast(lb01, 150, [lb02]))
    d1.wait_state("MASTER")
    d2 = lb02.vipd(unicast(lb02, 100, [lb01]))
    d2.wait_state("BACKUP")
    wait_until(lambda: d2.instance()["counters"]["adverts_received"] > 3, 3)
    # a stranger with a higher priority sends unicast adverts to lb02
    stranger = client.vipd(unicast(client, 200, [lb02]))
    wait_until(lambda: d2.instance()["counters"]["drops"]["not_peer"] > 2, 5,
               what="stranger's adverts dropped")
    assert d2.instance()["state"] == "BACKUP" and d1.instance()["state"] == "MASTER"
    assert "the source is not one of our unicast peers" in d2.log_text()
    stranger.stop()
    d1.kill9()
    d2.wait_state("MASTER", timeout=3)
    assert lb02.holds(VIP)


def test_split_brain_reported_and_cleared(lab):
    """docs/deployment.md, scenario 4: lb02's firewall drops VRRP, both hold the VIP; lb01,
    which still hears lb02, reports split brain (lb02 cannot know). The rule
    goes: within one Master_Down_Interval one host holds the VIP."""
    log = os.path.join(lab.dir, "sb.log")
    sb = os.path.join(lab.dir, "sb.sh")
    with open(sb, "w") as f:
        f.write(f'#!/bin/sh\necho "$*" >> {log}\n')
    os.chmod(sb, stat.S_IRWXU)
    lb01, lb02 = lab["lb01"], lab["lb02"]
    d1 = lb01.vipd(tutorial_conf("lb01", [{"priority": 150, "version": 3, "advert_int": 0.5,
                                           "extra": [f'    notify_split_brain "{sb}"']}]))
    d1.wait_state("MASTER")
    d2 = lb02.vipd(tutorial_conf("lb02", [{"priority": 100, "version": 3, "advert_int": 0.5}]))
    d2.wait_state("BACKUP")
    for cmd in ("add table inet cut", "add chain inet cut in { type filter hook input "
                "priority 0; }", "add rule inet cut in ip protocol vrrp drop"):
        lb02.exec("nft", cmd)
    d2.wait_state("MASTER", timeout=3)
    wait_until(lambda: d1.instance()["split_brain"], 3, what="split brain on lb01")
    st = d1.instance()
    assert st["state"] == "MASTER" and st["split_brain"]["other_master"] == lb02.v4
    assert st["split_brain"]["priority"] == 100 and st["counters"]["split_brains"] == 1
    assert sorted(lab.holders(VIP)) == ["lb01", "lb02"]
    assert d2.instance()["split_brain"] is None  # lb02 hears nothing
    assert "split brain: 10.0.0.6 also advertises as master of VRID 50" in d1.log_text()
    text = lb01.exec(os.path.join(BUILD, "vipctl"), "-s", d1.sock, "status").stdout
    assert "SPLIT BRAIN 10.0.0.6 (priority 100)" in text
    wait_until(lambda: os.path.exists(log), 3, what="notify_split_brain ran")
    lb02.exec("nft", "delete table inet cut")
    # lb02 hears lb01 (150) and yields at once
    d2.wait_state("BACKUP", timeout=1.9)
    wait_until(lambda: lab.holders(VIP) == ["lb01"], 2)
    wait_until(lambda: d1.instance()["split_brain"] is None, 3, what="split brain cleared")
    assert "split brain over after" in d1.log_text()
    wait_until(lambda: len(open(log).read().splitlines()) == 2, 3)
    assert open(log).read().splitlines() == [f"INSTANCE VI_1 SPLIT_BRAIN {lb02.v4}",
                                             f"INSTANCE VI_1 SPLIT_BRAIN_OVER {lb02.v4}"]


def test_unicast_interop_with_keepalived(lab):
    """vipd and keepalived as a unicast pair over VRRPv2 with PASS, with
    multicast blocked: keepalived takes over from vipd and vipd back."""
    block_multicast(lab)
    lb01, lb02 = lab["lb01"], lab["lb02"]
    d1 = lb01.vipd(unicast(lb01, 150, [lb02], version=2))
    d1.wait_state("MASTER")
    k2 = lb02.keepalived(unicast(lb02, 100, [lb01], version=2))
    wait_until(lambda: d1.instance()["counters"]["adverts_sent"] > 4, 5)
    assert lab.holders(VIP) == ["lb01"]
    d1.stop()
    wait_until(lambda: lab.holders(VIP) == ["lb02"], 5, what="keepalived took over")
    d1 = lb01.vipd(unicast(lb01, 150, [lb02], version=2))
    d1.wait_state("MASTER", timeout=8)
    wait_until(lambda: lab.holders(VIP) == ["lb01"], 3, what="vipd took the VIP back")
    assert d1.instance()["counters"]["drops"]["not_peer"] == 0
    assert d1.instance()["counters"]["adverts_received"] > 0
    assert k2.running()


def test_second_path_prevents_split_brain(lab2):
    """docs/deployment.md, scenario 4, with a second path (vipd's advert_path: unicast to the
    peer over eth1): lb02's firewall drops VRRP to 224.0.0.18, as the
    tutorial's does, and nothing happens: lb02 still hears lb01 by the
    second path and stays backup. Only when that path is cut as well does
    lb02 take over, within one Master_Down_Interval."""
    lab = lab2
    lb01, lb02 = lab["lb01"], lab["lb02"]
    path = lambda peer: ["    advert_path {", f"        eth1 peer {peer.addr4(1)}", "    }"]
    d1 = lb01.vipd(tutorial_conf("lb01", [{"priority": 150, "version": 3, "advert_int": 0.5,
                                           "extra": path(lb02)}]))
    d1.wait_state("MASTER")
    d2 = lb02.vipd(tutorial_conf("lb02", [{"priority": 100, "version": 3, "advert_int": 0.5,
                                           "extra": path(lb01)}]))
    d2.wait_state("BACKUP")
    lb02.exec("nft", "add table inet cut")
    lb02.exec("nft", "add chain inet cut in { type filter hook input priority 0; }")
    lb02.exec("nft", "add rule inet cut in ip daddr 224.0.0.18 ip protocol vrrp drop")
    before = d2.instance()["paths"][0]["received"]
    time.sleep(3 * 1.8)  # three Master_Down_Intervals
    st2 = d2.instance()
    assert st2["state"] == "BACKUP" and st2["paths"][0]["received"] >= before + 8
    assert st2["paths"][0] == {**st2["paths"][0], "interface": "eth1", "peer": lb01.addr4(1),
                               "up": True}
    assert d1.instance()["split_brain"] is None and lab.holders(VIP) == ["lb01"]
    assert d1.instance()["counters"]["split_brains"] == 0
    # the second path cut too: now lb02 cannot hear lb01 and takes over
    lb02.exec("nft", "add rule inet cut in ip protocol vrrp drop")
    t0 = time.monotonic()
    d2.wait_state("MASTER", timeout=4)
    assert time.monotonic() - t0 < 1.8 + 0.5
    wait_until(lambda: d1.instance()["split_brain"], 3, what="split brain reported")
    text = lb02.exec(os.path.join(BUILD, "vipctl"), "-s", d2.sock, "status").stdout
    assert f"path        eth1 to {lb01.addr4(1)}, up" in text


def test_unicast_ipv6_with_keepalived(lab):
    """IPv6 unicast (global source and peer addresses, VRRPv3) with multicast
    blocked: vipd <-> vipd, then keepalived takes over from vipd."""
    block_multicast(lab)
    vip6 = "fd00:50::100"
    lb01, lb02 = lab["lb01"], lab["lb02"]

    def conf6(host, prio, peer):
        return tutorial_conf(host.name, [{
            "priority": prio, "version": 3, "advert_int": 0.5, "vip": vip6,
            "extra": [f"    unicast_src_ip {host.v6}", "    unicast_peer {",
                      f"        {peer.v6}", "    }"]}])

    d1 = lb01.vipd(conf6(lb01, 150, lb02))
    d1.wait_state("MASTER")
    d2 = lb02.vipd(conf6(lb02, 100, lb01))
    d2.wait_state("BACKUP")
    wait_until(lambda: d2.instance()["counters"]["adverts_received"] > 3, 3)
    assert d2.instance()["master"] == lb01.v6 and lab.holders(vip6) == ["lb01"]
    d2.stop()
    k2 = lb02.keepalived(conf6(lb02, 100, lb01))
    wait_until(lambda: d1.instance()["counters"]["adverts_sent"] > 10, 5)
    assert lab.holders(vip6) == ["lb01"]
    d1.stop()
    wait_until(lambda: lab.holders(vip6) == ["lb02"], 5, what="keepalived took over")
    d1 = lb01.vipd(conf6(lb01, 150, lb02))
    d1.wait_state("MASTER", timeout=8)
    wait_until(lambda: lab.holders(vip6) == ["lb01"], 3, what="vipd took the VIP back")
    assert d1.instance()["counters"]["adverts_received"] > 0 and k2.running()
