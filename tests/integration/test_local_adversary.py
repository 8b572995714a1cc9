"""A local user against the files vipd shares with the host: links and
planted files in place of the pid file, the status dumps, the notify FIFO
and the run-directory records never redirect what root writes or feed
what root reads."""
import os
import signal
import time

from lab import tutorial_conf, wait_until

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
