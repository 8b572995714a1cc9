"""keepalived 2.2-2.4 keywords vipd acts on, each as a user would see it:
umask, vrrp_cpu_affinity and vrrp_delay_after_boot on the running process;
owner_ignore_adverts between two address owners; unicast_fault_no_peer;
vmac_prefix; log_unknown_vrids."""
import os
import signal
import subprocess
import time
import pytest

from lab import tutorial_conf, wait_until

VIP = "10.0.0.3"


def proc_status(pid, key):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return line.split(":", 1)[1].strip()
    return None


def test_process_settings(lab):
    """umask 0077 and vrrp_cpu_affinity 0 on the process; the instances
    wait for vrrp_delay_after_boot, counted from boot (so: the uptime + 2 s
    from now), as keepalived waits."""
    with open("/proc/uptime") as f:
        up = float(f.read().split()[0])
    g = f"    umask 0077\n    vrrp_cpu_affinity 0\n    vrrp_delay_after_boot {up + 2.5:.2f}\n"
    t0 = time.monotonic()
    d = lab["lb01"].vipd(tutorial_conf("lb01", [{"priority": 150}], global_extra=g))
    wait_until(lambda: "vrrp_delay_after_boot: the instances start in" in d.log_text(), 5,
               what="the delay logged")
    assert proc_status(d.pid, "Umask") == "0077"
    assert proc_status(d.pid, "Cpus_allowed_list") == "0"
    assert d.instance() is None or d.instance()["state"] == "INIT"
    d.wait_state("BACKUP", timeout=5)
    assert 1.5 < time.monotonic() - t0 < 5


def test_owner_ignore_adverts(lab):
    """Two address owners (priority 255): lb01 (the lower address) yields
    to lb02 as RFC 9568 says, unless owner_ignore_adverts: then it stays
    Master and both hold the VIP."""
    lb01, lb02 = lab["lb01"], lab["lb02"]
    one = {"priority": 255, "version": 3, "advert_int": 0.5}
    d2 = lb02.vipd(tutorial_conf("lb02", [one]))
    d2.wait_state("MASTER", timeout=3)
    d1 = lb01.vipd(tutorial_conf("lb01", [dict(one, extra=["    owner_ignore_adverts"])]))
    d1.wait_state("MASTER", timeout=3)
    wait_until(lambda: d1.instance()["counters"]["adverts_received"] >= 4, 5)
    assert d1.instance()["state"] == "MASTER" and sorted(lab.holders(VIP)) == ["lb01", "lb02"]
    d1.stop()
    d1 = lb01.vipd(tutorial_conf("lb01", [one]))
    d1.wait_state("BACKUP", timeout=3)  # starts as Master, yields to the higher address
    assert "INIT -> MASTER" in d1.log_text()
    assert lab.holders(VIP) == ["lb02"]


def test_unicast_fault_no_peer(lab):
    d = lab["lb01"].vipd(tutorial_conf("lb01", [{"priority": 150, "extra": [
        f"    unicast_src_ip {lab['lb01'].v4}", "    unicast_fault_no_peer"]}]))
    d.wait_state("FAULT", timeout=3)
    assert "unicast_fault_no_peer" in d.instance()["last_transition"]["reason"]
    assert not lab["lb01"].holds(VIP)


def test_vmac_prefix(lab):
    d = lab["lb01"].vipd(tutorial_conf("lb01", [{"priority": 150, "extra": ["    use_vmac"]}],
                                       global_extra="    vmac_prefix vr\n"))
    d.wait_state("BACKUP", timeout=3)
    assert d.instance()["vmac"] == "vr.50"
    assert lab["lb01"].ip("-o", "link", "show", "vr.50").returncode == 0


def test_log_unknown_vrids(lab):
    """An advert for a VRID lb01 does not have: logged with log_unknown_vrids."""
    lb01, lb02 = lab["lb01"], lab["lb02"]
    d1 = lb01.vipd(tutorial_conf("lb01", [{"priority": 150}],
                                 global_extra="    log_unknown_vrids\n"))
    lb02.vipd(tutorial_conf("lb02", [{"priority": 100, "vrid": 77, "vip": "10.0.0.77"}]))
    wait_until(lambda: "unknown virtual router ID" in d1.log_text(), 8,
               what="the unknown VRID logged")


def test_startup_and_shutdown_scripts(lab):
    """startup_script runs before the instances start (they wait for it);
    shutdown_script after the VIPs are released."""
    from lab import lines, script
    log = os.path.join(lab.dir, "life.log")
    up = script(lab, "up.sh", f'sleep 1; echo up >> {log}')
    down = script(lab, "down.sh",
                  f'ip -br addr show eth0 | grep -q " {VIP}/" && echo down-with-vip >> {log}'
                  f' || echo down >> {log}')
    g = f'    startup_script "{up}"\n    shutdown_script "{down}"\n'
    d = lab["lb01"].vipd(tutorial_conf("lb01", [{"priority": 150, "version": 3,
                                                 "advert_int": 0.5}], global_extra=g))
    wait_until(lambda: lines(log) == ["up"], 4, what="startup_script")
    assert "INIT -> BACKUP" not in d.log_text().split("startup_script exited 0")[0]
    d.wait_state("MASTER", timeout=5)
    d.stop()
    assert lines(log) == ["up", "down"]


def test_net_namespace_keyword(lab):
    """net_namespace NAME: vipd started outside enters it itself."""
    import subprocess
    from lab import BUILD
    ns = lab["lb01"].ns
    conf = os.path.join(lab.dir, "ns.conf")
    with open(conf, "w") as f:
        f.write(f"net_namespace {ns}\n" + tutorial_conf("lb01", [{"priority": 150}]))
    p = subprocess.Popen([os.path.join(BUILD, "vipd"), "-n", "-l", "-f", conf, "-p",
                          os.path.join(lab.dir, "ns.pid"), "--socket",
                          os.path.join(lab.dir, "ns.sock"), "--run-dir", lab["lb01"].run_dir],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                         start_new_session=True)
    lab.procs.append(p)
    try:
        wait_until(lambda: lab["lb01"].holds(VIP), 8, what="the VIP in the namespace")
    finally:
        p.terminate()
        p.wait(10)
    assert not lab["lb01"].holds(VIP)


def test_promote_secondaries(lab):
    """promote_secondaries: set on the interface while the instance runs,
    put back after."""
    lb01 = lab["lb01"]
    key = "net.ipv4.conf.eth0.promote_secondaries"
    before = lb01.exec("sysctl", "-n", key).stdout.strip()
    d = lb01.vipd(tutorial_conf("lb01", [{"priority": 150,
                                          "extra": ["    promote_secondaries"]}]))
    d.wait_state("BACKUP", timeout=3)
    assert lb01.exec("sysctl", "-n", key).stdout.strip() == "1"
    d.stop()
    assert lb01.exec("sysctl", "-n", key).stdout.strip() == before


def test_track_src_ip(lab):
    """track_src_ip: with the configured source address (mcast_src_ip)
    missing from the interface, at start or later, the instance is in Fault
    with the reason; with it there, it runs. (Tried against keepalived 2.2.7
    in this lab: it logs the address deassigned and stays Master.)"""
    h = lab["lb01"]
    for src in (h.v4, "10.0.0.50"):  # the host's primary address, a secondary one
        conf = tutorial_conf("lb01", [{"priority": 150, "extra": [
            f"    mcast_src_ip {src}", "    track_src_ip"]}])
        if src != h.v4:
            d.stop()
        d = h.vipd(conf)
        if src != h.v4:
            d.wait_state("FAULT", timeout=5)
            assert d.instance()["last_transition"]["reason"].endswith(
                f"source address {src} is not on eth0 (track_src_ip)")
            h.ip("addr", "add", f"{src}/24", "dev", "eth0")
        wait_until(lambda: h.holds(VIP), 8, what=f"master with {src}")
        h.ip("addr", "del", f"{src}/24", "dev", "eth0")
        d.wait_state("FAULT", timeout=3)
        assert not h.holds(VIP)
        assert d.instance()["last_transition"]["reason"].endswith("(track_src_ip)")
        h.ip("addr", "add", f"{src}/24", "dev", "eth0")
        d.wait_state("MASTER", timeout=8)


def rt_priority(pid):
    """(policy, priority) as chrt reports them."""
    out = subprocess.run(["chrt", "-p", str(pid)], capture_output=True, text=True).stdout
    policy = out.splitlines()[0].split(":", 1)[1].strip()
    return policy, int(out.splitlines()[1].split(":", 1)[1])


def test_max_auto_priority(lab):
    """max_auto_priority 2, min_auto_priority_delay 0.1 s: each time vipd is
    held back past the delay (stopped 0.4 s), it moves up a SCHED_RR step,
    from the normal policy to 1, then 2, never past 2, as keepalived does."""
    g = "    max_auto_priority 2\n    min_auto_priority_delay 100000\n"
    d = lab["lb01"].vipd(tutorial_conf("lb01", [{"priority": 150, "advert_int": 0.1,
                                                  "version": 3}], global_extra=g))
    d.wait_state("MASTER", timeout=5)
    assert rt_priority(d.pid)[0].startswith("SCHED_OTHER")
    for want in (1, 2, 2):
        os.kill(d.pid, signal.SIGSTOP)
        time.sleep(0.4)
        os.kill(d.pid, signal.SIGCONT)
        wait_until(lambda: rt_priority(d.pid)[1] == want, 3, what=f"SCHED_RR {want}")
        assert rt_priority(d.pid)[0] == "SCHED_RR|SCHED_RESET_ON_FORK"
    assert d.log_text().count("(max_auto_priority 2)") == 2


@pytest.mark.serial
def test_timer_expired_backup(lab):
    """nopreempt masters stalled past a takeover (SIGSTOP 4 s, advert_int 1):
    with timer_expired_backup the old master comes back as Backup and the
    new one keeps the VIP; without it, it comes back advertising its higher
    priority and takes the VIP back (keepalived 2.2's behaviour, and 2.4's
    without the keyword)."""
    for keyword, holder in ((True, "lb02"), (False, "lb01")):
        extra = ["    nopreempt"] + (["    timer_expired_backup"] if keyword else [])
        d1 = lab["lb01"].vipd(tutorial_conf("lb01", [{"priority": 150, "extra": extra}]))
        d1.wait_state("MASTER", timeout=6)
        d2 = lab["lb02"].vipd(tutorial_conf("lb02", [{"priority": 100, "extra": ["    nopreempt"]}]))
        d2.wait_state("BACKUP", timeout=4)
        d1.send(signal.SIGSTOP)
        d2.wait_state("MASTER", timeout=6)
        d1.send(signal.SIGCONT)
        time.sleep(3)
        assert lab.holders(VIP) == [holder], (keyword, lab.holders(VIP))
        if keyword:
            assert d1.instance()["last_transition"]["reason"].endswith(
                "a backup may have taken over (timer_expired_backup)")
        d1.stop()
        d2.stop()
