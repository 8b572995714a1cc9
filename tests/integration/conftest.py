"""Shared fixtures for the integration tests: where the binaries are, and
test hosts made of network namespaces (created per test, always removed)."""
import os
import subprocess
import uuid

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUILD = os.path.join(ROOT, os.environ.get("VIPD_BUILD", "build"))


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "serial: measures the daemon under load of its own (gaps between adverts, "
        "no takeover under stress); the test command runs these alone, after the others, "
        "which run two at a time")


def binary(name):
    path = os.path.join(BUILD, name)
    if not os.access(path, os.X_OK):
        pytest.fail(f"{path} is not built (set VIPD_BUILD or run ninja)")
    return path


@pytest.fixture
def vipd():
    return binary("vipd")


@pytest.fixture
def vipctl():
    return binary("vipctl")


def run(*args, check=False, timeout=30, **kw):
    return subprocess.run(args, capture_output=True, text=True, check=check, timeout=timeout, **kw)


class Netns:
    """One test host: a network namespace with its loopback up."""

    def __init__(self, name):
        self.name = name
        run("ip", "netns", "add", name, check=True)
        self.ip("link", "set", "lo", "up")

    def ip(self, *args):
        return run("ip", "-n", self.name, *args, check=True)

    def exec(self, *args, **kw):
        return run("ip", "netns", "exec", self.name, *args, **kw)

    def delete(self):
        pids = run("ip", "netns", "pids", self.name).stdout.split()
        for pid in pids:
            run("kill", "-9", pid)
        run("ip", "netns", "del", self.name)


def make_lab(request, nics):
    from lab import Lab
    names = getattr(request, "param", ("lb01", "lb02", "client"))
    lb = Lab(names, nics=nics)
    yield lb
    failed = getattr(request.node, "rep_call", None)
    reports = lb.sanitizer_reports()
    if (failed and failed.failed) or reports:
        print(lb.logs())
    lb.close()
    assert not reports, f"sanitizer reports in {reports}"


@pytest.fixture
def lab(request):
    """Hosts lb01, lb02 and client on one bridge; logs printed on failure."""
    yield from make_lab(request, 1)


@pytest.fixture
def lab2(request):
    """The same hosts with a second link each (eth1, 10.1.0.x, bridge br1)."""
    yield from make_lab(request, 2)


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    setattr(item, "rep_" + rep.when, rep)


@pytest.fixture
def netns():
    made = []

    def make():
        ns = Netns("vt" + uuid.uuid4().hex[:8])
        made.append(ns)
        return ns

    yield make
    for ns in made:
        ns.delete()
