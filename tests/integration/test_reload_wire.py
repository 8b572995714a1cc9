"""Reload without dropping VIPs, and what vipd puts on the wire, checked by
tshark on the client host."""
import os
import signal
import subprocess
import tempfile
import time
import pytest

from lab import tutorial_conf, wait_until

VIP = "10.0.0.3"


def start_pair(lab, adv=0.5):
    lb01 = lab["lb01"].vipd(tutorial_conf("lb01", [{"priority": 150, "version": 3,
                                                     "advert_int": adv}]))
    lb02 = lab["lb02"].vipd(tutorial_conf("lb02", [{"priority": 100, "version": 3,
                                                     "advert_int": adv}]))
    lb01.wait_state("MASTER")
    lb02.wait_state("BACKUP")
    return lb01, lb02


def watch_addresses(host):
    """`ip monitor address` on the host, into a file, until stopped."""
    out = tempfile.TemporaryFile(mode="w+")
    p = host.popen("ip", "monitor", "address", stdout=out, stderr=subprocess.STDOUT)
    time.sleep(0.3)
    return p, out


def stop_watch(p, out):
    p.terminate()
    p.wait(5)
    out.seek(0)
    return out.read()


def test_reload_without_changes_keeps_vips(lab):
    lb01, _ = start_pair(lab)
    p, out = watch_addresses(lab["lb01"])
    lb01.send(signal.SIGHUP)
    wait_until(lambda: lb01.status()["reloads"] == 1, 5, what="reload done")
    time.sleep(1.5)
    events = stop_watch(p, out)
    assert "Deleted" not in events, events
    st = lb01.instance()
    assert st["state"] == "MASTER" and st["counters"]["transitions"] == 2
    assert lab["lb01"].holds(VIP)


def test_reload_with_changes(lab):
    lb01, lb02 = start_pair(lab)
    conf = open(lb01.conf).read()
    # lower lb01's priority below lb02's: lb02 preempts it
    with open(lb01.conf, "w") as f:
        f.write(conf.replace("priority 150", "priority 50"))
    lb01.send(signal.SIGHUP)
    lb02.wait_state("MASTER", timeout=5)
    lb01.wait_state("BACKUP", timeout=3)
    assert lb01.instance()["priority"] == 50
    # add an instance and remove it again
    with open(lb01.conf, "w") as f:
        f.write(tutorial_conf("lb01", [
            {"priority": 50, "version": 3, "advert_int": 0.5},
            {"name": "VI_2", "vrid": 51, "priority": 200, "version": 3, "advert_int": 0.5,
             "vip": "10.0.0.4"}]))
    lb01.send(signal.SIGHUP)
    lb01.wait_state("MASTER", "VI_2", timeout=5)
    wait_until(lambda: lab["lb01"].holds("10.0.0.4"), 3)
    with open(lb01.conf, "w") as f:
        f.write(conf.replace("priority 150", "priority 50"))
    lb01.send(signal.SIGHUP)
    wait_until(lambda: lb01.instance("VI_2") is None, 5, what="VI_2 removed")
    wait_until(lambda: not lab["lb01"].holds("10.0.0.4"), 3, what="VI_2's VIP removed")
    # a broken config is refused; the running one stays
    with open(lb01.conf, "w") as f:
        f.write("vrrp_instance VI_1 { virtual_router_id 999 }\n")
    lb01.send(signal.SIGHUP)
    wait_until(lambda: "reload refused" in lb01.log_text(), 5)
    assert lb01.running() and lb01.instance()["state"] == "BACKUP"
    assert lb01.status()["reloads"] == 3
    # the daemon's log says why, with the file and line, as vipd -t does
    assert f"{lb01.conf}:1:" in lb01.log_text() and "error:" in lb01.log_text()


def test_reload_asked_while_reading_reads_again(lab):
    """The config is read off the loop. A SIGHUP that comes while a read is
    under way is not lost: the file is read again after the first read, and
    its last version is the one in force."""
    comments = os.path.join(lab.dir, "comments.conf")  # 15 MB: a read of 0.1 s or more
    line = "# " + "x" * 76 + "\n"
    with open(comments, "w") as f:
        f.write(line * (15 * 1024 * 1024 // len(line)))

    def conf(prio):
        return f"include {comments}\n" + tutorial_conf("lb01", [{"priority": prio, "version": 3,
                                                                  "advert_int": 0.5}])
    def replace(text):  # as config management does: the reader never sees half a file
        with open(lb01.conf + ".new", "w") as f:
            f.write(text)
        os.rename(lb01.conf + ".new", lb01.conf)
    lb01 = lab["lb01"].vipd(conf(150))
    lb01.wait_state("MASTER")
    replace(conf(160))
    lb01.send(signal.SIGHUP)
    time.sleep(0.02)
    replace(conf(170))
    lb01.send(signal.SIGHUP)
    wait_until(lambda: lb01.status()["reloads"] == 2, 10, what="both reloads done")
    assert lb01.instance()["priority"] == 170
    assert "it is read again after" in lb01.log_text()
    st = lb01.instance()
    assert st["state"] == "MASTER" and st["counters"]["transitions"] == 2


def test_reload_logs_at_most_fifty_diagnostics(lab):
    """A config with many warnings: the log gets the first 50 and a count of
    the rest, and the reload goes ahead."""
    lb01, _ = start_pair(lab)
    vs = "".join(f"virtual_server 10.1.0.{i} 80 {{\n    lb_algo rr\n}}\n" for i in range(1, 61))
    with open(lb01.conf, "a") as f:
        f.write(vs)
    lb01.send(signal.SIGHUP)
    wait_until(lambda: lb01.status()["reloads"] == 1, 5, what="reload done")
    log = lb01.log_text()
    assert log.count("'virtual_server' is not supported by vipd") == 50
    assert "10 more error(s) and warning(s)" in log
    assert lab["lb01"].holds(VIP)


def test_wire(lab):
    """Adverts: protocol 112, TTL 255, to 224.0.0.18, valid checksum, no
    expert warnings; a takeover is followed by gratuitous ARPs."""
    pcap = os.path.join(lab.dir, "wire.pcap")
    cap = lab["client"].popen("tcpdump", "-U", "-Z", "root", "-n", "-i", "eth0", "-w", pcap,
                              "ip proto 112 or arp", stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    time.sleep(0.5)
    lb01 = lab["lb01"].vipd(tutorial_conf("lb01", [{"priority": 150, "auth_pass": "1111"}]))
    lb01.wait_state("MASTER")
    time.sleep(2.5)
    cap.terminate()
    cap.wait(5)
    r = subprocess.run(["tshark", "-r", pcap, "-Y", "vrrp", "-T", "fields", "-e", "ip.proto",
                        "-e", "ip.ttl", "-e", "ip.dst", "-e", "vrrp.checksum.status", "-e",
                        "vrrp.auth_string", "-e", "vrrp.virt_rtr_id", "-e", "vrrp.prio",
                        "-e", "_ws.expert"], capture_output=True, text=True, timeout=30)
    rows = [line.split("\t") for line in r.stdout.splitlines() if line.strip()]
    assert len(rows) >= 2, r.stdout + r.stderr
    for proto, ttl, dst, csum, auth, vrid, prio, expert in rows:
        assert (proto, ttl, dst) == ("112", "255", "224.0.0.18")
        assert csum == "1", "checksum not valid"
        assert (auth, vrid, prio) == ("1111", "50", "150")
        assert expert == "", f"tshark expert info: {expert}"
    arps = subprocess.run(["tshark", "-r", pcap, "-Y", "arp.src.proto_ipv4 == 10.0.0.3",
                           "-T", "fields", "-e", "arp.isgratuitous"],
                          capture_output=True, text=True, timeout=30).stdout.split()
    assert len(arps) >= 5 and all(a == "1" for a in arps), arps


@pytest.mark.serial
def test_stalled_backup_does_not_take_over(lab):
    """A backup frozen past its Master_Down_Interval (SIGSTOP, as a stalled
    host would be) finds the master's adverts queued when it runs again and
    stays backup; it logs how late its timer fired."""
    lb01, lb02 = start_pair(lab, adv=0.5)
    lb02.send(signal.SIGSTOP)
    time.sleep(3.0)  # Master_Down_Interval is 1.8 s
    lb02.send(signal.SIGCONT)
    time.sleep(1.5)
    st = lb02.instance()
    assert st["state"] == "BACKUP", lb02.log_text()
    assert st["counters"]["transitions"] == 1
    assert "late" in lb02.log_text()
    assert lab.holders(VIP) == ["lb01"]


def test_sigusr_dumps(lab):
    lb01, _ = start_pair(lab)
    lb01.send(signal.SIGUSR1)
    lb01.send(signal.SIGUSR2)
    data = os.path.join(lab["lb01"].run_dir, "vipd.data")
    stats = os.path.join(lab["lb01"].run_dir, "vipd.stats")
    wait_until(lambda: os.path.exists(data) and os.path.exists(stats), 5)
    time.sleep(0.2)
    assert "VI_1: MASTER" in open(data).read()
    assert "VI_1 adverts_sent " in open(stats).read()
