"""keepalived's text dumps, written by vipd where keepalived writes them:
SIGUSR2 -> $TMPDIR/keepalived.stats, SIGUSR1 -> $TMPDIR/keepalived.data
(keepalived 2.2.7 honours TMPDIR, so each run gets a directory of its own
in the lab's and the real /tmp is never touched). The same scenario runs
under keepalived and under vipd, and the files are compared line by line:
the same labels in the same order, numbers free where the runs differ."""
import os
import re
import signal
import stat
import time

from lab import script, tutorial_conf, wait_until

VIP = "10.0.0.3"


def scenario(lab, router_id, extra_global=""):
    chk = script(lab, "chk.sh", "exit 0")
    insts = [{"priority": 150, "version": 2, "auth_pass": "1111",
              "extra": ['    notify_master "/bin/true"',
                        "    track_script {", "        chk", "    }"]},
             {"name": "VI_2", "vrid": 51, "priority": 100, "version": 3, "vip": "10.0.0.4"}]
    # keepalived wants a vrrp_script defined before an instance tracks it
    return (f"vrrp_script chk {{\n    script \"{chk}\"\n    interval 1\n}}\n" +
            tutorial_conf(router_id, insts, extra_global))


def tmpdir(lab, name):
    d = os.path.join(lab.dir, name)
    os.makedirs(d, exist_ok=True)
    return d


def signalled(daemon, sig, path):
    """Sends sig and reads the file it makes (removed first)."""
    if os.path.exists(path):
        os.unlink(path)
    daemon.send(sig)
    wait_until(lambda: os.path.exists(path), 5, what=path)
    time.sleep(0.2)
    with open(path) as f:
        return f.read().splitlines()


def run(lab, kind, sends):
    """Starts kind on lb01 with its own TMPDIR, both instances Master and
    the script run, then sends each (signal, file name); the files' lines."""
    d = tmpdir(lab, kind + "-tmp")
    env = {**os.environ, "TMPDIR": d}
    conf = scenario(lab, "lb01")
    h = lab["lb01"]
    daemon = h.vipd(conf, env=env) if kind == "vipd" else h.keepalived(conf, env=env)
    wait_until(lambda: h.holds(VIP) and h.holds("10.0.0.4"), 10, what=f"{kind} master")
    time.sleep(1.5)  # adverts sent, the script run
    out = {name: signalled(daemon, sig, os.path.join(d, name)) for sig, name in sends}
    out["mode"] = {name: stat.S_IMODE(os.stat(os.path.join(d, name)).st_mode)
                   for _, name in sends}
    assert daemon.running()
    daemon.stop()
    wait_until(lambda: not h.holds(VIP), 5, what="VIP released")
    return out


def label(line):
    """A line without its values: what precedes " = " or ": ", or the line
    with its numbers blanked."""
    m = re.match(r"^(\s*[^=:]*?)\s*(=|:)( |$)", line)
    if m:
        return m.group(1)
    return re.sub(r"\d+", "N", line)


def sections(lines):
    out, cur = {}, None
    for line in lines:
        if line.startswith("------<"):
            cur = line
            out[cur] = []
        elif cur:
            out[cur].append(line)
    return out


def is_subsequence(small, big):
    it = iter(big)
    return all(any(x == y for y in it) for x in small)


def test_stats_and_data_files_as_keepalived_writes_them(lab):
    sends = [(signal.SIGUSR2, "keepalived.stats"), (signal.SIGUSR1, "keepalived.data")]
    ka = run(lab, "keepalived", sends)
    vd = run(lab, "vipd", sends)
    assert vd["mode"] == ka["mode"] == {"keepalived.stats": 0o600, "keepalived.data": 0o600}

    # keepalived.stats: every line's label, in order; the counters agree
    want, got = ka["keepalived.stats"], vd["keepalived.stats"]
    assert [label(x) for x in got] == [label(x) for x in want], (got, want)
    assert got[0] == "VRRP Instance: VI_1" and "VRRP Instance: VI_2" in got
    became = [x for x in got if x.startswith("  Became master:")]
    assert became == ["  Became master: 1"] * 2
    sent = int(got[3].split(":")[1])
    assert got[2] == want[2] == "    Received: 0" and sent >= 1

    # keepalived.data: vipd's sections are keepalived's, in its order
    # (keepalived's socket pool and interface table have no counterpart)
    ws, gs = sections(ka["keepalived.data"]), sections(vd["keepalived.data"])
    assert is_subsequence(list(gs), list(ws)), (list(gs), list(ws))
    assert {"------< Global definitions >------", "------< VRRP Topology >------",
            "------< VRRP Scripts >------"} <= set(gs)
    g = [label(x) for x in gs["------< Global definitions >------"]]
    assert is_subsequence(g, [label(x) for x in ws["------< Global definitions >------"]]), g
    for sec in ("------< VRRP Topology >------", "------< VRRP Scripts >------"):
        w, v = ws[sec], gs[sec]
        assert [label(x) for x in v] == [label(x) for x in w], "\n".join(
            f"{a!r:60} {b!r}" for a, b in zip(v, w))
    topo = gs["------< VRRP Topology >------"]
    for line in (" VRRP Instance = VI_1", "   State = MASTER", "   Interface = eth0",
                 "   Virtual Router ID = 50", "   Priority = 150", "   Password = 1111",
                 "   Advert interval = 1 sec", "   Advert interval = 1000 milli-sec",
                 "     10.0.0.3 dev eth0 scope global set", "     chk weight 0"):
        assert line in topo and line in ws["------< VRRP Topology >------"], line
    assert "   Status = GOOD" in gs["------< VRRP Scripts >------"]


def test_dump_file_keywords_choose_the_paths(lab):
    """state_dump_file names the data file; stats_dump_file DIR/ a directory
    that gets keepalived.stats; json_dump_file relative: a file in TMPDIR.
    A link planted at the path is replaced, never written through."""
    d, out = tmpdir(lab, "vipd-tmp"), tmpdir(lab, "dumps")
    victim = os.path.join(lab.dir, "victim")
    with open(victim, "w") as f:
        f.write("precious\n")
    os.symlink(victim, os.path.join(out, "state.txt"))
    os.mkfifo(os.path.join(out, "keepalived.stats"))
    conf = tutorial_conf("lb01", [{"priority": 150}], (
        f"    state_dump_file {out}/state.txt\n    stats_dump_file {out}/\n"
        "    json_dump_file sub/ka.json\n"))
    v = lab["lb01"].vipd(conf, env={**os.environ, "TMPDIR": d})
    v.wait_state("MASTER")
    data = signalled(v, signal.SIGUSR1, os.path.join(out, "state.txt"))
    assert " VRRP Instance = VI_1" in data
    v.send(signal.SIGUSR2)
    path = os.path.join(out, "keepalived.stats")
    wait_until(lambda: stat.S_ISREG(os.lstat(path).st_mode), 5, what="stats file")
    assert open(path).read().startswith("VRRP Instance: VI_1\n")
    v.send(int(os.popen("keepalived --signum=JSON").read()))
    wait_until(lambda: os.path.exists(os.path.join(d, "ka.json")), 5, what="ka.json")
    assert open(victim).read() == "precious\n"
    assert not [n for n in os.listdir(out) if n not in ("state.txt", "keepalived.stats")]
    assert v.running()


def test_process_name(lab):
    """vrrp_process_name wins over process_name: pgrep -x finds vipd by it;
    a reload that drops both gives vipd its own name back."""
    h = lab["lb01"]
    g = "    process_name ka_main\n    vrrp_process_name ka_vrrp_test\n"
    v = h.vipd(tutorial_conf("lb01", [{"priority": 150}], g))
    v.wait_state("MASTER")
    pids = h.exec("pgrep", "-x", "ka_vrrp_test").stdout.split()
    assert pids == [str(v.pid)]
    assert h.exec("pgrep", "-x", "ka_main", check=False).stdout == ""
    with open(v.conf, "w") as f:
        f.write(tutorial_conf("lb01", [{"priority": 150}]))
    v.send(signal.SIGHUP)
    wait_until(lambda: str(v.pid) in h.exec("pgrep", "-x", "vipd", check=False).stdout.split(),
               5, what="comm back to vipd")  # other vipd on this machine may show too
    assert open(f"/proc/{v.pid}/comm").read() == "vipd\n"
