"""What -D and --debug show: every event of the machine with its table
row, every netlink request and its answer, and (--debug packet) every
advert in, out and dropped; drops are logged with the offending value."""
import os
import re

from lab import ROOT, tutorial_conf, wait_until

SPOOF = os.path.join(ROOT, "tests", "integration", "spoof.py")


def spoof(lab, count, prio, *extra, vrid=50):
    return lab["client"].exec("/usr/bin/python3", SPOOF, "eth0", "10.0.8.1", str(count),
                              str(vrid), str(prio), *extra, timeout=60)


def test_detail_traces_events_and_kernel_requests(lab):
    lb01 = lab["lb01"].vipd(tutorial_conf("lb01", [{"priority": 150, "version": 3,
                                                     "advert_int": 0.3}]))
    lb01.wait_state("MASTER")
    log = lb01.log_text()
    assert "[fsm] VI_1: INIT + startup: start_backup -> BACKUP; actions notify,timers" in log, log
    assert ("[fsm] VI_1: BACKUP + master-down: become_master -> MASTER; actions "
            "send_advert,add_vips,announce,notify,timers") in log, log
    assert re.search(r"\[kernel\] netlink \d+: add address 10\.0\.0\.3/32 on interface \d+", log)
    assert re.search(r"\[kernel\] netlink \d+(\.\.\d+)?: answered", log), log
    assert "[packet]" not in log  # the per-advert traces are not -D's
    lb01.stop()  # shutdown: priority 0, the address goes
    log = lb01.log_text()
    assert "[fsm] VI_1: MASTER + shutdown: master_stop -> INIT" in log
    assert re.search(r"\[kernel\] netlink \d+: delete address 10\.0\.0\.3/32", log)


def test_packet_traces_and_drop_values(lab):
    lb01 = lab["lb01"].vipd(tutorial_conf("lb01", [{"priority": 150, "version": 3,
                                                     "advert_int": 0.3}]))
    lb02 = lab["lb02"].vipd(tutorial_conf("lb02", [{"priority": 100, "version": 3,
                                                     "advert_int": 0.3}]), args=("--debug", "packet"))
    lb01.wait_state("MASTER")
    lb02.wait_state("BACKUP")
    wait_until(lambda: "[packet] VI_1: BACKUP + adv-accept: backup_accept -> BACKUP"
               in lb02.log_text(), 3, what="the backup's steady events traced")
    log = lb02.log_text()
    assert re.search(r"\[packet\] VI_1: advert from 10\.0\.0\.\d+: VRRPv3 VRID 50 priority 150, "
                     r"1 address\(es\)", log), log
    spoof(lab, 3, 254, "--ttl", "64")
    spoof(lab, 3, 254, vrid=77)
    spoof(lab, 3, 254, "--bad-checksum")
    wait_until(lambda: "(TTL 64, must be 255)" in lb01.log_text(), 3, what="the TTL logged")
    log1, log2 = lb01.log_text(), lb02.log_text()
    assert re.search(r"advert from 10\.0\.8\.1 dropped: .*\(TTL 64, must be 255\)", log1), log1
    assert re.search(r"dropped: .*\(checksum 0x[0-9a-f]{4}\)", log1), log1
    # an unknown VRID is common on a LAN: not a warning, a packet trace
    assert "VRID 77" not in log1
    assert "(VRID 77, no instance here has it)" in log2, log2
    assert lb01.instance()["state"] == "MASTER" and lb02.instance()["state"] == "BACKUP"
