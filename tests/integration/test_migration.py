"""Migration: real deployments' keepalived command lines and configs start
vipd unchanged, and vipd behaves as Debian's keepalived 2.2.7 does on the
same hosts. Each deployment's scenario runs three times: keepalived as both
routers, vipd as both routers, and a mixed pair (keepalived on lb01, vipd on
lb02: an operator migrating one host at a time), with the same expected
observations each time: who holds the VIP after start, the takeover when
the master is killed with SIGKILL or its check fails, what the notify
scripts wrote.

Each router host has its own PID and mount namespace, with its own /run
(a tmpfs) and its own /etc/keepalived (a directory of the lab bound over
it), as a container or a machine of its own has: the deployments' fixed
paths (/run/keepalived.pid, /etc/keepalived/keepalived.conf,
/etc/keepalived/check_apiserver.sh, and vipd's /run/vipd) are used as
written, and the two hosts do not collide. Paths a deployment keeps
elsewhere (/var/lib/neutron, /container, /checks) are under the lab's
directory, one per host. The binary is the only thing substituted."""
import os
import signal
import subprocess
import time

import pytest

from lab import BUILD, KEEPALIVED, Lab, lines, wait_until

VIPD = os.path.join(BUILD, "vipd")
PY = "/usr/bin/python3"
# keepalived on both hosts gives the same results (checked when the test was
# written); the test command runs vipd on both, and the migrating pair
PAIRS = {"vipd": ("vipd", "vipd"), "mixed": ("keepalived", "vipd")}


# ---------------------------------------------------------------- the lab


@pytest.fixture
def mlab(request):
    """lb01 and lb02, each with its own PID and mount namespace, /run and
    /etc/keepalived; logs printed on failure, sanitizer reports fail."""
    lb = Lab(("lb01", "lb02"), pidns=("lb01", "lb02"))
    try:
        for name in ("lb01", "lb02"):
            h = lb[name]
            h.etc = os.path.join(lb.dir, name + "-etc")
            os.makedirs(h.etc, mode=0o755)
            h.exec("mount", "-t", "tmpfs", "-o", "mode=755", f"{lb.prefix}-run", "/run")
            h.exec("mount", "--bind", h.etc, "/etc/keepalived")
        lb.routers = []
        yield lb
    finally:
        rep = getattr(request.node, "rep_call", None)
        if rep is not None and rep.failed:
            for r in getattr(lb, "routers", []):
                print(f"---- {r.host.name} {r.kind} ({r.log})\n" + r.log_text()[-3000:])
        lb.close()
    reports = [f for f in os.listdir(lb.dir) if f.startswith("sanitizer.")]
    reports += [r.log for r in lb.routers if r.kind == "vipd" and
                ("ERROR: AddressSanitizer" in r.log_text() or "runtime error:" in r.log_text())]
    assert not reports, f"sanitizer reports in {lb.dir}: {reports}"


class Router:
    """keepalived or vipd started in a host with exactly a deployment's
    command line (only the binary differs). pidfile: for a command line
    that daemonises, the pid file (a path in the host's mount namespace)
    that names the daemon, its session leader."""

    def __init__(self, lab, host, kind, argv, pidfile=None):
        self.host, self.kind, self.pidfile = lab[host], kind, pidfile
        self.log = os.path.join(lab.dir, f"{host}-{kind}-{len(lab.routers)}.log")
        env = dict(os.environ)
        if kind == "vipd":
            # a daemonised vipd has no stderr: sanitizer reports to files
            sanitizer = os.path.join(lab.dir, "sanitizer")
            for var in ("ASAN_OPTIONS", "UBSAN_OPTIONS"):
                env[var] = ":".join(filter(None, [env.get(var), f"log_path={sanitizer}"]))
        self.logf = open(self.log, "a")
        self.proc = self.host.popen(KEEPALIVED if kind == "keepalived" else VIPD, *argv,
                                    stdout=self.logf, stderr=subprocess.STDOUT, env=env)
        lab.routers.append(self)
        if pidfile:
            wait_until(lambda: self.daemon_pid(), 10, what=f"{kind} on {host} daemonised")

    def daemon_pid(self):
        r = self.host.exec("cat", self.pidfile, check=False)
        pid = r.stdout.strip()
        if r.returncode or not pid or \
                self.host.exec("kill", "-0", pid, check=False).returncode:
            return None
        return pid

    def kill9(self):
        """A crash: SIGKILL to the daemon and every process of its (keepalived's
        VRRP and checker children too)."""
        if self.pidfile:
            pid = self.daemon_pid()
            self.host.exec("kill", "-9", "--", "-" + pid)
            wait_until(lambda: self.host.exec("kill", "-0", pid, check=False).returncode, 5,
                       what="the daemon gone")
        else:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)

    def running(self):
        return self.daemon_pid() if self.pidfile else self.proc.poll() is None

    def log_text(self):
        self.logf.flush()
        with open(self.log, errors="replace") as f:
            return f.read()


def write(path, text, mode=0o644):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)
    os.chmod(path, mode)
    return path


def holders(lab, addr):
    """The hosts with addr on any of their links (not lo)."""
    out = []
    for name in ("lb01", "lb02"):
        text = lab[name].ip("-br", "addr", "show").stdout
        if any(a.split("/")[0] == addr for line in text.splitlines()
               if not line.startswith("lo ") for a in line.split()[2:]):
            out.append(name)
    return out


def takeover(lab, addr, to, timeout, what):
    """Waits until only `to` holds addr; the seconds it took."""
    t0 = time.monotonic()
    wait_until(lambda: holders(lab, addr) == [to], timeout, what=what)
    return round(time.monotonic() - t0, 2)


def held_by(lab, addr, name, timeout, what):
    """Waits until `name` holds addr (another may too: one killed with -9
    leaves its addresses); the seconds it took."""
    t0 = time.monotonic()
    wait_until(lambda: name in holders(lab, addr), timeout, what=what)
    return round(time.monotonic() - t0, 2)


def stays(lab, addr, name, seconds, since=None):
    """addr stays on `name` alone for `seconds` (from `since`, a
    time.monotonic(), or now)."""
    deadline = (since or time.monotonic()) + seconds
    while time.monotonic() < deadline:
        assert holders(lab, addr) == [name], f"{addr} left {name}"
        time.sleep(0.1)


def figures(deployment, pair, **seconds):
    """Prints what was measured (pytest -s shows it)."""
    print(f"\n{deployment} [{pair}]: " +
          ", ".join(f"{k} {v} s" for k, v in seconds.items() if v is not None))


# ------------------------------------------------------- 1. Neutron L3 HA

# An HA router's namespace as Neutron builds it: the router's qr- (internal)
# and qg- (gateway) ports, whose addresses keepalived adds on the master
# (virtual_ipaddress_excluded) with the default route (virtual_routes). The
# ha- port is the lab's eth0.
ROUTER_ID = "2f1a6c1e-9b3d-4e57-8c0a-6d5f4b3a2e10"
QR, QG = "qr-7d1b6c3e-4f", "qg-2a9f0e51-c8"
HA_VIP = "169.254.0.1"
NEUTRON_ADDRS = (HA_VIP, "10.1.0.1", "172.24.4.10", "fe80::f816:3eff:fe5a:1b2c")


def neutron_conf(ha_confs):
    """keepalived.conf as neutron/agent/linux/keepalived.py writes it
    (KeepalivedConf.build_config: global_defs, then the instance with
    Neutron's defaults: state BACKUP, priority 50 (ha_vrrp_priority... every
    agent the same), garp_master_delay 60, nopreempt, advert_int 2
    (ha_vrrp_advert_int), the ha- port tracked, the HA CIDR's address on it,
    the router's own addresses and routes excluded from the advert and
    marked no_track (keepalived_use_no_track, the default since Train); no
    authentication block when ha_vrrp_auth_password is unset). The notify
    lines are Neutron's first L3 HA (Juno, KeepalivedNotifierMixin): one
    script per state writing the state to ha_confs/ROUTER/state, which the
    later neutron-keepalived-state-change daemon writes from the ha- port's
    addresses instead."""
    d = os.path.join(ha_confs, ROUTER_ID)
    return f"""global_defs {{
    notification_email_from neutron@openstack.local
    router_id neutron
}}
vrrp_instance VR_1 {{
    state BACKUP
    interface eth0
    virtual_router_id 1
    priority 50
    garp_master_delay 60
    nopreempt
    advert_int 2
    track_interface {{
        eth0
    }}
    virtual_ipaddress {{
        {HA_VIP}/24 dev eth0
    }}
    virtual_ipaddress_excluded {{
        10.1.0.1/24 dev {QR} no_track
        172.24.4.10/24 dev {QG} no_track
        fe80::f816:3eff:fe5a:1b2c/64 dev {QR} scope link no_track
    }}
    virtual_routes {{
        0.0.0.0/0 via 172.24.4.1 dev {QG} no_track
    }}
    notify_master "{d}/notify_master.sh"
    notify_backup "{d}/notify_backup.sh"
    notify_fault "{d}/notify_fault.sh"
}}
"""


def neutron_router(lab, host, kind):
    """The router's files on `host` and keepalived started as Neutron does:
    KeepalivedManager._build_cmdline_callback, `keepalived -P -f CONF -p PID
    -r PID-vrrp` (no -n: it daemonises; the process monitor reads the pid
    files), in the router's namespace; ha_confs is /var/lib/neutron/ha_confs
    there, the lab's directory here, one per host."""
    ha_confs = os.path.join(lab.dir, host + "-ha_confs")
    d = os.path.join(ha_confs, ROUTER_ID)
    for state in ("master", "backup", "fault"):
        write(f"{d}/notify_{state}.sh",
              f"#!/usr/bin/env bash\necho -n {state} > {d}/state\n", 0o755)
    conf = write(f"{d}/keepalived.conf", neutron_conf(ha_confs))
    pid = f"{ha_confs}/{ROUTER_ID}.pid.keepalived"
    return Router(lab, host, kind, ["-P", "-f", conf, "-p", pid, "-r", pid + "-vrrp"],
                  pidfile=pid)


def neutron_state(lab, host):
    return "".join(lines(os.path.join(lab.dir, host + "-ha_confs", ROUTER_ID, "state")))


def neutron_view(lab, host):
    """What the router's namespace has of the router: its addresses and its
    default route."""
    h = lab[host]
    addrs = [a.split("/")[0] for a in h.ip("-o", "addr", "show").stdout.split()
             if "/" in a]
    route = "172.24.4.1" in h.ip("route", "show", "default").stdout
    return [a for a in NEUTRON_ADDRS if a in addrs] + (["default route"] if route else [])


@pytest.mark.parametrize("pair", PAIRS)
def test_neutron_l3_ha(mlab, pair):
    """Two L3 agents' routers, the same priority, nopreempt: the first
    started is master (its addresses, routes and state file), the second
    stays backup; the master killed with -9, the backup takes everything
    over and its state file says master; the old master restarted is backup
    and stays so."""
    for name in ("lb01", "lb02"):
        for dev in (QR, QG):  # no dummy module in this kernel: a veth pair
            mlab[name].ip("link", "add", dev, "type", "veth", "peer", "name", dev[:2] + "-peer")
            mlab[name].ip("link", "set", dev[:2] + "-peer", "up")
            mlab[name].ip("link", "set", dev, "up")
    k1, k2 = PAIRS[pair]
    # master down interval at priority 50: 3 * 2 + (256 - 50) / 256 * 2 = 7.6 s
    r1 = neutron_router(mlab, "lb01", k1)
    # both pid files name a live process (for vipd, the same one)
    assert r1.host.exec("sh", "-c", f"kill -0 $(cat {r1.pidfile}) $(cat {r1.pidfile}-vrrp)",
                        check=False).returncode == 0
    start = held_by(mlab, HA_VIP, "lb01", 12, "lb01 master")
    wait_until(lambda: neutron_view(mlab, "lb01") == [*NEUTRON_ADDRS, "default route"], 3,
               what="the router's addresses and route on lb01")
    wait_until(lambda: neutron_state(mlab, "lb01") == "master", 3, what="lb01 state file")
    neutron_router(mlab, "lb02", k2)
    wait_until(lambda: neutron_state(mlab, "lb02") == "backup", 5, what="lb02 state file")
    stays(mlab, HA_VIP, "lb01", 1)
    assert neutron_view(mlab, "lb02") == []

    r1.kill9()
    t = held_by(mlab, HA_VIP, "lb02", 12, "lb02 takes over")
    wait_until(lambda: neutron_view(mlab, "lb02") == [*NEUTRON_ADDRS, "default route"], 3,
               what="the router's addresses and route on lb02")
    wait_until(lambda: neutron_state(mlab, "lb02") == "master", 3, what="lb02 state file")
    # the killed keepalived (or vipd) leaves the addresses it had, and the
    # state file it last wrote
    assert neutron_state(mlab, "lb01") == "master"
    assert neutron_view(mlab, "lb01") == [*NEUTRON_ADDRS, "default route"]

    # the L3 agent's process monitor respawns it: backup, the leftovers gone
    neutron_router(mlab, "lb01", k1)
    wait_until(lambda: neutron_state(mlab, "lb01") == "backup", 5, what="lb01 backup again")
    wait_until(lambda: neutron_view(mlab, "lb01") == [], 5, what="lb01's leftovers removed")
    stays(mlab, HA_VIP, "lb02", 1.5)
    assert neutron_state(mlab, "lb02") == "master"
    figures("neutron", pair, first_master=start, takeover_after_kill9=t)


# ------------------------------------------------------------ 2. Kolla-Ansible

KOLLA_VIP = "10.0.0.250"


def kolla_conf(priority):
    """keepalived.conf as kolla-ansible's
    ansible/roles/loadbalancer/templates/keepalived/keepalived.conf.j2
    renders it (multicast, keepalived_virtual_router_id 51, priority the
    host's index in the loadbalancer group plus one, the password cut to 8
    characters). interval 1 instead of Kolla's 2: the failure is seen in
    half the time, which halves what the test waits for it."""
    return f"""vrrp_script check_alive {{
    script "{{checks}}/check_alive.sh"
    interval 1
    fall 2
    rise 10
}}

vrrp_instance kolla_internal_vip_51 {{
    state BACKUP
    nopreempt
    interface eth0
    virtual_router_id 51
    priority {priority}
    advert_int 1
    virtual_ipaddress {{
        {KOLLA_VIP} dev eth0
    }}
    authentication {{
        auth_type PASS
        auth_pass Wq3kLs9v
    }}
    track_script {{
        check_alive
    }}
}}
"""


# haproxy's stats socket, enough for check_alive.sh: accepts and answers
HAPROXY = """
import os, socket, sys
s = socket.socket(socket.AF_UNIX)
s.bind(sys.argv[1])
s.listen(16)
while True:
    c, _ = s.accept()
    c.recv(64)
    c.sendall(b"Name: HAProxy\\n")
    c.close()
"""


def kolla_node(lab, host, kind, priority):
    """A Kolla loadbalancer node: haproxy (its stats socket), /checks, and
    the keepalived container's command from kolla-ansible's
    templates/keepalived/keepalived.json.j2: `/usr/sbin/keepalived -nld -p
    /run/keepalived.pid`, reading /etc/keepalived/keepalived.conf (copied
    there by kolla_set_configs)."""
    h = lab[host]
    sock = os.path.join(lab.dir, host + "-haproxy.sock")  # /var/lib/kolla/haproxy/haproxy.sock
    checks = os.path.join(lab.dir, host + "-checks")      # /checks in the container
    # check_alive.sh asks haproxy over its stats socket (`echo "show info" |
    # socat unix-connect:...haproxy.sock stdio`); no socat here: python
    write(f"{checks}/check_alive.sh", f"""#!/bin/bash
# This will return 0 when it successfully talks to the haproxy daemon via the socket
# Failures return 1
{PY} -c 'import socket, sys
s = socket.socket(socket.AF_UNIX); s.settimeout(2); s.connect(sys.argv[1])
s.sendall(b"show info\\n"); s.recv(64)' {sock} > /dev/null
""", 0o755)
    write(f"{h.etc}/keepalived.conf", kolla_conf(priority).replace("{checks}", checks))
    haproxy = h.popen(PY, "-c", HAPROXY, sock)
    wait_until(lambda: os.path.exists(sock), 5, what="haproxy's socket")
    return Router(lab, host, kind, ["-nld", "-p", "/run/keepalived.pid"]), haproxy


@pytest.mark.parametrize("pair", PAIRS)
def test_kolla_ansible(mlab, pair):
    """lb01 (priority 1) started first is master; lb02 (priority 2,
    nopreempt) stays backup; haproxy dies on lb01, check_alive fails twice:
    lb01 goes to Fault and lb02 takes the VIP at once."""
    k1, k2 = PAIRS[pair]
    # master down at priority 1: 3 + 255 / 256 = 4.0 s
    _, haproxy1 = kolla_node(mlab, "lb01", k1, 1)
    start = takeover(mlab, KOLLA_VIP, "lb01", 8, "lb01 master")
    t2 = time.monotonic()
    kolla_node(mlab, "lb02", k2, 2)
    # /run/keepalived.pid in the container names the daemon
    wait_until(lambda: mlab["lb02"].exec("sh", "-c", "kill -0 $(cat /run/keepalived.pid)",
                                         check=False).returncode == 0, 3,
               what="/run/keepalived.pid")
    stays(mlab, KOLLA_VIP, "lb01", 4.5, since=t2)  # lb02's master down interval, and more
    os.killpg(haproxy1.pid, signal.SIGKILL)
    haproxy1.wait(5)
    t = takeover(mlab, KOLLA_VIP, "lb02", 10, "lb02 takes over")
    # fall 2 at interval 1: 1-2 s; then no wait: a Fault master says priority 0
    assert t < 4, t
    stays(mlab, KOLLA_VIP, "lb02", 0.5)
    figures("kolla", pair, first_master=start, takeover_after_haproxy_died=t)


# --------------------------------------- 3. osixia/keepalived, the container image

OSIXIA_VIPS = ("10.0.0.231", "10.0.0.232")


def osixia_conf(notify):
    """image/service/keepalived/assets/keepalived.conf of osixia/keepalived
    (docker-keepalived) as its startup.sh renders it with the image's
    default environment (environment/default.yaml: interface eth0, state
    BACKUP, router id 51, priority 150, password d0cker), the peers and VIPs
    given for the lab: startup.sh inserts them with `sed -i "/{{ ... }}/a
    VALUE"`, which drops the indentation, one line per value after the
    placeholder (so in reverse order); the same peer list, both hosts, on
    every host, as its README's docker run passes it."""
    peers = "\n".join(reversed(("10.0.0.5", "10.0.0.6")))
    vips = "\n".join(reversed(OSIXIA_VIPS))
    return f"""global_defs {{
  default_interface eth0
}}

vrrp_instance VI_1 {{
  interface eth0

  state BACKUP
  virtual_router_id 51
  priority 150
  nopreempt

  unicast_peer {{
{peers}
  }}

  virtual_ipaddress {{
{vips}
  }}

  authentication {{
    auth_type PASS
    auth_pass d0cker
  }}

  notify "{notify}"
}}
"""


def osixia_container(lab, host, kind):
    """The container: /container/service/keepalived/ (here under the lab's
    directory, one per host) and the command of the image's
    service/keepalived/process.sh, `keepalived -f
    /container/service/keepalived/assets/keepalived.conf --dont-fork
    --log-console ${KEEPALIVED_COMMAND_LINE_ARGUMENTS}`, the latter
    `--log-detail --dump-conf` by default. Its notify.sh writes to
    /proc/1/fd/1, the container's output: a file here."""
    assets = os.path.join(lab.dir, host + "-container", "service", "keepalived", "assets")
    out = os.path.join(lab.dir, host + "-container.out")
    notify = write(f"{assets}/notify.sh", f"""#!/bin/bash

# for ANY state transition.
# "notify" script is called AFTER the
# notify_* script(s) and is executed
# with 3 arguments provided by keepalived
# (ie don't include parameters in the notify line).
# arguments
# $1 = "GROUP"|"INSTANCE"
# $2 = name of group or instance
# $3 = target state of transition
#     ("MASTER"|"BACKUP"|"FAULT")

TYPE=$1
NAME=$2
STATE=$3

case $STATE in
    "MASTER") echo "I'm the MASTER! Whup whup." >> {out}
              exit 0
              ;;
    "BACKUP") echo "Ok, i'm just a backup, great." >> {out}
              exit 0
              ;;
    "FAULT")  echo "Fault, what ?" >> {out}
              exit 0
              ;;
    *)        echo "Unknown state" >> {out}
              exit 1
              ;;
esac
""", 0o755)
    conf = write(f"{assets}/keepalived.conf", osixia_conf(notify))
    return Router(lab, host, kind, ["-f", conf, "--dont-fork", "--log-console",
                                    "--log-detail", "--dump-conf"]), out


@pytest.mark.parametrize("pair", PAIRS)
def test_osixia_container(mlab, pair):
    """Both containers at the default priority, nopreempt, unicast to a
    peer list that names the host itself too: the first started is master
    of both VIPs and stays so; killed with -9, the other takes over; the
    notify script's lines on each."""
    k1, k2 = PAIRS[pair]
    r1, out1 = osixia_container(mlab, "lb01", k1)
    # master down at priority 150: 3 + 106 / 256 = 3.4 s
    start = takeover(mlab, OSIXIA_VIPS[0], "lb01", 7, "lb01 master")
    assert holders(mlab, OSIXIA_VIPS[1]) == ["lb01"]
    t2 = time.monotonic()
    _, out2 = osixia_container(mlab, "lb02", k2)
    wait_until(lambda: lines(out2) == ["Ok, i'm just a backup, great."], 5,
               what="lb02's notify")
    # lb02, with the higher address, would win at the same priority: nopreempt
    # keeps it backup past its master down interval
    stays(mlab, OSIXIA_VIPS[0], "lb01", 3.9, since=t2)
    r1.kill9()
    t = held_by(mlab, OSIXIA_VIPS[0], "lb02", 6, "lb02 takes over")
    assert "lb02" in holders(mlab, OSIXIA_VIPS[1])
    wait_until(lambda: len(lines(out2)) == 2, 3, what="lb02's notify")
    assert lines(out1) == ["Ok, i'm just a backup, great.", "I'm the MASTER! Whup whup."]
    assert lines(out2) == ["Ok, i'm just a backup, great.", "I'm the MASTER! Whup whup."]
    figures("osixia", pair, first_master=start, takeover_after_kill9=t)


# ------------------------------------- 4. kubeadm's HA guide, keepalived and haproxy

K8S_VIP = "10.0.0.100"
APISERVER_DEST_PORT = 8443


def kubeadm_conf(state, priority):
    """/etc/keepalived/keepalived.conf of kubernetes/kubeadm's
    docs/ha-considerations.md ("keepalived and haproxy"), its placeholders
    filled as the guide says: STATE MASTER on one host and BACKUP on the
    others, PRIORITY 101 and 100, one ROUTER_ID and AUTH_PASS for the
    cluster, APISERVER_VIP with no prefix length. interval 1 and fall 2
    instead of the guide's interval 3 and fall 10, which take 30 s to see
    the API server gone; weight and rise as the guide has them."""
    return f"""! /etc/keepalived/keepalived.conf
! Configuration File for keepalived
global_defs {{
    router_id LVS_DEVEL
}}
vrrp_script check_apiserver {{
  script "/etc/keepalived/check_apiserver.sh"
  interval 1
  weight -2
  fall 2
  rise 2
}}

vrrp_instance VI_1 {{
    state {state}
    interface eth0
    virtual_router_id 51
    priority {priority}
    authentication {{
        auth_type PASS
        auth_pass 42
    }}
    virtual_ipaddress {{
        {K8S_VIP}
    }}
    track_script {{
        check_apiserver
    }}
}}
"""


def kubeadm_node(lab, host, kind, state, priority):
    """A control plane node: the API server (behind haproxy's port) and
    keepalived as the guide's static pod runs it: manifests/keepalived.yaml
    has image osixia/keepalived and no command nor args, so the image's own
    (process.sh): `keepalived -f /container/service/keepalived/assets/
    keepalived.conf --dont-fork --log-console --log-detail --dump-conf`, the
    config mounted from the host's /etc/keepalived/keepalived.conf, the
    check at /etc/keepalived/check_apiserver.sh."""
    h = lab[host]
    write(f"{h.etc}/check_apiserver.sh", f"""#!/bin/sh

errorExit() {{
    echo "*** $*" 1>&2
    exit 1
}}

curl -sfk --max-time 2 http://localhost:{APISERVER_DEST_PORT}/healthz -o /dev/null || errorExit "Error GET http://localhost:{APISERVER_DEST_PORT}/healthz"
""", 0o755)  # the guide's, with http: the API server here is python's http.server
    conf = write(f"{h.etc}/keepalived.conf", kubeadm_conf(state, priority))
    return Router(lab, host, kind, ["-f", conf, "--dont-fork", "--log-console",
                                    "--log-detail", "--dump-conf"])


def apiserver(lab, host):
    """The API server's stand-in: /healthz over http on the port."""
    write(os.path.join(lab.dir, host + "-www", "healthz"), "ok\n")
    p = lab[host].popen(PY, "-m", "http.server", "--bind", "127.0.0.1", "--directory",
                        os.path.join(lab.dir, host + "-www"), str(APISERVER_DEST_PORT),
                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_until(lambda: lab[host].exec("curl", "-sf", "-o", "/dev/null", "--max-time", "1",
                                      f"http://localhost:{APISERVER_DEST_PORT}/healthz",
                                      check=False).returncode == 0, 5, what="the API server")
    return p


@pytest.mark.parametrize("pair", PAIRS)
def test_kubeadm_ha_guide(mlab, pair):
    """lb01 MASTER 101 and lb02 BACKUP 100 started together: lb01 holds the
    VIP; its API server stops: weight -2 makes it 99 and lb02 takes the VIP;
    it comes back (rise 2): lb01 takes it back."""
    k1, k2 = PAIRS[pair]
    api1 = apiserver(mlab, "lb01")
    apiserver(mlab, "lb02")
    kubeadm_node(mlab, "lb01", k1, "MASTER", 101)
    kubeadm_node(mlab, "lb02", k2, "BACKUP", 100)
    start = takeover(mlab, K8S_VIP, "lb01", 6, "lb01 master")
    os.killpg(api1.pid, signal.SIGKILL)
    api1.wait(5)
    # fall 2 at interval 1, then lb02's master down interval (it ignores
    # the adverts at 99): about 1-2 + 3.6 s
    t = takeover(mlab, K8S_VIP, "lb02", 10, "lb02 takes over")
    assert t > 3, t
    back = None
    if pair != "mixed":  # keepalived taking back from vipd: test_keepalived_interop.py
        apiserver(mlab, "lb01")
        back = takeover(mlab, K8S_VIP, "lb01", 10, "lb01 takes the VIP back")
    figures("kubeadm", pair, first_master=start, takeover_after_apiserver_stopped=t,
            fail_back=back)
