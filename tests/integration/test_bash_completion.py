"""contrib/bash-completion/vipctl: sourced in bash, _vipctl completes the
subcommands and each one's options."""
import os

from conftest import ROOT, run

SCRIPT = os.path.join(ROOT, "contrib", "bash-completion", "vipctl")


def complete(*words):
    """COMPREPLY for the command line words, the last one being completed."""
    quoted = " ".join(f"'{w}'" for w in words)
    r = run("bash", "-c", f'source "{SCRIPT}" && COMP_WORDS=({quoted}) && '
            f'COMP_CWORD={len(words) - 1} && _vipctl && printf "%s\\n" "${{COMPREPLY[@]}}"')
    assert r.returncode == 0, r.stderr
    return sorted(r.stdout.split())


def test_subcommands():
    assert complete("vipctl", "") == ["events", "reload", "stats", "status"]
    assert complete("vipctl", "st") == ["stats", "status"]
    assert complete("vipctl", "-s", "/run/x.sock", "ev") == ["events"]


def test_options():
    assert complete("vipctl", "status", "") == ["--json"]
    assert complete("vipctl", "events", "--") == ["--json"]
    assert complete("vipctl", "stats", "") == ["--clear"]
    assert complete("vipctl", "reload", "--c") == ["--check"]
    assert "--socket" in complete("vipctl", "--")


def test_registered():
    r = run("bash", "-c", f'source "{SCRIPT}" && complete -p vipctl')
    assert r.stdout.strip() == "complete -F _vipctl vipctl"
