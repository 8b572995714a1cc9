"""The vipd command line as an operator uses it: flags, exit codes,
keepalived-compatible -t, --print-conf."""
import os

from conftest import ROOT, run

TUTORIAL = os.path.join(ROOT, "tests", "conf", "valid", "tutorial-ch4-lb01.conf")
INVALID = os.path.join(ROOT, "tests", "conf", "invalid", "vrid-range.conf")


def test_version_and_help(vipd, vipctl):
    r = run(vipd, "-v")
    assert r.returncode == 0 and r.stdout.startswith("vipd ")
    assert run(vipd, "--version").stdout == r.stdout
    r = run(vipd, "-h")
    assert r.returncode == 0
    for flag in ("--use-file", "--config-test", "--print-conf", "--dont-fork", "--log-console",
                 "--log-detail", "--pid"):
        assert flag in r.stdout
    assert run(vipctl, "--version").stdout.startswith("vipctl ")
    assert run(vipctl, "--help").returncode == 0


def test_unknown_flag_exits_2(vipd):
    r = run(vipd, "--no-such-flag")
    assert r.returncode == 2
    assert "usage: vipd" in r.stderr and r.stdout == ""
    r = run(vipd, "stray")
    assert r.returncode == 2
    r = run(vipd, "--debug", "fsm,bogus")
    assert r.returncode == 2 and "unknown category 'bogus'" in r.stderr


def test_config_test_exit_codes(vipd, tmp_path):
    assert run(vipd, "-t", "-f", TUTORIAL).returncode == 0
    r = run(vipd, "--config-test", "--use-file", INVALID)
    assert r.returncode == 4
    assert "vrid-range.conf:4:5: error: virtual_router_id: '256'" in r.stderr
    r = run(vipd, "-t", "-f", str(tmp_path / "missing.conf"))
    assert r.returncode == 3
    assert "cannot open" in r.stderr


def test_config_test_finds_script_programs(vipd, tmp_path):
    """-t looks script programs up as they will be run: a bare name through
    PATH (found: no word), a path that must exist; what is missing is named,
    with its place in the file."""
    conf = tmp_path / "scripts.conf"
    conf.write_text('vrrp_script ok {\n    script "true"\n}\n'
                    'vrrp_script gone {\n    script "no-such-program-zz --x"\n}\n' +
                    open(TUTORIAL).read().replace(
                        "virtual_ipaddress {",
                        'notify_master "/nonexistent/x.sh master" track_script { ok gone } '
                        "virtual_ipaddress {", 1))
    r = run(vipd, "-t", "-f", str(conf), env={**os.environ, "PATH": "/usr/bin:/bin"})
    assert r.returncode == 0, r.stderr
    assert "scripts.conf:5:5: warning: vrrp_script gone: no-such-program-zz is not in PATH " \
        "(/usr/bin:/bin)" in r.stderr, r.stderr
    assert "notify_master: /nonexistent/x.sh: no such file" in r.stderr
    assert "vrrp_script ok" not in r.stderr
    r = run(vipd, "--print-conf", "-f", str(conf))
    assert r.returncode == 0 and "PATH" not in r.stderr


def test_dump_conf_is_a_config(vipd, tmp_path):
    r = run(vipd, "--print-conf", "-f", TUTORIAL)
    assert r.returncode == 0
    assert "auth_pass 1111" in r.stdout and "virtual_router_id 50" in r.stdout
    dump = tmp_path / "dump.conf"
    dump.write_text(r.stdout)
    assert run(vipd, "--print-conf", "-f", str(dump)).stdout == r.stdout
    assert run(vipd, "--print-conf", "-f", INVALID).stdout == ""


def test_interface_warning_only_at_config_test(vipd, netns, tmp_path):
    """-t warns about an interface that does not exist (yet) but still accepts."""
    host = netns()
    host.ip("link", "add", "eth0", "type", "veth", "peer", "name", "eth0p")
    r = host.exec(vipd, "-t", "-f", TUTORIAL)
    assert r.returncode == 0 and r.stderr == ""
    conf = tmp_path / "eth9.conf"
    conf.write_text(open(TUTORIAL).read().replace("interface eth0", "interface eth9"))
    r = host.exec(vipd, "-t", "-f", str(conf))
    assert r.returncode == 0
    assert "interface eth9 does not exist (yet)" in r.stderr
    r = host.exec(vipd, "--print-conf", "-f", str(conf))
    assert r.returncode == 0 and r.stderr == ""


def test_install_and_systemd_unit(tmp_path):
    """meson install puts the binaries, the unit, the manual pages and
    /etc/vipd/vipd.conf in place; systemd-analyze verify accepts the unit."""
    from conftest import BUILD
    dest = tmp_path / "dest"
    r = run("meson", "install", "-C", BUILD, "--quiet", "--destdir", str(dest), timeout=120)
    assert r.returncode == 0, r.stderr
    files = {str(p.relative_to(dest)) for p in dest.rglob("*") if p.is_file()}
    assert "etc/vipd/vipd.conf" in files
    assert any(f.endswith("sbin/vipd") for f in files)
    assert any(f.endswith("bin/vipctl") for f in files)
    for page in ("man8/vipd.8", "man5/vipd.conf.5", "man8/vipctl.8"):
        assert any(f.endswith("share/man/" + page) for f in files), page
    assert any(f.endswith("share/bash-completion/completions/vipctl") for f in files)
    unit = next(dest.rglob("vipd.service"))
    text = unit.read_text()
    assert "Type=notify" in text and "ExecReload=/bin/kill -HUP $MAINPID" in text
    # verify needs ExecStart to exist: point it at the installed copy
    sbin = next(p for p in dest.rglob("vipd") if p.is_file()).parent
    prefix_sbin = "/" + str(sbin.relative_to(dest))
    check = tmp_path / "vipd.service"
    check.write_text(text.replace(prefix_sbin, str(sbin)))
    r = run("systemd-analyze", "verify", str(check), timeout=60)
    assert r.returncode == 0, r.stderr
    assert run(str(sbin / "vipd"), "-t", "-f", str(dest / "etc/vipd/vipd.conf")).returncode == 0


def instance_text(vrid):
    return (f"vrrp_instance VI_{vrid} {{\n    interface eth0\n    virtual_router_id {vrid}\n"
            f"    virtual_ipaddress {{\n        10.1.0.{vrid}\n    }}\n}}\n")


def test_include_many_matches_and_only_regular_files(vipd, tmp_path):
    """`include conf.d/*.conf` with 40 matches reads all 40 in order (the
    matches are opened one at a time; the depth limit counts nesting only);
    a FIFO or a directory as an include is an error at once, not a hang;
    nesting past 32 is still refused."""
    d = tmp_path / "conf.d"
    d.mkdir()
    for v in range(1, 41):
        (d / f"{v:02d}.conf").write_text(instance_text(v))
    main = tmp_path / "main.conf"
    main.write_text("global_defs {\n    router_id a\n}\ninclude conf.d/*.conf\n")
    r = run(vipd, "--print-conf", "-f", str(main))
    assert r.returncode == 0, r.stderr
    assert [f"vrrp_instance VI_{v} {{" for v in range(1, 41)] == \
        [line for line in r.stdout.splitlines() if line.startswith("vrrp_instance")]
    fifo = tmp_path / "fifo.conf"
    os.mkfifo(fifo)
    bad = tmp_path / "bad.conf"
    bad.write_text(f"include {fifo}\ninclude {d}\n")
    r = run(vipd, "-t", "-f", str(bad), timeout=10)
    assert r.returncode == 4
    assert f"cannot read {fifo}: not a regular file" in r.stderr
    assert f"cannot read {d}: not a regular file" in r.stderr
    for k in range(40):
        (tmp_path / f"n{k}.conf").write_text(f"include n{k + 1}.conf\n")
    (tmp_path / "n40.conf").write_text(instance_text(1))
    r = run(vipd, "-t", "-f", str(tmp_path / "n0.conf"))
    assert r.returncode == 4 and "includes nested deeper than 32" in r.stderr
