"""Notify scripts and the notify FIFO: keepalived's arguments and line
format, scripts of one instance run in the order of its transitions, and
notify_fifo_script reading the FIFO vipd creates."""
import os
import stat
import subprocess

from lab import lines, script, tutorial_conf, wait_until



def test_notify_scripts_in_order_and_fifo(lab):
    log = os.path.join(lab.dir, "notify.log")
    fifo_log = os.path.join(lab.dir, "fifo.log")
    fifo = os.path.join(lab.dir, "vipd.fifo")
    # the generic script is slow for BACKUP: MASTER must still come after it
    generic = script(lab, "notify.sh", f'[ "$3" = BACKUP ] && sleep 1.5\necho "any $*" >> {log}')
    state = {s: script(lab, f"{s}.sh", f'echo "{s}$*" >> {log}')
             for s in ("master", "backup", "fault", "stop")}
    reader = script(lab, "reader.sh", f'while read -r line; do echo "$line" >> {fifo_log}; done'
                                      ' < "$1"')
    extra = [f'    notify_{s} "{p}"' for s, p in state.items()] + [f'    notify "{generic}"']
    c = tutorial_conf("lb01", [{"priority": 150, "version": 3, "advert_int": 0.3,
                                "extra": extra}],
                      global_extra=f'    notify_fifo {fifo}\n    notify_fifo_script "{reader}"\n')
    lb01 = lab["lb01"].vipd(c)
    lb01.wait_state("MASTER")
    wait_until(lambda: len(lines(log)) >= 4, 5, what="four notify lines")
    assert lines(log) == ["backup", "any INSTANCE VI_1 BACKUP 150", "master",
                          "any INSTANCE VI_1 MASTER 150"]
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    wait_until(lambda: len(lines(fifo_log)) >= 2, 3, what="FIFO lines")
    assert lines(fifo_log) == ['INSTANCE "VI_1" BACKUP 150', 'INSTANCE "VI_1" MASTER 150']
    # the interface goes down: Fault
    lab["lb01"].ip("link", "set", "eth0", "down")
    lb01.wait_state("FAULT", timeout=3)
    lab["lb01"].ip("link", "set", "eth0", "up")
    lb01.wait_state("MASTER", timeout=5)
    wait_until(lambda: len(lines(log)) >= 10, 5, what="the notify queue drained")
    lb01.stop()
    wait_until(lambda: lines(log)[-2:] == ["stop", "any INSTANCE VI_1 STOP 150"], 5,
               what="notify_stop")
    assert lines(log)[4:10] == ["fault", "any INSTANCE VI_1 FAULT 150", "backup",
                                "any INSTANCE VI_1 BACKUP 150", "master",
                                "any INSTANCE VI_1 MASTER 150"]
    wait_until(lambda: lines(fifo_log)[-1:] == ['INSTANCE "VI_1" STOP 150'], 3,
               what="the reader got the last line after vipd exited")
    assert lines(fifo_log)[2:4] == ['INSTANCE "VI_1" FAULT 150', 'INSTANCE "VI_1" BACKUP 150']


def test_hung_notify_script_does_not_block_the_queue_forever(lab):
    """A notify script that never ends is left running; the next one
    starts after 10 s with a log line, and the daemon stays responsive."""
    log = os.path.join(lab.dir, "notify.log")
    hang = script(lab, "hang.sh", "sleep 120")
    master = script(lab, "master.sh", f'echo master >> {log}')
    c = tutorial_conf("lb01", [{"priority": 150, "version": 3, "advert_int": 0.3,
                                "extra": [f'    notify_backup "{hang}"',
                                          f'    notify_master "{master}"']}])
    lb01 = lab["lb01"].vipd(c)
    lb01.wait_state("MASTER")
    assert lines(log) == []
    wait_until(lambda: lines(log) == ["master"], 13, interval=0.2, what="the queue moved on")
    assert "notify script (pid" in lb01.log_text() and "still running after 10 s" in \
        lb01.log_text()


def test_scripts_get_a_clean_start(lab):
    """A script started by vipd: the environment without systemd's
    variables for vipd, none of the descriptors vipd inherited, and, run as
    a script user, that user's supplementary groups (as initgroups sets
    them) and no more, and nice 0 while vipd itself runs at -5."""
    user, group = f"vt{lab.prefix[1:]}", f"vg{lab.prefix[1:]}"
    subprocess.run(["groupadd", group], check=True)
    try:
        subprocess.run(["useradd", "-M", "-N", "-g", "nogroup", "-G", group, "-s",
                        "/usr/sbin/nologin", user], check=True)
        _clean_start(lab, user, group)
    finally:
        subprocess.run(["userdel", user], check=False)
        subprocess.run(["groupdel", group], check=False)


def _clean_start(lab, user, group):
    os.chmod(lab.dir, 0o711)
    out = os.path.join(lab.dir, "seen")
    open(out, "w").close()
    os.chmod(out, 0o666)
    probe = os.path.join(lab.dir, "probe.sh")
    with open(probe, "w") as f:
        f.write(f"#!/bin/sh\n{{ id -un; id -Gn; env; ls /proc/$$/fd; "
                f"echo nice=$(cut -d' ' -f19 /proc/$$/stat); }} > {out}\n")
    os.chmod(probe, 0o755)
    c = tutorial_conf("lb01", [{"priority": 150, "version": 3, "advert_int": 0.3,
                                "extra": [f'    notify_master "{probe}"']}],
                      global_extra=f"    script_user {user}\n")
    leak = os.open(os.path.join(lab.dir, "inherited"), os.O_CREAT | os.O_RDWR)
    fd = 57
    os.dup2(leak, fd)
    os.close(leak)
    env = dict(os.environ, NOTIFY_SOCKET="/nonexistent/notify", VIPD_PROBE="kept")
    try:
        lb01 = lab["lb01"].vipd(c, env=env, pass_fds=(fd,))
    finally:
        os.close(fd)
    lb01.wait_state("MASTER")
    # the probe's last line: read before it, the file holds only its first lines
    wait_until(lambda: "nice=" in open(out).read(), 5, what="the probe ran to its end")
    seen = open(out).read().splitlines()
    assert seen[0] == user
    assert sorted(seen[1].split()) == sorted(["nogroup", group]), seen[1]
    assert "VIPD_PROBE=kept" in seen
    assert not any(v.startswith("NOTIFY_SOCKET=") for v in seen), seen
    assert "nice=0" in seen  # vipd runs at nice -5; its scripts at 0
    assert open(f"/proc/{lb01.pid}/stat").read().rsplit(")", 1)[1].split()[16] == "-5"
    fds = {int(x) for x in seen if x.isdigit()}
    assert fd not in fds and max(fds) < 20, fds
