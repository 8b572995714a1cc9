"""auth_type AH (IPsec AH, HMAC-MD5-96) with Debian's keepalived 2.2.7 as
the other router, both ways, and between two vipd: each accepts the other's
adverts (no drops) for well over the down interval, a crash hands over, a
restarted higher priority takes back (its sequence numbers carry on above
the master's); with different passwords neither accepts the other (both
Master), the drop counted and logged with its AH reason. With AH, neither
keepalived nor vipd starts in state MASTER: both learn the sequence number
as backup first."""
import time

from lab import tutorial_conf, wait_until

VIP = "10.0.0.3"
ADV = 1
DOWN = 3 * ADV + 1  # Master_Down_Interval, rounded up


def conf(name, prio, password="s3cret", state="BACKUP"):
    return tutorial_conf(name, [dict(state=state, priority=prio, advert_int=ADV,
                                     auth_type="AH", auth_pass=password)])


def drops(daemon):
    return {k: v for k, v in daemon.instance()["counters"]["drops"].items() if v}


def test_vipd_master_keepalived_backup(lab):
    vipd = lab["lb01"].vipd(conf("m", 150, state="MASTER"))
    vipd.wait_state("MASTER", timeout=DOWN + 3)
    ka = lab["lb02"].keepalived(conf("b", 100))
    wait_until(lambda: "Entering BACKUP STATE" in ka.log_text(), 5)
    time.sleep(DOWN + 2)  # well over keepalived's down interval: our adverts pass
    log = ka.log_text()
    assert lab.holders(VIP) == ["lb01"], log[-2000:]
    assert "Entering MASTER STATE" not in log and "IPSEC" not in log, log[-2000:]
    assert "Initial state master is incompatible" not in vipd.log_text()
    vipd.kill9()
    wait_until(lambda: lab["lb02"].holds(VIP), DOWN + 2, what="keepalived takes over")


def test_keepalived_master_vipd_backup(lab):
    ka = lab["lb01"].keepalived(conf("m", 150))
    wait_until(lambda: lab.holders(VIP) == ["lb01"], DOWN + 4, what="keepalived holds the VIP")
    vipd = lab["lb02"].vipd(conf("b", 100))
    vipd.wait_state("BACKUP")
    time.sleep(DOWN + 1)
    st = vipd.instance()
    assert st["state"] == "BACKUP" and st["master"] == lab["lb01"].v4
    assert st["counters"]["adverts_received"] >= DOWN, st["counters"]
    assert not drops(vipd), drops(vipd)
    ka.kill9()
    vipd.wait_state("MASTER", timeout=DOWN + 2)
    wait_until(lambda: lab["lb02"].holds(VIP), 3, what="vipd holds the VIP")


def test_vipd_pair_and_fail_back(lab):
    a = lab["lb01"].vipd(conf("a", 150))
    b = lab["lb02"].vipd(conf("b", 100))
    a.wait_state("MASTER", timeout=DOWN + 3)
    wait_until(lambda: b.instance()["counters"]["adverts_received"] >= 2, 4)
    assert b.instance()["state"] == "BACKUP"
    a.stop()  # priority 0: b takes over at once
    b.wait_state("MASTER", timeout=3)
    time.sleep(2)
    # a restarted knows no sequence number: it learns b's, then takes back
    a = lab["lb01"].vipd(conf("a", 150))
    a.wait_state("MASTER", timeout=DOWN + 3)
    b.wait_state("BACKUP", timeout=3)
    wait_until(lambda: lab.holders(VIP) == ["lb01"], 3, what="lb01 holds the VIP again")
    assert not drops(a) and not drops(b), (drops(a), drops(b))


def test_wrong_password(lab):
    vipd = lab["lb01"].vipd(conf("m", 150, password="right"))
    ka = lab["lb02"].keepalived(conf("b", 100, password="wrong"))
    vipd.wait_state("MASTER", timeout=DOWN + 3)
    wait_until(lambda: "Entering MASTER STATE" in ka.log_text(), DOWN + 4,
               what="keepalived, deaf to our adverts, becomes master too")
    wait_until(lambda: drops(vipd).get("ah_icv", 0) >= 1, 3, what="the ICV drop counted")
    assert "IPSEC-AH : invalid IPSEC HMAC-MD5" in ka.log_text()
    assert "ICV mismatch" in vipd.log_text()
    assert vipd.instance()["state"] == "MASTER"
    assert sorted(lab.holders(VIP)) == ["lb01", "lb02"]
