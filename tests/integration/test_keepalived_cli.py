"""keepalived's command line, as deployments write it, starts vipd
unchanged: OpenStack Neutron's L3 HA (-P -f -p -r), Kolla (-nld), the common
container image (-D -d -l -n), -s NAME for a network namespace; keepalived's
--signum answers; the flags with nothing to do are accepted or warned about
by name, the ones vipd cannot honour are refused."""
import os
import signal
import subprocess

from conftest import run
from lab import BUILD, tutorial_conf, wait_until

VIPD = os.path.join(BUILD, "vipd")
VIP = "10.0.0.3"


def conf_file(lab, name="lb01"):
    path = os.path.join(lab.dir, name + "-cli.conf")
    with open(path, "w") as f:
        f.write(tutorial_conf(name, [{"priority": 150, "version": 3, "advert_int": 0.5}]))
    return path


def start(lab, args, host="lb01", outside=False):
    """vipd with a keepalived command line, in the host's namespace (or
    outside, for -s); its stderr to a file."""
    log = open(os.path.join(lab.dir, f"{host}-cli.log"), "a")
    prefix = [] if outside else lab[host].prefix()
    p = subprocess.Popen([*prefix, VIPD, *args], stdout=log, stderr=subprocess.STDOUT,
                         start_new_session=True)
    lab.procs.append(p)
    return p, log.name


def stop(p):
    p.send_signal(signal.SIGTERM)
    return p.wait(10)


def test_signum_answers_as_keepalived_does():
    for name in ("STOP", "RELOAD", "DATA", "STATS", "STATS_CLEAR", "JSON"):
        want = run("keepalived", f"--signum={name}").stdout
        got = run(VIPD, f"--signum={name}")
        assert got.returncode == 0 and got.stdout == want, (name, got.stdout, want)
    r = run(VIPD, "--signum=TDATA")
    assert r.returncode == 1 and "Unknown sigfunc TDATA" in r.stderr


def test_neutron_command_line(lab):
    """Neutron L3 HA: keepalived -P -f CONF -p PID -r VRRP_PID: both pid
    files name the one vipd process, and go when it stops."""
    pid, vrrp_pid = (os.path.join(lab.dir, n) for n in ("ka.pid", "ka-vrrp.pid"))
    p, _ = start(lab, ["-P", "-f", conf_file(lab), "-p", pid, "-r", vrrp_pid, "-n", "-l",
                       "--socket", os.path.join(lab.dir, "s1"),
                       "--run-dir", lab["lb01"].run_dir])
    wait_until(lambda: lab["lb01"].holds(VIP), 6, what="the VIP")
    assert open(pid).read().strip() == open(vrrp_pid).read().strip() == str(p.pid)
    assert stop(p) == 0
    assert not os.path.exists(pid) and not os.path.exists(vrrp_pid)
    assert not lab["lb01"].holds(VIP)


def test_kolla_and_container_flags(lab):
    """-nld (Kolla) and -D -d -l -n (the container image): the config in
    force is logged at start, in canonical form."""
    p, log = start(lab, ["-nld", "-D", "-f", conf_file(lab), "-p",
                         os.path.join(lab.dir, "k.pid"), "--socket",
                         os.path.join(lab.dir, "s2"), "--run-dir", lab["lb01"].run_dir])
    wait_until(lambda: lab["lb01"].holds(VIP), 6, what="the VIP")
    text = open(log).read()
    assert "config: vrrp_instance VI_1 {" in text and "config:     virtual_router_id 50" in text
    assert stop(p) == 0


def test_namespace_flag_runs_inside_it(lab):
    """-s NAME: vipd started outside the namespace works inside it."""
    p, _ = start(lab, ["-s", lab["lb01"].ns, "-n", "-l", "-f", conf_file(lab), "-p",
                       os.path.join(lab.dir, "n.pid"), "--socket",
                       os.path.join(lab.dir, "s3"), "--run-dir", lab["lb01"].run_dir],
                 outside=True)
    wait_until(lambda: lab["lb01"].holds(VIP), 6, what="the VIP in the namespace")
    assert stop(p) == 0
    r = run(VIPD, "-s", "no-such-ns-zz", "-t", "-f", conf_file(lab))
    assert r.returncode == 1 and "network namespace no-such-ns-zz" in r.stderr


def test_flags_with_nothing_to_do_are_named(lab):
    c = conf_file(lab)
    for flags in (["-P", "-B", "-R", "--all", "-c", "/tmp/x", "-b", "/tmp/y"],
                  ["-S", "local3"], ["-S", "7"], ["-G"], ["-u", "0077"], ["-m"]):
        r = run(VIPD, *flags, "-t", "-f", c)
        assert r.returncode == 0 and r.stderr == "", (flags, r.stderr)
    for flag, word in (("-X", "--release-vips"), ("-V", "--dont-release-vrrp"),
                       ("-I", "IPVS"), ("-a", "--address-monitoring"), ("-x", "SNMP"),
                       ("-e", "--all-config")):
        r = run(VIPD, flag, "-t", "-f", c)
        assert r.returncode == 0 and f"warning: {flag} " in r.stderr and word in r.stderr, \
            (flag, r.stderr)
    for flags, word in ((["-C"], "health checkers"), (["-T"], "genhash"),
                        (["-S", "kern"], "unknown syslog facility")):
        r = run(VIPD, *flags, "-t", "-f", c)
        assert r.returncode == 2 and word in r.stderr, (flags, r.stderr)


def test_config_test_report_to_a_file(tmp_path):
    bad = tmp_path / "bad.conf"
    bad.write_text("vrrp_instance VI_1 { virtual_router_id 999 }\n")
    out = tmp_path / "report.log"
    r = run(VIPD, f"--config-test={out}", "-f", str(bad))
    assert r.returncode == 4 and r.stderr == ""
    assert "bad.conf:1:" in out.read_text() and "error" in out.read_text()
    r = run(VIPD, f"-t{out}", "-f", str(bad))
    assert r.returncode == 4 and "bad.conf:1:" in out.read_text()


def test_instance_name_gives_each_vipd_its_files(lab):
    """keepalived's `instance NAME` (two keepalived on one host): each vipd
    keeps its own pid file, control socket and run directory under
    /run/vipd, logs as vipd_NAME, and vipctl -i NAME reaches it."""
    import uuid
    names = ["t" + uuid.uuid4().hex[:8] for _ in range(2)]
    procs = []
    try:
        for host, name in zip(("lb01", "lb02"), names):
            path = os.path.join(lab.dir, f"{host}-inst.conf")
            with open(path, "w") as f:
                f.write(f"instance {name}\n" + tutorial_conf(
                    host, [{"priority": 150 if host == "lb01" else 100, "version": 3,
                            "advert_int": 0.5}]))
            procs.append(start(lab, ["-n", "-l", "-f", path], host=host)[0])
        for p, name in zip(procs, names):
            pidfile = f"/run/vipd/vipd_{name}.pid"
            wait_until(lambda: os.path.exists(pidfile), 5, what=pidfile)
            assert open(pidfile).read().strip() == str(p.pid)
            assert os.path.isdir(f"/run/vipd/{name}")
        wait_until(lambda: lab.holders(VIP) == ["lb01"], 6, what="lb01 master")
        vipctl = os.path.join(BUILD, "vipctl")
        st = run(vipctl, "-i", names[1], "status")
        assert st.returncode == 0 and "BACKUP" in st.stdout, st
        text = open(os.path.join(lab.dir, "lb01-cli.log")).read()
        assert f"vipd_{names[0]}" in text and f"/run/vipd/vipd_{names[0]}.sock" in text
        for p in procs:
            assert stop(p) == 0
        for name in names:
            assert not os.path.exists(f"/run/vipd/vipd_{name}.pid")
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
                p.wait(5)
        for name in names:
            subprocess.run(["rm", "-rf", f"/run/vipd/{name}", f"/run/vipd/vipd_{name}.pid",
                            f"/run/vipd/vipd_{name}.sock"])
