#!/usr/bin/env bash
# Runs every vipd test: builds (gcc and clang with -Werror, ASan+UBSan,
# coverage, libFuzzer), unit tests, config regression, fuzzing, system and
# network-namespace integration tests. Needs root (namespaces, raw sockets).
#
# Usage: sudo ./tools/test.sh [--quick]   (--quick: no fuzzing, no coverage)
# Ends with the line "total: N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."

QUICK=0
[ "${1:-}" = "--quick" ] && QUICK=1
FUZZ_SECONDS=${FUZZ_SECONDS:-30}
PY=/usr/bin/python3

passed=0
failed=0
failures=()

stage() { printf '\n==== %s (at %ds) ====\n' "$*" "$SECONDS"; }
ok() { passed=$((passed + ${2:-1})); }
bad() { failed=$((failed + ${2:-1})); failures+=("$1"); }

. tools/counts.sh

# adds a runner's "PASSED FAILED" counts to the total
tally() { # name, "P F" (empty: the runner printed no result line)
	local name=$1 p f
	if [ -z "$2" ]; then
		bad "$name: no result line"
		return
	fi
	read -r p f <<<"$2"
	[ "$p" -gt 0 ] && ok "$name" "$p"
	[ "$f" -gt 0 ] && bad "$name" "$f"
	[ "$p" -eq 0 ] && [ "$f" -eq 0 ] && bad "$name: ran nothing"
	return 0
}

count_line() { tally "$1" "$(counts_plain "$2")"; }

count_cmocka() { # name, build dir, meson test's exit status
	local name=$1 c
	c=$(counts_cmocka "$2/meson-logs/testlog.txt")
	tally "$name" "$c"
	if [ "$3" -ne 0 ] && [ "${c#* }" -eq 0 ]; then bad "$name: meson test exit $3"; fi
	echo "$name: ${c% *} cmocka tests passed, ${c#* } failed"
}

build() { # dir, CC, meson options...
	local dir=$1 cc=$2
	shift 2
	local again=()
	[ -f "$dir/build.ninja" ] && again=(--reconfigure) # e.g. made by the demo without --werror
	CC=$cc meson setup "${again[@]}" "$dir" --werror "$@" >"$dir.setup.log" 2>&1 ||
		{ cat "$dir.setup.log"; return 1; }
	ninja -C "$dir" >"$dir.ninja.log" 2>&1 || { tail -50 "$dir.ninja.log"; return 1; }
	rm -f "$dir.setup.log" "$dir.ninja.log"
}

unit() { # build dir, label
	meson test -C "$1" --no-suite regress --print-errorlogs >"$1.test.log" 2>&1 # regress: own stages
	local rc=$?
	[ $rc -ne 0 ] && tail -60 "$1.test.log"
	count_cmocka "$2" "$1" $rc
}

[ "$(id -u)" -eq 0 ] || { echo "test.sh: run as root (namespaces, raw sockets)" >&2; exit 1; }

stage "dependencies"
tools/deps.sh test || { echo "cannot install dependencies" >&2; exit 1; }

if [ -n "${VIPD_DEMO_STATUS:-}" ]; then # set by .ci/run, which ran the demo first
	if [ "$VIPD_DEMO_STATUS" -eq 0 ]; then ok demo; else bad "demo: exit status $VIPD_DEMO_STATUS"; fi
fi

stage "the test command's own counting"
tests/tools/test_counts.sh 2>&1 | tee build.counts.log
count_line counts build.counts.log

stage "layers (tools/layers.sh: each file includes only its layer and those below)"
if tools/layers.sh 2>&1 | tee build.layers.log; then ok layers; else bad "layers: see above"; fi

stage "build: gcc -Werror"
if build build gcc; then ok build; else bad "gcc build"; fi
stage "build: clang -Werror"
if build build-clang clang; then ok build; else bad "clang build"; fi
stage "build: gcc ASan+UBSan"
if build build-asan gcc -Db_sanitize=address,undefined -Db_lundef=false; then ok build; else bad "asan build"; fi

export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

stage "unit tests (gcc)"
unit build unit
stage "unit tests (clang)"
unit build-clang unit-clang
stage "unit tests (ASan+UBSan)"
unit build-asan unit-asan

stage "config regression (ASan+UBSan)"
if [ -x tests/conf/run.sh ]; then
	tests/conf/run.sh build-asan/vipd 2>&1 | tee build-asan.conf.log
	count_line conf build-asan.conf.log
else
	bad "tests/conf/run.sh missing"
fi
stage "keyword walk: every keepalived keyword acted on or warned by name (ASan+UBSan)"
python3 tests/conf/keywords.py build-asan/vipd 2>&1 | tee build-asan.keywords.log
count_line keywords build-asan.keywords.log
stage "manual pages: mandoc lint, every keyword, option and command documented"
python3 tests/man/check.py build 2>&1 | tee build.man.log
count_line man build.man.log
stage "Debian package: built, lintian, installed in a fresh bookworm root (tests/package/check.sh)"
tests/package/check.sh 2>&1 | tee build.package.log
count_line package build.package.log

if [ $QUICK -eq 0 ]; then
	stage "coverage of the engines (vrrp: packet.c, fsm.c, group.c; bfd: packet.c, session.c >= 95% of lines)"
	if build build-cov gcc -Db_coverage=true; then
		meson test -C build-cov >/dev/null 2>&1
		for f in vrrp/packet vrrp/fsm vrrp/group bfd/packet bfd/session; do
			pct=$(gcovr -r . --object-directory build-cov --filter "src/$f\.c" 2>/dev/null |
				awk '/^TOTAL/ {sub("%", "", $4); print $4}')
			echo "coverage: src/$f.c ${pct:-?}% of lines"
			if [ -n "$pct" ] && [ "${pct%.*}" -ge 95 ]; then ok coverage; else bad "coverage $f.c ${pct:-none}%"; fi
		done
	else
		bad "coverage build"
	fi

	stage "fuzzing (${FUZZ_SECONDS}s per target)"
	if build build-fuzz clang -Dfuzz=true -Db_sanitize=address,undefined -Db_lundef=false; then
		for t in build-fuzz/tests/fuzz/fuzz_*; do
			[ -f "$t" ] && [ -x "$t" ] || continue
			n=$(basename "$t")
			seeds=tests/fuzz/seeds-${n#fuzz_}
			corpus=build-fuzz/corpus-${n#fuzz_}
			mkdir -p "$corpus"
			if "$t" -max_total_time="$FUZZ_SECONDS" -timeout=5 -rss_limit_mb=2048 \
				-artifact_prefix=build-fuzz/ "$corpus" "$seeds" >"build-fuzz/$n.log" 2>&1; then
				echo "$n: $(grep -Eo '#[0-9]+' "build-fuzz/$n.log" | tail -1 | tr -d '#') runs, no crash"
				ok fuzz
			else
				tail -40 "build-fuzz/$n.log"
				bad "$n"
			fi
		done
	else
		bad "fuzz build"
	fi
fi

# Most integration tests wait on protocol timers, so they run two at a time
# (pytest-xdist, each in namespaces of its own); those marked serial measure
# the daemon under a load of their own and run alone afterwards.
pytest_stage() { # label, log, pytest arguments...
	local label=$1 log=$2 rc c
	shift 2
	VIPD_BUILD=build-asan $PY -m pytest -q -p no:cacheprovider "$@" tests/integration 2>&1 | tee "$log"
	rc=${PIPESTATUS[0]}
	c=$(counts_pytest "$log")
	tally "$label" "$c"
	if [ "$rc" -ne 0 ] && [ -n "$c" ] && [ "${c#* }" -eq 0 ]; then bad "$label: exit $rc"; fi
}
stage "integration tests (pytest, network namespaces, ASan+UBSan daemon; two at a time)"
pytest_stage pytest build-asan.pytest.log -n 2 -m "not serial"
stage "integration tests measured under load (pytest -m serial, one at a time)"
pytest_stage pytest-serial build-asan.pytest-serial.log -m serial

printf '\n'
for f in "${failures[@]}"; do echo "FAILED: $f"; done
echo "total: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
