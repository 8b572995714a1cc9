"""A local user against the files vipd shares with the host: links and
planted files in place of the pid file, the status dumps, the notify FIFO
and the run-directory records never redirect what root writes or feed
what root reads."""
import os
import signal
import subprocess
import time
import pytest

from lab import Lab, tutorial_conf, wait_until

NOBODY = 65534


def conf(**kw):
    return tutorial_conf("lb01", [{"priority": 150, "version": 3, "advert_int": 0.3}], **kw)


def test_pid_file_link_refused(lab):
    victim = os.path.join(lab.dir, "victim")
    with open(victim, "w") as f:
        f.write("precious\n")
    link = os.path.join(lab.dir, "vipd.pid")
    os.symlink(victim, link)
    d = lab["lb01"].vipd(conf(), pidfile=link)
    wait_until(lambda: not d.running(), 5, what="vipd refused to start")
    assert "is a symbolic link" in d.log_text()
    assert open(victim).read() == "precious\n"


def test_status_dumps_never_follow_links(lab):
    h = lab["lb01"]
    victim = os.path.join(lab.dir, "victim")
    with open(victim, "w") as f:
        f.write("precious\n")
    os.symlink(victim, os.path.join(h.run_dir, "vipd.data"))
    os.symlink(victim, os.path.join(h.run_dir, "vipd.stats.new"))
    d = h.vipd(conf())
    d.wait_state("MASTER")
    d.send(signal.SIGUSR1)
    d.send(signal.SIGUSR2)
    data = os.path.join(h.run_dir, "vipd.data")
    wait_until(lambda: not os.path.islink(data), 3, what="vipd.data replaced")
    wait_until(lambda: os.path.exists(os.path.join(h.run_dir, "vipd.stats")), 3)
    assert "VI_1: MASTER" in open(data).read()
    assert open(victim).read() == "precious\n"


def test_notify_fifo_planted_by_a_user_refused(lab):
    """An existing FIFO that another user owns and anyone can write (lines
    injected into the reader), or a link to one, is not used."""
    fifo = os.path.join(lab.dir, "user.fifo")
    os.mkfifo(fifo, 0o666)
    os.chmod(fifo, 0o666)
    os.chown(fifo, NOBODY, NOBODY)
    reader = os.path.join(lab.dir, "reader.sh")
    with open(reader, "w") as f:
        f.write("#!/bin/sh\ncat \"$1\" > /dev/null\n")
    os.chmod(reader, 0o755)
    d = lab["lb01"].vipd(conf(global_extra=f"    notify_fifo {fifo}\n"
                                           f"    notify_fifo_script \"{reader}\"\n"))
    d.wait_state("MASTER")
    assert f"notify_fifo {fifo} belongs to uid {NOBODY}, not root; not used" in d.log_text()
    d.stop()
    link = os.path.join(lab.dir, "link.fifo")
    root_fifo = os.path.join(lab.dir, "root.fifo")
    os.mkfifo(root_fifo, 0o600)
    os.symlink(root_fifo, link)
    d = lab["lb01"].vipd(conf(global_extra=f"    notify_fifo {link}\n"
                                           f"    notify_fifo_script \"{reader}\"\n"))
    d.wait_state("MASTER")
    assert f"notify_fifo {link}: is a symbolic link; not used" in d.log_text()


def test_run_directory_records_checked(lab):
    """sysctl.saved lines that would climb out of /proc/sys/net/ipv4/conf,
    and a record of addresses that another user can write, are ignored."""
    h = lab["lb01"]
    target = os.path.join(lab.dir, "target")
    with open(target, "w") as f:
        f.write("0\n")
    rel = os.path.relpath(target, "/proc/sys/net/ipv4/conf/x")
    with open(os.path.join(h.run_dir, "sysctl.saved"), "w") as f:
        f.write(f"x {rel} 1\n../../../../tmp arp_ignore 1\neth0 arp_ignore 1;reboot\n")
    owned = os.path.join(h.run_dir, "addrs.owned")
    with open(owned, "w") as f:
        f.write(f"eth0 {h.v4}/24\n")
    os.chmod(owned, 0o666)
    d = h.vipd(conf())
    d.wait_state("MASTER")
    time.sleep(0.2)
    log = d.log_text()
    assert open(target).read() == "0\n"
    assert "sysctl.saved: ignoring" in log
    assert "addrs.owned can be written by users other than its owner; ignored" in log
    assert f"{h.v4}/24" in h.ip("-4", "-o", "addr", "show", "dev", "eth0").stdout


def many(router_id, prio, nics=3, adv=1):
    out = [f"global_defs {{\n    router_id {router_id}\n}}\n"]
    for k in range(nics):
        for v in range(1, 256):
            out.append(f"vrrp_instance VI_{k}_{v} {{\n    state BACKUP\n    interface eth{k}\n"
                       f"    virtual_router_id {v}\n    priority {prio}\n    advert_int {adv}\n"
                       f"    version 3\n    virtual_ipaddress {{\n        10.9.{k}.{v}/32\n"
                       "    }\n}\n")
    return "".join(out)


def connect(path):
    import socket
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(path)
    return s


@pytest.mark.serial
def test_slow_and_idle_control_clients_never_hold_the_loop():
    """765 instances (a JSON status of about 0.5 MB, more than a socket
    buffer): a client that reads it a little at a time, and clients that
    connect and say nothing, do not stop the adverts: the backups
    (Master_Down_Interval 3.6 s) never take over. Idle clients are dropped
    after 5 s, at most 16 are held at once, and vipctl works again
    afterwards."""
    lab = Lab(names=("lb01", "lb02"), nics=3)
    try:
        _slow_and_idle(lab)
    finally:
        lab.close()


def _slow_and_idle(lab):
    lb01 = lab["lb01"].vipd(many("lb01", 150))
    last = "VI_2_255"
    wait_until(lambda: (lb01.instance(last) or {}).get("state") == "MASTER", 20,
               what="lb01 masters all")
    lb02 = lab["lb02"].vipd(many("lb02", 100))
    wait_until(lambda: (lb02.instance(last) or {}).get("state") == "BACKUP", 20,
               what="lb02 backs up all")
    slow = connect(lb01.sock)
    slow.sendall(b"status json\n")
    idle = [connect(lb01.sock) for _ in range(15)]
    extra = connect(lb01.sock)
    extra.settimeout(3)
    assert extra.recv(100).startswith(b"error: too many control clients")
    got = 0
    t_end = time.monotonic() + 4
    while time.monotonic() < t_end:
        got += len(slow.recv(2048))
        time.sleep(0.3)
    assert got < 100000  # still reading: the reply is larger than that
    for s in idle:
        s.settimeout(4)
        assert s.recv(10) == b""  # dropped by vipd after its 5 s
    assert lb01.status()["instances"][0]["state"] == "MASTER"
    assert "-> MASTER" not in lb02.log_text()
    for s in [slow, extra, *idle]:
        s.close()


def test_out_of_descriptors_does_not_spin(lab):
    """With its descriptors used up, vipd refuses control clients (once
    logged) instead of spinning on the listening socket."""
    d = lab["lb01"].vipd(conf())
    d.wait_state("MASTER")
    nfds = len(os.listdir(f"/proc/{d.pid}/fd"))
    subprocess.run(["prlimit", f"--nofile={nfds + 1}:", "--pid", str(d.pid)], check=True)
    socks = [connect(d.sock) for _ in range(4)]

    def cpu():
        f = open(f"/proc/{d.pid}/stat").read().rsplit(")", 1)[1].split()
        return (int(f[11]) + int(f[12])) / os.sysconf("SC_CLK_TCK")

    c0 = cpu()
    time.sleep(2)
    used = cpu() - c0
    assert used < 0.5, f"vipd used {used:.2f} s of CPU in 2 s: spinning"
    assert "out of file descriptors; a client was refused" in d.log_text()
    for s in socks:
        s.close()
    subprocess.run(["prlimit", "--nofile=1024:", "--pid", str(d.pid)], check=True)
    assert wait_until(d.status, 8, what="status again")["instances"][0]["state"] == "MASTER"
