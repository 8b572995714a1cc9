"""kill -9 at any point (during start, a takeover, a reload, vmac and
nftables set-up), then a restart and a clean stop: nothing is left wrong
on the host: no VIP, route, rule, vmac, nftables table, changed sysctl or
address record; and the host's own addresses are all still there."""
import os
import random
import signal
import time

from lab import tutorial_conf

VIP = "10.0.0.3"
EXTRA = ["    use_vmac", "    no_accept",
         "    virtual_routes {", "        192.168.109.0/24 via 10.0.0.254 dev eth0", "    }",
         "    virtual_rules {", "        from 192.168.2.0/24 table 100 priority 1000", "    }"]


def host_state(h):
    return {
        "addrs": h.ip("-o", "addr", "show").stdout.count(" inet"),
        "own": f"{h.v4}/24" in h.ip("-o", "addr", "show", "dev", "eth0").stdout,
        "vip": h.holds(VIP),
        "vmac": "vrrp." in h.ip("-o", "link", "show").stdout,
        "route": "192.168.109.0" in h.ip("route", "show").stdout,
        "rule": "192.168.2.0/24" in h.ip("rule", "show").stdout,
        "nft": "vipd" in h.exec("nft", "list", "tables", check=False).stdout,
        "sysctl": [h.exec("sysctl", "-n", f"net.ipv4.conf.{k}").stdout.strip()
                   for k in ("eth0.arp_ignore", "eth0.arp_announce", "all.rp_filter")],
        "record": os.path.exists(os.path.join(h.run_dir, "addrs.owned")),
    }


def test_kill9_anywhere_then_restart_leaves_nothing(lab):
    rng = random.Random(13)  # reproducible points; still varied across phases
    h = lab["lb01"]
    h.exec("sysctl", "-qw", "net.ipv4.conf.all.rp_filter=1")
    before = host_state(h)
    c150 = tutorial_conf("lb01", [{"priority": 150, "version": 3, "advert_int": 0.1,
                                   "extra": EXTRA}])
    c90 = c150.replace("priority 150", "priority 90")
    peer = lab["lb02"].vipd(tutorial_conf("lb02", [{"priority": 100, "version": 3,
                                                    "advert_int": 0.1, "extra": ["    use_vmac"]}]))
    points = []
    for i in range(10):
        d = h.vipd(c150)
        phase = rng.choice(["start", "takeover", "reload"])
        if phase == "start":
            time.sleep(rng.uniform(0, 0.4))
        elif phase == "takeover":
            d.wait_state("MASTER", timeout=5)
            time.sleep(rng.uniform(0, 0.1))
        else:
            d.wait_state("MASTER", timeout=5)
            with open(d.conf, "w") as f:
                f.write(c90 if i % 2 else c150)
            d.send(signal.SIGHUP)
            time.sleep(rng.uniform(0, 0.2))
        points.append(phase)
        d.kill9()
    # a last run cleans up what the killed ones left, then stops cleanly
    d = h.vipd(c150)
    d.wait_state("MASTER", timeout=5)
    d.stop()
    peer.stop()
    after = host_state(h)
    assert after == before, (points, before, after)
    assert not lab.sanitizer_reports()
