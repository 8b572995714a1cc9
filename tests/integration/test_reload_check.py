"""vipctl reload --check: what a reload would do, told by the decision the
reload itself takes; then the reload does just that."""
import os
import signal

from conftest import BUILD, run
from lab import tutorial_conf, wait_until


def conf(*instances):
    return tutorial_conf("lb01", [{"version": 3, "advert_int": 0.5, **i} for i in instances])


VI_1 = {"name": "VI_1", "vrid": 50, "priority": 150, "vip": "10.0.0.3"}
VI_2 = {"name": "VI_2", "vrid": 51, "priority": 150, "vip": "10.0.0.4"}
VI_3 = {"name": "VI_3", "vrid": 52, "priority": 150, "vip": "10.0.0.7"}
VI_4 = {"name": "VI_4", "vrid": 53, "priority": 150, "vip": "10.0.0.8"}
VI_5 = {"name": "VI_5", "vrid": 54, "priority": 150, "vip": "10.0.0.10"}


def check(daemon, *args):
    return run(os.path.join(BUILD, "vipctl"), "-s", daemon.sock, "reload", "--check", *args)


def test_check_then_reload(lab, tmp_path):
    lb01 = lab["lb01"].vipd(conf(VI_1, VI_2, VI_3, VI_5))
    for n in ("VI_1", "VI_2", "VI_3", "VI_5"):
        lb01.wait_state("MASTER", n)
    transitions = lb01.instance("VI_1")["counters"]["transitions"]
    # a live setting (kept), a fixed one (restarted), one added, one
    # removed, VIPs changed (fixed too: restarted)
    new = conf({**VI_1, "priority": 160}, {**VI_2, "vrid": 61}, VI_4, {**VI_5, "vip": "10.0.0.11"})
    other = tmp_path / "new.conf"
    other.write_text(new)
    r = check(lb01, "-f", str(other))
    assert r.returncode == 0, r.stdout + r.stderr
    lines = r.stdout.splitlines()
    assert lines[0] == f"{other}: a reload keeps 1 instance(s), restarts 2, adds 1, removes 1"
    assert lines[1:] == ["VI_1: kept, priority 150 -> 160",
                         "VI_2: restarted: virtual_router_id changed",
                         "VI_4: added",
                         "VI_5: restarted: virtual_ipaddress changed, VIPs added 10.0.0.11, "
                         "VIPs removed 10.0.0.10",
                         "VI_3: removed"], r.stdout
    assert lb01.status()["reloads"] == 0  # nothing applied
    assert lab["lb01"].holds("10.0.0.7") and not lab["lb01"].holds("10.0.0.11")

    # without -f: the file vipd runs; the same answer once it is rewritten
    with open(lb01.conf, "w") as f:
        f.write(new)
    r2 = check(lb01)
    assert r2.returncode == 0 and r2.stdout.splitlines()[1:] == lines[1:], r2.stdout

    # errors: exit 1, each with its place
    bad = tmp_path / "bad.conf"
    bad.write_text(new.replace("virtual_router_id 53", "virtual_router_id 300"))
    r3 = check(lb01, "-f", str(bad))
    assert r3.returncode == 1
    assert r3.stdout.startswith(f"error: {bad} has errors; a reload would refuse it")
    assert "bad.conf:" in r3.stdout and "virtual_router_id" in r3.stdout, r3.stdout

    # the reload does what the check said
    lb01.send(signal.SIGHUP)
    wait_until(lambda: lb01.status()["reloads"] == 1, 5, what="reload done")
    log = lb01.log_text()
    assert "reload done: 4 instance(s), 1 kept, 3 started" in log, log
    assert "VI_2: changed (virtual_router_id); restarting it" in log
    assert "VI_5: changed (virtual_ipaddress); restarting it" in log
    assert "VI_3: removed" in log and "VI_4: added" in log
    st = lb01.status()
    assert [i["name"] for i in st["instances"]] == ["VI_1", "VI_2", "VI_4", "VI_5"]
    vi1 = lb01.instance("VI_1")
    assert vi1["counters"]["transitions"] == transitions and vi1["state"] == "MASTER"
    assert lb01.instance("VI_2")["vrid"] == 61
    assert lb01.instance("VI_1")["priority"] == 160
    wait_until(lambda: lab["lb01"].holds("10.0.0.11"), 5, what="the new VIP")
    assert not lab["lb01"].holds("10.0.0.10") and not lab["lb01"].holds("10.0.0.7")
    r4 = check(lb01)
    assert r4.stdout.splitlines()[1:] == ["VI_1: kept", "VI_2: kept", "VI_4: kept",
                                          "VI_5: kept"], r4.stdout
