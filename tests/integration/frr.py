"""FRR's zebra with vrrpd or bfdd (Debian's frr package) as the other router
on a lab host. Each instance has its own directory (configs, pid files, vty
sockets, zserv socket, logs) inside the lab's; stop() kills both daemons by
pid and waits for them. FRR's VRRP does not make its macvlans: add_macvlan() makes
one as FRR's documentation shows, and vrrpd finds it by its virtual MAC."""
import json
import os
import signal
import subprocess

from lab import wait_until

SBIN = "/usr/lib/frr"


def vrrp_conf(vrid, version, priority, interval_ms, vips, extra=()):
    """vrrpd.conf for one virtual router on eth0."""
    lines = ["interface eth0", f" vrrp {vrid} version {version}",
             f" vrrp {vrid} priority {priority}",
             f" vrrp {vrid} advertisement-interval {interval_ms}"]
    lines += [f" vrrp {vrid} {'ipv6' if ':' in v else 'ip'} {v}" for v in vips]
    return "\n".join([*lines, *extra, ""])


def add_macvlan(host, name, mac, vip, plen):
    """A bridge-mode macvlan on eth0 carrying the VIP (addrgenmode random:
    FRR needs a link-local address on it for IPv6)."""
    host.ip("link", "add", name, "link", "eth0", "type", "macvlan", "mode", "bridge")
    host.ip("link", "set", name, "addrgenmode", "random")
    host.ip("link", "set", name, "address", mac)
    host.ip("addr", "add", f"{vip}/{plen}", "dev", name, *(["nodad"] if ":" in vip else []))
    host.ip("link", "set", name, "up")


def bfd_conf(peer, local, rx_ms=300, tx_ms=300, mult=3, extra=()):
    """bfdd.conf for one single-hop peer."""
    lines = ["bfd", f" peer {peer} local-address {local}", f"  receive-interval {rx_ms}",
             f"  transmit-interval {tx_ms}", f"  detect-multiplier {mult}", *extra, " !", "!"]
    return "\n".join([*lines, ""])


class Frr:
    def __init__(self, host, conf, zebra_conf="", daemon="vrrpd"):
        if not os.access(os.path.join(SBIN, daemon), os.X_OK):
            raise AssertionError("FRR is not installed (tools/deps.sh test installs frr)")
        self.host = host
        self.daemon = daemon
        self.dir = os.path.join(host.lab.dir, f"{host.name}-frr-{len(host.lab.procs)}")
        os.makedirs(self.dir)
        self.procs = {}
        self.zsock = os.path.join(self.dir, "zserv.api")
        self._start("zebra", zebra_conf)
        wait_until(lambda: os.path.exists(self.zsock), 10, what="zebra's zserv socket")
        self._start(daemon, conf)
        wait_until(lambda: os.path.exists(self.path(daemon + ".vty")), 10,
                   what=f"{daemon}'s vty")

    def path(self, name):
        return os.path.join(self.dir, name)

    def _start(self, daemon, conf):
        with open(self.path(daemon + ".conf"), "w") as f:
            f.write(conf)
        # as root, in group frrvty (FRR checks that its user is in the vty group)
        cmd = [os.path.join(SBIN, daemon), "-f", self.path(daemon + ".conf"),
               "-i", self.path(daemon + ".pid"), "-z", self.zsock, "--vty_socket", self.dir,
               "-u", "root", "-g", "frrvty", "--log", "file:" + self.path(daemon + ".log")]
        if daemon == "bfdd":  # its control socket in the instance's directory too
            cmd += ["--bfdctl", self.path("bfdd.sock")]
        out = open(self.path(daemon + ".out"), "w")
        self.procs[daemon] = self.host.popen(*cmd, stdout=out, stderr=subprocess.STDOUT)
        out.close()

    def vtysh(self, command):
        return self.host.exec("vtysh", "--vty_socket", self.dir, "-c", command).stdout

    def vrrp(self, vrid):
        """`show vrrp VRID json`: the virtual router's state, or None."""
        try:
            out = json.loads(self.vtysh(f"show vrrp {vrid} json"))
        except (ValueError, subprocess.SubprocessError):
            return None
        return out[0] if out else None

    def status(self, vrid, family="v4"):
        return ((self.vrrp(vrid) or {}).get(family) or {}).get("status")

    def wait_status(self, vrid, status, family="v4", timeout=10):
        return wait_until(lambda: self.status(vrid, family) == status, timeout,
                          what=f"FRR VRID {vrid} {family} {status}")

    def log_text(self):
        text = []
        for daemon in self.procs:
            for ext in (".log", ".out"):
                try:
                    with open(self.path(daemon + ext)) as f:
                        text.append(f"---- {daemon}{ext}\n" + f.read()[-3000:])
                except FileNotFoundError:
                    pass
        return "\n".join(text)

    def running(self):
        return all(p.poll() is None for p in self.procs.values())

    def bfd_peer(self, peer):
        """`show bfd peers json`: the session to peer, or None."""
        try:
            out = json.loads(self.vtysh("show bfd peers json"))
        except (ValueError, subprocess.SubprocessError):
            return None
        return next((p for p in out if p.get("peer") == peer), None)

    def stop(self, sig=signal.SIGKILL):
        """Kills its daemon, then zebra, by pid; waits for both."""
        for daemon in (self.daemon, "zebra"):
            p = self.procs.get(daemon)
            if p is None or p.poll() is not None:
                continue
            p.send_signal(sig)
            try:
                p.wait(5)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait(5)
