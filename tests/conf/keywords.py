#!/usr/bin/env python3
"""The keyword walk: every keyword of keepalived's parser
(keepalived-keywords.txt) must be acted on by vipd or warned about by name
with a reason; none may be accepted in silence.

For each keyword it asks `vipd --keywords` what vipd does with it, then
writes a config that uses it in its block and runs `vipd -t` on it:
- acted on: no warning may name it as unknown, unsupported or without effect;
- unsupported / no effect (or inside a block that is): the warning names it
  (or the block) and gives the reason vipd's list gives.
It also checks that the README's keyword table (tools/keyword-table.py) is up
to date. Prints the counts and "keywords: N passed, N failed".

Usage: keywords.py VIPD
"""
import importlib.util
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
TOOL = HERE.parent.parent / "tools/keyword-table.py"
_spec = importlib.util.spec_from_file_location("keyword_table", TOOL)
kt = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(kt)  # the lists and the classes, as the README table reads them
WARNED = kt.WARNED


def config_for(block, name):
    """A config that uses NAME inside BLOCK (any argument; errors are fine)."""
    if block == "-":
        return f"{name} t1 {{\n}}\n"
    path = block.split(".")
    head = {"global_defs": "global_defs {"}.get(path[0], f"{path[0]} t1 {{")
    inner = "  " * len(path) + f"{name} 1\n"
    for depth in range(len(path) - 1, 0, -1):
        inner = "  " * depth + f"{path[depth]} {{\n" + inner + "  " * depth + "}\n"
    return head + "\n" + inner + "}\n"


def check(vipd, tmp, block, name, verdict):
    conf = Path(tmp) / "k.conf"
    conf.write_text(config_for(block, name))
    res = subprocess.run([vipd, "-t", "-f", str(conf)], capture_output=True, text=True, timeout=10)
    text = res.stdout + res.stderr
    cls, named, why = verdict
    if cls in WARNED:
        want = (f"'{named}' is not supported by vipd ({why}); ignored"
                if cls == "unsupported" else f"'{named}' has no effect ({why})")
        if not why:
            return "no reason given"
        if want not in text:
            return f"no warning '{want}' in:\n{text}"
        return None
    for bad in (f"unknown keyword '{name}'", f"'{name}' is not supported", f"'{name}' has no effect"):
        if bad in text:
            return f"acted on by vipd's list, but -t says {bad!r}"
    return None


def main():
    vipd = sys.argv[1]
    table = kt.vipd_table(kt.vipd_list(vipd))
    counts = {"acted": 0, "unsupported": 0, "no-effect": 0, "silent": 0}
    passed = failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        for block, name in kt.keepalived_list():
            verdict = kt.classify(table, block, name)
            if verdict is None:
                counts["silent"] += 1
                failed += 1
                print(f"FAIL {block} {name}: not in vipd's keyword list")
                continue
            counts[verdict[0] if verdict[0] in WARNED else "acted"] += 1
            err = check(vipd, tmp, block, name, verdict)
            if err:
                failed += 1
                print(f"FAIL {block} {name}: {err}")
            else:
                passed += 1
    for (block, name), (cls, why) in table.items():
        if cls in WARNED and not why:
            failed += 1
            print(f"FAIL {block} {name}: {cls} without a reason")
    readme = subprocess.run([sys.executable, str(TOOL), vipd, "--check"], capture_output=True,
                            text=True)
    print(readme.stdout.strip())
    if readme.returncode:
        failed += 1
    else:
        passed += 1
    total = sum(counts.values())
    print(f"keepalived 2.4.3 keywords: {total}; acted on {counts['acted']}, warned "
          f"{counts['unsupported'] + counts['no-effect']} ({counts['unsupported']} not supported, "
          f"{counts['no-effect']} without effect), silent {counts['silent']}")
    print(f"keywords: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
