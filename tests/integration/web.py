"""The reference deployment on test hosts: nginx on two web servers, each
serving a page that names it, nginx on the load balancers proxying to them,
and a client requesting the VIP in a bounded loop. Used by the nginx
scenario tests and the service-death benchmark."""
import os
import signal
import stat
import subprocess
import tempfile
import time

from lab import Daemon, wait_until

NGINX = "/usr/sbin/nginx"


def nginx_conf(lab, host, body):
    """Writes an nginx.conf for host whose http block holds body."""
    d = os.path.join(lab.dir, f"{host.name}-nginx")
    os.makedirs(d, exist_ok=True)
    temps = "\n".join(f"    {k}_temp_path {d}/{k};"
                      for k in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    path = os.path.join(d, "nginx.conf")
    with open(path, "w") as f:
        f.write(f"""user root;
worker_processes 1;
pid {d}/nginx.pid;
error_log {d}/error.log;
events {{ worker_connections 256; }}
http {{
    access_log off;
{temps}
{body}
}}
""")
    return path


def start_nginx(host, conf):
    host.exec(NGINX, "-c", conf)
    wait_until(lambda: host.exec("ps", "-C", "nginx", "--no-header", check=False).stdout, 5,
               what=f"nginx on {host.name}")


def web_server(lab, host):
    conf = nginx_conf(lab, host, f"""    server {{
        listen 80;
        location / {{ return 200 "{host.name}"; }}
    }}""")
    start_nginx(host, conf)


def load_balancer(lab, host, webs):
    servers = "\n".join(f"        server {w.v4}:80;" for w in webs)
    conf = nginx_conf(lab, host, f"""    upstream web {{
{servers}
    }}
    server {{
        listen 80;
        location / {{
            proxy_pass http://web;
            proxy_connect_timeout 1s;
        }}
    }}""")
    start_nginx(host, conf)
    return conf


def deployment(lab):
    """web01, web02 serving, lb01 and lb02 proxying; returns the lb configs."""
    webs = [lab["web01"], lab["web02"]]
    for w in webs:
        web_server(lab, w)
    return {n: load_balancer(lab, lab[n], webs) for n in ("lb01", "lb02")}


class Client:
    """curl of http://VIP/ every 0.1 s, bounded in count; each line is
    `time http_code body`."""

    def __init__(self, host, vip, count=600):
        self.out = tempfile.TemporaryFile(mode="w+")
        loop = (f"for i in $(seq {count}); do "
                f"r=$(curl -s --max-time 0.5 http://{vip}/ -w ' %{{http_code}}'); "
                "echo \"$(date +%s.%N) ${r:-000}\"; sleep 0.1; done")
        self.p = host.popen("bash", "-c", loop, stdout=self.out, stderr=subprocess.DEVNULL)

    def stop(self):
        if self.p.poll() is None:
            os.killpg(self.p.pid, signal.SIGTERM)
        self.p.wait(10)
        self.out.seek(0)
        rows = []
        for line in self.out.read().splitlines():
            parts = line.split()
            if len(parts) >= 2:
                rows.append((float(parts[0]), parts[-1], parts[1] if len(parts) == 3 else ""))
        return rows

    @staticmethod
    def failures(rows, since=0.0):
        return sum(1 for t, code, _ in rows if t >= since and code != "200")


def first_advert_after(pcap, src, t0):
    """Time of the first advert with a priority above 0 from src after t0."""
    out = subprocess.run(["tcpdump", "-r", pcap, "-tt", "-n", "-v", "ip proto 112"],
                         capture_output=True, text=True).stdout
    lines = out.splitlines()
    for i, line in enumerate(lines):
        if line[:1].isdigit() and float(line.split()[0]) >= t0:
            nxt = lines[i + 1] if i + 1 < len(lines) else ""
            if nxt.strip().startswith(src + " >") and "prio 0," not in nxt:
                return float(line.split()[0])
    return None


def capture(host, pcap):
    p = host.popen("tcpdump", "-U", "-Z", "root", "-n", "-i", "eth0", "-w", pcap,
                   "ip proto 112", stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(0.5)
    return p


# tutorial: check_web.sh (restart nginx if it is gone; stop the HA daemon if
# it cannot be started)
CHECK_WEB = """#!/bin/bash
nginx_status=$(ps -C nginx --no-header|wc -l)
if [[ ${nginx_status} == 0 ]]
then
    nginx -c {nginx_conf} &> /dev/null
    sleep 1
    nginx_status=$(ps -C nginx --no-header|wc -l)
    if [[ ${nginx_status} == 0 ]]
    then
        kill $(cat {pidfile})
    fi
fi
"""

# tutorial: check_vip.sh on the backup (lb01's web answers and this host
# holds the VIP too: split brain, step down)
CHECK_VIP = """#!/bin/bash
master_status=$(curl -I -s -w "%{http_code}\\n" -o /dev/null 10.0.0.5)
my_vip=$(ip a |grep "10.0.0.3"|wc -l)
if [ ${master_status} == 200 -a ${my_vip} == 1 ]
then
    nginx -s stop -c {nginx_conf}
    kill $(cat {pidfile})
fi
"""

# tutorial: the configs of lb01 and lb02, one-line form as printed there
LB01 = ('global_defs { router_id lb01 } vrrp_script check_web { script "{check_web}" interval 5 '
        'weight 50 } vrrp_instance VI_1 { state MASTER interface eth0 virtual_router_id 50 '
        'priority 150 advert_int 1 authentication { auth_type PASS auth_pass 1111 } '
        'virtual_ipaddress { 10.0.0.3 } track_script { check_web } }\n')
LB02 = ('global_defs { router_id lb02 } vrrp_script check_web { script "{check_web}" interval 5 '
        'weight 50 } vrrp_script check_vip { script "{check_vip}" interval 5 weight 50 } '
        'vrrp_instance VI_1 { state BACKUP interface eth0 virtual_router_id 50 priority 100 '
        'advert_int 1 authentication { auth_type PASS auth_pass 1111 } virtual_ipaddress { '
        '10.0.0.3 } track_script { check_web check_vip } }\n')

# keepalived 2.2.7 cannot read the one-line form ("Unexpected '{' - ignoring",
# then "the virtual router id must be set"): for it, the same over many lines
LB01_ML = """global_defs {
    router_id lb01
}
vrrp_script check_web {
    script "{check_web}"
    interval 5
    weight 50
}
vrrp_instance VI_1 {
    state MASTER
    interface eth0
    virtual_router_id 50
    priority 150
    advert_int 1
    authentication {
        auth_type PASS
        auth_pass 1111
    }
    virtual_ipaddress {
        10.0.0.3
    }
    track_script {
        check_web
    }
}
"""
LB02_ML = (LB01_ML.replace("router_id lb01", "router_id lb02")
           .replace("state MASTER", "state BACKUP").replace("priority 150", "priority 100")
           .replace("vrrp_instance", 'vrrp_script check_vip {\n    script "{check_vip}"\n'
                    '    interval 5\n    weight 50\n}\nvrrp_instance')
           .replace("        check_web\n", "        check_web\n        check_vip\n"))

# the same with event-driven process tracking instead of polling; weight 0:
# no nginx means Fault
LB_PROCESS = """global_defs {{ router_id {name} }}
vrrp_track_process nginx {{
    process nginx
    weight 0
}}
vrrp_instance VI_1 {{
    state {state}
    interface eth0
    virtual_router_id 50
    priority {prio}
    advert_int 1
    authentication {{ auth_type PASS auth_pass 1111 }}
    virtual_ipaddress {{ 10.0.0.3 }}
    track_process {{ nginx }}
}}
"""


def write_script(lab, host, name, text, **kw):
    path = os.path.join(lab.dir, f"{host}-{name}")
    with open(path, "w") as f:
        f.write(fill(text, **kw))
    os.chmod(path, stat.S_IRWXU)
    return path


def fill(template, **kw):
    for k, v in kw.items():
        template = template.replace("{" + k + "}", v)
    return template


def tutorial_pair(lab, nginx, kind="vipd"):
    """Starts the tutorial's lb01 then lb02 (vipd or keepalived); returns
    both daemons."""
    daemons = {}
    confs = (("lb01", LB01), ("lb02", LB02)) if kind == "vipd" else \
        (("lb01", LB01_ML), ("lb02", LB02_ML))
    for name, conf in confs:
        pidfile = os.path.join(lab.dir, f"{name}-vipd.pid")
        web = write_script(lab, name, "check_web.sh", CHECK_WEB, nginx_conf=nginx[name],
                           pidfile=pidfile)
        vip = write_script(lab, name, "check_vip.sh", CHECK_VIP, nginx_conf=nginx[name],
                           pidfile=pidfile)
        text = fill(conf, check_web=web, check_vip=vip)
        if kind == "vipd":
            daemons[name] = lab[name].vipd(text, pidfile=pidfile)
        else:
            daemons[name] = Daemon(lab[name], kind, text, pidfile=pidfile)
        if name == "lb01":
            wait_until(lambda: lab["lb01"].holds("10.0.0.3"), 8, what="lb01 holds the VIP")
    time.sleep(2)
    return daemons["lb01"], daemons["lb02"]


def kill_nginx_for_good(host, conf):
    """nginx dies and cannot start again (its config is broken)."""
    with open(conf, "a") as f:
        f.write("this is not nginx syntax;\n")
    t0 = time.time()
    host.exec("pkill", "-9", "-x", "nginx")
    return t0


def served_by(rows, t):
    return {body for when, code, body in rows if when >= t and code == "200"}


def report(what, t_death, t_advert, rows):
    fails = Client.failures(rows, t_death)
    print(f"{what}: nginx death to the new master's first advert "
          f"{(t_advert - t_death) * 1000:.0f} ms; failed client requests {fails}")
    return fails
