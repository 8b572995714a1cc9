"""keepalived 2.2-2.4's notify events, the same scenario run by vipd and by
Debian's keepalived on one host, their notify FIFO lines compared:
vrrp_notify_priority_changes (MASTER_PRIORITY), notify_deleted (DELETED when
a reload drops an instance), fifo_write_vrrp_states_on_reload; and, with a
peer that became master meanwhile, notify_master_rx_lower_pri
(MASTER_RX_LOWER_PRI and its script) with the garp_lower_prio_repeat
announcements on the wire."""
import os
import signal
import subprocess
import time

import pytest

from lab import Daemon, lines, script, wait_until

VIP = "10.0.0.3"


def fifo_conf(lab, tf, fifo, reader, with_vi1=True):
    vi1 = f"""vrrp_instance VI_1 {{
    state BACKUP
    interface eth0
    virtual_router_id 50
    priority 150
    advert_int 1
    notify_deleted
    track_file {{
        tf
    }}
    virtual_ipaddress {{
        {VIP}/24
    }}
}}
""" if with_vi1 else ""
    return f"""global_defs {{
    notify_fifo {fifo}
    notify_fifo_script {reader}
    vrrp_notify_priority_changes
    fifo_write_vrrp_states_on_reload
}}
track_file tf {{
    file {tf}
    weight 1
}}
{vi1}vrrp_instance VI_2 {{
    state BACKUP
    interface eth0
    virtual_router_id 51
    priority 100
    advert_int 1
    track_interface {{
        dmy0
    }}
    virtual_ipaddress {{
        10.0.0.4/24
    }}
}}
"""


def run_fifo_scenario(lab, kind):
    """The FIFO lines of one daemon through: start, both Master, a tracked
    file lowers VI_1 by 20, a reload drops VI_1."""
    tag = f"{kind}-{len(lab.daemons)}"
    tf = os.path.join(lab.dir, f"{tag}.track")
    fifo = os.path.join(lab.dir, f"{tag}.fifo")
    log = os.path.join(lab.dir, f"{tag}.fifo.log")
    with open(tf, "w") as f:
        f.write("0\n")
    reader = script(lab, f"{tag}-reader.sh",
                    f'while read -r line; do echo "$line" >> {log}; done < "$1"')
    d = Daemon(lab["lb01"], kind, fifo_conf(lab, tf, fifo, reader))
    wait_until(lambda: lab["lb01"].holds(VIP), 10, what=f"{kind}: VI_1 master")
    wait_until(lambda: len(lines(log)) >= 3, 3, what=f"{kind}: the start's FIFO lines")
    with open(tf, "w") as f:
        f.write("-20\n")
    wait_until(lambda: any("PRIORITY" in x for x in lines(log)), 5,
               what=f"{kind}: the priority line")
    n = len(lines(log))
    with open(d.conf, "w") as f:
        f.write(fifo_conf(lab, tf, fifo, reader, with_vi1=False))
    d.send(signal.SIGHUP)
    wait_until(lambda: any("DELETED" in x for x in lines(log)) and len(lines(log)) >= n + 2,
               8, what=f"{kind}: the reload's FIFO lines")
    time.sleep(0.5)
    d.stop()
    return lines(log)


def test_fifo_lines_as_keepalived_writes_them(lab):
    """VI_2 tracks a dummy interface that is down: in Fault all along, so
    both daemons write its state again on the reload (keepalived 2.2.7
    leaves out an instance that stays master; vipd writes every one)."""
    lab["lb01"].ip("link", "add", "dmy0", "type", "veth", "peer", "name", "dmy1")  # down
    got = run_fifo_scenario(lab, "vipd")
    want = run_fifo_scenario(lab, "keepalived")
    print("vipd:", got, "\nkeepalived:", want)
    assert 'INSTANCE "VI_1" MASTER_PRIORITY 130' in got
    assert 'INSTANCE "VI_1" DELETED 130' in got
    got, want = ([x for x in ls if "STOP" not in x] for ls in (got, want))  # the stop at the end
    # the two instances' first lines in either order (keepalived: faults first)
    assert sorted(got[:2]) == sorted(want[:2]) and got[2:] == want[2:]


def rx_lower_conf(lab, host, prio, fifo, reader, rx_script):
    return f"""global_defs {{
    notify_fifo {fifo}
    notify_fifo_script {reader}
    vrrp_garp_master_delay 0
}}
vrrp_instance VI_1 {{
    state BACKUP
    interface eth0
    virtual_router_id 50
    priority {prio}
    advert_int 1
    garp_master_repeat 1
    garp_lower_prio_repeat 3
    garp_lower_prio_delay 1
    notify_master_rx_lower_pri "{rx_script}"
    virtual_ipaddress {{
        {VIP}/24
    }}
}}
"""


@pytest.mark.parametrize("master", ["vipd", "keepalived"])
def test_master_hears_a_lower_master(lab, master):
    """lb02's firewall drops VRRP both ways: lb02 becomes master too. When the rule
    goes, the master (lb01, 150) hears lb02 (100): its
    notify_master_rx_lower_pri script runs, MASTER_RX_LOWER_PRI is on its
    FIFO, and it announces the VIP garp_lower_prio_repeat (3) times at once
    and 3 times again garp_lower_prio_delay (1 s) later; vipd and keepalived
    alike, in either role."""
    other = "keepalived" if master == "vipd" else "vipd"
    lb01, lb02 = lab["lb01"], lab["lb02"]
    fifo, log = os.path.join(lab.dir, "rx.fifo"), os.path.join(lab.dir, "rx.fifo.log")
    reader = script(lab, "rx-reader.sh",
                    f'while read -r line; do echo "$line" >> {log}; done < "$1"')
    ran = os.path.join(lab.dir, "rx-lower.ran")
    rx_script = script(lab, "rx-lower.sh", f'echo "$*" >> {ran}')
    Daemon(lb01, master, rx_lower_conf(lab, lb01, 150, fifo, reader, rx_script))
    wait_until(lambda: lab.holders(VIP) == ["lb01"], 10, what="lb01 master")
    for cmd in ("add table inet cut",
                "add chain inet cut in { type filter hook input priority 0; }",
                "add rule inet cut in ip protocol vrrp drop",
                "add chain inet cut out { type filter hook output priority 0; }",
                "add rule inet cut out ip protocol vrrp drop"):
        lb02.exec("nft", cmd)
    Daemon(lb02, other, rx_lower_conf(lab, lb02, 100, os.path.join(lab.dir, "rx2.fifo"),
                                      reader, rx_script))
    wait_until(lambda: sorted(lab.holders(VIP)) == ["lb01", "lb02"], 8, what="two masters")
    time.sleep(1.5)  # lb02's own announcement is over
    cap = lb01.popen("tcpdump", "-e", "-n", "-l", "-i", "eth0", "arp", stdout=subprocess.PIPE,
                     stderr=subprocess.DEVNULL, text=True)
    time.sleep(1)
    lb02.exec("nft", "delete table inet cut")
    wait_until(lambda: lab.holders(VIP) == ["lb01"], 4, what="lb02 yields")
    time.sleep(2.5)  # the delayed round, 1 s after the first
    cap.terminate()
    out = cap.communicate(timeout=10)[0]
    mac = lb01.exec("cat", "/sys/class/net/eth0/address").stdout.strip()
    garps = [x for x in out.splitlines() if x.startswith(mac) or f" {mac} >" in x]
    garps = [x for x in garps if f"tell {VIP}" in x or f"{VIP} is-at" in x]
    assert len(garps) == 6, out
    assert lines(ran) and lines(ran)[0] == ""  # run with no arguments, as keepalived runs it
    wait_until(lambda: 'INSTANCE "VI_1" MASTER_RX_LOWER_PRI 150' in lines(log), 3,
               what="MASTER_RX_LOWER_PRI on lb01's FIFO")
