"""The ip-route / ip-rule options keepalived takes in virtual_routes and
virtual_rules, as a router-style config writes them: route metrics with
lock, congctl, multipath nexthops with weights, tos and realms; rule
suppress_prefixlength, goto, ipproto with port ranges, uidrange, protocol,
l3mdev, nop, suppress_ifgroup and tunnel-id. The kernel's own view (ip
route / ip rule) shows each while vipd is master, and none after it stops."""
from lab import tutorial_conf, wait_until

ROUTES = ["    virtual_routes {",
          "        10.9.0.0/16 via 10.0.0.1 dev eth0 mtu 1400 advmss 1360 lock hoplimit 32 "
          "rtt 100ms initcwnd 10 congctl cubic quickack 1",
          "        default nexthop via 10.0.0.1 dev eth0 weight 2 nexthop via 10.0.0.2 dev eth0 "
          "weight 1 table 100",
          "        10.8.0.0/16 via 10.0.0.1 tos 16 realms 1/2 metric 5",
          "    }"]
RULES = ["    virtual_rules {",
         "        from 10.0.0.3 table 100 suppress_prefixlength 0 priority 100",
         "        from 10.1.0.0/16 goto 300 priority 150",
         "        to 10.2.0.0/16 ipproto tcp dport 80-443 sport 1024 table 101 priority 160",
         "        uidrange 1000-2000 lookup 102 protocol 4 priority 170",
         "        iif eth0 l3mdev priority 180",
         "        fwmark 0x10/0xff nop priority 190",
         "        not from all sup_group 5 table 103 order 300 tunnel-id 7",
         "    }"]


def test_route_and_rule_options_reach_the_kernel(lab):
    lb01 = lab["lb01"]
    d = lb01.vipd(tutorial_conf("lb01", [{"priority": 150, "extra": ROUTES + RULES}]))
    d.wait_state("MASTER", timeout=6)
    wait_until(lambda: "10.9.0.0/16" in lb01.ip("route").stdout, 3, what="the routes")
    r = lb01.ip("route", "show", "10.9.0.0/16").stdout
    for want in ("mtu 1400", "advmss 1360", "hoplimit lock 32", "rtt 100ms", "initcwnd 10",
                 "congctl cubic", "quickack 1"):
        assert want in r, (want, r)
    mp = lb01.ip("route", "show", "table", "100").stdout
    assert "nexthop via 10.0.0.1 dev eth0 weight 2" in mp and \
        "nexthop via 10.0.0.2 dev eth0 weight 1" in mp, mp
    r = lb01.ip("route", "show", "10.8.0.0/16").stdout
    assert "tos 0x10" in r and "realms 1/2" in r and "metric 5" in r, r
    rules = lb01.ip("rule", "show").stdout
    for want in ("100:\tfrom 10.0.0.3 lookup 100 suppress_prefixlength 0",
                 "150:\tfrom 10.1.0.0/16 goto 300",
                 "160:\tfrom all to 10.2.0.0/16 ipproto tcp sport 1024 dport 80-443 lookup 101",
                 "170:\tfrom all uidrange 1000-2000 lookup 102 proto static",
                 "180:\tfrom all iif eth0 lookup [l3mdev-table]",
                 "190:\tfrom all fwmark 0x10/0xff nop",
                 "300:\tnot from all tun_id 7 lookup 103 suppress_ifgroup 5"):
        assert want in rules, (want, rules)
    d.stop()
    assert "10.9.0.0/16" not in lb01.ip("route").stdout
    assert "lookup 100 suppress_prefixlength" not in lb01.ip("rule", "show").stdout
    assert "goto 300" not in lb01.ip("rule", "show").stdout
