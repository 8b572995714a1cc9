#!/usr/bin/env bash
# Installs the Debian packages vipd needs to build, test and demo; only what is missing.
# Usage: tools/deps.sh [build|test|demo|bench]   (default: test; bench is test's and more)
set -euo pipefail

# gcc without recommends has no libc6-dev: name it, or cc cannot link anything
build_pkgs=(gcc libc6-dev pkg-config meson ninja-build libmnl-dev libnftables-dev libssl-dev
	libcurl4-openssl-dev libmicrohttpd-dev libsnmp-dev)
demo_pkgs=(iproute2 iputils-ping tcpdump procps)
test_pkgs=(libcmocka-dev clang libclang-rt-14-dev gcovr python3 python3-pytest python3-pytest-xdist tshark
	keepalived nginx iptables nftables curl arping systemd psmisc ethtool frr
	mandoc man-db python3-aiosmtpd prometheus snmp snmpd snmptrapd
	build-essential debhelper lintian mmdebstrap) # build-essential: dpkg-buildpackage checks it
# bench/: load and plots; valgrind and linux-perf profile a running daemon
# (callgrind's instruction counts, perf's samples), bench.py itself needs neither
bench_pkgs=(stress-ng python3-matplotlib valgrind linux-perf)

case "${1:-test}" in
build) want=("${build_pkgs[@]}") ;;
demo) want=("${build_pkgs[@]}" "${demo_pkgs[@]}") ;;
test) want=("${build_pkgs[@]}" "${demo_pkgs[@]}" "${test_pkgs[@]}") ;;
bench) want=("${build_pkgs[@]}" "${demo_pkgs[@]}" "${test_pkgs[@]}" "${bench_pkgs[@]}") ;;
*) echo "usage: $0 [build|demo|test|bench]" >&2; exit 2 ;;
esac

missing=()
for p in "${want[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "deps: missing packages: ${missing[*]}; run as root to install them" >&2
	exit 1
fi
echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# frr's, prometheus' and snmpd's packages start their services at install
# (watchfrr and zebra; prometheus on :9090; snmpd and snmptrapd on 161 and
# 162) and enable them for boot; the tests run
# their own in namespaces, so the system's stay off: a policy-rc.d denying
# them while apt runs (unless the machine has one already), and the units
# disabled after. prometheus without recommends: no node exporter.
policy=/usr/sbin/policy-rc.d
if [ ! -e $policy ]; then
	printf '#!/bin/sh\ncase "$1" in frr | prometheus | snmpd | snmptrapd) exit 101 ;; esac\nexit 0\n' >$policy
	chmod 755 $policy
	trap 'rm -f $policy' EXIT
fi
log=$(mktemp /tmp/vipd-deps-XXXXXX.log)
if ! { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}"; } >"$log" 2>&1; then
	echo "deps: apt-get failed; its last lines ($log):" >&2
	tail -20 "$log" >&2
	exit 1
fi
rm -f "$log"
for svc in frr prometheus snmpd snmptrapd; do
	if [[ " ${missing[*]} " == *" $svc "* ]] && command -v systemctl >/dev/null; then
		systemctl disable $svc.service >/dev/null 2>&1 || true
		[ ! -d /run/systemd/system ] || systemctl stop $svc.service >/dev/null 2>&1 || true
	fi
done
