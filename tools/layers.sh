#!/bin/bash
# layers.sh [SRC]: checks that each file in src/ includes only its own layer
# and the layers below it (lib < conf < vrrp, bfd < linux < daemon; the VRRP
# engine and BFD include only lib, not each other; vipctl only lib), that
# quoted includes name their layer, and that every .c beside a header of its
# name includes it. Prints one line per breach; exit 1 if any.
set -u
src=${1:-$(dirname "$0")/../src}
cd "$src" || exit 2
files=(*/*.[ch])
{
	for f in "${files[@]}"; do echo "FILE $f"; done
	grep -H '^#include "' "${files[@]}"
} | awk '
function rank(l) { return l == "lib" ? 0 : l == "conf" ? 1 : l == "vrrp" || l == "bfd" ? 2 : l == "linux" ? 3 : l == "daemon" ? 4 : l == "vipctl" ? 1 : 99 }
function pure(l) { return l == "vrrp" || l == "bfd" }
$1 == "FILE" { n++; file[$2] = 1; next }
{
	f = substr($0, 1, index($0, ":") - 1)
	inc = $0; sub(/^[^"]*"/, "", inc); sub(/".*/, "", inc)
	split(f, p, "/"); layer = p[1]
	incl[f "|" inc] = 1
	if (index(inc, "/") == 0) { printf "layers: %s: #include \"%s\" does not name its layer\n", f, inc; bad = 1; next }
	split(inc, q, "/"); to = q[1]
	if (rank(to) > rank(layer)) {
		printf "layers: %s: %s includes %s (a layer above it)\n", f, layer, inc; bad = 1
	} else if ((pure(layer) && to != "lib" && to != layer) || (layer == "vipctl" && to != "lib")) {
		printf "layers: %s: %s includes %s (it may include only lib)\n", f, layer, inc; bad = 1
	}
}
END {
	for (f in file) if (f ~ /\.c$/) {
		h = f; sub(/\.c$/, ".h", h)
		if ((h in file) && !((f "|" h) in incl)) { printf "layers: %s: does not include its own header\n", f; bad = 1 }
	}
	printf "layers: %d files checked, %s\n", n, bad ? "breaches above" : "no breach"
	exit bad
}'
