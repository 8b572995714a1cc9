"""A hostile LAN host against vipd: spoofed adverts from many sources and
in bursts (split-brain reports rate-limited, notify bounded, a real
transition's notify never behind them), and malformed adverts of each
receive-check class, against master and backup: dropped, counted, and no
change of state."""
import os
import time

from lab import ROOT, lines, script, tutorial_conf, wait_until

SPOOF = os.path.join(ROOT, "tests", "integration", "spoof.py")


def spoof(lab, first, count, prio, *extra, vrid=50):
    return lab["client"].exec("/usr/bin/python3", SPOOF, "eth0", first, str(count), str(vrid),
                              str(prio), *extra, timeout=60)



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
    before = {d: d.instance()["counters"]["transitions"] for d in (lb01, lb02)}
    for args, _ in MALFORMED:
        spoof(lab, "10.0.7.1", 20, 0, *args)   # priority 0 would make a backup take over
        spoof(lab, "10.0.7.1", 20, 254, *args)  # 254 would make the master step down
    spoof(lab, "10.0.7.1", 20, 254, vrid=77)
    time.sleep(0.5)
    for d in (lb01, lb02):
        st = d.instance()
        assert st["counters"]["transitions"] == before[d], (d.host.name, st["counters"])
    assert lb01.instance()["state"] == "MASTER" and lb02.instance()["state"] == "BACKUP"
    for d in (lb01, lb02):
        drops = {**d.instance()["counters"]["drops"]}
        for s in d.status()["sockets"]:
            for k, v in s["drops"].items():
                drops[k] = drops.get(k, 0) + v
        for _, reason in MALFORMED:
            hits = [k for k in drops if reason in k and drops[k] >= 40]
            assert hits, (d.host.name, reason, drops)
