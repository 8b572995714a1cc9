#!/usr/bin/env bash
# Builds the Debian package (vipd_VERSION_ARCH.deb) from a clean copy of the
# tree: the files git tracks (as they are in the working tree, uncommitted
# edits included; untracked files that are not ignored too), copied to a
# temporary directory, so the build never writes into the working tree and
# no build directory of the tree gets into the package.
# Usage: tools/package.sh OUTDIR     prints the path of the .deb made there
# Needs the Build-Depends of debian/control (tools/deps.sh test installs them).
set -euo pipefail
[ $# -eq 1 ] || { echo "usage: $0 OUTDIR" >&2; exit 2; }
top=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$1"
out=$(cd "$1" && pwd)

tmp=$(mktemp -d /tmp/vipd-package-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
src=$tmp/vipd
mkdir "$src"
# -z: any file name; files deleted in the working tree are left out
(cd "$top" && git ls-files -z --cached --others --exclude-standard |
	while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done |
	tar --null -T - -cf -) | tar -C "$src" -xf -

log=$tmp/build.log
if ! (cd "$src" && DEB_BUILD_OPTIONS="${DEB_BUILD_OPTIONS:-parallel=$(nproc)}" \
	dpkg-buildpackage -us -uc -b) >"$log" 2>&1; then
	echo "package: dpkg-buildpackage failed; its last lines:" >&2
	tail -40 "$log" >&2
	exit 1
fi
shopt -s nullglob
debs=("$tmp"/vipd_*.deb)
[ ${#debs[@]} -eq 1 ] || { echo "package: expected one vipd_*.deb, found ${#debs[@]}" >&2; exit 1; }
cp "${debs[0]}" "$out/"
echo "$out/$(basename "${debs[0]}")"
