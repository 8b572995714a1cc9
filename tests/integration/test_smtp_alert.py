"""smtp_alert: keepalived's email alerts, sent to a real SMTP server
(Debian's aiosmtpd on the client host). A failover makes the new master
mail "Entering MASTER state" with keepalived's subject, body and headers;
keepalived pointed at the same server writes the same mail; a server that
is down is tried a bounded number of times, logged, while the adverts go
on and the backup never takes over."""
import email
import email.utils
import glob
import json
import os
import re
import sys

from lab import tutorial_conf, wait_until

SERVER = r'''
import asyncio, json, os, sys
from aiosmtpd.smtp import SMTP

class Keep:
    """Each message received: a JSON file in the directory, written whole."""
    def __init__(self, out):
        self.out, self.n = out, 0

    async def handle_DATA(self, server, session, env):
        self.n += 1
        path = os.path.join(self.out, "mail-%03d.json" % self.n)
        with open(path + ".tmp", "w") as f:
            json.dump({"helo": session.host_name, "from": env.mail_from, "to": env.rcpt_tos,
                       "data": env.original_content.decode()}, f)
        os.rename(path + ".tmp", path)
        return "250 OK"

async def main(host, port, out):
    keep = Keep(out)
    srv = await asyncio.get_running_loop().create_server(lambda: SMTP(keep), host, port)
    open(os.path.join(out, "ready"), "w").close()
    await srv.serve_forever()

asyncio.run(main(sys.argv[1], int(sys.argv[2]), sys.argv[3]))
'''

CLIENT = "10.0.0.10"
PORT = 2525


def smtp_server(lab):
    """aiosmtpd on the client host; the directory its mails go to."""
    out = os.path.join(lab.dir, "mails")
    os.makedirs(out, exist_ok=True)
    path = os.path.join(lab.dir, "smtpd.py")
    with open(path, "w") as f:
        f.write(SERVER)
    log = open(os.path.join(lab.dir, "smtpd.log"), "w")
    lab["client"].popen(sys.executable, path, CLIENT, str(PORT), out, stdout=log,
                        stderr=log)
    wait_until(lambda: os.path.exists(os.path.join(out, "ready")), 10, what="the SMTP server")
    return out


def mails(out):
    res = []
    for p in sorted(glob.glob(os.path.join(out, "mail-*.json"))):
        with open(p) as f:
            m = json.load(f)
        m["msg"] = email.message_from_string(m["data"])
        res.append(m)
    return res


def subjects(out):
    return [m["msg"]["Subject"] for m in mails(out)]


def mail_conf(router_id, prio, server=f"{CLIENT} {PORT}"):
    glob_extra = ("    notification_email {\n        ops@example.com\n"
                  "        night@example.com\n    }\n"
                  "    notification_email_from vipd@example.com\n"
                  f"    smtp_server {server}\n"
                  f"    smtp_helo_name {router_id}.example.com\n"
                  "    smtp_connect_timeout 2\n")
    return tutorial_conf(router_id, [{"priority": prio, "advert_int": 0.3, "version": 3,
                                      "extra": ["    smtp_alert"]}], global_extra=glob_extra)


def test_failover_mail_as_keepalived_writes_it(lab):
    out = smtp_server(lab)
    lb01 = lab["lb01"].vipd(mail_conf("lb01", 150))
    lb01.wait_state("MASTER")
    lb02 = lab["lb02"].vipd(mail_conf("lb02", 100))
    lb02.wait_state("BACKUP")
    wait_until(lambda: "[lb02] VRRP Instance VI_1 - Entering BACKUP state" in subjects(out), 10,
               what="lb02's BACKUP mail")
    lb01.kill9()
    lb02.wait_state("MASTER", timeout=5)
    want = "[lb02] VRRP Instance VI_1 - Entering MASTER state"
    wait_until(lambda: want in subjects(out), 10, what="lb02's MASTER mail")
    m = [m for m in mails(out) if m["msg"]["Subject"] == want][0]
    assert m["from"] == "vipd@example.com"
    assert m["to"] == ["ops@example.com", "night@example.com"]
    assert m["helo"] == "lb02.example.com"
    msg = m["msg"]
    assert msg["From"] == "vipd@example.com"
    assert msg["X-Mailer"] == "Keepalived"
    assert re.sub(r"\s+", " ", msg["To"]) == "ops@example.com, night@example.com"
    assert email.utils.parsedate_to_datetime(msg["Date"]) is not None
    assert msg.get_payload() == "=> VRRP Instance is now owning VRRP VIPs <=\r\n\r\n"
    # each state mailed once: no second MASTER mail from lb02
    assert subjects(out).count(want) == 1
    assert f"smtp_alert: {want}: sent" in lb02.log_text()

    # keepalived on lb01 (lower priority: Backup), the same server and config
    ka = lab["lb01"].keepalived(mail_conf("lb01", 50))
    kwant = "[lb01] VRRP Instance VI_1 - Entering BACKUP state"
    wait_until(lambda: subjects(out).count(kwant) >= 2, 15, what="keepalived's BACKUP mail")
    ours, theirs = [m for m in mails(out) if m["msg"]["Subject"] == kwant][:2]

    def shape(m):
        """Envelope, headers but Date, body. Headers unfolded: keepalived
        2.4 (vipd) writes one recipient a line, Debian's 2.2.7 one line."""
        head, _, body = m["data"].replace("\r\n", "\n").partition("\n\n")
        head = [h for h in head.replace("\n ", " ").split("\n") if not h.startswith("Date: ")]
        return m["from"], m["to"], m["helo"], head, body

    assert shape(ours) == shape(theirs)
    ka.stop()


def test_server_down_retried_adverts_go_on(lab):
    """lb01's server is not there (its connects time out after 1 s), lb02's
    refuses: three tries each, 1 s and 2 s apart, each logged with curl's
    error, then given up; lb01's adverts go on meanwhile (a loop held up for
    the 1 s connect would let lb02 take over), so lb02 stays backup."""
    lb01 = lab["lb01"].vipd(mail_conf("lb01", 150, server="10.0.0.99"))
    lb01.wait_state("MASTER")
    lb02 = lab["lb02"].vipd(mail_conf("lb02", 100, server=f"{CLIENT} 2526"))
    lb02.wait_state("BACKUP")
    wait_until(lambda: "not sent after 3 tries" in lb02.log_text(), 10, what="lb02 giving up")
    log = lb02.log_text()
    backup = "[lb02] VRRP Instance VI_1 - Entering BACKUP state"
    assert f"smtp_alert: {backup}: try 1 of 3 failed: Couldn't connect to server" in log
    assert "trying again in 1 s" in log and "trying again in 2 s" in log
    assert "try 3 of 3" not in log
    wait_until(lambda: lb01.log_text().count("not sent after 3 tries") >= 2, 20,
               what="lb01 giving up both mails")
    log = lb01.log_text()
    assert "try 1 of 3 failed: Timeout was reached" in log
    assert "[lb01] VRRP Instance VI_1 - Entering MASTER state: not sent after 3 tries" in log
    assert lb01.instance()["state"] == "MASTER"
    assert lb02.instance()["state"] == "BACKUP"
    assert "-> MASTER" not in lb02.log_text()
