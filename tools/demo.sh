#!/usr/bin/env bash
# The vipd demo: a live two-host failover, narrated. Installs what is
# missing, builds, makes three test hosts out of network namespaces on one
# bridge (lb01, lb02, client), runs vipd on both load balancers with the
# reference tutorial's configs, kills the master, brings it back, and
# removes everything it made. Run as root: sudo ./tools/demo.sh
set -Eeuo pipefail
cd "$(dirname "$0")/.."

[ "$(id -u)" -eq 0 ] || { echo "demo.sh: run as root (it makes network namespaces)" >&2; exit 1; }

STEP="0. Checking"
bold() { STEP=$*; printf '\n\033[1m%s\033[0m\n' "$*"; }
say() { printf '   %s\n' "$*"; }
pause() { sleep "${DEMO_PAUSE:-1}"; }

P=demo$$
DIR=$(mktemp -d /tmp/vipd-demo-XXXXXX)
VIP=10.0.0.3
cleanup() {
	for h in lb01 lb02 client br; do
		ip netns pids "$P-$h" 2>/dev/null | xargs -r kill -9 2>/dev/null || true
		ip netns del "$P-$h" 2>/dev/null || true
	done
	rm -rf "$DIR"
}
# A failing step says which step and which command failed, shows what went
# wrong, and the EXIT trap still removes everything the demo made.
fail() { # message
	printf '\n\033[1mThe demo failed in step "%s"\033[0m: %s\n' "$STEP" "$1" >&2
	for f in "$DIR"/*.log; do
		[ -s "$f" ] || continue
		printf '   last lines of %s:\n' "$(basename "$f")" >&2
		tail -25 "$f" | sed 's/^/     /' >&2
	done
	exit 1
}
on_err() { # command, line, status
	trap - ERR
	fail "\`$1\` (tools/demo.sh line $2) exited with status $3"
}
trap 'on_err "$BASH_COMMAND" "$LINENO" "$?"' ERR
trap cleanup EXIT
trap 'exit 130' INT TERM

bold "1. Getting ready"
say "Installing what is missing and building vipd..."
tools/deps.sh demo
if [ ! -f build/build.ninja ]; then
	meson setup build >"$DIR/meson-setup.log" 2>&1
	rm -f "$DIR/meson-setup.log"
fi
ninja -C build >"$DIR/ninja.log" 2>&1
rm -f "$DIR/meson-setup.log" "$DIR/ninja.log"
say "Built $(build/vipd -v) and $(build/vipctl -v)."

bold "2. Three test hosts on one switch"
ip netns add "$P-br"
ip -n "$P-br" link add br0 type bridge
ip -n "$P-br" link set br0 up
i=0
for h in lb01 lb02 client; do
	i=$((i + 1))
	ip netns add "$P-$h"
	ip -n "$P-$h" link set lo up
	ip -n "$P-br" link add "p$i" type veth peer name eth0 netns "$P-$h"
	ip -n "$P-br" link set "p$i" master br0 up
	ip -n "$P-$h" link set eth0 up
done
ip -n "$P-lb01" addr add 10.0.0.5/24 dev eth0
ip -n "$P-lb02" addr add 10.0.0.6/24 dev eth0
ip -n "$P-client" addr add 10.0.0.10/24 dev eth0
say "lb01 is 10.0.0.5, lb02 is 10.0.0.6, the client is 10.0.0.10."
say "They will share the virtual IP $VIP, as in the tutorial."

bold "3. The tutorial's configs, unchanged (keepalived.conf, on one line)"
sed -n 2p tests/conf/valid/tutorial-ch4-lb01.conf >"$DIR/lb01.conf"
sed -n 2p tests/conf/valid/tutorial-ch4-lb02.conf >"$DIR/lb02.conf"
say "lb01: $(cat "$DIR/lb01.conf")"
say "lb02: $(cat "$DIR/lb02.conf")"

start() { # host; in a subshell so the shell does not report its death
	(ip netns exec "$P-$1" build/vipd -n -l -f "$DIR/$1.conf" -p "$DIR/$1.pid" \
		--socket "$DIR/$1.sock" --run-dir "$DIR" >>"$DIR/$1.log" 2>&1 &)
}
holder() {
	for h in lb01 lb02; do
		ip -n "$P-$h" -br addr show dev eth0 | grep -qw "$VIP" && printf '%s ' "$h"
	done
	true
}
wait_holder() { # expected, seconds
	for _ in $(seq $(($2 * 10))); do
		[ "$(holder)" = "$1 " ] && return 0
		sleep 0.1
	done
	return 1
}

bold "4. Starting vipd on both load balancers"
(ip netns exec "$P-client" tcpdump -U -n -i eth0 -w "$DIR/wire.pcap" 'ip proto 112' \
	>/dev/null 2>&1 &)
start lb01
start lb02
say "Both start as BACKUP and listen, as keepalived does. With no master heard, each takes"
say "over after 3 advert intervals plus a skew that is shorter the higher its priority:"
say "lb01 (priority 150) after 3.41 s, lb02 (priority 100) after 3.61 s, so lb01 is first."
wait_holder lb01 8 || fail "lb01 did not take the VIP within 8 s"
say "The VIP is on: $(holder)"
echo
ip netns exec "$P-lb01" build/vipctl -s "$DIR/lb01.sock" status | sed 's/^/     /'
pause

bold "5. The client pings the VIP"
ip netns exec "$P-client" ping -c 3 -i 0.2 "$VIP" | sed -n '2,4p' | sed 's/^/     /'

bold "6. Crash: kill -9 the master (lb01)"
ip netns exec "$P-client" ping -n -i 0.1 -c 100 -W 1 "$VIP" >"$DIR/ping.txt" 2>&1 &
PING=$!
sleep 1
kill -9 "$(cat "$DIR/lb01.pid")"
say "lb01 is gone without a word. lb02 waits out the Master_Down_Interval:"
say "3 x 1 s + (256 - 100)/256 s = 3.609 s, then takes the VIP and sends gratuitous ARPs."
wait_holder "lb01 lb02" 8 || fail "lb02 did not take the VIP within 8 s"
sleep 0.5
say "Now the VIP is on: $(holder)(lb01's copy is stale: its daemon died, its host did not)"
grep -h "BACKUP -> MASTER" "$DIR/lb02.log" | sed 's/^/     lb02 log: /'
wait $PING || true
lost=$(awk -F', ' '/packets transmitted/ {split($1, a, " "); split($2, b, " "); print a[1] - b[1]}' "$DIR/ping.txt")
say "The client sent 100 pings, one every 0.1 s, across the crash: $lost were lost."
gap=$(tcpdump -r "$DIR/wire.pcap" -tt -n 2>/dev/null | awk '
	/10.0.0.5 > 224.0.0.18/ { last5 = $1 }
	/10.0.0.6 > 224.0.0.18/ && !first6 && last5 { first6 = $1 }
	END { if (first6) printf "%.3f", first6 - last5 }')
say "On the wire: ${gap:-?} s from lb01's last advert to lb02's first (the bound is 3.609 s)."
pause

bold "7. Fail-back: lb01 comes back"
start lb01
say "On start it removes the VIP its crashed run left behind, hears lb02 (priority 100),"
say "and, with preemption on, takes over: lb02 sees priority 150 and steps down."
wait_holder lb01 8 || fail "lb01 did not take the VIP back within 8 s"
say "The VIP is on: $(holder)"
grep -h "MASTER -> BACKUP" "$DIR/lb02.log" | tail -1 | sed 's/^/     lb02 log: /'
pause

bold "8. A clean stop gives the VIP up at once"
kill -TERM "$(cat "$DIR/lb01.pid")"
say "lb01 sends a priority 0 advert and removes the VIP; lb02 takes over after"
say "only the skew time (0.609 s) instead of 3.609 s."
wait_holder lb02 4 || fail "lb02 did not take the VIP within 4 s"
say "The VIP is on: $(holder)"
grep -h "BACKUP -> MASTER" "$DIR/lb02.log" | tail -1 | sed 's/^/     lb02 log: /'

bold "9. Cleaning up"
kill -TERM "$(cat "$DIR/lb02.pid")" 2>/dev/null || true
sleep 0.5
say "Namespaces and processes removed. That was vipd."
