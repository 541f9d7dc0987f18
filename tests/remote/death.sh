#!/bin/bash
# remote_death: a remote (tcp) plugin killed mid-run (docs/faults.md).
# Nobody restarts a remote plugin, so its calls are bounded: within 15 s of
# its death the calls waiting for it fail with EIO, later calls fail at
# once, and the CPU host keeps redialling; when the plugin is started again
# by hand, the host authenticates, reopens the open files, and the
# workload goes on to the end with no failed call beyond the EIOs.
. "$(dirname "$0")/../cpu/cpu_lib.sh"

mkdir "$WORK/root"
"$OB_BIN/outboard-keygen" "$WORK/key" >/dev/null
plugin= launcher=
cleanup() {
	[ -z "$launcher" ] || kill -KILL "$launcher" 2>/dev/null || true
	[ -z "$plugin" ] || kill -KILL "$plugin" 2>/dev/null || true
	wait 2>/dev/null || true
	rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

tcp_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }
port=
for _ in $(seq 1 50); do
	p=$((20000 + RANDOM % 20000))
	! tcp_open 127.0.0.1 "$p" && { port=$p; break; }
done
[ -n "$port" ] || fail "no free port"
start_plugin() {
	"$OB_BIN/outboard-fs-hostdir" --listen "tcp://127.0.0.1:$port" --key "$WORK/key" \
		--root "$WORK/root" 2>>"$WORK/plugin.err" &
	plugin=$!
	wait_until 10 tcp_open 127.0.0.1 "$port" || fail "the remote plugin does not listen"
}
start_plugin

# --fs-cache 0: this is the router's bounded wait and its EIO, which the
# workload's records retry. With the file cache on, write-behind data still
# unconfirmed when the plugin stays away past the deadline is lost and
# reported as EIO at the next call on its file (docs/faults.md), which the
# workload's buffered (bulk) part rightly counts as a failure.
(cd "$WORK/root" && exec "$OB_BIN/outboard" run --display none --sound none --input none \
	--fs-cache 0 --plugin "fs=tcp://127.0.0.1:$port" --key "$WORK/key" \
	"$(guest_path records)" log.bin 1000000 stop) </dev/null >"$WORK/run.out" 2>"$WORK/run.err" &
launcher=$!
written() { [ -s "$WORK/root/log.bin" ]; }
wait_until 30 written || { show run; fail "the workload never wrote"; }
# The launcher's check, then the host's session: nothing to warn about.
if grep -q '\[warn\]\|\[error\]' "$WORK/plugin.err"; then
	cat "$WORK/plugin.err" >&2
	fail "the plugin warned during a run that works"
fi

kill -KILL "$plugin"
wait "$plugin" 2>/dev/null || true
plugin=
lost() { grep -q 'did not come back within 15 s: its calls fail with EIO' "$WORK/run.err"; }
# 15 s, and a little for a loaded machine; without the bound it waited forever.
wait_until 25 lost || { show run; fail "the calls to the dead remote plugin did not fail"; }
pid_alive "$launcher" || { show run; fail "the run ended with the plugin"; }
# Calls keep failing at once (the guest retries them) while it is away.
sleep 1

start_plugin
back() { grep -q 'is back' "$WORK/run.err"; }
wait_until 20 back || { show run; fail "the host did not reconnect to the plugin by itself"; }
touch "$WORK/root/stop"
wait_until 60 pid_gone "$launcher" || { show run; fail "the workload did not end"; }
status=0
wait "$launcher" || status=$?
launcher=
echo "$status" >"$WORK/run.status"
expect_status run 0
expect_line run out '^records: [0-9]+ written, [1-9][0-9]* EIO retries, [0-9]+ verified, 0 failures$' \
	"the workload ending clean, with the EIOs of the outage retried"
no_line run err 'guest fault|AddressSanitizer|runtime error' "a crash"
checks_passed run
note "$(grep '^records:' "$WORK/run.out")"
