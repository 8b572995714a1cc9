"""Interop with Debian's keepalived as the other router: keepalived master
and vipd backup, and the reverse, VRRPv2 with PASS and VRRPv3; failover and
fail-back both ways. keepalived reads the same tutorial config (written over
lines: keepalived 2.2.7 loses the one-line authentication password)."""
import pytest

from lab import tutorial_conf, wait_until

VIP = "10.0.0.3"
FLAVOURS = [("v2-pass", {"auth_pass": "1111", "advert_int": 1}),
            ("v3", {"version": 3, "advert_int": 0.5})]


def confs(settings, master_prio=150, backup_prio=100):
    return (tutorial_conf("m", [dict(settings, state="MASTER", priority=master_prio)]),
            tutorial_conf("b", [dict(settings, state="BACKUP", priority=backup_prio)]))


def ka_state(lab, host):
    return "MASTER" if lab[host].holds(VIP) else "BACKUP"


@pytest.mark.parametrize("flavour", FLAVOURS, ids=[f[0] for f in FLAVOURS])
def test_keepalived_master_vipd_backup(lab, flavour):
    _, settings = flavour
    adv = settings["advert_int"]
    mconf, bconf = confs(settings)
    ka = lab["lb01"].keepalived(mconf)
    vipd = lab["lb02"].vipd(bconf)
    wait_until(lambda: lab.holders(VIP) == ["lb01"], 4 * adv + 5, what="keepalived holds the VIP")
    vipd.wait_state("BACKUP")
    wait_until(lambda: vipd.instance()["counters"]["adverts_received"] >= 2, 4 * adv + 2)
    st = vipd.instance()
    assert st["master"] == lab["lb01"].v4
    assert sum(st["counters"]["drops"].values()) == 0, st["counters"]["drops"]
    ka.kill9()
    vipd.wait_state("MASTER", timeout=4 * adv + 2)
    wait_until(lambda: lab["lb02"].holds(VIP), 2)
    # keepalived comes back with the higher priority and takes the VIP back
    ka = lab["lb01"].keepalived(mconf)
    vipd.wait_state("BACKUP", timeout=4 * adv + 5)
    wait_until(lambda: lab.holders(VIP) == ["lb01"], 5, what="keepalived holds the VIP again")


@pytest.mark.parametrize("flavour", FLAVOURS, ids=[f[0] for f in FLAVOURS])
def test_vipd_master_keepalived_backup(lab, flavour):
    _, settings = flavour
    adv = settings["advert_int"]
    mconf, bconf = confs(settings)
    vipd = lab["lb01"].vipd(mconf)
    vipd.wait_state("MASTER")
    ka = lab["lb02"].keepalived(bconf)
    # keepalived accepts our adverts: it stays backup for well over its down interval
    wait_until(lambda: "Entering BACKUP STATE" in ka.log_text(), 5)
    import time
    time.sleep(4 * adv + 1)
    assert lab.holders(VIP) == ["lb01"], ka.log_text()[-2000:]
    assert "Entering MASTER STATE" not in ka.log_text()
    vipd.kill9()
    wait_until(lambda: lab["lb02"].holds(VIP), 4 * adv + 3, what="keepalived takes over")
    vipd = lab["lb01"].vipd(mconf)
    vipd.wait_state("MASTER", timeout=4 * adv + 5)
    wait_until(lambda: lab.holders(VIP) == ["lb01"], 5, what="vipd holds the VIP again")
    assert ka.running()
