"""The systemd unit: its exposure as systemd-analyze measures it, and vipd
working inside the unit's limits (its capability bounding set and umask;
this machine's PID 1 need not be systemd, so setpriv applies them)."""
import os
import re
import shutil

import lab as labmod
from conftest import BUILD, run
from lab import tutorial_conf, wait_until

UNIT = os.path.join(BUILD, "vipd.service")  # @SBINDIR@ substituted by meson


def setting(name):
    with open(UNIT) as f:
        for line in f:
            if line.startswith(name + "="):
                return line.split("=", 1)[1].strip()
    raise AssertionError(f"{name} not in {UNIT}")


def test_exposure_at_most_5():
    text = open(UNIT).read()
    assert "@SBINDIR@" not in text and "ExecStart=/" in text
    r = run("systemd-analyze", "security", "--offline=yes", UNIT, timeout=60)
    m = re.search(r"Overall exposure level for vipd.service: ([0-9.]+)", r.stdout)
    assert m, r.stdout + r.stderr
    assert float(m.group(1)) <= 5.0, r.stdout


def test_vipd_within_the_units_capabilities(lab, monkeypatch, tmp_path):
    """Master with its VIP, adverts heard by the backup, a vrrp_script run
    as script_user, all with only the unit's capabilities."""
    caps = [c.lower().replace("cap_", "+") for c in setting("CapabilityBoundingSet").split()]
    umask = setting("UMask")
    wrap = tmp_path / "bin"
    wrap.mkdir()
    (wrap / "vipd").write_text(
        f"#!/bin/sh\numask {umask}\nexec setpriv --bounding-set=-all,{','.join(caps)} "
        f"--inh-caps=-all {os.path.join(BUILD, 'vipd')} \"$@\"\n")
    os.chmod(wrap / "vipd", 0o755)
    shutil.copy(os.path.join(BUILD, "vipctl"), wrap / "vipctl")
    monkeypatch.setattr(labmod, "BUILD", str(wrap))
    chk = 'vrrp_script chk {\n    script "/bin/true"\n    interval 0.5\n}\n'
    c1 = chk + tutorial_conf("lb01", [{"priority": 150, "version": 3, "advert_int": 0.5,
                                       "extra": ["    track_script {", "        chk", "    }"]}],
                             global_extra="    script_user nobody\n")
    lb01 = lab["lb01"].vipd(c1)
    lb01.wait_state("MASTER")
    lb02 = lab["lb02"].vipd(tutorial_conf("lb02", [{"priority": 100, "version": 3,
                                                    "advert_int": 0.5}]))
    lb02.wait_state("BACKUP")
    wait_until(lambda: lab["lb01"].holds("10.0.0.3"), 5, what="the VIP")
    wait_until(lambda: lb02.instance()["counters"]["adverts_received"] > 2, 5,
               what="adverts heard")
    st = lb01.instance()
    assert st["tracking"][0]["state"] == "OK", st
    with open(f"/proc/{lb01.pid}/status") as f:
        bnd = next(x for x in f if x.startswith("CapBnd:"))
    mask = int(bnd.split()[1], 16)
    assert mask & (1 << 12) and not mask & (1 << 21), bnd  # CAP_NET_ADMIN, not CAP_SYS_ADMIN
    log = lb01.log_text()
    assert "Operation not permitted" not in log and "ermission denied" not in log, log
    assert lb02.instance()["state"] == "BACKUP"
