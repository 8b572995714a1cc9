"""A hostile LAN host against vipd: spoofed adverts from many sources and
in bursts (split-brain reports rate-limited, notify bounded, a real
transition's notify never behind them), and malformed adverts of each
receive-check class, against master and backup: dropped, counted, and no
change of state."""
import os
import time

import pytest

from lab import ROOT, lines, script, tutorial_conf, wait_until

SPOOF = os.path.join(ROOT, "tests", "integration", "spoof.py")


def spoof(lab, first, count, prio, *extra, vrid=50):
    return lab["client"].exec("/usr/bin/python3", SPOOF, "eth0", first, str(count), str(vrid),
                              str(prio), *extra, timeout=60)



def assert_counted(d, reasons, at_least):
    """Each reason counted at_least times, by the instance or its sockets."""
    drops = {**d.instance()["counters"]["drops"]}
    for s in d.status()["sockets"]:
        for k, v in s["drops"].items():
            drops[k] = drops.get(k, 0) + v
    for reason in reasons:
        hits = [k for k in drops if reason in k and drops[k] >= at_least]
        assert hits, (d.host.name, reason, drops)


@pytest.mark.serial
def test_split_brain_flood_never_delays_a_transition(lab):
    """400 spoofed masters from 400 addresses: one split-brain episode,
    reported once; then a real takeover by lb02: lb01's notify_backup runs
    at once, not after 400 queued reports (each a 1 s script)."""
    sb_log = os.path.join(lab.dir, "sb.log")
    bk_log = os.path.join(lab.dir, "bk.log")
    sb = script(lab, "sb.sh", f'sleep 1\necho "$3 $4" >> {sb_log}')
    bk = script(lab, "bk.sh", f"date +%s.%N >> {bk_log}")
    lb01 = lab["lb01"].vipd(tutorial_conf("lb01", [{
        "priority": 150, "version": 3, "advert_int": 0.3,
        "extra": [f'    notify_split_brain "{sb}"', f'    notify_backup "{bk}"']}]))
    lb01.wait_state("MASTER")
    wait_until(lambda: len(lines(bk_log)) == 1, 3, what="the start's notify_backup")
    spoof(lab, "10.0.5.1", 400, 100, "--interval", "0.002")
    st = lb01.instance()
    assert st["state"] == "MASTER" and st["counters"]["split_brains"] == 1, st["counters"]
    lb02 = lab["lb02"].vipd(tutorial_conf("lb02", [{"priority": 200, "version": 3,
                                                     "advert_int": 0.3}]))
    lb01.wait_state("BACKUP", timeout=5)
    t_backup = time.time()
    wait_until(lambda: len(lines(bk_log)) == 2, 3, interval=0.05,
               what="notify_backup of the real transition")
    assert float(lines(bk_log)[1]) - t_backup < 2.0
    lb02.stop()
    time.sleep(2.5)
    log = lb01.log_text()
    assert log.count("split brain: ") == 1, log
    assert len(lines(sb_log)) <= 2, lines(sb_log)
    assert "the process was stalled" not in log


@pytest.mark.serial
def test_split_brain_episodes_rate_limited(lab):
    """Eight separate episodes from one spoofed master, 1.5 s apart (each
    ends when it is quiet for 4 advert intervals): all counted, three
    reported one by one, the rest summed up in one line."""
    sb_log = os.path.join(lab.dir, "sb.log")
    sb = script(lab, "sb.sh", f'echo "$3" >> {sb_log}')
    lb01 = lab["lb01"].vipd(tutorial_conf("lb01", [{
        "priority": 150, "version": 3, "advert_int": 0.3,
        "extra": [f'    notify_split_brain "{sb}"']}]))
    lb01.wait_state("MASTER")
    for _ in range(8):
        spoof(lab, "10.0.6.1", 1, 100)
        spoof(lab, "10.0.6.1", 1, 100)
        time.sleep(1.5)
    st = lb01.instance()
    assert st["counters"]["split_brains"] == 8, st["counters"]
    log = lb01.log_text()
    assert log.count("split brain: 10.0.6.1 also advertises") == 3, log
    assert "episode(s) not reported one by one" in log
    wait_until(lambda: len(lines(sb_log)) == 6, 3, what="three starts and three ends")
    assert lines(sb_log) == ["SPLIT_BRAIN", "SPLIT_BRAIN_OVER"] * 3


# (arguments to spoof.py, the drop reason vipd counts)
MALFORMED = [
    (["--ttl", "64"], "ttl"),
    (["--bad-checksum"], "checksum"),
    (["--version", "2", "--password", "1111"], "version"),
]


def transitions(*daemons):
    return {d: d.instance()["counters"]["transitions"] for d in daemons}


def assert_unchanged(master, backup, before):
    """No transition since `before`; the master and the backup as they were."""
    assert transitions(master, backup) == before, {d.host.name: n for d, n in
                                                   transitions(master, backup).items()}
    assert master.instance()["state"] == "MASTER" and backup.instance()["state"] == "BACKUP"


def test_malformed_adverts_dropped_and_counted(lab):
    """Adverts that fail a receive check (TTL, checksum, version, VRID not
    configured) change nothing on master or backup; each is counted under
    its reason."""
    lb01 = lab["lb01"].vipd(tutorial_conf("lb01", [{"priority": 150, "version": 3,
                                                     "advert_int": 0.3}]))
    lb01.wait_state("MASTER")
    lb02 = lab["lb02"].vipd(tutorial_conf("lb02", [{"priority": 100, "version": 3,
                                                     "advert_int": 0.3}]))
    lb02.wait_state("BACKUP")
    before = transitions(lb01, lb02)
    for args, _ in MALFORMED:
        spoof(lab, "10.0.7.1", 20, 0, *args)   # priority 0 would make a backup take over
        spoof(lab, "10.0.7.1", 20, 254, *args)  # 254 would make the master step down
    spoof(lab, "10.0.7.1", 20, 254, vrid=77)
    time.sleep(0.5)
    assert_unchanged(lb01, lb02, before)
    for d in (lb01, lb02):
        assert_counted(d, [reason for _, reason in MALFORMED], 40)


def test_priority_zero_from_a_stranger_ignored(lab):
    """A LAN host's priority-0 adverts (RFC 9568 6.4.2 would make a backup
    take over after Skew_Time) are ignored by a backup that follows a master
    at another address, and logged; the master's own priority 0 (a graceful
    stop) still hands over after Skew_Time, long before Master_Down_Interval."""
    lb01 = lab["lb01"].vipd(tutorial_conf("lb01", [{"priority": 150, "version": 3}]))
    lb01.wait_state("MASTER")
    lb02 = lab["lb02"].vipd(tutorial_conf("lb02", [{"priority": 100, "version": 3}]))
    lb02.wait_state("BACKUP")
    time.sleep(1.5)  # lb02 has followed lb01's adverts
    before = lb02.instance()["counters"]["transitions"]
    spoof(lab, "10.0.9.1", 10, 0, "--interval", "0.2")
    time.sleep(1.0)  # Skew_Time is 0.61 s: a takeover would have happened
    st = lb02.instance()
    assert st["state"] == "BACKUP" and st["counters"]["transitions"] == before, st
    assert "priority 0 advert from 10.0.9.1 ignored: the master is 10.0.0." in lb02.log_text()
    t0 = time.monotonic()
    lb01.stop()
    lb02.wait_state("MASTER", timeout=3)
    assert time.monotonic() - t0 < 2.5  # Skew_Time, not Master_Down_Interval (3.6 s)


# (instance settings, [(spoof.py source, its arguments, VRID, the drop reason vipd counts)])
HOSTILE = {
    "v3-ipv6": ({"version": 3, "advert_int": 0.3, "vip": "fd00:50::3/64"}, [
        ("fe80::99", ["--ttl", "64"], 50, "ttl"),
        ("fe80::99", ["--bad-checksum"], 50, "checksum"),
        ("fd00:50::99", [], 50, "not_linklocal"),
        ("fe80::99", [], 77, "vrid"),
    ]),
    "v2-pass": ({"auth_pass": "1111", "advert_int": 1}, [
        ("10.0.7.1", ["--version", "2", "--password", "2222"], 50, "auth_pass"),
        ("10.0.7.1", ["--version", "2"], 50, "auth_type"),
        ("10.0.7.1", ["--version", "2", "--password", "1111", "--ttl", "64"], 50, "ttl"),
        ("10.0.7.1", ["--version", "2", "--password", "1111", "--bad-checksum"], 50, "checksum"),
        ("10.0.7.1", ["--password", "1111"], 50, "version"),
    ]),
}


@pytest.mark.parametrize("flavour", sorted(HOSTILE))
def test_malformed_adverts_ipv6_and_v2(lab, flavour):
    """The receive checks of VRRPv3 over IPv6 (hop limit, checksum with the
    IPv6 pseudo-header, link-local source, VRID) and of VRRPv2 with PASS
    authentication (password, auth type, TTL, checksum, version), against
    master and backup, at priorities 0 and 254: nothing changes, and every
    advert is counted under its reason."""
    settings, cases = HOSTILE[flavour]
    lb01 = lab["lb01"].vipd(tutorial_conf("lb01", [dict(settings, priority=150)]))
    lb01.wait_state("MASTER")
    lb02 = lab["lb02"].vipd(tutorial_conf("lb02", [dict(settings, priority=100)]))
    lb02.wait_state("BACKUP")
    before = transitions(lb01, lb02)
    for src, args, vrid, _ in cases:
        spoof(lab, src, 10, 0, *args, vrid=vrid)
        spoof(lab, src, 10, 254, *args, vrid=vrid)
    time.sleep(0.5)
    assert_unchanged(lb01, lb02, before)
    for d in (lb01, lb02):
        assert_counted(d, [reason for _, _, _, reason in cases], 20)
