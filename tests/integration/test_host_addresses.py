"""vipd removes only the addresses it added itself: never the host's own
address that happens to equal a VIP, never an address owner's interface
address, and after a crash only what the crashed run recorded in
RUN_DIR/addrs.owned."""
import os
import time

from lab import tutorial_conf, wait_until

VIP = "10.0.0.3"


def addr_lines(host, dev):
    return host.ip("-4", "-o", "addr", "show", "dev", dev).stdout


def test_host_address_equal_to_a_vip_survives(lab):
    """lb01 has 10.0.0.3/24 of its own on a second interface (dum0, a veth
    inside the host); a /32 VIP with the same address comes and goes on
    eth0: dum0's address stays through start, Master, Backup and exit."""
    h = lab["lb01"]
    h.ip("link", "add", "dum0", "type", "veth", "peer", "name", "dum1")
    h.ip("link", "set", "dum0", "up")
    h.ip("link", "set", "dum1", "up")
    h.ip("addr", "add", "10.0.0.3/24", "dev", "dum0", "noprefixroute")
    lb01 = h.vipd(tutorial_conf("lb01", [{"priority": 150, "version": 3,
                                          "advert_int": 0.3, "vip": "10.0.0.3/32"}]))
    lb01.wait_state("MASTER")
    assert "10.0.0.3/32" in addr_lines(h, "eth0")
    assert "10.0.0.3/24" in addr_lines(h, "dum0")
    lb02 = lab["lb02"].vipd(tutorial_conf("lb02", [{"priority": 200, "version": 3,
                                                     "advert_int": 0.3}]))
    lb01.wait_state("BACKUP", timeout=5)
    wait_until(lambda: "10.0.0.3" not in addr_lines(h, "eth0"), 3, what="VIP released")
    assert "10.0.0.3/24" in addr_lines(h, "dum0")
    lb02.stop()
    lb01.wait_state("MASTER", timeout=5)
    lb01.stop()
    assert "10.0.0.3" not in addr_lines(h, "eth0")
    assert "10.0.0.3/24" in addr_lines(h, "dum0")
    assert not os.path.exists(os.path.join(h.run_dir, "addrs.owned"))


def test_address_owner_keeps_its_address(lab):
    """Priority 255 with the interface's own address as the VIP: Master at
    once (not Fault), adverts from that address, and the address is still
    there after vipd stops and after a crash and restart."""
    h = lab["lb01"]
    c = tutorial_conf("lb01", [{"priority": 255, "version": 3, "advert_int": 0.3,
                                "vip": h.v4}])
    lb01 = h.vipd(c)
    lb01.wait_state("MASTER")
    st = lb01.instance()
    assert st["state"] == "MASTER"
    lb01.stop()
    assert f"{h.v4}/24" in addr_lines(h, "eth0")
    lb01 = h.vipd(c)
    lb01.wait_state("MASTER")
    lb01.kill9()
    lb01 = h.vipd(c)
    lb01.wait_state("MASTER")
    assert f"{h.v4}/24" in addr_lines(h, "eth0")
    lb01.stop()
    assert f"{h.v4}/24" in addr_lines(h, "eth0")


def test_crash_leftovers_removed_by_the_record_only(lab):
    """kill -9 of a master leaves its VIP; the next start removes it (even
    with a config that no longer has that VIP: the record says vipd added
    it), and leaves alone an address an operator added meanwhile."""
    h = lab["lb01"]
    lb01 = h.vipd(tutorial_conf("lb01", [{"priority": 150, "version": 3, "advert_int": 0.3,
                                          "vip": "10.0.0.3/32"}]))
    lb01.wait_state("MASTER")
    lb01.kill9()
    assert "10.0.0.3/32" in addr_lines(h, "eth0")
    assert "eth0 10.0.0.3/32" in open(os.path.join(h.run_dir, "addrs.owned")).read()
    h.ip("addr", "add", "10.0.0.44/32", "dev", "eth0")  # the operator's
    lb01 = h.vipd(tutorial_conf("lb01", [{"priority": 150, "version": 3, "advert_int": 0.3,
                                          "vip": "10.0.0.9/32"}]))
    lb01.wait_state("MASTER")
    lines = addr_lines(h, "eth0")
    assert "10.0.0.3/32" not in lines and "10.0.0.44/32" in lines and "10.0.0.9/32" in lines
    assert "removing 10.0.0.3/32, left on eth0 by an earlier run" in lb01.log_text()
    lb01.stop()
    assert "10.0.0.44/32" in addr_lines(h, "eth0")


def test_vip_deleted_by_another_program_is_added_again(lab):
    """netplan, networkd or an operator deletes a VIP while vipd is Master:
    it comes back at once, as keepalived does, and the log says why; a VIP
    marked no_track stays deleted. A backup adds nothing."""
    c = tutorial_conf("lb01", [{"priority": 150, "version": 3, "advert_int": 0.5,
                                "vip": "10.0.0.3\n        10.0.0.4/32 no_track"}])
    lb01 = lab["lb01"].vipd(c)
    lb01.wait_state("MASTER")
    wait_until(lambda: lab["lb01"].holds("10.0.0.3") and lab["lb01"].holds("10.0.0.4"), 3)
    for _ in range(3):  # and again: each deletion is put right
        lab["lb01"].ip("addr", "del", "10.0.0.3/32", "dev", "eth0")
        wait_until(lambda: lab["lb01"].holds("10.0.0.3"), 2, interval=0.02,
                   what="the VIP added again")
    assert lb01.log_text().count("VIP 10.0.0.3/32 was deleted by another program; adding it "
                                 "again") == 3
    lab["lb01"].ip("addr", "del", "10.0.0.4/32", "dev", "eth0")
    time.sleep(0.5)
    assert not lab["lb01"].holds("10.0.0.4")
    assert "VIP 10.0.0.4/32 was deleted by another program; not added again (no_track)" in \
        lb01.log_text()
    st = lb01.instance()
    assert st["state"] == "MASTER" and st["counters"]["transitions"] == 2
    # a backup does not add a deleted VIP back; and vipd's own removal is not "another program"
    lb02 = lab["lb02"].vipd(tutorial_conf("lb02", [{"priority": 200, "version": 3,
                                                     "advert_int": 0.5}]))
    lb02.wait_state("MASTER", timeout=5)
    lb01.wait_state("BACKUP", timeout=3)
    wait_until(lambda: not lab["lb01"].holds("10.0.0.3"), 3, what="lb01 gave the VIP up")
    time.sleep(0.5)
    assert not lab["lb01"].holds("10.0.0.3")
    assert lb01.log_text().count("was deleted by another program; adding it again") == 3
