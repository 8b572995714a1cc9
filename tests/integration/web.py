"""The reference deployment on test hosts: nginx on two web servers, each
serving a page that names it, nginx on the load balancers proxying to them,
and a client requesting the VIP in a bounded loop. Used by the nginx
scenario tests and the service-death benchmark."""
import os
import signal
import subprocess
import tempfile
import time

from lab import wait_until

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
