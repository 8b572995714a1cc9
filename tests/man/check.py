#!/usr/bin/env python3
"""The manual pages against the programs they describe.

Usage: tests/man/check.py [BUILD_DIR]   (default: build)

- mandoc -Tlint -Wwarning on each page prints nothing;
- every keyword `vipd --keywords` prints is an ".It Ic KEYWORD" item of
  vipd.conf.5 in the list of its block (the ".\\" block: NAME" line above
  the list), those vipd warns about in a "warned" list with vipd's
  reason, and the extensions say "This is a vipd extension.";
- every long option `vipd --help` prints is an item of vipd.8, and every
  long option of vipctl's --help and each of its commands one of vipctl.8.

Ends with "man: N passed, N failed".
"""
import os
import re
import shutil
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MAN = os.path.join(ROOT, "man")
PAGES = ["vipd.8", "vipd.conf.5", "vipctl.8"]

passed = 0
failed = 0


def check(ok, what):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print(f"FAIL: {what}")


def run(*cmd):
    return subprocess.run(cmd, capture_output=True, text=True, check=False)


def read(page):
    with open(os.path.join(MAN, page), encoding="utf-8") as f:
        return f.read().split("\n")


def items(lines):
    """(block, warned) -> {keyword: text of its item}, from the block markers."""
    out = {}
    blocks = None
    current = []  # the keywords of the items being read, and their text
    text = []
    for line in lines:
        m = re.match(r'^\.\\" block: (.*)$', line)
        if m:
            words = m.group(1).split()
            warned = words[-1] == "warned"
            blocks = [(b, warned) for b in (words[:-1] if warned else words)]
            current = []
            continue
        m = re.match(r"^\.It Ic (\S+)", line)
        if m and blocks:
            if text:  # a new item after some text: a new group of items
                current, text = [], []
            current.append(m.group(1))
            for b in blocks:
                out.setdefault(b, {})[m.group(1)] = text
            continue
        if line.startswith(".Sh") or line.startswith(".Ss"):
            blocks, current, text = None, [], []
            continue
        if current:
            text.append(line)
    return out


def long_options(help_text):
    return sorted(set(re.findall(r"(?<![\w-])--([a-z][a-z_-]*)", help_text)))


def option_items(lines):
    """The long options named on .It lines (Fl -name)."""
    found = set()
    for line in lines:
        if line.startswith(".It "):
            found.update(re.findall(r"Fl -([a-z][a-z_-]*)", line))
    return found


def main():
    build = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "build")
    vipd = os.path.join(build, "vipd")
    vipctl = os.path.join(build, "vipctl")

    # 1. mandoc's linter, warnings and worse
    if not shutil.which("mandoc"):
        check(False, "mandoc is not installed (tools/deps.sh test)")
    else:
        for page in PAGES:
            r = run("mandoc", "-Tlint", "-Wwarning", os.path.join(MAN, page))
            out = (r.stdout + r.stderr).strip()
            check(not out, f"mandoc -Tlint -Wwarning {page}:\n{out}")

    # 2. configuration keywords
    r = run(vipd, "--keywords")
    check(r.returncode == 0 and r.stdout, f"{vipd} --keywords: exit {r.returncode}")
    conf = items(read("vipd.conf.5"))
    n = 0
    for line in r.stdout.splitlines():
        f = line.split(" ", 3)
        if len(f) < 3:
            continue
        block, kw, cls = f[0], f[1], f[2]
        warned = cls in ("unsupported", "no-effect")
        where = "top level" if block == "-" else block
        text = conf.get((block, warned), {}).get(kw)
        n += 1
        if text is None:
            kind = "the warned list" if warned else "its list"
            check(False, f"vipd.conf.5: {where} keyword {kw} ({cls}) is not an item of {kind}")
        elif cls == "extension":
            check(re.search(r"vipd\s+extension", " ".join(text)) is not None,
                  f"vipd.conf.5: {where} keyword {kw} is an extension; its item does not say so")
        elif warned:
            why = " ".join(f[3].split()) if len(f) > 3 else ""
            check(why in " ".join(" ".join(text).split()),
                  f"vipd.conf.5: {where} keyword {kw}: its item does not give vipd's reason "
                  f"'{why}'")
        else:
            check(True, kw)
    print(f"keywords: {n} checked against vipd.conf.5")

    # items of the page vipd does not list (a keyword removed, a typo)
    known = set()
    for line in r.stdout.splitlines():
        f = line.split(" ", 3)
        if len(f) >= 3:
            known.add((f[0], f[2] in ("unsupported", "no-effect"), f[1]))
    for (block, warned), kws in conf.items():
        for kw in kws:
            check((block, warned, kw) in known,
                  f"vipd.conf.5: {kw} in block {block}{' (warned)' if warned else ''} "
                  "is not a keyword vipd --keywords lists there")

    # 3. command-line options and commands
    page8 = option_items(read("vipd.8"))
    r = run(vipd, "--help")
    opts = long_options(r.stdout)
    check(r.returncode == 0 and opts, f"{vipd} --help: exit {r.returncode}, no options")
    for o in opts:
        check(o in page8, f"vipd.8: --{o} (in vipd --help) is not an option item")

    lines = read("vipctl.8")
    page8 = option_items(lines)
    r = run(vipctl, "--help")
    opts = long_options(r.stdout)
    check(r.returncode == 0 and opts, f"{vipctl} --help: exit {r.returncode}, no options")
    for o in opts:
        check(o in page8, f"vipctl.8: --{o} (in vipctl --help) is not an option item")
    cmds = set()
    for line in r.stdout.splitlines():
        m = re.match(r"^\s*(?:usage:)?\s*vipctl (?:\[[^]]*\] )*([a-z]+)", line)
        if m:
            cmds.add(m.group(1))
    check(cmds, "vipctl --help names no command")
    page_cmds = {m.group(1) for line in lines for m in [re.match(r"^\.It Cm (\S+)", line)] if m}
    for c in sorted(cmds):
        check(c in page_cmds, f"vipctl.8: command {c} is not an item")
        needs = {"reload": ["--check"]}.get(c, [])  # reload only checks, for now
        bad = run(vipctl, "-s", "/nonexistent/vipd.sock", c, *needs)
        check(bad.returncode == 1, f"vipctl {c}: not a command vipctl knows (exit {bad.returncode})")

    # 4. the pages render
    if shutil.which("man"):
        for page in PAGES:
            r = run("man", "-l", os.path.join(MAN, page))
            check(r.returncode == 0 and len(r.stdout) > 1000, f"man -l {page}: exit {r.returncode}")

    print(f"man: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
