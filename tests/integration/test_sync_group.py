"""vrrp_sync_group: two instances on two links fail over together, the
group's notify scripts run, and its tracked objects act on every member."""
import os
import stat

from lab import wait_until

GROUP = """vrrp_sync_group G1 {{
    group {{
        VI_1
        VI_2
    }}
    notify "{notify}"
{track}}}
"""

INST = """vrrp_instance {name} {{
    state BACKUP
    interface {ifname}
    virtual_router_id {vrid}
    priority {prio}
    advert_int 0.5
    version 3
    virtual_ipaddress {{
        {vip}
    }}
}}
"""


def conf(lab, host, prio, track=""):
    log = os.path.join(lab.dir, f"{host}-group.log")
    sh = os.path.join(lab.dir, f"{host}-group.sh")
    with open(sh, "w") as f:
        f.write(f'#!/bin/sh\necho "$*" >> {log}\n')
    os.chmod(sh, stat.S_IRWXU)
    return (GROUP.format(notify=sh, track=track) +
            INST.format(name="VI_1", ifname="eth0", vrid=51, prio=prio, vip="10.0.0.3") +
            INST.format(name="VI_2", ifname="eth1", vrid=52, prio=prio, vip="10.1.0.3")), log


def lines(path):
    return open(path).read().splitlines() if os.path.exists(path) else []


def test_sync_group_moves_together(lab2):
    lab = lab2
    c1, log1 = conf(lab, "lb01", 150)
    c2, _ = conf(lab, "lb02", 100)
    d1 = lab["lb01"].vipd(c1)
    d1.wait_state("MASTER", "VI_1")
    d1.wait_state("MASTER", "VI_2")
    d2 = lab["lb02"].vipd(c2)
    d2.wait_state("BACKUP", "VI_1")
    assert d1.instance("VI_1")["sync_group"] == "G1"
    wait_until(lambda: lines(log1)[-1:] == ["GROUP G1 MASTER 0"], 3, what="group notify")
    # VI_2's link fails on lb01: VI_1 goes to Fault with it, both move
    lab["lb01"].ip("link", "set", "eth1", "down")
    d1.wait_state("FAULT", "VI_2", timeout=2)
    d1.wait_state("FAULT", "VI_1", timeout=2)
    assert "vrrp_sync_group G1: VI_2 is in Fault" in \
        d1.instance("VI_1")["last_transition"]["reason"]
    d2.wait_state("MASTER", "VI_1", timeout=3)
    d2.wait_state("MASTER", "VI_2", timeout=3)
    wait_until(lambda: lab.holders("10.0.0.3") == ["lb02"], 2)
    wait_until(lambda: lab.holders("10.1.0.3") == ["lb02"], 2)
    wait_until(lambda: lines(log1)[-1:] == ["GROUP G1 FAULT 0"], 3, what="group FAULT notify")
    # back up: lb01's members wait for each other and preempt together
    lab["lb01"].ip("link", "set", "eth1", "up")
    d1.wait_state("MASTER", "VI_1", timeout=5)
    d1.wait_state("MASTER", "VI_2", timeout=2)
    d2.wait_state("BACKUP", "VI_1", timeout=2)
    d2.wait_state("BACKUP", "VI_2", timeout=2)
    assert "every member is ready for Master" in d1.instance("VI_1")["last_transition"]["reason"]


def test_group_tracking_faults_every_member(lab2):
    """A track_script on the group: when it fails, both members go to Fault
    on lb01 and lb02 takes both VIPs; a weight on a member's own script is
    ignored in a group (keepalived), as the log says."""
    lab = lab2
    flag = os.path.join(lab.dir, "ok")
    open(flag, "w").close()
    chk = os.path.join(lab.dir, "chk.sh")
    with open(chk, "w") as f:
        f.write(f"#!/bin/sh\ntest -e {flag}\n")
    os.chmod(chk, stat.S_IRWXU)
    scripts = (f'vrrp_script chk {{\n    script "{chk}"\n    interval 0.2\n}}\n'
               f'vrrp_script own {{\n    script "/bin/true"\n    interval 0.2\n'
               f'    weight 20\n}}\n')
    c1, _ = conf(lab, "lb01", 150, track="    track_script {\n        chk\n    }\n")
    c1 = scripts + c1.replace("        10.1.0.3\n    }\n", "        10.1.0.3\n    }\n"
                              "    track_script {\n        own\n    }\n")
    c2, _ = conf(lab, "lb02", 100)
    d1 = lab["lb01"].vipd(c1)
    d1.wait_state("MASTER", "VI_1")
    d1.wait_state("MASTER", "VI_2")
    assert d1.instance("VI_2")["priority"] == 150  # own weight ignored
    assert "weight of own ignored in vrrp_sync_group G1" in d1.log_text()
    d2 = lab["lb02"].vipd(c2)
    d2.wait_state("BACKUP", "VI_2")
    os.unlink(flag)
    d1.wait_state("FAULT", "VI_1", timeout=3)
    d1.wait_state("FAULT", "VI_2", timeout=1)
    d2.wait_state("MASTER", "VI_1", timeout=3)
    d2.wait_state("MASTER", "VI_2", timeout=3)
    open(flag, "w").close()
    d1.wait_state("MASTER", "VI_1", timeout=5)
    d1.wait_state("MASTER", "VI_2", timeout=2)
    wait_until(lambda: lab.holders("10.1.0.3") == ["lb01"], 2)
