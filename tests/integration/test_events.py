"""vipctl events: the live stream of transitions, priority and tracking
changes; a subscriber that stops reading is dropped and never holds up
the daemon."""
import json
import os
import socket
import subprocess
import threading

from conftest import BUILD
from lab import tutorial_conf, wait_until


def conf(router_id, prio, path, version=3):
    return (f'vrrp_track_file prio {{\n    file "{path}"\n    weight 1\n    init_file 0\n}}\n' +
            tutorial_conf(router_id, [{"priority": prio, "version": version, "advert_int": 0.5,
                                       "extra": ["    track_file {", "        prio", "    }"]}]))


class Subscriber:
    """vipctl events in a host; its lines gathered by a thread."""

    def __init__(self, host, daemon, *args):
        self.proc = host.popen(os.path.join(BUILD, "vipctl"), "-s", daemon.sock, "events", *args,
                               stdout=subprocess.PIPE, text=True)
        self.lines = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.proc.stdout:
            self.lines.append(line.rstrip("\n"))

    def wait(self, pred, what):
        wait_until(lambda: pred(self.lines), 10, what=what)
        return list(self.lines)


def test_events_in_order(lab):
    """A tracking change, the priority it makes, then the failover when
    the master stops, in that order, as JSON and as the log's text."""
    f1, f2 = os.path.join(lab.dir, "p1"), os.path.join(lab.dir, "p2")
    lb01 = lab["lb01"].vipd(conf("lb01", 150, f1))
    lb01.wait_state("MASTER")
    lb02 = lab["lb02"].vipd(conf("lb02", 100, f2))
    lb02.wait_state("BACKUP")
    js = Subscriber(lab["lb02"], lb02, "--json")
    tx = Subscriber(lab["lb02"], lb02)
    wait_until(lambda: lb02.log_text().count("events subscriber") == 2, 5, what="subscribed")
    with open(f2, "w") as f:
        f.write("5\n")
    wait_until(lambda: lb02.instance()["priority"] == 105, 3, what="priority 105")
    lb01.stop()
    got = js.wait(lambda ls: any('"transition"' in x for x in ls), "the transition event")
    events = [json.loads(x) for x in got]
    assert [e["event"] for e in events] == ["track", "priority", "transition"], got
    assert {k: events[0][k] for k in ("type", "name", "from", "to")} == \
        {"type": "file", "name": "prio", "from": "0", "to": "5"}
    assert (events[1]["instance"], events[1]["from"], events[1]["to"]) == ("VI_1", 100, 105)
    t = events[2]
    assert (t["instance"], t["from"], t["to"]) == ("VI_1", "BACKUP", "MASTER")
    assert "priority 0" in t["reason"] and t["time"]
    # the text form: the time, then what the log says
    text = tx.wait(lambda ls: len(ls) >= 3, "three text lines")
    line = f"VI_1: BACKUP -> MASTER: {t['reason']}"
    assert [x.split(" ", 1)[1] for x in text] == \
        ["file prio: 0 -> 5", "VI_1: priority 100 -> 105", line], text
    assert line in lb02.log_text()


def test_subscriber_that_never_reads_is_dropped(lab):
    """A client subscribes and reads nothing while thousands of events
    happen: it is dropped with a log line, adverts go on (the backup never
    takes over) and the daemon closes it."""
    f1, f2 = os.path.join(lab.dir, "p1"), os.path.join(lab.dir, "p2")
    lb01 = lab["lb01"].vipd(conf("lb01", 150, f1))
    lb01.wait_state("MASTER")
    lb02 = lab["lb02"].vipd(conf("lb02", 100, f2))
    lb02.wait_state("BACKUP")
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    try:
        s.connect(lb01.sock)
        s.sendall(b"events json\n")
        wait_until(lambda: "events subscriber" in lb01.log_text(), 5, what="subscribed")
        for i in range(20000):
            with open(f1, "w") as f:
                f.write(f"{i % 50}\n")
            if i % 100 == 99 and "dropped: not reading" in lb01.log_text():
                break
        assert "dropped: not reading" in lb01.log_text()
        s.settimeout(10)
        while s.recv(65536):  # what was queued, then the end
            pass
    finally:
        s.close()
    assert lb01.instance()["state"] == "MASTER"
    st = lb02.instance()
    assert st["state"] == "BACKUP" and st["counters"]["transitions"] == 1, st
    assert "-> MASTER" not in lb02.log_text()
