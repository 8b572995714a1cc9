"""Prometheus metrics (global_defs metrics_listen): a real Prometheus server
scrapes both routers and sees a failover; promtool finds no problem in a
scrape; slow and silent clients hold no advert back."""
import json
import os
import signal
import subprocess
import textwrap

from lab import tutorial_conf, wait_until

VIP = "10.0.0.3"
PORT = 9650


def conf(host, prio, extra=()):
    return tutorial_conf(host.name, [{"priority": prio, "version": 3, "advert_int": 0.5,
                                      "extra": list(extra)}],
                         global_extra=f"    metrics_listen {host.v4}:{PORT}\n")


def scrape(host, target, timeout=3):
    """The metrics text, fetched from inside host; None when it fails."""
    r = host.exec("curl", "-sf", "-m", str(timeout), f"http://{target.v4}:{PORT}/metrics",
                  check=False, timeout=timeout + 5)
    return r.stdout if r.returncode == 0 else None


def sample(text, metric, **labels):
    """The value of the first sample of metric whose labels include labels."""
    want = [f'{k}="{v}"' for k, v in labels.items()]
    for line in (text or "").splitlines():
        if line.startswith(metric + "{") or line.startswith(metric + " "):
            if all(w in line for w in want):
                return float(line.rsplit(" ", 1)[1])
    return None


def pair(lab):
    lb01, lb02 = lab["lb01"], lab["lb02"]
    d1 = lb01.vipd(conf(lb01, 150, ["    track_interface {", "        eth0", "    }"]))
    d1.wait_state("MASTER")
    d2 = lb02.vipd(conf(lb02, 100))
    d2.wait_state("BACKUP")
    return d1, d2


def promql(host, query):
    r = host.exec("curl", "-sf", "-m", "2", "-G", f"http://{host.v4}:9090/api/v1/query",
                  "--data-urlencode", f"query={query}", check=False, timeout=10)
    if r.returncode != 0:
        return []
    return json.loads(r.stdout)["data"]["result"]


def test_prometheus_sees_failover(lab):
    d1, d2 = pair(lab)
    client = lab["client"]
    cfg = os.path.join(lab.dir, "prometheus.yml")
    with open(cfg, "w") as f:
        f.write(textwrap.dedent(f"""\
            global:
              scrape_interval: 500ms
              scrape_timeout: 400ms
            scrape_configs:
              - job_name: vipd
                static_configs:
                  - targets: ["{lab['lb01'].v4}:{PORT}", "{lab['lb02'].v4}:{PORT}"]
            """))
    log = open(os.path.join(lab.dir, "prometheus.log"), "w")
    prom = client.popen("prometheus", f"--config.file={cfg}",
                        f"--storage.tsdb.path={os.path.join(lab.dir, 'tsdb')}",
                        f"--web.listen-address={client.v4}:9090", stdout=log,
                        stderr=subprocess.STDOUT)
    try:
        lb02 = f'instance="{lab["lb02"].v4}:{PORT}"'
        wait_until(lambda: promql(client, f'vipd_instance_state{{{lb02},state="BACKUP"}} == 1'),
                   15, 0.2, "Prometheus sees lb02 as BACKUP")
        d1.stop()  # priority 0: lb02 takes over after Skew_Time
        d2.wait_state("MASTER")
        wait_until(lambda: promql(client, f'vipd_instance_state{{{lb02},state="MASTER",'
                                          f'vrrp_instance="VI_1"}} == 1'),
                   10, 0.2, "Prometheus sees lb02 as MASTER")
        got = wait_until(lambda: promql(client, f'vipd_instance_transitions_total{{{lb02},'
                                                f'reason="priority_zero"}} >= 1'),
                         10, 0.2, "Prometheus sees lb02's transition counted")
        assert got[0]["metric"]["vrrp_instance"] == "VI_1"
        assert not promql(client, f'vipd_instance_transitions_total{{{lb02},'
                                  f'reason="master_down"}} > 0')
    finally:
        prom.send_signal(signal.SIGTERM)
        prom.wait(10)
        log.close()


def test_promtool_finds_no_problem(lab):
    d1, d2 = pair(lab)
    text = scrape(lab["lb02"], lab["lb01"])
    assert sample(text, "vipd_instance_state", vrrp_instance="VI_1", state="MASTER") == 1
    assert sample(text, "vipd_tracked_object_up", type="interface", name="eth0") == 1
    assert sample(text, "vipd_instance_master_info", address=lab["lb01"].v4) == 1
    assert sample(text, "vipd_instance_effective_priority") == 150
    assert sample(text, "vipd_loop_lateness_seconds_count") > 0
    r = subprocess.run(["promtool", "check", "metrics"], input=text, capture_output=True,
                       text=True, timeout=20)
    assert r.returncode == 0 and not r.stdout.strip() and not r.stderr.strip(), \
        r.stdout + r.stderr
    # a failed reload shows in the metrics, and VRRP goes on
    with open(d1.conf, "a") as f:
        f.write("vrrp_instance {\n")
    d1.send(signal.SIGHUP)
    text = wait_until(lambda: (t := scrape(lab["lb02"], lab["lb01"])) and
                      sample(t, "vipd_reload_failures_total") == 1 and t, 10,
                      what="a failed reload counted")
    assert sample(text, "vipd_last_reload_success") == 0
    assert sample(text, "vipd_last_reload_timestamp_seconds") > 0


SLOW = r"""
import select, socket, sys, time
# Slow and silent clients: half a request, or a whole one never read.
socks = []
for i in range(12):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1024)
    s.connect((sys.argv[1], int(sys.argv[2])))
    s.send(b"GET /metrics HTTP/1.1\r\nHost: x\r\n" + (b"\r\n" if i % 2 else b""))
    socks.append(s)
print("open", flush=True)
sys.stdin.readline()
# the server drops each after its connection timeout (5 s)
half, deadline = socks[0::2], time.monotonic() + 15
while half and time.monotonic() < deadline:
    r, _, _ = select.select(half, [], [], 0.5)
    for s in r:
        try:
            gone = s.recv(4096) == b""
        except OSError:
            gone = True
        if gone:
            half.remove(s)
print("left", len(half), flush=True)
"""


def test_slow_clients_hold_no_advert_back(lab):
    d1, d2 = pair(lab)
    client, lb02 = lab["client"], lab["lb02"]
    before = d2.instance()["counters"]
    slow = client.popen("python3", "-c", SLOW, lab["lb01"].v4, str(PORT), stdin=subprocess.PIPE,
                        stdout=subprocess.PIPE, text=True)
    try:
        assert slow.stdout.readline().strip() == "open"
        # while they hang on, other scrapes answer, and lb01's adverts keep coming
        for _ in range(6):
            assert sample(scrape(lb02, lab["lb01"]), "vipd_instance_state", state="MASTER") == 1
        wait_until(lambda: d2.instance()["counters"]["adverts_received"] >=
                   before["adverts_received"] + 8, 10, what="8 more adverts at lb02")
        now = d2.instance()
        assert now["state"] == "BACKUP"
        assert now["counters"]["transitions"] == before["transitions"]
        assert lab.holders(VIP) == ["lb01"]
        slow.stdin.write("\n")
        slow.stdin.flush()
        assert slow.stdout.readline().strip() == "left 0"  # idle clients dropped
    finally:
        slow.stdin.close()
        slow.wait(20)
