"""Tracked scripts and interfaces (keepalived's vrrp_script / track_script /
track_interface): weights move the VIP, weight 0 means Fault, a hung script
is killed with its process group."""
import os
import re
import time
import pytest

from lab import script, tutorial_conf, wait_until

VIP = "10.0.0.3"


def conf(host, prio, scripts, track, extra_inst=()):
    blocks = "".join(f"vrrp_script {n} {{\n{body}}}\n" for n, body in scripts)
    inst = {"priority": prio, "version": 3, "advert_int": 0.5,
            "extra": ["    track_script {", *[f"        {t}" for t in track], "    }",
                      *extra_inst]}
    return blocks + tutorial_conf(host, [inst])


def test_script_weight_moves_the_vip(lab):
    """lb01 (150) loses 60 while its check fails: 90 < lb02's 100, lb02
    preempts; the check recovers and lb01 takes the VIP back."""
    flag = os.path.join(lab.dir, "web-ok")
    open(flag, "w").close()
    chk = script(lab, "check_web.sh", f"test -e {flag}")
    lb01 = lab["lb01"].vipd(conf("lb01", 150, [("check_web", f'    script "{chk}"\n'
                                                "    interval 0.2\n    weight -60\n"
                                                "    fall 2\n    rise 2\n")],
                                 ["check_web"]))
    lb02 = lab["lb02"].vipd(tutorial_conf("lb02", [{"priority": 100, "version": 3,
                                                     "advert_int": 0.5}]))
    lb01.wait_state("MASTER")
    lb02.wait_state("BACKUP")
    tr = lb01.instance()["tracking"]
    assert tr == [{"type": "script", "name": "check_web", "state": "OK", "weight": -60,
                   "last_result": "exit 0"}]
    os.unlink(flag)
    wait_until(lambda: lb01.instance()["priority"] == 90, 3, what="lb01 priority 90")
    lb02.wait_state("MASTER", timeout=4)
    lb01.wait_state("BACKUP", timeout=2)
    assert lab.holders(VIP) == ["lb02"]
    assert lb01.instance()["tracking"][0]["state"] == "FAILED"
    open(flag, "w").close()
    wait_until(lambda: lb01.instance()["priority"] == 150, 3, what="lb01 priority 150")
    lb01.wait_state("MASTER", timeout=4)
    wait_until(lambda: lab.holders(VIP) == ["lb01"], 3)
    assert "priority 90 -> 150 (configured priority and tracking)" in lb01.log_text()


def test_script_by_bare_name_is_found_in_path(lab):
    """`script "killall -0 haproxy"`, the most common health check, names
    its program without a path: it is found through PATH (and logged), and
    it decides as it would from a shell. Here `test -e FILE` and `pidof`."""
    flag = os.path.join(lab.dir, "up")
    open(flag, "w").close()
    lb01 = lab["lb01"].vipd(conf("lb01", 150, [
        ("chk_file", f'    script "test -e {flag}"\n    interval 0.2\n    weight -60\n'),
        ("chk_proc", '    script "pidof -q no-such-daemon-zz"\n    interval 0.2\n'
                     "    weight -5\n")], ["chk_file", "chk_proc"]))
    lb01.wait_state("MASTER")
    wait_until(lambda: lb01.instance()["priority"] == 145, 3, what="chk_proc failed, chk_file ok")
    log = lb01.log_text()
    assert re.search(r"chk_file: test found by PATH search: /\S*/test\n", log), log[-2000:]
    assert re.search(r"chk_proc: pidof found by PATH search: /\S*/pidof\n", log)
    assert {t["name"]: t["last_result"] for t in lb01.instance()["tracking"]} == \
        {"chk_file": "exit 0", "chk_proc": "exit 1"}
    os.unlink(flag)
    wait_until(lambda: lb01.instance()["priority"] == 85, 3, what="chk_file failed too")


def test_weight_zero_script_means_fault(lab):
    flag = os.path.join(lab.dir, "ok")
    open(flag, "w").close()
    chk = script(lab, "chk.sh", f"test -e {flag}")
    lb01 = lab["lb01"].vipd(conf("lb01", 150, [("chk", f'    script "{chk}"\n    interval 0.2\n')],
                                 ["chk"]))
    lb01.wait_state("MASTER")
    os.unlink(flag)
    lb01.wait_state("FAULT", timeout=3)
    assert lb01.instance()["last_transition"]["reason"] == "vrrp_script chk failed"
    assert not lab["lb01"].holds(VIP)
    open(flag, "w").close()
    lb01.wait_state("MASTER", timeout=4)


def alive(pid):
    """True while pid runs (a zombie has ended: it only waits to be reaped)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def test_hung_script_is_killed_and_counts_as_failed(lab):
    """The script and the children it started all go at the timeout. The
    script writes down its own pids: network namespaces share the host's pid
    space, so a search by name could see another program's sleep."""
    pids = os.path.join(lab.dir, "hang.pids")
    hang = script(lab, "hang.sh", f"echo $$ >> {pids}; sleep 30 & echo $! >> {pids}; "
                                  f"sleep 30 & echo $! >> {pids}; wait")
    lb01 = lab["lb01"].vipd(conf("lb01", 150, [("hang", f'    script "{hang}"\n    interval 5\n'
                                                "    timeout 1\n    weight -10\n")],
                                 ["hang"]))
    lb01.wait_state("MASTER")
    wait_until(lambda: lb01.instance()["tracking"][0]["last_result"] == "timed out", 4)
    assert lb01.instance()["priority"] == 140
    started = open(pids).read().split()
    assert len(started) == 3, f"the script wrote {started}"
    # the whole process group went: no sleeping children left behind
    wait_until(lambda: not any(alive(p) for p in started), 2, what="the script's processes gone")
    assert lb01.instance()["tracking"][0]["state"] == "FAILED"
    assert "no result after 1.000 s; killing it" in lb01.log_text()


def test_track_interface(lab):
    lab["lb01"].ip("link", "add", "eth1", "type", "veth", "peer", "name", "eth1p")
    lab["lb01"].ip("link", "set", "eth1p", "up")
    lab["lb01"].ip("link", "set", "eth1", "up")
    c = tutorial_conf("lb01", [{"priority": 150, "version": 3, "advert_int": 0.5,
                                "extra": ["    track_interface {", "        eth1", "    }"]}])
    lb01 = lab["lb01"].vipd(c)
    lb01.wait_state("MASTER")
    lab["lb01"].ip("link", "set", "eth1", "down")
    lb01.wait_state("FAULT", timeout=3)
    assert "tracked interface eth1 is down" in lb01.instance()["last_transition"]["reason"]
    lab["lb01"].ip("link", "set", "eth1", "up")
    lb01.wait_state("MASTER", timeout=4)


def test_track_file(lab):
    """A number in a file times the weight moves the priority, read as
    keepalived reads it (base 0; no number reads as 0); below -253 the
    instance goes to Fault; init_file creates the file; a FIFO moved to the
    path does not stall the daemon."""
    path = os.path.join(lab.dir, "prio")
    c = (f'vrrp_track_file prio {{\n    file "{path}"\n    weight 1\n    init_file 0\n}}\n' +
         tutorial_conf("lb01", [{"priority": 150, "version": 3, "advert_int": 0.5,
                                 "extra": ["    track_file {", "        prio", "    }"]}]))
    lb01 = lab["lb01"].vipd(c)
    lb01.wait_state("MASTER")
    assert open(path).read().strip() == "0"

    def prio():
        return lb01.instance()["priority"]
    with open(path, "w") as f:
        f.write("-70\n")
    wait_until(lambda: prio() == 80, 3, what="priority 150 - 70")
    with open(path, "w") as f:
        f.write("garbage\n")
    wait_until(lambda: prio() == 150, 3, what="no number: 0")
    with open(path, "w") as f:
        f.write("-0x12c\n")  # -300
    lb01.wait_state("FAULT", timeout=3)
    assert "track_file prio gives -300" in lb01.instance()["last_transition"]["reason"]
    with open(path, "w") as f:
        f.write("10\n")
    lb01.wait_state("MASTER", timeout=4)
    assert prio() == 160
    fifo = os.path.join(lab.dir, "prio.fifo")
    os.mkfifo(fifo)
    os.rename(fifo, path)
    wait_until(lambda: prio() == 150, 3, what="a FIFO: no number, read as 0")
    assert lb01.instance()["state"] == "MASTER"


def test_track_process_reacts_at_once(lab):
    """The tracked process dies: the priority drops within milliseconds (a
    pidfd, not polling), lb02 takes over; a new one is found by the /proc
    scan (the process connector does not work inside a network namespace)."""
    import shutil
    import subprocess
    fake = os.path.join(lab.dir, "fakenginx")
    shutil.copy("/bin/sleep", fake)
    proc = lab["lb01"].popen(fake, "1000", stdout=subprocess.DEVNULL)
    c = ('vrrp_track_process nginx {\n    process fakenginx\n    weight -60\n}\n' +
         tutorial_conf("lb01", [{"priority": 150, "version": 3, "advert_int": 0.5,
                                 "extra": ["    track_process {", "        nginx", "    }"]}]))
    lb01 = lab["lb01"].vipd(c)
    lb02 = lab["lb02"].vipd(tutorial_conf("lb02", [{"priority": 100, "version": 3,
                                                     "advert_int": 0.5}]))
    lb01.wait_state("MASTER")
    lb02.wait_state("BACKUP")
    tr = lb01.instance()["tracking"]
    assert tr[0]["type"] == "process" and tr[0]["state"] == "OK", tr
    t0 = time.monotonic()
    proc.kill()
    proc.wait(5)
    wait_until(lambda: lb01.instance()["priority"] == 90, 2, interval=0.01)
    print(f"process death to priority drop seen through vipctl: "
          f"{(time.monotonic() - t0) * 1000:.0f} ms")
    lb02.wait_state("MASTER", timeout=4)
    # a new instance of the process: found by the scan, priority restored
    lab["lb01"].popen(fake, "1000", stdout=subprocess.DEVNULL)
    wait_until(lambda: lb01.instance()["priority"] == 150, 4, what="process found again")
    lb01.wait_state("MASTER", timeout=4)


def test_preempt_lower_master_extension(lab):
    """vipd's preempt_lower_master: when tracking drops the master below the
    backup, the backup takes over on the next advert instead of waiting out
    Master_Down_Interval; both sides run it."""
    flag = os.path.join(lab.dir, "ok")
    open(flag, "w").close()
    chk = script(lab, "chk.sh", f"test -e {flag}")
    ext = ["    preempt_lower_master"]
    lb01 = lab["lb01"].vipd(conf("lb01", 150, [("chk", f'    script "{chk}"\n    interval 0.1\n'
                                                "    weight -60\n")], ["chk"], ext))
    lb02 = lab["lb02"].vipd(tutorial_conf("lb02", [{"priority": 100, "version": 3,
                                                     "advert_int": 1, "extra": ext}]).replace(
        "advert_int 1", "advert_int 0.5"))
    lb01.wait_state("MASTER")
    lb02.wait_state("BACKUP")
    os.unlink(flag)
    t0 = time.monotonic()
    lb02.wait_state("MASTER", timeout=3)
    print(f"tracking failure to takeover: {(time.monotonic() - t0) * 1000:.0f} ms "
          f"(Master_Down_Interval would be 1.8 s)")
    assert lb02.instance()["last_transition"]["reason"].endswith("(preempt_lower_master)")
    lb01.wait_state("BACKUP", timeout=2)
    open(flag, "w").close()
    lb01.wait_state("MASTER", timeout=3)
    lb02.wait_state("BACKUP", timeout=2)
    assert lab.holders(VIP) == ["lb01"]


def test_script_user_security_and_bad_scripts(lab):
    """Scripts run as their user; enable_script_security refuses a script a
    non-root user could change; a missing script, a script killed by a
    signal and an unknown user each count as failed, with a log line."""
    os.chmod(lab.dir, 0o711)
    pub = os.path.join(lab.dir, "pub")
    os.mkdir(pub, 0o755)
    out = os.path.join(lab.dir, "uid")
    open(out, "w").close()
    os.chmod(out, 0o666)
    whoami = os.path.join(pub, "whoami.sh")
    with open(whoami, "w") as f:
        f.write(f"#!/bin/sh\nid -u > {out}\n")
    os.chmod(whoami, 0o755)
    unsafe_dir = os.path.join(lab.dir, "unsafe")
    os.mkdir(unsafe_dir)
    os.chmod(unsafe_dir, 0o777)
    unsafe = os.path.join(unsafe_dir, "ok.sh")
    with open(unsafe, "w") as f:
        f.write("#!/bin/sh\nexit 0\n")
    os.chmod(unsafe, 0o755)
    sig = os.path.join(pub, "sig.sh")
    with open(sig, "w") as f:
        f.write("#!/bin/sh\nkill -9 $$\n")
    os.chmod(sig, 0o755)
    scripts = [
        ("as_nobody", f'    script "{whoami}"\n    user nobody\n    interval 0.2\n    weight 1\n'),
        ("unsafe", f'    script "{unsafe}"\n    interval 0.2\n    weight 2\n'),
        ("missing", f'    script "{pub}/nope.sh"\n    interval 0.2\n    weight 3\n'),
        ("ghost_user", f'    script "{whoami}"\n    user nosuchuser\n    interval 0.2\n'
                       '    weight 4\n'),
        ("by_signal", f'    script "{sig}"\n    interval 0.2\n    weight 5\n'),
    ]
    c = ("global_defs {\n    enable_script_security\n}\n" +
         conf("lb01", 100, scripts, [n for n, _ in scripts]))
    lb01 = lab["lb01"].vipd(c)
    lb01.wait_state("MASTER")
    wait_until(lambda: open(out).read().strip() != "", 3, what="script ran")
    assert open(out).read().strip() == "65534"
    wait_until(lambda: lb01.instance()["tracking"][4]["last_result"] == "killed by signal 9", 3)
    states = {t["name"]: t["state"] for t in lb01.instance()["tracking"]}
    assert states == {"as_nobody": "OK", "unsafe": "FAILED", "missing": "FAILED",
                      "ghost_user": "FAILED", "by_signal": "FAILED"}, states
    assert lb01.instance()["priority"] == 101
    log = lb01.log_text()
    assert f"{unsafe_dir} can be changed by a user other than root; not run" in log
    assert "user nosuchuser does not exist; not run" in log
    assert "nope.sh: No such file or directory" in log


@pytest.mark.serial
def test_many_scripts_never_delay_adverts(lab):
    """A hundred scripts at interval 1, one that hangs, one that forks a
    crowd of children and one that prints megabytes: the master's adverts
    at 100 ms keep coming, so the backup (Master_Down_Interval 0.36 s)
    never takes over."""
    import subprocess
    ok = script(lab, "ok.sh", "exit 0")
    hang = script(lab, "hang.sh", "sleep 60")
    crowd = script(lab, "crowd.sh", "for i in $(seq 50); do sleep 5 & done; wait")
    loud = script(lab, "loud.sh", "head -c 20000000 /dev/zero")
    scripts = [(f"s{i}", f'    script "{ok}"\n    interval 1\n') for i in range(100)]
    scripts += [("hang", f'    script "{hang}"\n    interval 1\n    timeout 0.5\n    weight -1\n'),
                ("crowd", f'    script "{crowd}"\n    interval 1\n    timeout 0.8\n'
                          '    weight -1\n'),
                ("loud", f'    script "{loud}"\n    interval 1\n    weight 1\n')]
    c = conf("lb01", 150, scripts, [n for n, _ in scripts]).replace("advert_int 0.5",
                                                                    "advert_int 0.1")
    lb01 = lab["lb01"].vipd(c)
    lb01.wait_state("MASTER")
    lb02 = lab["lb02"].vipd(tutorial_conf("lb02", [{"priority": 100, "version": 3,
                                                     "advert_int": 0.1}]))
    lb02.wait_state("BACKUP")
    pcap = os.path.join(lab.dir, "adverts.pcap")
    cap = lab["client"].popen("tcpdump", "-U", "-Z", "root", "-n", "-i", "eth0", "-w", pcap,
                              "ip proto 112", stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    time.sleep(6)
    cap.terminate()
    cap.wait(5)
    out = subprocess.run(["tcpdump", "-r", pcap, "-tt", "-n"], capture_output=True,
                         text=True).stdout
    times = [float(line.split()[0]) for line in out.splitlines() if lab["lb01"].v4 in line]
    assert len(times) > 40, f"only {len(times)} adverts captured"
    gaps = [b - a for a, b in zip(times, times[1:])]
    full = lb01.status()
    print(f"{len(times)} adverts, largest gap {max(gaps) * 1000:.1f} ms with 103 scripts; "
          f"loop late at most {full['loop']['late_max_us'] / 1000:.1f} ms, "
          f"{full['spawn']['count']} script starts ({full['spawn']['method']}) of "
          f"{full['spawn']['us_total'] / max(1, full['spawn']['count']):.0f} us on average, "
          f"{full['spawn']['us_max']} us at most")
    st = lb01.instance()
    assert st["state"] == "MASTER" and lb02.instance()["state"] == "BACKUP"
    assert "BACKUP -> MASTER" not in lb02.log_text()
    assert "the process was stalled" not in lb01.log_text()
    results = {t["name"]: (t["state"], t["last_result"]) for t in st["tracking"]}
    assert results["loud"] == ("OK", "exit 0")
    assert results["hang"] == ("FAILED", "timed out")
    assert results["crowd"] == ("FAILED", "timed out")
    assert all(results[f"s{i}"] == ("OK", "exit 0") for i in range(100))
    assert st["priority"] == 149


def test_script_security_follows_links_and_checks_every_run(lab):
    """enable_script_security judges the script's real path: a link in a
    root-only directory to a script in a directory anyone can write is
    refused (a user could swap the target). And the check holds at every
    run: a script that was safe at start is no longer run once a directory
    above it becomes writable by others."""
    os.chmod(lab.dir, 0o711)
    pub = os.path.join(lab.dir, "pub")
    os.mkdir(pub, 0o755)
    unsafe_dir = os.path.join(lab.dir, "unsafe")
    os.mkdir(unsafe_dir)
    os.chmod(unsafe_dir, 0o777)
    target = os.path.join(unsafe_dir, "ok.sh")
    with open(target, "w") as f:
        f.write("#!/bin/sh\nexit 0\n")
    os.chmod(target, 0o755)
    link = os.path.join(pub, "link.sh")
    os.symlink(target, link)
    later = os.path.join(lab.dir, "later")
    os.mkdir(later, 0o755)
    ran = os.path.join(lab.dir, "ran")
    safe = os.path.join(later, "safe.sh")
    with open(safe, "w") as f:
        f.write(f"#!/bin/sh\necho x >> {ran}\n")
    os.chmod(safe, 0o755)
    scripts = [("linked", f'    script "{link}"\n    interval 0.2\n    weight 2\n'),
               ("later", f'    script "{safe}"\n    interval 0.2\n    weight 1\n')]
    c = ("global_defs {\n    enable_script_security\n}\n" +
         conf("lb01", 100, scripts, [n for n, _ in scripts]))
    lb01 = lab["lb01"].vipd(c)
    lb01.wait_state("MASTER")
    wait_until(lambda: os.path.exists(ran), 3, what="the safe script ran")
    states = {t["name"]: t["state"] for t in lb01.instance()["tracking"]}
    assert states["linked"] == "FAILED" and states["later"] == "OK", states
    assert f"{unsafe_dir} can be changed by a user other than root; not run" in \
        lb01.log_text()
    os.chmod(later, 0o777)
    wait_until(lambda: {t["name"]: t["state"] for t in lb01.instance()["tracking"]}["later"]
               == "FAILED", 5, what="the script refused once its directory is unsafe")
    n = len(open(ran).read().splitlines())
    time.sleep(0.6)
    assert len(open(ran).read().splitlines()) == n
    assert f"{later} can be changed by a user other than root; not run" in lb01.log_text()


def test_track_process_ignores_zombies_and_caps_watches(lab):
    """A zombie with the tracked name is not a running process: the
    instance stays in Fault without flapping; a running one brings it up.
    300 processes with the name (a user can start them) are watched up to
    256, with one log line, and vipd's descriptors stay bounded."""
    import shutil
    import subprocess
    fake = os.path.join(lab.dir, "svcz")
    shutil.copy("/bin/sleep", fake)
    # a parent that never reaps its child: the child stays a zombie named svcz
    lab["lb01"].popen("/usr/bin/python3", "-c",
                      f"import os, time\nif os.fork() == 0:\n    os.execv('{fake}', "
                      f"['{fake}', '0'])\ntime.sleep(60)\n")
    c = ('vrrp_track_process svc {\n    process svcz\n    weight 0\n}\n' +
         tutorial_conf("lb01", [{"priority": 150, "version": 3, "advert_int": 0.3,
                                 "extra": ["    track_process {", "        svc", "    }"]}]))
    lb01 = lab["lb01"].vipd(c)
    lb01.wait_state("FAULT")
    n0 = lb01.instance()["counters"]["transitions"]
    time.sleep(3.5)  # three /proc scans
    st = lb01.instance()
    assert st["state"] == "FAULT" and st["counters"]["transitions"] == n0, st["counters"]
    procs = [lab["lb01"].popen(fake, "1000", stdout=subprocess.DEVNULL) for _ in range(300)]
    lb01.wait_state("MASTER", timeout=5)
    wait_until(lambda: "more than 256 matching processes" in lb01.log_text(), 4,
               what="the cap logged")
    assert len(os.listdir(f"/proc/{lb01.pid}/fd")) < 300
    for p in procs:
        p.kill()
    for p in procs:
        p.wait(5)
    lb01.wait_state("FAULT", timeout=5)


def test_track_process_user_ignores_other_users(lab):
    """process_user (vipd extension): a local user cannot keep a tracked
    service "up" by starting a process with its name; only the named
    user's processes count."""
    import shutil
    import subprocess
    fake = os.path.join(lab.dir, "svcu")
    shutil.copy("/bin/sleep", fake)
    os.chmod(lab.dir, 0o755)
    os.chmod(fake, 0o755)
    real = lab["lb01"].popen("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                             fake, "1000", stdout=subprocess.DEVNULL)
    c = ('vrrp_track_process svc {\n    process svcu\n    process_user nobody\n'
         '    weight 0\n}\n' +
         tutorial_conf("lb01", [{"priority": 150, "version": 3, "advert_int": 0.3,
                                 "extra": ["    track_process {", "        svc", "    }"]}]))
    lb01 = lab["lb01"].vipd(c)
    lb01.wait_state("MASTER")
    impostor = lab["lb01"].popen(fake, "1000", stdout=subprocess.DEVNULL)  # root's, not nobody's
    time.sleep(0.3)
    real.kill()
    real.wait(5)
    lb01.wait_state("FAULT", timeout=3)
    time.sleep(1.5)  # a /proc scan or two: the impostor still does not count
    assert lb01.instance()["state"] == "FAULT"
    impostor.kill()
    impostor.wait(5)
