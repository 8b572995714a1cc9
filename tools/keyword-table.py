#!/usr/bin/env python3
"""Writes the README's keyword table from vipd's own keyword list
(`vipd --keywords`) and keepalived's (tests/conf/keepalived-keywords.txt),
between the README's "keywords:begin" and "keywords:end" markers.

    tools/keyword-table.py build/vipd            # rewrite README.md
    tools/keyword-table.py build/vipd --check    # exit 1 if README.md is out of date
"""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BEGIN, END = "<!-- keywords:begin -->", "<!-- keywords:end -->"
WARNED = ("unsupported", "no-effect")


def vipd_list(vipd):
    out = subprocess.run([vipd, "--keywords"], capture_output=True, text=True, check=True).stdout
    rows = []
    for line in out.splitlines():
        block, name, cls, *why = line.split(" ", 3)
        rows.append((block, name, cls, why[0] if why else ""))
    return rows


def keepalived_list():
    rows = []
    for line in (ROOT / "tests/conf/keepalived-keywords.txt").read_text().splitlines():
        if line and not line.startswith("#"):
            rows.append(tuple(line.split()))
    return rows


def classify(table, block, name):
    """(class, the keyword its warning names, reason) for a keepalived keyword,
    or None if vipd does not know it; inside a warned block, the block's."""
    if (block, name) in table:
        cls, why = table[(block, name)]
        return cls, name, why
    path = block.split(".")
    for i in range(len(path), 0, -1):
        parent = ".".join(path[: i - 1]) or "-"
        entry = table.get((parent, path[i - 1]))
        if entry and entry[0] in WARNED:
            return entry[0], path[i - 1], entry[1]
    return None


def vipd_table(rows):
    """vipd_list's rows as {(block, name): (class, reason)}."""
    return {(b, n): (c, w) for b, n, c, w in rows}


def render(vipd):
    rows = vipd_list(vipd)
    table = vipd_table(rows)
    ka = keepalived_list()
    counts = {"acted": 0, "unsupported": 0, "no-effect": 0, "silent": 0}
    lines = []
    for block, name in ka:
        v = classify(table, block, name)
        where = "top level" if block == "-" else f"`{block}`"
        if v is None:
            counts["silent"] += 1
            lines.append(f"| {where} | `{name}` | **unknown to vipd** |")
            continue
        cls, named, why = v
        note = f"the whole `{named}` block" if named != name else ""
        counts[cls if cls in WARNED else "acted"] += 1
        if cls in WARNED:
            what = "not supported, warned" if cls == "unsupported" else "no effect, warned"
            lines.append(f"| {where} | `{name}` | {what}{' (' + note + ')' if note else ''}: {why} |")
        else:
            lines.append(f"| {where} | `{name}` | acted on |")
    kas = set(ka)
    ext = [(b, n) for b, n, c, w in rows if c == "extension" and (b, n) not in kas]
    warned = counts["unsupported"] + counts["no-effect"]
    out = [BEGIN,
           f"Of keepalived 2.4.3's {len(ka)} configuration keywords (its parser's tables; of the "
           "LVS half only the top-level blocks), vipd acts on "
           f"**{counts['acted']}**, warns about **{warned}** by name with the reason "
           f"({counts['unsupported']} not supported, {counts['no-effect']} without effect in vipd), "
           f"and accepts **{counts['silent']}** in silence. `vipd --keywords` prints vipd's own list; "
           "the test command checks both this table and each keyword's warning "
           "(`tests/conf/keywords.py`).",
           "",
           "<details><summary>Every keyword, and what vipd does with it</summary>",
           "",
           "| block | keyword | vipd |",
           "| --- | --- | --- |"]
    out += lines
    out += ["", "vipd's own keywords (extensions): " +
            ", ".join(f"`{n}`" + ("" if b == "-" else f" ({b})") for b, n in ext) + ".",
            "", "</details>", END]
    return "\n".join(out) + "\n", counts


def main():
    vipd = sys.argv[1]
    check = "--check" in sys.argv[2:]
    readme = ROOT / "README.md"
    text = readme.read_text()
    if BEGIN not in text or END not in text:
        print(f"README.md has no {BEGIN} ... {END} section")
        return 1
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END + "\n", 1)
    new, _ = render(vipd)
    if head + new + tail == text:
        print("README keyword table: up to date")
        return 0
    if check:
        print("README keyword table: out of date; run tools/keyword-table.py build/vipd")
        return 1
    readme.write_text(head + new + tail)
    print("README keyword table: rewritten")
    return 0


if __name__ == "__main__":
    sys.exit(main())
