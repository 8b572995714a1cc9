#!/usr/bin/env bash
# Installs the Debian packages vipd needs to build, test and demo; only what is missing.
# Usage: tools/deps.sh [build|test|demo]   (default: test, which is everything)
set -euo pipefail

# gcc without recommends has no libc6-dev: name it, or cc cannot link anything
build_pkgs=(gcc libc6-dev pkg-config meson ninja-build libmnl-dev libnftables-dev libssl-dev)
demo_pkgs=(iproute2 iputils-ping tcpdump procps)
test_pkgs=(libcmocka-dev clang libclang-rt-14-dev gcovr python3 python3-pytest python3-pytest-xdist tshark
	keepalived nginx iptables nftables curl arping systemd psmisc ethtool frr
	mandoc man-db
	debhelper lintian mmdebstrap)
# the Debian package's Build-Depends beyond build_pkgs: dpkg-buildpackage
# checks them all (tests/package/check.sh builds the package)
test_pkgs+=(libmicrohttpd-dev libcurl4-openssl-dev)

case "${1:-test}" in
build) want=("${build_pkgs[@]}") ;;
demo) want=("${build_pkgs[@]}" "${demo_pkgs[@]}") ;;
test) want=("${build_pkgs[@]}" "${demo_pkgs[@]}" "${test_pkgs[@]}") ;;
*) echo "usage: $0 [build|demo|test]" >&2; exit 2 ;;
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
# frr's package starts its service (watchfrr, zebra) at install and enables
# it for boot; the tests run their own zebra and vrrpd in namespaces, so the
# system's stays off: a policy-rc.d denying frr while apt runs (unless the
# machine has one already), and the unit disabled after
policy=/usr/sbin/policy-rc.d
if [ ! -e $policy ]; then
	printf '#!/bin/sh\n[ "$1" = frr ] && exit 101\nexit 0\n' >$policy
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
if [[ " ${missing[*]} " == *" frr "* ]] && command -v systemctl >/dev/null; then
	systemctl disable frr.service >/dev/null 2>&1 || true
	[ ! -d /run/systemd/system ] || systemctl stop frr.service >/dev/null 2>&1 || true
fi
