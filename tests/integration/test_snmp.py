"""VRRPV3-MIB (RFC 6527) over AgentX (enable_snmp_rfcv3): snmpd as the
master agent in lb01's namespace, walked with snmpwalk; a failover changes
the status; enable_traps sends vrrpv3NewMaster to snmptrapd; a restart of
snmpd is survived while the adverts go on. Numeric OIDs: no MIB files."""
import os
import signal
import subprocess

from lab import lines, tutorial_conf, wait_until

VIP = "10.0.0.3"
MIB = "1.3.6.1.2.1.207"
AGENT = "udp:127.0.0.1:1161"
TRAPS = "127.0.0.1:1162"


def conf(host, prio, snmp_socket=None, traps=False):
    g = ""
    if snmp_socket:
        g = f"    enable_snmp_rfcv3\n    snmp_socket unix:{snmp_socket}\n"
        g += "    enable_traps\n" if traps else ""
    return tutorial_conf(host.name, [{"priority": prio, "version": 3, "advert_int": 0.5}],
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
