#!/usr/bin/env bash
# Tests of tools/counts.sh, the counting behind test.sh's total line.
# Ends with "counts: N passed, N failed".
cd "$(dirname "$0")/../.."
. tools/counts.sh
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
p=0 f=0

check() { # name, expected, function, log text
	printf '%s\n' "$4" >"$T/log"
	local got
	got=$($3 "$T/log")
	if [ "$got" = "$2" ]; then
		p=$((p + 1))
	else
		f=$((f + 1))
		echo "FAIL $1: expected '$2', got '$got'"
	fi
}

check "two digits" "95 0" counts_plain "conf: 95 passed, 0 failed"
check "three digits" "257 13" counts_plain "x
total: 257 passed, 13 failed"
check "last line wins" "10 2" counts_plain "a: 1 passed, 0 failed
b: 10 passed, 2 failed"
check "no prefix" "7 0" counts_plain "7 passed, 0 failed"
check "pytest pass" "59 0" counts_pytest "....
59 passed in 312.05s (0:05:12)"
check "pytest mixed" "56 4" counts_pytest "FAILED tests/x.py::test_a - 3 passed
3 failed, 56 passed, 1 error in 12.34s"
check "pytest errors" "0 12" counts_pytest "12 errors in 1.00s"
check "pytest skipped" "40 0" counts_pytest "= 40 passed, 2 skipped in 100.5s ="
check "pytest name with digits" "11 1" counts_pytest "test_22_passed.py F
1 failed, 11 passed in 9.87s"
check "cmocka sums" "62 1" counts_cmocka "[  PASSED  ] 12 test(s).
[  PASSED  ] 50 test(s).
[  FAILED  ] 1 test(s), listed below:"
printf 'nothing here\n' >"$T/none"
if counts_plain "$T/none" >/dev/null; then
	f=$((f + 1)) && echo "FAIL no line: counted"
else p=$((p + 1)); fi
echo "counts: $p passed, $f failed"
[ "$f" -eq 0 ]
