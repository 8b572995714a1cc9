"""Test hosts made of network namespaces on one bridge, and the daemons on
them (vipd, keepalived). Everything a Lab creates is removed by close(),
which the fixtures call even when a test fails. Addresses exist only inside
these namespaces."""
import json
import os
import signal
import stat
import subprocess
import tempfile
import time
import uuid

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUILD = os.path.join(ROOT, os.environ.get("VIPD_BUILD", "build"))
KEEPALIVED = "/usr/sbin/keepalived"

ADDRS = {"lb01": ("10.0.0.5", "fd00:50::5"), "lb02": ("10.0.0.6", "fd00:50::6"),
         "lb03": ("10.0.0.7", "fd00:50::7"), "web01": ("10.0.0.21", "fd00:50::21"),
         "web02": ("10.0.0.22", "fd00:50::22"), "client": ("10.0.0.10", "fd00:50::10")}

# PID 1 of a host's own PID namespace: reaps every orphan (a daemonised
# nginx that dies must not linger as a zombie that `ps -C nginx` counts).
REAPER = """
import os, time
while True:
    try:
        os.wait()
    except ChildProcessError:
        time.sleep(0.02)
"""


def sh(*args, check=True, timeout=30, **kw):
    return subprocess.run(args, capture_output=True, text=True, check=check, timeout=timeout,
                          **kw)


def wait_until(pred, timeout=10.0, interval=0.05, what="condition"):
    """Polls pred() until it is true; bounded in time. Returns its value."""
    deadline = time.monotonic() + timeout
    while True:
        v = pred()
        if v:
            return v
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(interval)


class Daemon:
    def __init__(self, host, kind, conf_text, args=(), pidfile=None, env=None, pass_fds=(),
                 bfd=False):
        self.host, self.kind = host, kind
        lab = host.lab
        base = os.path.join(lab.dir, f"{host.name}-{kind}-{len(lab.daemons)}")
        self.conf = base + ".conf"
        self.log = base + ".log"
        self.pidfile = pidfile or base + ".pid"
        self.sock = base + ".sock"
        with open(self.conf, "w") as f:
            f.write(conf_text)
        if kind == "vipd":
            cmd = [os.path.join(BUILD, "vipd"), "-n", "-l", "-D", "-f", self.conf, "-p",
                   self.pidfile, "--socket", self.sock, "--run-dir", host.run_dir, *args]
        else:  # its VRRP process; with bfd its BFD process too (no checker process)
            mode = ["-b", base + "-bfd.pid"] if bfd else ["--vrrp"]
            cmd = [KEEPALIVED, "-n", "-l", "-D", *mode, "-f", self.conf, "-p", self.pidfile,
                   "-r", base + "-vrrp.pid", *args]
        if env is None:  # keepalived's dump files in the host's own $TMPDIR, never /tmp
            env = {**os.environ, "TMPDIR": host.tmp_dir}
        self.logf = open(self.log, "a")
        self.proc = subprocess.Popen([*host.prefix(), *cmd], stdout=self.logf,
                                     stderr=subprocess.STDOUT, start_new_session=True,
                                     env=env, pass_fds=pass_fds)
        self._pid = None
        lab.daemons.append(self)

    @property
    def pid(self):
        """The daemon's pid as seen from here: in a host with its own PID
        namespace, nsenter forks and the daemon is its child."""
        if self._pid is None:
            self._pid = self.proc.pid
            if self.host.pidns:
                self._pid = wait_until(lambda: child_of(self.proc.pid), 5,
                                       what=f"{self.kind} started in {self.host.name}")
        return self._pid

    def send(self, sig):
        if self.proc.poll() is None:
            os.kill(self.pid, sig)

    def stop(self, sig=signal.SIGTERM, timeout=10):
        self.send(sig)
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(5)
        return self.proc.returncode

    def kill9(self):
        """A crash: SIGKILL to the whole process group (keepalived's children
        too, or they would see their parent die and stop gracefully)."""
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(10)
        return self.proc.returncode

    def running(self):
        return self.proc.poll() is None

    def status(self):
        r = self.host.exec(os.path.join(BUILD, "vipctl"), "-s", self.sock, "status", "--json",
                           check=False)
        if r.returncode != 0:
            return None
        return json.loads(r.stdout)

    def instance(self, name="VI_1"):
        st = self.status()
        if not st:
            return None
        for i in st["instances"]:
            if i["name"] == name:
                return i
        return None

    def wait_state(self, state, name="VI_1", timeout=10):
        return wait_until(lambda: (self.instance(name) or {}).get("state") == state, timeout,
                          what=f"{self.host.name} {name} {state}")

    def log_text(self):
        self.logf.flush()
        with open(self.log) as f:
            return f.read()


def child_of(pid):
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            kids = f.read().split()
    except OSError:
        return None
    return int(kids[0]) if kids else None


def threaded_rx(prefix, dev):
    """The veth's receive work in a kernel thread of its own (with GRO on
    and no TSO veth hands frames to NAPI; threaded NAPI runs it in
    napi/DEV), as a real host's NIC does it on the receiver: not charged to
    the process that sent."""
    sh(*prefix, "ethtool", "-K", dev, "gro", "on", "tso", "off", "tx-udp-segmentation", "off")
    sh(*prefix, "sh", "-c", f"echo 1 > /sys/class/net/{dev}/threaded")


class Host:
    """A test host: eth0 (10.0.0.x) and, in labs with more links, eth1.. on
    bridges of their own (10.K.0.x on ethK)."""

    def __init__(self, lab, name, index, pidns=False):
        self.lab, self.name = lab, name
        self.ns = f"{lab.prefix}-{name}"
        self.v4, self.v6 = ADDRS[name]
        self.pidns = None
        self.run_dir = os.path.join(lab.dir, name + "-run")  # the host's /run/vipd
        os.makedirs(self.run_dir, exist_ok=True)
        self.tmp_dir = os.path.join(lab.dir, name + "-tmp")  # the host's $TMPDIR
        os.makedirs(self.tmp_dir, exist_ok=True)
        sh("ip", "netns", "add", self.ns)
        if pidns:
            self.start_pidns()
        self.ip("link", "set", "lo", "up")
        sh("ip", "netns", "exec", self.ns, "sysctl", "-qw", "net.ipv6.conf.all.accept_dad=0",
           "net.ipv6.conf.default.accept_dad=0")
        for k in range(lab.nics):
            port = f"p{index}" if k == 0 else f"p{index}k{k}"
            sh("ip", "-n", lab.br, "link", "add", port, "type", "veth", "peer", "name",
               f"eth{k}", "netns", self.ns)
            sh("ip", "-n", lab.br, "link", "set", port, "master", f"br{k}", "up")
            self.ip("link", "set", f"eth{k}", "up")
            if lab.threaded_rx:
                threaded_rx(["ip", "netns", "exec", lab.br], port)
                threaded_rx(["ip", "netns", "exec", self.ns], f"eth{k}")
            self.ip("addr", "add", f"{self.addr4(k)}/24", "dev", f"eth{k}")
        self.ip("addr", "add", f"{self.v6}/64", "dev", "eth0", "nodad")

    def addr4(self, k=0):
        """This host's address on ethK."""
        return self.v4 if k == 0 else self.v4.replace("10.0.", f"10.{k}.", 1)

    def start_pidns(self):
        """The host gets its own PID namespace with its own /proc, as a real
        machine or a container has: `ps` there sees only this host."""
        holder = subprocess.Popen(["ip", "netns", "exec", self.ns, "unshare", "--pid", "--fork",
                                   "--mount-proc", "--kill-child", "/usr/bin/python3", "-c",
                                   REAPER], start_new_session=True)
        self.lab.procs.append(holder)
        self.pidns = wait_until(lambda: child_of(holder.pid), 5, what="PID namespace")

    def prefix(self):
        if self.pidns:
            return ["nsenter", "-t", str(self.pidns), "-p", "-m", "-n", "--"]
        return ["ip", "netns", "exec", self.ns]

    def ip(self, *args, check=True):
        return sh("ip", "-n", self.ns, *args, check=check)

    def exec(self, *args, check=True, timeout=30):
        return sh(*self.prefix(), *args, check=check, timeout=timeout)

    def popen(self, *args, **kw):
        p = subprocess.Popen([*self.prefix(), *args], start_new_session=True, **kw)
        self.lab.procs.append(p)
        return p

    def addrs(self):
        """Addresses on every ethK and vmac (not lo)."""
        out = self.ip("-br", "addr", "show").stdout
        return [a.split("/")[0] for line in out.splitlines()
                if line.startswith(("eth", "vrrp")) for a in line.split()[2:]]

    def holds(self, vip):
        return vip in self.addrs()

    def vipd(self, conf_text, args=(), pidfile=None, env=None, pass_fds=()):
        return Daemon(self, "vipd", conf_text, args, pidfile, env, pass_fds)

    def keepalived(self, conf_text, env=None, bfd=False):
        return Daemon(self, "keepalived", conf_text, env=env, bfd=bfd)


class Lab:
    def __init__(self, names=("lb01", "lb02", "client"), pidns=(), nics=1, threaded_rx=False):
        self.prefix = "v" + uuid.uuid4().hex[:6]
        self.nics = nics
        self.threaded_rx = threaded_rx
        self.br = f"{self.prefix}-br"
        self.dir = tempfile.mkdtemp(prefix=self.prefix + "-")
        self.daemons, self.procs, self.hosts = [], [], {}
        sh("ip", "netns", "add", self.br)
        # the bridges stand for a switch: no iptables on bridged frames
        sh("ip", "netns", "exec", self.br, "sysctl", "-qw", "net.bridge.bridge-nf-call-iptables=0",
           "net.bridge.bridge-nf-call-ip6tables=0", "net.bridge.bridge-nf-call-arptables=0",
           check=False)
        try:
            for k in range(nics):
                sh("ip", "-n", self.br, "link", "add", f"br{k}", "type", "bridge")
                sh("ip", "-n", self.br, "link", "set", f"br{k}", "up")
            for i, n in enumerate(names):
                self.hosts[n] = Host(self, n, i + 1, pidns=n in pidns)
        except Exception:
            self.close()
            raise

    def __getitem__(self, name):
        return self.hosts[name]

    def br_exec(self, *args):
        """A command in the namespace that holds the bridges."""
        return sh("ip", "netns", "exec", self.br, *args)

    def holders(self, vip):
        return [n for n, h in self.hosts.items() if h.holds(vip)]

    def sanitizer_reports(self):
        bad = []
        for d in self.daemons:
            if d.kind == "vipd":
                t = d.log_text()
                if "ERROR: AddressSanitizer" in t or "runtime error:" in t or \
                        "ERROR: LeakSanitizer" in t:
                    bad.append(f"{d.host.name}: {d.log}")
        return bad

    def logs(self):
        out = []
        for d in self.daemons:
            out.append(f"---- {d.host.name} {d.kind} ({d.log})\n" + d.log_text()[-3000:])
        return "\n".join(out)

    def close(self):
        # every step is tried whatever the one before did: a daemon that
        # is slow to die still has its namespaces emptied and removed
        for d in self.daemons:
            if d.running():
                try:
                    d.stop(signal.SIGTERM, timeout=5)
                except subprocess.TimeoutExpired:
                    pass
        for p in self.procs:
            if p.poll() is None:
                try:
                    os.killpg(p.pid, signal.SIGKILL)
                    p.wait(5)
                except (ProcessLookupError, subprocess.TimeoutExpired):
                    pass
        for h in list(self.hosts.values()):
            for pid in sh("ip", "netns", "pids", h.ns, check=False).stdout.split():
                sh("kill", "-9", pid, check=False)
            sh("ip", "netns", "del", h.ns, check=False)
        sh("ip", "netns", "del", self.br, check=False)


def lines(path):
    """A file's lines; none when it does not exist yet."""
    try:
        with open(path) as f:
            return f.read().splitlines()
    except FileNotFoundError:
        return []


def script(lab, name, body):
    """An executable /bin/sh script in the lab's directory; its path."""
    path = os.path.join(lab.dir, name)
    with open(path, "w") as f:
        f.write("#!/bin/sh\n" + body + "\n")
    os.chmod(path, stat.S_IRWXU)
    return path


def tutorial_conf(router_id, instances, global_extra=""):
    """keepalived.conf text: instances is a list of dicts."""
    out = [f"global_defs {{\n    router_id {router_id}\n{global_extra}}}\n"]
    for i in instances:
        lines = [f"vrrp_instance {i.get('name', 'VI_1')} {{",
                 f"    state {i.get('state', 'BACKUP')}",
                 f"    interface {i.get('interface', 'eth0')}",
                 f"    virtual_router_id {i.get('vrid', 50)}",
                 f"    priority {i['priority']}",
                 f"    advert_int {i.get('advert_int', 1)}"]
        if i.get("version"):
            lines.append(f"    version {i['version']}")
        if i.get("auth_pass"):
            lines += ["    authentication {", f"        auth_type {i.get('auth_type', 'PASS')}",
                      f"        auth_pass {i['auth_pass']}", "    }"]
        lines += ["    virtual_ipaddress {", f"        {i.get('vip', '10.0.0.3')}", "    }"]
        lines += i.get("extra", [])
        lines.append("}")
        out.append("\n".join(lines) + "\n")
    return "\n".join(out)


class Pinger:
    """ping from a host at a fixed interval, for a bounded count."""

    def __init__(self, host, target, interval=0.1, count=300):
        self.interval = interval
        self.out = tempfile.TemporaryFile(mode="w+")
        v6 = ":" in target
        self.p = host.popen("ping", *(["-6"] if v6 else []), "-n", "-i", str(interval), "-c",
                            str(count), "-W", "1", target, stdout=self.out,
                            stderr=subprocess.STDOUT)

    def stop(self):
        if self.p.poll() is None:
            self.p.send_signal(signal.SIGINT)
        self.p.wait(10)
        self.out.seek(0)
        text = self.out.read()
        for line in text.splitlines():
            if "packets transmitted" in line:
                parts = line.split(",")
                sent = int(parts[0].split()[0])
                got = int(parts[1].split()[0])
                return sent, sent - got
        raise AssertionError("ping printed no summary:\n" + text)
