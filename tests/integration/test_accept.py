"""Accept_Mode (RFC 9568 6.1): a master that is not the address owner and
runs no_accept (or vrrp_strict) drops traffic to its VIPs, through an
nftables table of vipd's own, but still answers Neighbor Discovery for
them; accept and the address owner answer; the table goes on reload and
exit."""
import signal

from lab import tutorial_conf, wait_until

VIP4, VIP6 = "10.0.0.3", "fd00:50::100"


def conf(host, mode, prio=150, global_extra=""):
    extra = [f"    {mode}"] if mode else []
    return tutorial_conf(host.name, [
        {"priority": prio, "version": 3, "advert_int": 0.5, "extra": extra},
        {"name": "VI_6", "vrid": 51, "priority": prio, "version": 3, "advert_int": 0.5,
         "vip": VIP6, "extra": extra}], global_extra)


def pings(client, vip):
    six = ["-6"] if ":" in vip else []
    return client.exec("ping", *six, "-n", "-c", "1", "-W", "1", vip,
                       check=False).returncode == 0


def table(host):
    r = host.exec("nft", "list", "table", "inet", "vipd", check=False)
    return r.stdout if r.returncode == 0 else None


def test_no_accept_drops_but_answers_neighbour_discovery(lab):
    lb01, client = lab["lb01"], lab["client"]
    d1 = lb01.vipd(conf(lb01, "no_accept"))
    d1.wait_state("MASTER")
    d1.wait_state("MASTER", name="VI_6")
    assert lb01.holds(VIP4) and lb01.holds(VIP6)
    rules = table(lb01)
    assert rules and VIP4 in rules and VIP6 in rules
    assert not pings(client, VIP4) and not pings(client, VIP6)
    # ND still works (RFC 9568 6.4.3): the client resolved the IPv6 VIP
    neigh = client.ip("-6", "neigh", "show", VIP6).stdout
    assert "lladdr" in neigh and "FAILED" not in neigh
    assert "nftables table inet vipd: dropping traffic to 2 VIP(s) of no_accept instances " \
        "and the IGMP/MLD reports of 0 vmac(s)" in d1.log_text()
    # reload with accept: the table goes, the VIPs answer, nothing flaps
    with open(d1.conf, "w") as f:
        f.write(conf(lb01, "accept"))
    d1.send(signal.SIGHUP)
    wait_until(lambda: table(lb01) is None, 5, what="table removed on reload")
    assert pings(client, VIP4) and pings(client, VIP6)
    assert d1.instance()["state"] == "MASTER"
    d1.stop()
    assert table(lb01) is None


def test_strict_mode_drops_and_owner_accepts(lab):
    lb01, lb02, client = lab["lb01"], lab["lb02"], lab["client"]
    strict = "    vrrp_strict\n"
    one = lambda host, prio: tutorial_conf(host.name, [
        {"priority": prio, "version": 3, "advert_int": 0.5}], strict)
    d2 = lb02.vipd(one(lb02, 150))
    d2.wait_state("MASTER")
    assert table(lb02) and not pings(client, VIP4)
    d2.stop()
    assert table(lb02) is None
    # the address owner (priority 255) always accepts
    d1 = lb01.vipd(one(lb01, 255))
    d1.wait_state("MASTER")
    assert table(lb01) is None and pings(client, VIP4)


def test_table_left_by_a_crash_is_replaced(lab):
    lb01, client = lab["lb01"], lab["client"]
    d1 = lb01.vipd(conf(lb01, "no_accept"))
    d1.wait_state("MASTER")
    d1.kill9()
    assert table(lb01)
    d2 = lb01.vipd(conf(lb01, None))
    d2.wait_state("MASTER")
    wait_until(lambda: table(lb01) is None, 3, what="stale table removed")
    assert pings(client, VIP4) and pings(client, VIP6)
