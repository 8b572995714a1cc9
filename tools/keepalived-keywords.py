#!/usr/bin/env python3
"""Lists the keywords of keepalived's configuration parser, one
"block keyword" line each, from a keepalived source tree.

    tools/keepalived-keywords.py KEEPALIVED_SRC > tests/conf/keepalived-keywords.txt

It reads the keyword registrations (install_keyword_root, install_keyword,
install_sublevel) of the VRRP side (global, vrrp, track_file, bfd parsers);
of the LVS side (check parser) only the top-level blocks are listed, which
vipd skips with a warning. A nested block is named by its path, for
example "vrrp_instance.authentication auth_type".
"""
import re
import sys
from pathlib import Path

FILES = [
    ("keepalived/core/global_parser.c", False),
    ("keepalived/vrrp/vrrp_parser.c", False),
    ("keepalived/trackers/track_file.c", False),
    ("keepalived/bfd/bfd_parser.c", False),
    ("keepalived/check/check_parser.c", True),
]
CALL = re.compile(
    r'\binstall_(keyword_root|keyword|keyword_quoted|keyword_conditional|sublevel|sublevel_end)'
    r'\s*\(\s*(?:"([^"]+)")?')


def keywords(text, roots_only):
    path, last, out = [], None, []
    for m in CALL.finditer(text):
        kind, name = m.group(1), m.group(2)
        if kind == "keyword_root":
            path, last = [name], name
            out.append(("-", name))
        elif kind == "sublevel":
            if last:
                path.append(last)
        elif kind == "sublevel_end":
            if len(path) > 1:
                path.pop()
        elif name and path and not roots_only:
            out.append((".".join(path), name))
            last = name
    return out


def main():
    src = Path(sys.argv[1])
    seen, rows = set(), []
    for rel, roots_only in FILES:
        for row in keywords((src / rel).read_text(errors="replace"), roots_only):
            if row not in seen:
                seen.add(row)
                rows.append(row)
    for block, name in rows:
        print(block, name)


if __name__ == "__main__":
    main()
