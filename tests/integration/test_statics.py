"""static_ipaddress, static_routes, static_rules and track_group, as
keepalived has them: set at start whatever the VRRP state, put back when
another program deletes one, removed at stop; the same scenario runs under
Debian's keepalived and vipd (keepalived 2.2.7 puts back a static route
only when it names a track_group, and no static rule; vipd each, unless
no_track). Then what vipd does beyond: an instance's
virtual routes and rules put back while Master (no_track opts out), a
reload that changes only what changed, an address the host had before
left alone, and a track_group member held in Fault by its interface. A
static address without a dev on default_interface, in both."""
import signal
import subprocess
import time

import pytest

from lab import Daemon, tutorial_conf, wait_until

STATICS = """
track_group TG {
    group {
        VI_1
    }
}
static_ipaddress {
    192.168.50.1/24 dev eth0
}
static_routes {
    192.168.60.0/24 via 192.168.50.254 dev eth0
    192.168.61.0/24 dev eth0 table 100 metric 7 track_group TG
}
static_rules {
    from 192.168.50.0/24 table 100 priority 100 track_group TG
}
"""


def kernel(host):
    """What the kernel holds of the static entries."""
    addrs = host.ip("-4", "addr", "show", "dev", "eth0").stdout
    routes = host.ip("route", "show").stdout + host.ip("route", "show", "table", "100", check=False).stdout
    rules = host.ip("rule", "show").stdout
    return {"addr": "192.168.50.1/24" in addrs, "route": "192.168.60.0/24 via" in routes,
            "table100": "192.168.61.0/24 dev eth0" in routes and "metric 7" in routes,
            "rule": "100:\tfrom 192.168.50.0/24 lookup 100" in rules}


def all_set(host):
    return all(kernel(host).values())


def none_set(host):
    return not any(kernel(host).values())


@pytest.mark.parametrize("kind", ["keepalived", "vipd"])
def test_statics_set_put_back_and_removed(lab, kind):
    lb01 = lab["lb01"]
    conf = tutorial_conf("lb01", [{"priority": 100}]) + STATICS
    d = Daemon(lb01, kind, conf)
    wait_until(lambda: all_set(lb01), 5, what=f"{kind} sets the static entries")
    lb01.ip("addr", "del", "192.168.50.1/24", "dev", "eth0")
    wait_until(lambda: kernel(lb01)["addr"], 3, what=f"{kind} puts the address back")
    lb01.ip("route", "del", "192.168.61.0/24", "table", "100", "metric", "7")
    wait_until(lambda: kernel(lb01)["table100"], 3, what=f"{kind} puts the route back")
    # keepalived 2.2.7 does not put back a static rule, nor a static route
    # without a track_group (deleting the address took the one through its
    # gateway with it); vipd puts back each, unless no_track
    if kind == "vipd":
        lb01.ip("rule", "del", "priority", "100")
        wait_until(lambda: kernel(lb01)["rule"], 3, what=f"{kind} puts the rule back")
        wait_until(lambda: all_set(lb01), 3, what="every entry back")
    d.stop()
    assert none_set(lb01), kernel(lb01)
    if kind == "vipd":
        assert "static address 192.168.50.1/24 dev eth0 was deleted by another program; " \
               "adding it again" in d.log_text()


VROUTES = ["    virtual_routes {",
           "        192.168.70.0/24 dev eth0",
           "        192.168.71.0/24 dev eth0 no_track",
           "    }",
           "    virtual_rules {",
           "        from 10.0.0.3 table 101 priority 101",
           "    }"]


@pytest.mark.parametrize("kind", ["keepalived", "vipd"])
def test_static_address_without_dev_on_default_interface(lab2, kind):
    """A static address that names no dev goes on global_defs'
    default_interface (osixia/keepalived's config sets one), as keepalived
    2.2.7 puts it; vipd refused the config before."""
    lb01 = lab2["lb01"]
    conf = tutorial_conf("lb01", [{"priority": 100}],
                         global_extra="    default_interface eth1\n") + \
        "static_ipaddress {\n    192.168.52.1/24\n}\n"
    d = Daemon(lb01, kind, conf)
    wait_until(lambda: "192.168.52.1/24" in lb01.ip("-br", "addr", "show", "dev", "eth1").stdout,
               5, what=f"{kind} puts the address on eth1")
    assert "192.168.52.1" not in lb01.ip("-br", "addr", "show", "dev", "eth0").stdout
    d.stop()
    assert "192.168.52.1" not in lb01.ip("-br", "addr", "show").stdout


def test_virtual_routes_and_rules_put_back_while_master(lab):
    lb01 = lab["lb01"]
    d = lb01.vipd(tutorial_conf("lb01", [{"priority": 150, "extra": VROUTES}]))
    d.wait_state("MASTER", timeout=6)
    wait_until(lambda: "192.168.71.0/24" in lb01.ip("route").stdout, 3, what="the routes")
    lb01.ip("route", "del", "192.168.70.0/24", "dev", "eth0")
    lb01.ip("route", "del", "192.168.71.0/24", "dev", "eth0")
    lb01.ip("rule", "del", "priority", "101")
    wait_until(lambda: "192.168.70.0/24" in lb01.ip("route").stdout, 3, what="route put back")
    wait_until(lambda: "101:\tfrom 10.0.0.3 lookup 101" in lb01.ip("rule").stdout, 3,
               what="rule put back")
    time.sleep(0.5)
    assert "192.168.71.0/24" not in lb01.ip("route").stdout  # no_track
    log = d.log_text()
    assert "VI_1: virtual route 1 was deleted by another program; adding it again" in log
    assert "virtual route 2 was deleted by another program; not added again (no_track)" in log
    assert d.instance()["state"] == "MASTER"  # no flap, unlike keepalived
    d.stop()
    assert "192.168.70.0/24" not in lb01.ip("route").stdout


def test_reload_changes_only_what_changed_and_host_address_kept(lab):
    lb01 = lab["lb01"]
    lb01.ip("addr", "add", "192.168.52.1/24", "dev", "eth0")  # the host's own, before vipd
    conf = tutorial_conf("lb01", [{"priority": 100}])
    extra = "static_ipaddress {\n    192.168.52.1/24 dev eth0\n}\n"
    d = lb01.vipd(conf + STATICS + extra)
    wait_until(lambda: all_set(lb01), 5, what="static entries")
    mon = lb01.popen("ip", "-o", "monitor", "address", "route", stdout=subprocess.PIPE,
                     text=True)
    try:
        new = STATICS.replace("192.168.60.0/24 via 192.168.50.254 dev eth0",
                              "192.168.62.0/24 via 192.168.50.254 dev eth0")
        with open(d.conf, "w") as f:
            f.write(conf + new + extra)
        d.send(signal.SIGHUP)
        wait_until(lambda: "192.168.62.0/24" in lb01.ip("route").stdout, 5, what="new route")
        wait_until(lambda: "192.168.60.0/24" not in lb01.ip("route").stdout, 3,
                   what="old route removed")
        time.sleep(0.3)
    finally:
        mon.terminate()
        out = mon.communicate(timeout=5)[0]
    assert "Deleted" not in "\n".join(l for l in out.splitlines() if "192.168.50.1" in l), out
    d.stop()
    assert none_set(lb01)
    assert "192.168.52.1/24" in lb01.ip("addr").stdout  # vipd did not add it: kept
    assert "192.168.62.0/24" not in lb01.ip("route").stdout


TRACK_GROUP = """
track_group TG {
    group {
        VI_1
    }
}
static_ipaddress {
    192.168.80.1/24 dev eth1 track_group TG
}
static_routes {
    192.168.81.0/24 dev eth1 track_group TG
}
"""


def test_track_group_member_follows_the_static_interface(lab2):
    lb01 = lab2["lb01"]
    d = lb01.vipd(tutorial_conf("lb01", [{"priority": 150}]) + TRACK_GROUP)
    d.wait_state("MASTER", timeout=6)
    wait_until(lambda: "192.168.81.0/24" in lb01.ip("route").stdout, 3, what="static route")
    lb01.ip("link", "set", "eth1", "down")
    d.wait_state("FAULT", timeout=3)
    assert not lab2["lb01"].holds("10.0.0.3")
    lb01.ip("link", "set", "eth1", "up")
    d.wait_state("MASTER", timeout=6)
    # the kernel took the route with the link; vipd set it again when it came up
    wait_until(lambda: "192.168.81.0/24" in lb01.ip("route").stdout, 3,
               what="static route set again")
    assert "192.168.80.1/24" in lb01.ip("addr", "show", "dev", "eth1").stdout
