"""BFD (RFC 5880/5881) in vipd's own loop, with the real peers a user has:
Debian's keepalived 2.2.7 (its BFD process) and FRR's bfdd, both ways:
sessions come up, timers are negotiated as RFC 5880 6.8.2-6.8.4 says, a
dead peer takes a session down within its Detection Time, a stopping vipd
says AdminDown. Then what sessions do to VRRP: track_bfd moves the VIP
(weights, Fault), and master_down_bfd (a vipd extension) makes a backup
take over as soon as the master's session goes down, with the guards that
keep a live master: a session to another host, one that never came up, and
the neighbor's own AdminDown change nothing. Hostile packets are dropped
and counted."""
import os
import signal
import time

import pytest

from frr import Frr, bfd_conf
from lab import BUILD, tutorial_conf, wait_until

VIP = "10.0.0.3"
HERE = os.path.dirname(os.path.abspath(__file__))


def bfd_block(name, neighbor, source=None, rx=50, tx=50, mult=3, extra=()):
    lines = [f"bfd_instance {name} {{", f"    neighbor_ip {neighbor}"]
    if source:
        lines.append(f"    source_ip {source}")
    lines += [f"    min_rx {rx}", f"    min_tx {tx}", f"    multiplier {mult}", *extra, "}"]
    return "\n".join(lines) + "\n"


def vipd_conf(router_id, bfds, prio=None, extra=(), advert_int=1):
    text = "".join(bfds)
    if prio is None:  # BFD only
        return f"global_defs {{\n    router_id {router_id}\n}}\n" + text
    inst = {"state": "BACKUP", "priority": prio, "advert_int": advert_int, "extra": list(extra)}
    # keepalived finds a tracked bfd_instance only when it comes first
    conf = tutorial_conf(router_id, [inst])
    at = conf.index("vrrp_instance")
    return conf[:at] + text + "\n" + conf[at:]


def session(d, name="b1"):
    st = d.status()
    return next((b for b in (st or {}).get("bfd", []) if b["name"] == name), None)


def wait_bfd(d, state, name="b1", timeout=10):
    def now():
        s = session(d, name)
        return s if s and s["state"] == state else None
    return wait_until(now, timeout, what=f"{d.host.name} bfd_instance {name} {state}")


@pytest.mark.parametrize("family", ["ipv4", "ipv6"])
def test_keepalived_bfd_both_ways(lab, family):
    """vipd and keepalived's BFD process: Up with different timers, each
    side's Detection Time from the other's figures, a kill -9 seen as a
    Detection Time expiry, a restart Up again, vipd's stop as AdminDown."""
    a, b = lab["lb01"], lab["lb02"]
    v6 = family == "ipv6"
    mine, peer = (a.v6, b.v6) if v6 else (a.v4, b.v4)
    # keepalived's default hop limit is 64 for IPv6: vipd sends that too, as it is set
    vipd = a.vipd(vipd_conf("lb01", [bfd_block("b1", peer, mine, rx=50, tx=50, mult=3)]))
    kconf = vipd_conf("lb02", [bfd_block("b1", mine, peer, rx=100, tx=100, mult=4)], prio=100,
                      extra=["    track_bfd {", "        b1 weight -20", "    }"])
    ka = b.keepalived(kconf, bfd=True)
    wait_bfd(vipd, "Up")
    text = a.exec(os.path.join(BUILD, "vipctl"), "-s", vipd.sock, "status").stdout
    assert "bfd_instance b1: Up" in text, text
    # RFC 5880 6.8.7: we send at max(our min_tx 50, its min_rx 100) = 100 ms;
    # 6.8.4: Detection Time = its multiplier 4 x max(our min_rx 50, its tx 100)
    wait_until(lambda: session(vipd)["tx_interval_us"] == 100000, 5, what="timers settled")
    s = session(vipd)
    assert s["detection_time_us"] == 400000, s
    assert s["remote_state"] == "Up"
    # keepalived: our multiplier 3 x max(its min_rx 100, our tx 50) = 300 ms
    wait_until(lambda: "is in state Up" in ka.log_text(), 5, what="keepalived's session Up")
    wait_until(lambda: "Detection time is 300000 us" in ka.log_text(), 5,
               what="keepalived's Detection Time from our figures")
    ka.kill9()
    s = wait_bfd(vipd, "Down", timeout=3)
    assert "no packet" in s["reason"] or "Detection Time" in s["reason"], s
    ka = b.keepalived(kconf, bfd=True)
    wait_bfd(vipd, "Up")
    wait_until(lambda: "is in state Up" in ka.log_text(), 5, what="keepalived Up again")
    vipd.stop()
    wait_until(lambda: "Remote diagnostic - Administratively Down" in ka.log_text(), 5,
               what="keepalived sees the AdminDown of a stopping vipd")


def test_frr_bfdd_both_ways(lab):
    """FRR's bfdd as the peer: Up, timers negotiated on both sides, bfdd's
    death seen, a restart Up, a reload of vipd with new timers keeps the
    session Up (a Poll Sequence), vipd's stop seen by bfdd as AdminDown."""
    a, b = lab["lb01"], lab["lb02"]
    vipd = a.vipd(vipd_conf("lb01", [bfd_block("b1", b.v4, a.v4, rx=50, tx=50, mult=3)]))
    frr = Frr(b, bfd_conf(a.v4, b.v4, rx_ms=100, tx_ms=100, mult=3), daemon="bfdd")
    wait_bfd(vipd, "Up")
    wait_until(lambda: (frr.bfd_peer(a.v4) or {}).get("status") == "up", 10,
               what="bfdd's session up")
    wait_until(lambda: session(vipd)["tx_interval_us"] == 100000, 5, what="vipd's tx 100 ms")
    assert session(vipd)["detection_time_us"] == 300000
    p = wait_until(lambda: (frr.bfd_peer(a.v4) or {}).get("remote-receive-interval") == 50 and
                   frr.bfd_peer(a.v4), 5, what="bfdd learns our min_rx")
    assert p["remote-transmit-interval"] == 50 and p["remote-detect-multiplier"] == 3, p
    frr.stop()
    wait_bfd(vipd, "Down", timeout=3)
    frr = Frr(b, bfd_conf(a.v4, b.v4, rx_ms=100, tx_ms=100, mult=3), daemon="bfdd")
    wait_bfd(vipd, "Up")
    # new timers by reload: announced with a Poll Sequence, the session stays Up
    ups = session(vipd)["up"]
    with open(vipd.conf, "w") as f:
        f.write(vipd_conf("lb01", [bfd_block("b1", b.v4, a.v4, rx=200, tx=200, mult=5)]))
    vipd.send(signal.SIGHUP)
    wait_until(lambda: session(vipd)["tx_interval_us"] == 200000, 5, what="new tx interval")
    wait_until(lambda: (frr.bfd_peer(a.v4) or {}).get("remote-receive-interval") == 200, 5,
               what="bfdd learns the new min_rx")
    s = session(vipd)
    assert s["state"] == "Up" and s["up"] == ups, s
    assert frr.bfd_peer(a.v4)["status"] == "up"
    vipd.stop()
    p = wait_until(lambda: (frr.bfd_peer(a.v4) or {}).get("status") == "down" and
                   frr.bfd_peer(a.v4), 5, what="bfdd sees vipd stop")
    assert "administratively down" in p.get("remote-diagnostic", ""), p
    frr.stop()


def test_frr_bfdd_multihop(lab):
    """RFC 5883: a multihop session (UDP 4784) with bfdd, IPv6; the TTL check
    takes max_hops: bfdd's packets leave with 255 and arrive with it here."""
    a, b = lab["lb01"], lab["lb02"]
    vipd = a.vipd(vipd_conf("lb01", [bfd_block("m1", b.v6, a.v6, rx=100, tx=100, mult=3,
                                               extra=["    multihop", "    max_hops 5"])]))
    frr = Frr(b, bfd_conf(a.v6, b.v6, rx_ms=100, tx_ms=100, mult=3).replace(
        f"peer {a.v6} local-address", f"peer {a.v6} multihop local-address"), daemon="bfdd")
    s = wait_bfd(vipd, "Up", name="m1")
    assert s["multihop"] is True
    wait_until(lambda: (frr.bfd_peer(a.v6) or {}).get("status") == "up", 10,
               what="bfdd's multihop session up")
    assert frr.bfd_peer(a.v6)["multihop"] is True
    frr.stop()
    wait_bfd(vipd, "Down", name="m1", timeout=3)


def test_track_bfd_moves_the_vip(lab):
    """lb01 (150) tracks its BFD session to the gateway (a vipd with the
    session only) with weight -100: the session cut, lb02 (100) takes
    over; back, lb01 takes the VIP back. With weight 0 the session down
    puts lb01 in Fault."""
    a, b, gw = lab["lb01"], lab["lb02"], lab["client"]
    gwd = gw.vipd(vipd_conf("gw", [bfd_block("lb01", a.v4, gw.v4)]))
    track = ["    track_bfd {", "        gw weight -100", "    }"]
    conf_a = vipd_conf("lb01", [bfd_block("gw", gw.v4, a.v4)], prio=150, extra=track)
    va = a.vipd(conf_a)
    vb = b.vipd(tutorial_conf("lb02", [{"priority": 100}]))
    wait_bfd(va, "Up", name="gw")
    va.wait_state("MASTER", timeout=8)
    vb.wait_state("BACKUP", timeout=8)
    assert va.instance()["priority"] == 150
    gw.exec("nft", "add table inet cut")
    gw.exec("nft", "add chain inet cut in { type filter hook input priority 0; }")
    gw.exec("nft", "add rule inet cut in udp dport 3784 drop")
    vb.wait_state("MASTER", timeout=8)
    inst = va.instance()
    assert inst["priority"] == 50 and inst["state"] == "BACKUP", inst
    t = next(x for x in inst["tracking"] if x["type"] == "bfd")
    assert t["state"] == "DOWN" and t["weight"] == -100, t
    gw.exec("nft", "delete table inet cut")
    wait_bfd(va, "Up", name="gw")
    va.wait_state("MASTER", timeout=8)
    wait_until(lambda: lab.holders(VIP) == ["lb01"], 5, what="lb01 holds the VIP again")
    # weight 0: the session down is a Fault ...
    with open(va.conf, "w") as f:
        f.write(conf_a.replace("gw weight -100", "gw weight 0"))
    va.send(signal.SIGHUP)
    wait_until(lambda: "reload done" in va.log_text(), 5)
    # ... but not the neighbor's AdminDown (a stop), as keepalived: the last word stays
    gwd.stop()
    wait_bfd(va, "Down", name="gw", timeout=3)
    time.sleep(1)
    inst = va.instance()
    assert inst["state"] == "MASTER" and inst["priority"] == 150, inst
    gwd = gw.vipd(vipd_conf("gw", [bfd_block("lb01", a.v4, gw.v4)]))
    wait_bfd(va, "Up", name="gw")
    gwd.kill9()
    va.wait_state("FAULT", timeout=8)
    assert "bfd_instance gw is down" in va.instance()["last_transition"]["reason"]
    vb.wait_state("MASTER", timeout=8)


def takeover_pair(lab, adv=1, extra_b=()):
    """lb01 master (150) and lb02 backup (100), each with a BFD session to
    the other; lb02 takes the master's session down as its death."""
    a, b = lab["lb01"], lab["lb02"]
    va = a.vipd(vipd_conf("lb01", [bfd_block("b1", b.v4, a.v4)], prio=150, advert_int=adv))
    vb = b.vipd(vipd_conf("lb02", [bfd_block("b1", a.v4, b.v4), *extra_b], prio=100,
                          advert_int=adv, extra=["    master_down_bfd b1"]))
    va.wait_state("MASTER", timeout=8)
    vb.wait_state("BACKUP", timeout=8)
    wait_bfd(va, "Up")
    wait_bfd(vb, "Up")
    wait_until(lambda: vb.instance()["master"] == a.v4, 5, what="lb02 follows lb01")
    return va, vb


def test_master_down_bfd_takes_over_at_once(lab):
    """kill -9 of the master: the backup's session goes down after its
    Detection Time (150 ms) and it takes over after Skew_Time on the
    session's scale, not after Master_Down_Interval (3.6 s); the reason
    says so, in the log, the status and the metrics' class."""
    va, vb = takeover_pair(lab)
    t0 = time.monotonic()
    va.kill9()
    vb.wait_state("MASTER", timeout=5)
    took = time.monotonic() - t0
    inst = vb.instance()
    assert "bfd_instance b1 went down" in inst["last_transition"]["reason"], inst
    assert "taking over in" in vb.log_text()
    print(f"takeover with master_down_bfd: {took:.3f} s after kill -9 "
          f"(Master_Down_Interval 3.609 s)")
    wait_until(lambda: lab["lb02"].holds(VIP), 3, what="lb02 holds the VIP")


def test_master_down_bfd_no_false_takeover(lab):
    """The guards: a Down the master signals (it lives: the backup's BFD
    packets are lost on the way), a session to another host than the master
    going down, a session that never came up, and the master's own AdminDown
    (its bfd_instance removed by a reload) leave the backup where it is."""
    lb03 = lab["client"]  # a third router, lb02's BFD neighbor, never the master
    nobody = "10.0.0.99"
    extra = [bfd_block("other", lb03.v4, lab["lb02"].v4), bfd_block("never", nobody)]
    a, b = lab["lb01"], lab["lb02"]
    vc = lb03.vipd(vipd_conf("lb03", [bfd_block("other", b.v4, lb03.v4)]))
    va = a.vipd(vipd_conf("lb01", [bfd_block("b1", b.v4, a.v4)], prio=150))
    vb = b.vipd(vipd_conf("lb02", [bfd_block("b1", a.v4, b.v4), *extra], prio=100,
                          extra=["    master_down_bfd b1 other never"]))
    va.wait_state("MASTER", timeout=8)
    vb.wait_state("BACKUP", timeout=8)
    for n in ("b1", "other"):
        wait_bfd(vb, "Up", name=n)
    # lb02's packets to the master are lost: the master signals Down, alive
    b.exec("nft", "add table inet cut")
    b.exec("nft", "add chain inet cut out { type filter hook output priority 0; }")
    b.exec("nft", f"add rule inet cut out ip daddr {a.v4} udp dport 3784 drop")
    s = wait_bfd(vb, "Down", name="b1", timeout=3)
    assert "neighbor signaled Down" in s["reason"], s
    time.sleep(1)
    assert vb.instance()["state"] == "BACKUP", vb.instance()
    b.exec("nft", "delete table inet cut")
    wait_bfd(vb, "Up", name="b1")
    # the session to lb03 (not the master) goes down: nothing
    vc.kill9()
    wait_bfd(vb, "Down", name="other", timeout=3)
    # the master removes its session: its AdminDown is not a failure
    with open(va.conf, "w") as f:
        f.write(vipd_conf("lb01", [], prio=150))
    va.send(signal.SIGHUP)
    s = wait_bfd(vb, "Down", name="b1", timeout=5)
    assert "AdminDown" in s["reason"], s
    assert session(vb, "never")["up"] == 0
    # longer than the quickest takeover those would have caused, and than one advert
    time.sleep(2)
    assert vb.instance()["state"] == "BACKUP", vb.instance()
    assert lab.holders(VIP) == ["lb01"]
    assert vb.instance()["counters"]["transitions"] == 1  # Init -> Backup only


def test_hostile_bfd_packets(lab):
    """Spoofed packets from a LAN host: the neighbor's address with a TTL
    below 255, a stranger's address with the right discriminator, a bad
    version, a short length: each dropped and counted by reason; the
    session stays Up."""
    a, b, c = lab["lb01"], lab["lb02"], lab["client"]
    va = a.vipd(vipd_conf("lb01", [bfd_block("b1", b.v4, a.v4)]))
    b.vipd(vipd_conf("lb02", [bfd_block("b1", a.v4, b.v4)]))
    s = wait_bfd(va, "Up")
    disc = s["local_discr"]
    spoof = [os.path.join(HERE, "bfdspoof.py")]
    py = "/usr/bin/python3"
    c.exec(py, *spoof, b.v4, a.v4, "20", "--ttl", "64", "--your-disc", str(disc),
           "--state", "admindown", "--diag", "7")
    c.exec(py, *spoof, c.v4, a.v4, "20", "--your-disc", str(disc), "--state", "admindown")
    c.exec(py, *spoof, b.v4, a.v4, "20", "--version", "2")
    c.exec(py, *spoof, b.v4, a.v4, "20", "--length", "20")
    st = va.status()
    s = session(va)
    assert s["state"] == "Up" and s["down"] == 0, s
    assert s["drops"]["ttl"] == 20, s
    assert st["bfd_unmatched"]["no_session"] == 20, st["bfd_unmatched"]
    assert st["bfd_unmatched"]["version"] == 20, st["bfd_unmatched"]
    assert st["bfd_unmatched"]["length"] == 20, st["bfd_unmatched"]
    log = va.log_text()
    assert "dropped: " in log
