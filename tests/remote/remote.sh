#!/bin/bash
# remote: a plugin on "another machine", reached over tcp with the shared
# key (docs/security.md). The other machine is simulated on loopback: the
# plugin is started by hand, as a user would on a second host, and the link
# between the machines goes through a socat relay this test can cut.
#
#   1. files.elf runs against the remote fs-hostdir (key on both sides);
#   2. a wrong key, no key at all, and garbage bytes on the port are refused,
#      and the plugin logs the attempts and keeps serving;
#   3. the link is cut (the relay killed) while a workload runs and put back
#      a second later: the CPU host reconnects, authenticates again,
#      reopens the files and the workload ends with no failed call.
. "$(dirname "$0")/../cpu/cpu_lib.sh"

mkdir "$WORK/root" "$WORK/run"
"$OB_BIN/outboard-keygen" "$WORK/key" >/dev/null
"$OB_BIN/outboard-keygen" "$WORK/wrong" >/dev/null

# A free port: bind 0 and read it back.
free_port() {
	local p
	for _ in $(seq 1 50); do
		p=$((20000 + RANDOM % 20000))
		! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null && { echo "$p"; return; }
	done
	fail "no free port"
}
pport=$(free_port)
"$OB_BIN/outboard-fs-hostdir" --listen "tcp://127.0.0.1:$pport" --key "$WORK/key" \
	--root "$WORK/root" 2>"$WORK/plugin.err" &
plugin=$!
relay=
cleanup() {
	[ -z "$relay" ] || { pkill -P "$relay" 2>/dev/null; kill "$relay" 2>/dev/null; } || true
	kill "$plugin" 2>/dev/null || true
	wait 2>/dev/null || true
	rm -rf "$WORK"
}
trap cleanup EXIT INT TERM
listening() { (exec 3<>"/dev/tcp/127.0.0.1/$pport") 2>/dev/null; }
wait_until 10 listening || fail "the remote plugin does not listen"
url="tcp://127.0.0.1:$pport"
# (That probe connection was one peer without a key: the plugin refuses it.)

# 1. The right key.
run_remote() { # TAG KEYARGS... -- PROGRAM ARGS...
	local tag=$1 st=0
	shift
	(cd "$WORK/root" && "$OB_BIN/outboard" run --display none --sound none --input none "$@") \
		</dev/null >"$WORK/$tag.out" 2>"$WORK/$tag.err" || st=$?
	echo "$st" >"$WORK/$tag.status"
}
run_remote ok --plugin "fs=$url" --key "$WORK/key" "$(guest_path files)"
expect_status ok 0
expect_line ok out '^files: 102 checks, 0 failed$' "every fs check passing remotely"

# 2. Refusals.
run_remote wrongkey --plugin "fs=$url" --key "$WORK/wrong" --plugin-timeout 3000 \
	"$(guest_path hello)"
expect_status wrongkey 125
expect_line wrongkey err 'fs.*(refused|authentic|EACCES|Permission denied)' "the refusal"
run_remote nokey --plugin "fs=$url" "$(guest_path hello)"
expect_status nokey 125
expect_line nokey err 'needs the shared key' "the missing key explained"
# Subshells: the plugin may hang up first, and a builtin's write would then
# kill this script with SIGPIPE.
(printf 'GET / HTTP/1.0\r\n\r\n\x00\xff\x13garbage' >"/dev/tcp/127.0.0.1/$pport") 2>/dev/null || true
(head -c 4096 /dev/urandom >"/dev/tcp/127.0.0.1/$pport") 2>/dev/null || true
sleep 0.3
run_remote after --plugin "fs=$url" --key "$WORK/key" "$(guest_path hello)" x 5
expect_status after 5
expect_line plugin err 'unauthenticated|refus|authentic' "the plugin logging the attempts"

# 3. A dropped link. The host talks to the relay's port; the relay forwards.
rport=$(free_port)
start_relay() {
	socat "TCP-LISTEN:$rport,bind=127.0.0.1,reuseaddr,fork" "TCP:127.0.0.1:$pport" &
	relay=$!
}
start_relay
relay_up() { (exec 3<>"/dev/tcp/127.0.0.1/$rport") 2>/dev/null; }
wait_until 10 relay_up || fail "socat does not listen"
(cd "$WORK/root" && exec "$OB_BIN/outboard" run --display none --sound none --input none \
	--plugin "fs=tcp://127.0.0.1:$rport" --key "$WORK/key" \
	"$(guest_path records)" log.bin 1000000 stop) </dev/null >"$WORK/drop.out" 2>"$WORK/drop.err" &
launcher=$!
written() { [ -s "$WORK/root/log.bin" ]; }
wait_until 30 written || { show drop; fail "the workload never wrote"; }
# A short cut (under the 3 s heartbeat limit: nobody need notice) and a long
# one (the host declares the plugin down, calls wait, and on the link's
# return it authenticates again and restores the open files).
for outage in 1 4.5; do
	sleep 0.5
	# socat forks a child per connection: cut those too (by parent pid).
	pkill -KILL -P "$relay" 2>/dev/null || true
	kill -KILL "$relay" 2>/dev/null
	wait "$relay" 2>/dev/null || true
	sleep "$outage"
	start_relay
done
sleep 1
touch "$WORK/root/stop"
ended() { [ ! -e "/proc/$launcher" ] || grep -q '^[0-9]* ([^)]*) Z' "/proc/$launcher/stat"; }
wait_until 90 ended || { show drop; fail "the workload did not end after the link came back"; }
status=0
wait "$launcher" || status=$?
echo "$status" >"$WORK/drop.status"
expect_status drop 0
expect_line drop out '^records: [0-9]+ written, [0-9]+ EIO retries, [0-9]+ verified, 0 failures$' \
	"the workload ending clean after the drops"
expect_line drop err 'stopped answering' "the host noticing the long cut"
expect_line drop err 'is back' "the host restoring the plugin after it"
no_line drop err 'guest fault|AddressSanitizer|runtime error' "a crash"
note "$(grep '^records:' "$WORK/drop.out")"
echo 0 >"$WORK/plugin.status"
checks_passed ok wrongkey nokey after drop plugin
note "passed"
