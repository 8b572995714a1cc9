"""keepalived's conditional config and definitions, as a pair deploys them:
one file for both hosts, @lb01 / @^lb01 lines picked by -i, $NAME
definitions and a ~SEQ-built VIP list. vipd on lb01 (-i lb01) and Debian's
keepalived on lb02 (-i lb02) read the same file and agree on who is master;
a reload keeps -i (a changed @lb01 line is taken, the @^lb01 one is not)."""
import signal

from lab import Daemon, wait_until

VIPS = ["10.0.0.20", "10.0.0.21", "10.0.0.22"]


def shared_conf(lb01_prio):
    return f"""$VRID=50
$BASE=10.0.0
vrrp_instance VI_1 {{
    state BACKUP
    interface eth0
    virtual_router_id $VRID
@lb01    priority {lb01_prio}
@^lb01   priority 100
    advert_int 1
    virtual_ipaddress {{
        ~SEQ(N, 20, 22) ${{BASE}}.${{N}}/24
    }}
}}
"""


def test_one_file_for_both_hosts_vipd_and_keepalived(lab):
    vipd = lab["lb01"].vipd(shared_conf(150), args=["-i", "lb01"])
    ka = Daemon(lab["lb02"], "keepalived", shared_conf(150), args=["-i", "lb02"])
    vipd.wait_state("MASTER", timeout=8)
    inst = vipd.instance()
    assert inst["priority"] == 150 and inst["vrid"] == 50
    wait_until(lambda: all(lab["lb01"].holds(v) for v in VIPS), 5, what="lb01 holds 3 VIPs")
    assert not any(lab["lb02"].holds(v) for v in VIPS)
    assert ka.running()
    # lb01's own line changes to below lb02's; lb02's line (100) is not lb01's
    with open(vipd.conf, "w") as f:
        f.write(shared_conf(90))
    vipd.send(signal.SIGHUP)
    wait_until(lambda: (vipd.instance() or {}).get("priority") == 90, 5, what="priority 90")
    wait_until(lambda: all(lab["lb02"].holds(v) for v in VIPS), 8,
               what="keepalived on lb02 (priority 100) takes the VIPs")
    vipd.wait_state("BACKUP", timeout=5)
    wait_until(lambda: not any(lab["lb01"].holds(v) for v in VIPS), 2, what="lb01 lets go")
