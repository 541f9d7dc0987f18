#!/bin/bash
# remote: a plugin on "another machine", reached over tcp with the shared
# key (docs/security.md). The plugin is started by hand, as a user would on
# a second host.
#
# The other machine is a network namespace of its own, joined to this one
# by a veth pair this test makes (10.213.N.1 here, 10.213.N.2 there), when
# `ip netns add` works (root, iproute2). Otherwise, or with
# OB_REMOTE_NET=loopback, it is simulated on loopback: the plugin listens on
# 127.0.0.1 and the link between the machines is a socat relay.
#
#   1. files.elf runs against the remote fs-hostdir (key on both sides);
#   2. a wrong key, no key at all, garbage bytes on the port and a replay of
#      a legitimate dialer's captured handshake are refused, and the plugin
#      logs the attempts and keeps serving;
#   3. the link drops while a workload runs, once briefly and once for
#      longer than the 3 s heartbeat limit: with netns the veth goes down (a
#      silent drop, nothing is reset), on loopback the relay is killed (both
#      connections reset). The CPU host reconnects, authenticates again,
#      reopens the files and the workload ends with no failed call.
. "$(dirname "$0")/../cpu/cpu_lib.sh"

mkdir "$WORK/root"
key_id=$("$OB_BIN/outboard-keygen" "$WORK/key" | sed -n 's/.*(key id \([0-9a-f]*\))$/\1/p')
wrong_id=$("$OB_BIN/outboard-keygen" "$WORK/wrong" | sed -n 's/.*(key id \([0-9a-f]*\))$/\1/p')
[ -n "$key_id" ] && [ -n "$wrong_id" ] || fail "outboard-keygen did not print the key ids"

ns= veth= relay= capture= plugin= launcher=
cleanup() {
	for p in "$relay" "$capture"; do
		[ -z "$p" ] || { pkill -KILL -P "$p" 2>/dev/null; kill -KILL "$p" 2>/dev/null; } || true
	done
	[ -z "$launcher" ] || kill -KILL "$launcher" 2>/dev/null || true
	[ -z "$plugin" ] || kill "$plugin" 2>/dev/null || true
	wait 2>/dev/null || true
	# Deleting the namespace deletes its veth end, and with it the pair.
	[ -z "$ns" ] || ip netns del "$ns" 2>/dev/null || true
	[ -z "$veth" ] || ip link del "$veth" 2>/dev/null || true
	rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

tcp_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }
free_port() { # a port nothing listens on, on 127.0.0.1
	local p
	for _ in $(seq 1 50); do
		p=$((20000 + RANDOM % 20000))
		! tcp_open 127.0.0.1 "$p" && { echo "$p"; return; }
	done
	fail "no free port"
}

# ---- the network between the two machines --------------------------------
make_netns() {
	[ "${OB_REMOTE_NET:-}" != loopback ] && [ "$(id -u)" = 0 ] &&
		command -v ip >/dev/null || return 1
	local n=$(($$ % 250 + 1))
	ns="ob-remote-$$"
	ip netns add "$ns" 2>/dev/null || { ns=; return 1; }
	veth="obr$$a"
	ip link add "$veth" type veth peer name "obr$$b" &&
		ip link set "obr$$b" netns "$ns" &&
		ip addr add "10.213.$n.1/24" dev "$veth" && ip link set "$veth" up &&
		ip netns exec "$ns" ip addr add "10.213.$n.2/24" dev "obr$$b" &&
		ip netns exec "$ns" ip link set "obr$$b" up &&
		ip netns exec "$ns" ip link set lo up ||
		fail "cannot set up the veth pair into $ns"
	phost="10.213.$n.2" pport=7411
	on_remote=(ip netns exec "$ns")
}
if make_netns; then
	net=netns
else
	net=loopback phost=127.0.0.1 pport=$(free_port) on_remote=()
fi
note "network: $net (the plugin at $phost:$pport)"

"${on_remote[@]}" "$OB_BIN/outboard-fs-hostdir" --listen "tcp://$phost:$pport" \
	--key "$WORK/key" --root "$WORK/root" 2>"$WORK/plugin.err" &
plugin=$!
listening() { tcp_open "$phost" "$pport"; }
wait_until 10 listening || fail "the remote plugin does not listen"
url="tcp://$phost:$pport"
# (That probe connection was one peer without a key: the plugin refuses it.)

run_remote() { # TAG ARGS... PROGRAM ARGS...
	local tag=$1 st=0
	shift
	(cd "$WORK/root" && "$OB_BIN/outboard" run --display none --sound none --input none "$@") \
		</dev/null >"$WORK/$tag.out" 2>"$WORK/$tag.err" || st=$?
	echo "$st" >"$WORK/$tag.status"
}
refusals() { grep -c 'refused an unauthenticated peer' "$WORK/plugin.err" || true; }

# 1. The right key.
run_remote ok --plugin "fs=$url" --key "$WORK/key" "$(guest_path files)"
expect_status ok 0
expect_line ok out '^files: 105 checks, 0 failed$' "every fs check passing remotely"

# 2. Refusals.
run_remote wrongkey --plugin "fs=$url" --key "$WORK/wrong" --plugin-timeout 3000 \
	"$(guest_path hello)"
expect_status wrongkey 125
expect_line wrongkey err 'fs.*(refused|authentic|EACCES|Permission denied)' "the refusal"
# Both sides name their own key id, which the refusal asks to compare.
expect_line wrongkey err "key id $wrong_id here" "the launcher's own key id"
grep -q "refused an unauthenticated peer on $url: its proof does not verify.*(key id $key_id here)" \
	"$WORK/plugin.err" || { cat "$WORK/plugin.err" >&2; fail "the plugin did not log its key id with the refusal"; }
run_remote nokey --plugin "fs=$url" "$(guest_path hello)"
expect_status nokey 125
expect_line nokey err 'needs the shared key' "the missing key explained"
# Subshells: the plugin may hang up first, and a builtin's write would then
# kill this script with SIGPIPE.
(printf 'GET / HTTP/1.0\r\n\r\n\x00\xff\x13garbage' >"/dev/tcp/$phost/$pport") 2>/dev/null || true
(head -c 4096 /dev/urandom >"/dev/tcp/$phost/$pport") 2>/dev/null || true
sleep 0.3

# A legitimate run through a relay that records what the dialers send (the
# launcher's check of the plugin, then the CPU host's session); then the
# host's connection, handshake first, is sent again from a new one.
cport=$(free_port)
socat -r "$WORK/captured" "TCP-LISTEN:$cport,bind=127.0.0.1,reuseaddr,fork" \
	"TCP:$phost:$pport" &
capture=$!
capture_up() { ss -Hltn "sport = :$cport" | grep -q .; }
wait_until 10 capture_up || fail "the capturing relay does not listen"
run_remote after --plugin "fs=tcp://127.0.0.1:$cport" --key "$WORK/key" "$(guest_path hello)" x 5
expect_status after 5
pkill -KILL -P "$capture" 2>/dev/null || true
kill -KILL "$capture" 2>/dev/null || true
wait "$capture" 2>/dev/null || true
capture=
# Each connection starts with nanomsg's header for PAIR: \0SP\0, 0x0010, 0.
last=$(grep -obUaP '\x00SP\x00\x00\x10\x00\x00' "$WORK/captured" | tail -1 | cut -d: -f1)
[ -n "$last" ] || fail "the relay captured no connection"
tail -c +$((last + 1)) "$WORK/captured" >"$WORK/replay"
before=$(refusals)
(cat "$WORK/replay" && sleep 1) 2>/dev/null >"/dev/tcp/$phost/$pport" || true
replay_refused() { [ "$(refusals)" -gt "$before" ]; }
wait_until 5 replay_refused ||
	{ tail -5 "$WORK/plugin.err" >&2; fail "the replayed handshake was not refused"; }
expect_line plugin err 'refused an unauthenticated peer' "the plugin logging the attempts"
run_remote still --plugin "fs=$url" --key "$WORK/key" "$(guest_path hello)" x 5
expect_status still 5

# 3. A dropped link, while the workload runs straight to the plugin.
if [ "$net" = netns ]; then
	target=$url
	cut_link() { ip link set "$veth" down; }
	restore_link() { ip link set "$veth" up; }
else
	rport=$(free_port)
	start_relay() {
		socat "TCP-LISTEN:$rport,bind=127.0.0.1,reuseaddr,fork" "TCP:$phost:$pport" &
		relay=$!
	}
	start_relay
	relay_up() { tcp_open 127.0.0.1 "$rport"; }
	wait_until 10 relay_up || fail "socat does not listen"
	target="tcp://127.0.0.1:$rport"
	cut_link() { # socat forks a child per connection: cut those too
		pkill -KILL -P "$relay" 2>/dev/null || true
		kill -KILL "$relay" 2>/dev/null
		wait "$relay" 2>/dev/null || true
	}
	restore_link() { start_relay; }
fi
(cd "$WORK/root" && exec "$OB_BIN/outboard" run --display none --sound none --input none \
	--plugin "fs=$target" --key "$WORK/key" \
	"$(guest_path records)" log.bin 1000000 stop) </dev/null >"$WORK/drop.out" 2>"$WORK/drop.err" &
launcher=$!
written() { [ -s "$WORK/root/log.bin" ]; }
wait_until 30 written || { show drop; fail "the workload never wrote"; }
# A short drop (under the 3 s heartbeat limit: nobody need notice) and a
# long one (the host declares the plugin down, calls wait, and on the link's
# return it authenticates again and restores the open files).
for outage in 1 4.5; do
	sleep 0.5
	cut_link
	sleep "$outage"
	restore_link
done
sleep 1
touch "$WORK/root/stop"
wait_until 90 pid_gone "$launcher" || { show drop; fail "the workload did not end after the link came back"; }
status=0
wait "$launcher" || status=$?
launcher=
echo "$status" >"$WORK/drop.status"
expect_status drop 0
expect_line drop out '^records: [0-9]+ written, [0-9]+ EIO retries, [0-9]+ verified, 0 failures$' \
	"the workload ending clean after the drops"
expect_line drop err 'stopped answering' "the host noticing the long drop"
expect_line drop err 'is back' "the host restoring the plugin after it"
no_line drop err 'guest fault|AddressSanitizer|runtime error' "a crash"
note "$(grep '^records:' "$WORK/drop.out")"
echo 0 >"$WORK/plugin.status"
checks_passed ok wrongkey nokey after still drop plugin
note "passed ($net)"
