"""VRRPV3-MIB (RFC 6527) over AgentX (enable_snmp_rfcv3): snmpd as the
master agent in lb01's namespace, walked with snmpwalk; a failover changes
the status; enable_traps sends vrrpv3NewMaster to snmptrapd; a restart of
snmpd is survived while the adverts go on; a master agent that accepts and
never answers (a hung one, a stopped snmpd) never delays an advert.
Numeric OIDs: no MIB files."""
import os
import signal
import subprocess
import time

import pytest

from faults import ADVERT
from lab import BUILD, lines, tutorial_conf, wait_until

VIP = "10.0.0.3"
MIB = "1.3.6.1.2.1.207"
AGENT = "udp:127.0.0.1:1161"
TRAPS = "127.0.0.1:1162"
MDI = 3 * 0.1 + (256 - 100) / 256 * 0.1  # lb02's Master_Down_Interval at priority 100, 0.1 s


def conf(host, prio, snmp_socket=None, traps=False, advert_int=0.5):
    """snmp_socket: a path (unix:), or an address with its prefix."""
    g = ""
    if snmp_socket:
        where = f"unix:{snmp_socket}" if snmp_socket.startswith("/") else snmp_socket
        g = f"    enable_snmp_rfcv3\n    snmp_socket {where}\n"
        g += "    enable_traps\n" if traps else ""
    return tutorial_conf(host.name, [{"priority": prio, "version": 3, "advert_int": advert_int}],
                         global_extra=g)


class Snmpd:
    """snmpd (master agentx) in host's namespace, its own config, log, pid."""

    def __init__(self, lab, host):
        self.lab, self.host = lab, host
        self.sock = os.path.join(lab.dir, "agentx.sock")
        self.conf = os.path.join(lab.dir, "snmpd.conf")
        self.log = os.path.join(lab.dir, "snmpd.log")
        with open(self.conf, "w") as f:
            f.write(f"master agentx\nagentXSocket unix:{self.sock}\nagentaddress {AGENT}\n"
                    f"rocommunity public 127.0.0.1\ntrap2sink {TRAPS} public\n")
        self.proc = None

    def start(self):
        env = dict(os.environ, SNMP_PERSISTENT_DIR=os.path.join(self.lab.dir, "snmp-state"))
        self.proc = self.host.popen("snmpd", "-f", "-Lf", self.log, "-C", "-c", self.conf,
                                    "-p", os.path.join(self.lab.dir, "snmpd.pid"), env=env,
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_until(lambda: os.path.exists(self.sock), 10, what="snmpd's AgentX socket")

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            self.proc.wait(10)


def snmptrapd(lab, host):
    cfg, log = os.path.join(lab.dir, "snmptrapd.conf"), os.path.join(lab.dir, "snmptrapd.log")
    with open(cfg, "w") as f:
        f.write("disableAuthorization yes\n")
    env = dict(os.environ, SNMP_PERSISTENT_DIR=os.path.join(lab.dir, "snmptrapd-state"))
    p = host.popen("snmptrapd", "-f", "-On", "-Lf", log, "-C", "-c", cfg, "-p",
                   os.path.join(lab.dir, "snmptrapd.pid"), f"udp:{TRAPS}", env=env,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return p, log


def walk(host):
    """{numeric OID: value text} of vrrpv3MIB as lb01's snmpd serves it."""
    r = host.exec("snmpwalk", "-v2c", "-c", "public", "-On", "-t", "1", "-r", "0", "-m", "",
                  AGENT, MIB, check=False, timeout=15)
    out = {}
    for line in r.stdout.splitlines():
        if " = " in line:
            k, v = line.split(" = ", 1)
            out[k.lstrip(".")] = v
    return out


def row(host):
    """The index of lb01's instance: ifIndex of eth0, VRID 50, ipv4."""
    ifindex = host.exec("cat", "/sys/class/net/eth0/ifindex").stdout.strip()
    return f"{ifindex}.50.1"


def ops(col, idx):
    return f"{MIB}.1.1.1.1.{col}.{idx}"


def stats(col, idx):
    return f"{MIB}.1.2.5.1.{col}.{idx}"


def stop(*procs):
    for p in procs:
        if p and p.poll() is None:
            p.send_signal(signal.SIGTERM)
            p.wait(10)


def test_walk_traps_and_failover(lab):
    lb01, lb02 = lab["lb01"], lab["lb02"]
    agent = Snmpd(lab, lb01)
    trapd, traplog = snmptrapd(lab, lb01)
    try:
        agent.start()
        d1 = lb01.vipd(conf(lb01, 150, agent.sock, traps=True))
        d1.wait_state("MASTER")
        idx = row(lb01)
        w = wait_until(lambda: (m := walk(lb01)).get(ops(6, idx)) == "INTEGER: 3" and m, 15,
                       0.3, "the operations table with lb01 master")
        assert w[ops(7, idx)] == "Gauge32: 150"
        assert w[ops(4, idx)] == 'Hex-STRING: 0A 00 00 05 '
        assert w[ops(5, idx)] == 'Hex-STRING: 00 00 5E 00 01 32 '
        assert w[ops(8, idx)] == "INTEGER: 1"
        assert w[ops(9, idx)] == "INTEGER: 50"  # centiseconds
        assert w[f"{MIB}.1.1.2.1.2.{idx}.4.10.0.0.3"] == "INTEGER: 1"  # the VIP
        assert w[stats(1, idx)] == "Counter32: 1"
        assert w[stats(2, idx)] in ("INTEGER: 3", "INTEGER: 1")
        assert f"{MIB}.1.2.1.0" in w  # vrrpv3RouterChecksumErrors
        # vrrpv3NewMaster reached snmptrapd, through snmpd's trap2sink
        wait_until(lambda: any(f".{MIB}.0.1" in ln for ln in lines(traplog)), 10, 0.2,
                   "vrrpv3NewMaster in snmptrapd's log")
        # lb02, higher, preempts: lb01 backup, the master heard is lb02
        d2 = lb02.vipd(conf(lb02, 200))
        d2.wait_state("MASTER")
        w = wait_until(lambda: (m := walk(lb01)).get(ops(6, idx)) == "INTEGER: 2" and m, 15,
                       0.3, "lb01's status backup")
        assert w[ops(3, idx)] == 'Hex-STRING: 0A 00 00 06 '
        assert int(w[stats(3, idx)].split()[-1]) > 0  # adverts received
        assert lab.holders(VIP) == ["lb02"]
        assert not lab.sanitizer_reports(), lab.logs()
    finally:
        agent.stop()
        stop(trapd)


def test_snmpd_restart_survived(lab):
    lb01, lb02 = lab["lb01"], lab["lb02"]
    agent = Snmpd(lab, lb01)
    try:
        agent.start()
        d1 = lb01.vipd(conf(lb01, 150, agent.sock))
        d1.wait_state("MASTER")
        d2 = lb02.vipd(conf(lb02, 100))
        d2.wait_state("BACKUP")
        idx = row(lb01)
        wait_until(lambda: walk(lb01).get(ops(6, idx)) == "INTEGER: 3", 15, 0.3,
                   "a walk before the restart")
        agent.stop()
        assert walk(lb01) == {}  # no snmpd: no answer (the test can fail)
        agent.start()
        wait_until(lambda: walk(lb01).get(ops(6, idx)) == "INTEGER: 3", 20, 0.5,
                   "a walk after snmpd came back")
        assert d2.instance()["state"] == "BACKUP"
        assert "-> MASTER" not in d2.log_text()  # lb02 never took over
        assert lab.holders(VIP) == ["lb01"]
        assert not lab.sanitizer_reports(), lab.logs()
    finally:
        agent.stop()


# A master agent that accepts every connection and never answers: it holds
# them open, reads nothing, writes nothing. At a path, or at HOST:PORT (TCP).
HUNG = """import socket, sys
where = sys.argv[1]
if where.startswith("/"):
    s = socket.socket(socket.AF_UNIX)
    s.bind(where)
else:
    s = socket.socket()
    s.bind((where.split(":")[0], int(where.split(":")[1])))
s.listen(64)
print("listening", flush=True)
held = []
while True:
    held.append(s.accept()[0])
"""


def hung_master(lab, host, where):
    prog = os.path.join(lab.dir, "hung.py")
    with open(prog, "w") as f:
        f.write(HUNG)
    p = host.popen("python3", prog, where, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                   text=True)
    assert p.stdout.readline() == "listening\n"
    return p


def clear_stats(d):
    d.host.exec(os.path.join(BUILD, "vipctl"), "-s", d.sock, "stats", "--clear")


def late_max_ms(d):
    """How late the loop ran a timer at most since clear_stats, in ms."""
    return wait_until(d.status, 5, what="vipctl status")["loop"]["late_max_us"] / 1000


def largest_gap(lab, seconds, src):
    """Captures the adverts for seconds on client: (their count from src,
    the largest gap between two of them in seconds)."""
    pcap = os.path.join(lab.dir, f"adverts-{time.monotonic_ns()}.pcap")
    cap = lab["client"].popen("tcpdump", "--immediate-mode", "-U", "-Z", "root", "-n", "-i",
                              "eth0", "-w", pcap, "ip proto 112", stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    wait_until(lambda: os.path.exists(pcap), 5, what="tcpdump")
    time.sleep(seconds)
    end = time.time()  # a silence up to the end counts too
    cap.terminate()
    cap.wait(5)
    out = subprocess.run(["tcpdump", "-r", pcap, "-tt", "-n"], capture_output=True, text=True,
                         timeout=60).stdout
    times = [float(m[1]) for m in map(ADVERT.match, out.splitlines()) if m and m[2] == src]
    assert times, f"no advert from {src} in {seconds} s"
    times.append(max(end, times[-1]))
    return len(times) - 1, max(b - a for a, b in zip(times, times[1:]))


@pytest.mark.serial
def test_hung_master_never_delays_adverts(lab):
    """lb01 master at advert_int 0.1 with lb02 backup (Master_Down_Interval
    0.36 s): first the AgentX socket is a listener that never answers, then
    snmpd, which is stopped (SIGSTOP) while vipd is attached and resumed.
    The adverts keep their interval throughout; walks work at the end."""
    lb01, lb02 = lab["lb01"], lab["lb02"]
    agent = Snmpd(lab, lb01)
    hung = hung_master(lab, lb01, agent.sock)
    try:
        d1 = lb01.vipd(conf(lb01, 150, agent.sock, advert_int=0.1))
        d1.wait_state("MASTER")
        d2 = lb02.vipd(conf(lb02, 100, advert_int=0.1))
        d2.wait_state("BACKUP")
        clear_stats(d1)
        n, hung_gap = largest_gap(lab, 7, lb01.v4)
        print(f"hung master: {n} adverts, largest gap {hung_gap * 1000:.1f} ms, "
              f"loop late at most {late_max_ms(d1):.1f} ms")
        assert hung_gap < MDI
        assert "-> MASTER" not in d2.log_text()
        assert "did not answer the Open in 1 s" in d1.log_text()

        stop(hung)
        os.unlink(agent.sock)
        agent.start()
        idx = row(lb01)
        wait_until(lambda: walk(lb01).get(ops(6, idx)) == "INTEGER: 3", 20, 0.5,
                   "a walk once snmpd replaced the hung master")
        clear_stats(d1)
        agent.proc.send_signal(signal.SIGSTOP)
        n, stop_gap = largest_gap(lab, 7, lb01.v4)
        print(f"snmpd stopped: {n} adverts, largest gap {stop_gap * 1000:.1f} ms, "
              f"loop late at most {late_max_ms(d1):.1f} ms")
        agent.proc.send_signal(signal.SIGCONT)
        assert stop_gap < MDI
        wait_until(lambda: walk(lb01).get(ops(6, idx)) == "INTEGER: 3", 20, 0.5,
                   "a walk once snmpd runs again")
        assert "did not answer a ping in 1 s" in d1.log_text()
        wait_until(lambda: "works again" in d1.log_text(), 10, 0.2,
                   "the log saying the session works again")
        assert d2.instance()["state"] == "BACKUP"
        assert "-> MASTER" not in d2.log_text()  # lb02 never took over
        assert "the process was stalled" not in d1.log_text()
        assert lab.holders(VIP) == ["lb01"]
        assert not lab.sanitizer_reports(), lab.logs()
    finally:
        if agent.proc and agent.proc.poll() is None:
            agent.proc.send_signal(signal.SIGCONT)
        agent.stop()
        stop(hung)


@pytest.mark.serial
@pytest.mark.parametrize("kind", ["hung", "unreachable"])
def test_tcp_master_that_never_answers(lab, kind):
    """snmp_socket over TCP to a master that accepts and never answers, or
    to an address on the LAN that nobody holds (the connect does not end
    before ARP gives up, seconds later): the adverts at 0.1 s keep their
    interval, lb02 never takes over, and the log says why there is no
    session."""
    lb01, lb02 = lab["lb01"], lab["lb02"]
    hung = None
    if kind == "hung":
        hung = hung_master(lab, lb01, "127.0.0.1:7705")
        where, said = "tcp:127.0.0.1:7705", "did not answer the Open in 1 s"
    else:
        where, said = "tcp:10.0.0.99:705", "did not accept the connection in 1 s"
    try:
        d1 = lb01.vipd(conf(lb01, 150, where, advert_int=0.1))
        d1.wait_state("MASTER")
        d2 = lb02.vipd(conf(lb02, 100, advert_int=0.1))
        d2.wait_state("BACKUP")
        clear_stats(d1)
        n, gap = largest_gap(lab, 5, lb01.v4)
        print(f"{kind} TCP master: {n} adverts, largest gap {gap * 1000:.1f} ms, "
              f"loop late at most {late_max_ms(d1):.1f} ms")
        assert gap < MDI
        assert "-> MASTER" not in d2.log_text()
        assert said in d1.log_text()
        assert not lab.sanitizer_reports(), lab.logs()
    finally:
        stop(hung)
