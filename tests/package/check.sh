#!/usr/bin/env bash
# The Debian package: builds it (tools/package.sh), runs lintian on it (an
# error fails), installs it with its dependencies in a fresh bookworm root
# (mmdebstrap, variant apt, from this machine's mirror) and runs it there:
# vipd -t on the shipped config, vipd --version, vipctl --version, the
# manual pages found by man, the systemd unit in place. Run as root.
# Ends with "package: N passed, N failed" (one count per check).
set -uo pipefail
cd "$(dirname "$0")/../.."

passed=0
failed=0
check() { # label, command...
	local label=$1
	shift
	if "$@"; then
		echo "ok: $label"
		passed=$((passed + 1))
	else
		echo "FAILED: $label"
		failed=$((failed + 1))
	fi
}
finish() {
	echo "package: $passed passed, $failed failed"
	exit $((failed > 0))
}

tmp=$(mktemp -d /tmp/vipd-pkgtest-XXXXXX)
root=$tmp/root
cleanup() {
	# nothing is mounted in the root (the chroot runs use their own mount
	# namespace), so one file system is all there is to remove
	rm -rf --one-file-system "$tmp"
}
trap cleanup EXIT

t0=$SECONDS
deb=$(tools/package.sh "$tmp/out")
check "build the .deb (tools/package.sh)" test -f "$deb"
[ -f "$deb" ] || finish
echo "package: built $(basename "$deb") in $((SECONDS - t0)) s"

lint() {
	local rc
	lintian --fail-on error "$deb" | tee "$tmp/lintian.log"
	rc=${PIPESTATUS[0]}
	echo "lintian: $(grep -c '^E:' "$tmp/lintian.log") errors, $(grep -c '^W:' "$tmp/lintian.log") warnings"
	return "$rc"
}
check "lintian: no errors" lint

t1=$SECONDS
mirror=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null)
# The packages apt downloads are kept in build-package/apt-cache for the
# next run (the root itself is made afresh each time); the hook dir makes
# the local .deb visible to dpkg inside the root.
cache=$PWD/build-package/apt-cache
mkdir -p "$cache"
rm -f "$cache"/vipd_*.deb
if ! mmdebstrap --variant=apt --skip=essential/unlink --dpkgopt=force-unsafe-io \
	--aptopt='Acquire::Languages "none"' \
	--hook-dir=/usr/share/mmdebstrap/hooks/file-mirror-automount \
	--setup-hook='mkdir -p "$1"/var/cache/apt/archives/' \
	--setup-hook="sync-in '$cache' /var/cache/apt/archives/" \
	--customize-hook="sync-out /var/cache/apt/archives '$cache'" \
	--include="$deb" --include=man-db bookworm "$root" ${mirror:+"$mirror"} \
	>"$tmp/mmdebstrap.log" 2>&1; then
	tail -20 "$tmp/mmdebstrap.log"
	grep -qiE "could not resolve|failed to fetch|unable to connect|temporary failure" "$tmp/mmdebstrap.log" &&
		echo "package: mmdebstrap could not reach the mirror ${mirror:-(the default one)}"
	check "install in a fresh bookworm root (mmdebstrap)" false
	finish
fi
rm -f "$cache"/vipd_*.deb
check "install in a fresh bookworm root (mmdebstrap)" test -x "$root/usr/sbin/vipd"
echo "package: root made and the package installed in $((SECONDS - t1)) s"

# runs a command in the root, with /proc of its own (a private mount
# namespace, so nothing stays mounted after it)
inroot() {
	unshare --mount --propagation private /bin/sh -c \
		'mount -t proc proc "$0/proc" && exec chroot "$0" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin "$@"' \
		"$root" "$@"
}
check "vipd -t -f /etc/vipd/vipd.conf" inroot vipd -t -f /etc/vipd/vipd.conf
check "vipd --version" inroot vipd --version
check "vipctl --version" inroot vipctl --version
check "man -w vipd" inroot man -w vipd
check "man -w vipd.conf" inroot man -w vipd.conf
check "/lib/systemd/system/vipd.service" test -f "$root/lib/systemd/system/vipd.service"
check "vipd.service not enabled" test ! -e "$root/etc/systemd/system/multi-user.target.wants/vipd.service"
check "/etc/vipd/vipd.conf a conffile" inroot sh -c "dpkg-query -W -f='\${Conffiles}' vipd | grep -q ' /etc/vipd/vipd.conf '"
echo "package: $((SECONDS - t0)) s in all"
finish
