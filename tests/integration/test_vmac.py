"""use_vmac: the VIP on a macvlan carrying the virtual router's MAC
(00:00:5e:00:01:VRID). Clients resolve the VIP to that MAC and keep it
across a failover; adverts and announcements leave from it; the vmac goes
when the daemon stops. Also with keepalived's use_vmac on the other host."""
import os
import subprocess
import time

from lab import BUILD, tutorial_conf, wait_until

VIP = "10.0.0.3"
VMAC = "00:00:5e:00:01:32"  # VRID 50


def conf(host, prio, extra=(), version=2):
    return tutorial_conf(host.name, [{"priority": prio, "version": version,
                                      "auth_pass": "1111" if version == 2 else None,
                                      "extra": ["    use_vmac", *extra]}])


def link(host, name):
    r = host.ip("-o", "link", "show", name, check=False)
    return r.stdout if r.returncode == 0 else None


def client_mac(client):
    """The client's neighbour entry for the VIP, after a ping through it."""
    client.exec("ping", "-n", "-c", "1", "-W", "1", VIP, check=False)
    out = client.ip("neigh", "show", VIP).stdout.split()
    return out[out.index("lladdr") + 1] if "lladdr" in out else None


def ping_ok(client):
    return client.exec("ping", "-n", "-c", "1", "-W", "1", VIP, check=False).returncode == 0


def sysctl(host, key):
    return host.exec("sysctl", "-n", key).stdout.strip()


def wire(host, seconds, filt):
    """Link-level summary (source MACs) of what host sees for seconds."""
    p = host.popen("tcpdump", "-e", "-n", "-l", "-i", "eth0", filt, stdout=subprocess.PIPE,
                   stderr=subprocess.DEVNULL, text=True)
    time.sleep(seconds)
    p.terminate()
    return p.communicate(timeout=10)[0]


def test_vmac_seen_by_client_and_kept_across_failover(lab):
    lb01, lb02, client = lab["lb01"], lab["lb02"], lab["client"]
    d1 = lb01.vipd(conf(lb01, 150))
    d1.wait_state("MASTER")
    d2 = lb02.vipd(conf(lb02, 100))
    d2.wait_state("BACKUP")
    assert VMAC in link(lb01, "vrrp.50") and VMAC in link(lb02, "vrrp.50")
    assert "vrrp.50" in lb01.ip("-br", "addr", "show", "to", VIP).stdout
    assert not lb02.holds(VIP)
    st = d1.instance()
    assert st["vmac"] == "vrrp.50"
    # only the vmac answers for the VIP
    assert sysctl(lb01, "net.ipv4.conf.eth0.arp_ignore") == "1"
    assert sysctl(lb01, "net.ipv4.conf.vrrp/50.arp_ignore") == "1"
    assert client_mac(client) == VMAC
    # the master's adverts come from the virtual MAC, and the backup, whose
    # vmac has the same MAC, hears them (on its vmac) and stays backup; its
    # vmac sends nothing at all (its IGMP reports are dropped, the base
    # reports the group instead), so no switch learns the MAC on its port
    seen = wire(client, 4, f"ether src {VMAC}")
    assert "VRRPv2, Advertisement, vrid 50, prio 150" in seen
    assert lb01.v4 + " > 224.0.0.18" in seen and lb02.v4 not in seen and "igmp" not in seen
    st2 = d2.instance()
    assert st2["state"] == "BACKUP" and st2["counters"]["adverts_received"] >= 3
    stats = lb02.exec("ip", "-s", "-j", "link", "show", "vrrp.50").stdout.replace(" ", "")
    assert '"tx":{"bytes":0,"packets":0' in stats
    assert "vrrp.50" in lb02.exec("nft", "list", "table", "inet", "vipd").stdout
    # lb01 dies (its link goes down): lb02 takes the VIP on its vmac; the
    # client keeps the same MAC for the VIP and still reaches it
    lb01.ip("link", "set", "eth0", "down")
    d2.wait_state("MASTER", timeout=5)
    assert "vrrp.50" in lb02.ip("-br", "addr", "show", "to", VIP).stdout
    wait_until(lambda: ping_ok(client), 5, what="VIP reachable through lb02")
    assert client_mac(client) == VMAC
    # stopping removes the vmac and gives the base its ARP settings back
    d2.stop()
    assert link(lb02, "vrrp.50") is None
    assert sysctl(lb02, "net.ipv4.conf.eth0.arp_ignore") == "0"
    assert "removed vmac vrrp.50" in d2.log_text()


def test_vmac_xmit_base_and_named_vmac(lab):
    lb01, client = lab["lb01"], lab["client"]
    d1 = lb01.vipd(conf(lb01, 150, ["    vmac_xmit_base"]).replace(
        "use_vmac", "use_vmac vip50"))
    d1.wait_state("MASTER")
    assert VMAC in link(lb01, "vip50")
    eth0_mac = lb01.ip("-o", "link", "show", "eth0").stdout.split("link/ether ")[1].split()[0]
    seen = wire(client, 2.5, "ip proto 112")
    assert f"{eth0_mac} > 01:00:5e:00:00:12" in seen and VMAC not in seen
    assert client_mac(client) == VMAC
    text = lb01.exec(os.path.join(BUILD, "vipctl"), "-s", d1.sock, "status").stdout
    assert "vmac        vip50, 00:00:5e:00:01:32, adverts from the interface" in text


def test_vmac_name_taken_by_another_interface_is_a_fault(lab):
    lb01 = lab["lb01"]
    lb01.ip("link", "add", "vrrp.50", "type", "veth", "peer", "name", "other")
    d1 = lb01.vipd(conf(lb01, 150))
    d1.wait_state("FAULT")
    assert "interface vrrp.50 exists and is not the vmac of VRID 50 on eth0" in d1.log_text()
    assert not lb01.holds(VIP)
    lb01.ip("link", "del", "vrrp.50")
    d1.wait_state("MASTER", timeout=6)
    assert VMAC in link(lb01, "vrrp.50")


def test_vmac_with_keepalived_both_ways(lab):
    """keepalived use_vmac on lb01, vipd use_vmac on lb02: the client sees the
    virtual MAC whoever is master, and the VIP stays reachable."""
    lb01, lb02, client = lab["lb01"], lab["lb02"], lab["client"]
    # keepalived 2.2.7 leaves arp_announce alone (its vmac note asks the
    # operator to tune ARP); without this its ARP requests name the VIP with
    # the base's MAC. vipd sets it on the base itself.
    lb01.exec("sysctl", "-qw", "net.ipv4.conf.eth0.arp_announce=2")
    k1 = lb01.keepalived(conf(lb01, 150))
    wait_until(lambda: lb01.holds(VIP), 8, what="keepalived master")
    d2 = lb02.vipd(conf(lb02, 100))
    d2.wait_state("BACKUP")
    assert client_mac(client) == VMAC and ping_ok(client)
    k1.stop()
    d2.wait_state("MASTER", timeout=5)
    wait_until(lambda: ping_ok(client), 5, what="VIP reachable through vipd")
    assert client_mac(client) == VMAC
    assert lab.holders(VIP) == ["lb02"]
    # and back: keepalived with the higher priority takes over again
    k1 = lb01.keepalived(conf(lb01, 150))
    d2.wait_state("BACKUP", timeout=8)
    wait_until(lambda: lab.holders(VIP) == ["lb01"], 5, what="keepalived master again")
    wait_until(lambda: ping_ok(client), 5, what="VIP reachable through keepalived")
    assert client_mac(client) == VMAC
    assert "vrrp.50" in lb02.ip("-o", "link", "show").stdout  # vipd keeps its vmac


def test_vmac_ipv6(lab):
    """IPv6: the vmac carries 00:00:5e:00:02:VRID; adverts leave from it with
    the interface's link-local address; the client's neighbour entry for
    the VIP is the virtual MAC before and after a failover."""
    vip6, vmac6 = "fd00:50::100", "00:00:5e:00:02:32"
    lb01, lb02, client = lab["lb01"], lab["lb02"], lab["client"]

    def conf6(host, prio):
        return tutorial_conf(host.name, [{"priority": prio, "version": 3, "advert_int": 0.5,
                                          "vip": vip6, "extra": ["    use_vmac"]}])

    def neigh6():
        client.exec("ping", "-6", "-n", "-c", "1", "-W", "1", vip6, check=False)
        out = client.ip("-6", "neigh", "show", vip6).stdout.split()
        return out[out.index("lladdr") + 1] if "lladdr" in out else None

    d1 = lb01.vipd(conf6(lb01, 150))
    d1.wait_state("MASTER")
    d2 = lb02.vipd(conf6(lb02, 100))
    d2.wait_state("BACKUP")
    assert vmac6 in link(lb01, "vrrp.50")
    wait_until(lambda: d2.instance()["counters"]["adverts_received"] >= 3, 3,
               what="lb02 hears lb01's adverts on its vmac")
    assert neigh6() == vmac6
    seen = wire(client, 1.5, f"ether src {vmac6} and ip6 proto 112")
    assert "fe80::" in seen and "ff02::12" in seen
    lb01.ip("link", "set", "eth0", "down")
    d2.wait_state("MASTER", timeout=3)
    wait_until(lambda: neigh6() == vmac6 and client.exec(
        "ping", "-6", "-n", "-c", "1", "-W", "1", vip6, check=False).returncode == 0, 5,
        what="IPv6 VIP reachable through lb02")


def test_vmac_recreated_rp_filter_and_crash(lab):
    """A vmac deleted by hand under a master comes back with its VIPs; strict
    reverse-path filtering on the host is worked around and put back; the
    interface settings a crashed run left are put back by the next run."""
    lb01, lb02, client = lab["lb01"], lab["lb02"], lab["client"]
    for h in (lb01, lb02):
        h.exec("sysctl", "-qw", "net.ipv4.conf.all.rp_filter=1",
               "net.ipv4.conf.eth0.rp_filter=0")
    d1 = lb01.vipd(conf(lb01, 150))
    d1.wait_state("MASTER")
    d2 = lb02.vipd(conf(lb02, 100))
    d2.wait_state("BACKUP")
    assert sysctl(lb02, "net.ipv4.conf.all.rp_filter") == "0"
    assert sysctl(lb02, "net.ipv4.conf.eth0.rp_filter") == "1"
    n = d2.instance()["counters"]["adverts_received"]
    wait_until(lambda: d2.instance()["counters"]["adverts_received"] >= n + 3, 5,
               what="the backup hears adverts on its vmac")
    lb01.ip("link", "del", "vrrp.50")
    wait_until(lambda: link(lb01, "vrrp.50") and "vrrp.50" in lb01.ip(
        "-br", "addr", "show", "to", VIP).stdout, 5, what="vmac and VIP back")
    assert "vmac vrrp.50 made again; VIPs back on it" in d1.log_text()
    assert client_mac(client) == VMAC and ping_ok(client)
    assert d1.instance()["state"] == "MASTER" and d2.instance()["state"] == "BACKUP"
    d2.stop()
    assert sysctl(lb02, "net.ipv4.conf.all.rp_filter") == "1"
    assert sysctl(lb02, "net.ipv4.conf.eth0.rp_filter") == "0"
    d1.kill9()
    assert sysctl(lb01, "net.ipv4.conf.eth0.arp_ignore") == "1"
    d3 = lb01.vipd(tutorial_conf("lb01", [{"priority": 150, "auth_pass": "1111"}]))
    d3.wait_state("BACKUP")
    assert sysctl(lb01, "net.ipv4.conf.eth0.arp_ignore") == "0"
    assert sysctl(lb01, "net.ipv4.conf.all.rp_filter") == "1"
    assert "putting back interface settings left changed by an earlier run" in d3.log_text()


def test_garp_extra_if(lab2):
    """garp_extra_if all 1 with use_vmac and vmac_xmit_base: while Master,
    each second one GARP for a VIP on another interface (dev eth1: from
    eth1's MAC) and one from the vmac (adverts leave from eth0, so nothing
    else comes from it), as keepalived 2.2.7 does on lb02 in the same run."""
    lab = lab2
    ds = []
    for host, vrid, vip, extra_vip in (("lb01", 50, VIP, "10.1.0.13"),
                                        ("lb02", 51, "10.0.0.4", "10.1.0.14")):
        extra = ["    use_vmac", "    vmac_xmit_base", "    garp_extra_if all 1",
                 "    garp_master_delay 1", "    garp_master_refresh 0",
                 "    virtual_ipaddress_excluded {", f"        {extra_vip}/32 dev eth1", "    }"]
        c = tutorial_conf(host, [{"priority": 150, "vrid": vrid, "vip": vip, "extra": extra}])
        ds.append(lab[host].vipd(c) if host == "lb01" else lab[host].keepalived(c))
    wait_until(lambda: lab["lb01"].holds(VIP) and lab["lb02"].holds("10.0.0.4"), 8,
               what="both masters")
    time.sleep(2.5)  # the first bursts (at once and garp_master_delay later) are over
    cap = lab["client"].popen("tcpdump", "-e", "-n", "-l", "-i", "eth1", "arp",
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    out = wire(lab["client"], 4.2, "arp")
    cap.terminate()
    out += cap.communicate(timeout=10)[0]
    for host, mac, vip, extra_vip in (("lb01", "00:00:5e:00:01:32", VIP, "10.1.0.13"),
                                      ("lb02", "00:00:5e:00:01:33", "10.0.0.4", "10.1.0.14")):
        eth1 = lab[host].exec("cat", "/sys/class/net/eth1/address").stdout.strip()
        for src, addr in ((mac, vip), (eth1, extra_vip)):
            garps = [x for x in out.splitlines() if f" {src} >" in x and f"tell {addr}" in x]
            seen = sorted({(x.split()[1], x.split()[-3].rstrip(",")) for x in out.splitlines()
                           if "tell" in x})
            assert 3 <= len(garps) <= 5, (host, src, addr, len(garps), seen)
    ds[1].stop()
