"""The signals keepalived's tools send (`keepalived --signum=NAME`), sent to
vipd: none stops it, JSON writes keepalived.json in keepalived's schema (what
keepalived exporters read), STATS_CLEAR writes the counters and zeroes them."""
import json
import os
import signal
import subprocess
import time

from lab import tutorial_conf, wait_until

VIP = "10.0.0.3"


def signum(name):
    r = subprocess.run(["keepalived", f"--signum={name}"], capture_output=True, text=True,
                       timeout=10)
    return int(r.stdout.strip())


def dump(daemon, path):
    """Sends JSON to daemon and reads the file it writes."""
    if os.path.exists(path):
        os.unlink(path)
    daemon.send(signum("JSON"))
    wait_until(lambda: os.path.exists(path), 5, what=path)
    time.sleep(0.2)  # keepalived writes in place; vipd renames a whole file there
    with open(path) as f:
        return json.load(f)


def test_json_signal_writes_keepalived_schema(lab):
    """The same instance under keepalived (lb02) and vipd (lb01), each with a
    $TMPDIR of its own for keepalived.json: every field keepalived writes,
    vipd writes, with the same meaning where both hosts agree."""
    inst = {"priority": 150, "version": 2, "auth_pass": "1111",
            "extra": ['    notify_master "/bin/true"']}
    ka_tmp = os.path.join(lab.dir, "ka-tmp")
    os.mkdir(ka_tmp)
    ka = lab["lb02"].keepalived(tutorial_conf("lb02", [inst]), env={**os.environ, "TMPDIR": ka_tmp})
    wait_until(lambda: lab["lb02"].holds(VIP), 10, what="keepalived master")
    want = dump(ka, os.path.join(ka_tmp, "keepalived.json"))
    ka.stop()
    vipd = lab["lb01"].vipd(tutorial_conf("lb01", [inst]), env={**os.environ, "TMPDIR": lab.dir})
    vipd.wait_state("MASTER")
    time.sleep(1.2)  # an advert or two sent
    got = dump(vipd, os.path.join(lab.dir, "keepalived.json"))
    assert vipd.running()
    assert len(got) == 1 and set(got[0]) == {"data", "stats"}
    w, g = want[0], got[0]
    assert set(w["data"]) <= set(g["data"]), set(w["data"]) - set(g["data"])
    assert set(w["stats"]) <= set(g["stats"]), set(w["stats"]) - set(g["stats"])
    for k in ("iname", "vrid", "base_priority", "effective_priority", "state", "wantstate",
              "version", "vipset", "adver_int", "auth_type", "auth_data", "ifp_ifname",
              "nopreempt", "accept", "garp_rep", "garp_delay"):
        assert g["data"][k] == w["data"][k], (k, g["data"][k], w["data"][k])
    assert g["data"]["vips"] == w["data"]["vips"] == ["10.0.0.3 dev eth0 scope global set"]
    assert g["stats"]["become_master"] == 1 and g["stats"]["advert_sent"] >= 1
    assert abs(g["data"]["last_transition"] - time.time()) < 10


def test_keepalived_signals_do_not_stop_vipd(lab):
    """STATS_CLEAR writes the counters, then zeroes them; TDUMP is logged;
    the VIP stays through all of them."""
    vipd = lab["lb01"].vipd(tutorial_conf("lb01", [{"priority": 150, "version": 3,
                                                     "advert_int": 0.2}]),
                            env={**os.environ, "TMPDIR": lab.dir})
    vipd.wait_state("MASTER")
    time.sleep(1)
    sent = vipd.instance()["counters"]["adverts_sent"]
    assert sent >= 3
    stats = os.path.join(lab["lb01"].run_dir, "vipd.stats")
    vipd.send(signum("STATS_CLEAR"))
    wait_until(lambda: os.path.exists(stats), 5, what="vipd.stats")
    written = int(next(line.split()[-1] for line in open(stats)
                       if line.startswith("VI_1 adverts_sent ")))
    assert written >= sent
    ka_stats = open(os.path.join(lab.dir, "keepalived.stats")).read()  # and keepalived's file
    assert ka_stats.startswith("VRRP Instance: VI_1\n  Advertisements:\n    Received: ")
    assert vipd.instance()["counters"]["adverts_sent"] < written
    vipd.send(signal.SIGRTMAX)
    wait_until(lambda: "keepalived's thread dump" in vipd.log_text(), 5)
    assert vipd.running() and lab["lb01"].holds(VIP)
    assert vipd.instance()["state"] == "MASTER"
