#!/usr/bin/env bash
# Config regression suite.
#   valid/NAME.conf    -> valid/NAME.ok (the --print-conf output) and, when the
#                         parser warns, valid/NAME.warn (its stderr)
#   valid/NAME.ml.conf -> must also dump exactly like valid/NAME.conf (the
#                         same config over many lines instead of one)
#   invalid/NAME.conf  -> invalid/NAME.err ("exit N" and the stderr)
#   valid/NAME.args    -> words added to the command line (-i ID)
# Every dump is parsed again and must dump to the same bytes.
# Usage: run.sh VIPD [--update]      (--update rewrites the expected files)
set -u
vipd=$(realpath "$1")
update=${2:-}
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0

check() { # name, expected file, actual file
	if [ "$update" = "--update" ]; then
		if [ -s "$3" ]; then cp "$3" "$2"; else rm -f "$2"; fi
		return 0
	fi
	local want=$2
	[ -f "$want" ] || want=/dev/null
	if cmp -s "$want" "$3"; then return 0; fi
	echo "FAIL $1: output differs from $2"
	diff -u "$want" "$3" | head -20
	return 1
}

for f in valid/*.conf; do
	n=${f%.conf}
	ok=1
	args=(); [ -f "$n.args" ] && read -ra args <"$n.args"
	"$vipd" --print-conf "${args[@]}" -f "$f" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ $rc -ne 0 ]; then
		echo "FAIL $f: exit $rc"
		head -5 "$tmp/err"
		ok=0
	fi
	case "$n" in
	*.ml)
		if ! cmp -s "$tmp/out" "${n%.ml}.ok"; then
			echo "FAIL $f: the many-line form dumps differently from ${n%.ml}.conf"
			diff -u "${n%.ml}.ok" "$tmp/out" | head -20
			ok=0
		fi
		;;
	*)
		check "$f" "$n.ok" "$tmp/out" || ok=0
		check "$f (stderr)" "$n.warn" "$tmp/err" || ok=0
		;;
	esac
	cp "$tmp/out" "$tmp/dump.conf"
	"$vipd" --print-conf -f "$tmp/dump.conf" >"$tmp/out2" 2>/dev/null
	if ! cmp -s "$tmp/out" "$tmp/out2"; then
		echo "FAIL $f: dumping the dump differs"
		diff -u "$tmp/out" "$tmp/out2" | head -20
		ok=0
	fi
	if [ $ok -eq 1 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); fi
done

for f in invalid/*.conf; do
	n=${f%.conf}
	"$vipd" --print-conf -f "$f" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	{ echo "exit $rc"; cat "$tmp/err"; } >"$tmp/res"
	ok=1
	if [ $rc -eq 0 ] || [ -s "$tmp/out" ]; then
		echo "FAIL $f: accepted (exit $rc)"
		ok=0
	fi
	check "$f" "$n.err" "$tmp/res" || ok=0
	if [ $ok -eq 1 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); fi
done

echo "conf: $pass passed, $fail failed"
[ $fail -eq 0 ]
