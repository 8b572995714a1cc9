# Reading test runners' result lines; sourced by tools/test.sh and
# tested by tests/tools/test_counts.sh. Each function prints "PASSED FAILED".

# the number before WORD in a line ("conf: 95 passed" -> 95), 0 if absent;
# grep -o takes the whole run of digits, never one digit of it
count_of() { # word, line
	local n
	n=$(grep -oE '(^|[^0-9])[0-9]+ '"$1" <<<"$2" | grep -oE '[0-9]+' | tail -1)
	echo "${n:-0}"
}

# the last "N passed, N failed" line of a log (the project's own runners)
counts_plain() { # log
	local line
	line=$(grep -E '(^|[^0-9])[0-9]+ passed, [0-9]+ failed' "$1" | tail -1)
	[ -n "$line" ] || return 1
	echo "$(count_of passed "$line") $(count_of failed "$line")"
}

# pytest's closing summary ("3 failed, 56 passed, 1 error in 12.34s");
# errors count as failures
counts_pytest() { # log
	local line
	line=$(grep -E '[0-9]+ (passed|failed|errors?|skipped|deselected)\b.* in [0-9.]+s' "$1" | tail -1)
	[ -n "$line" ] || return 1
	echo "$(count_of passed "$line") $(($(count_of failed "$line") + $(count_of error "$line")))"
}

# cmocka: the sums of "[  PASSED  ] N test(s)" and "[  FAILED  ] N test(s)"
counts_cmocka() { # log
	local p f
	p=$(grep -hE '^\[  PASSED  \] [0-9]+ test' "$1" | awk '{s+=$4} END {print s+0}')
	f=$(grep -hE '^\[  FAILED  \] [0-9]+ test' "$1" | awk '{s+=$4} END {print s+0}')
	echo "$p $f"
}
