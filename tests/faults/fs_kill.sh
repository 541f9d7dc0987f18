#!/bin/bash
# fs_kill: the fault-injection proof of docs/faults.md. A guest writes and
# reads checksummed records through the fs domain (examples/faults_workload
# /records.c) while this harness kills (SIGKILL) or stops (SIGSTOP) the
# fs-hostdir plugin at random moments, OB_FAULT_EVENTS times (default 55).
# The launcher restarts it each time (killing the stopped ones when the
# CPU host reports them hung).
#
# Passes when: the host never crashes (the run ends with the guest's own
# status 0, no fault report, no sanitizer report); every guest call ended in
# success or a clean errno (the guest fails on anything but EIO, which it
# retries); no record is duplicated or corrupted and every record the guest
# saw succeed is on disk afterwards (the guest re-reads all of them after
# the faults; the file holds exactly that many records). Beside them the
# guest makes large buffered writes (log.bin.bulk, 4 KiB writes the host's
# file cache holds back): every one must succeed and every record must be
# there afterwards, checked one by one (the host replays what a dead
# plugin took with it). Prints the figures.
. "$(dirname "$0")/../cpu/cpu_lib.sh"

events=${OB_FAULT_EVENTS:-55}
stop_every=${OB_FAULT_STOP_EVERY:-18} # every Nth event is a SIGSTOP (a hang)
elf=$(guest_path records)
mkdir "$WORK/root"

"$OB_BIN/outboard" run --fs "$WORK/root" --display none --sound none --input none \
	--restart-max 100 --restart-window 1 --stats \
	"$elf" log.bin 1000000 stop </dev/null >"$WORK/fk.out" 2>"$WORK/fk.err" &
launcher=$!
cleanup() {
	kill -KILL "$launcher" 2>/dev/null || true
	rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

plugin_up() { plugin=$(child_running "$launcher" outboard-fs-hostdir); [ -n "$plugin" ]; }
written() { [ -s "$WORK/root/log.bin" ]; }

wait_until 30 written || { echo 1 >"$WORK/fk.status"; show fk; fail "the guest never wrote"; }
kills=0
stops=0
for i in $(seq 1 "$events"); do
	pid_alive "$launcher" || break
	wait_until 30 plugin_up || { echo 1 >"$WORK/fk.status"; show fk; fail "no fs plugin came back"; }
	# A random moment: 20 to 250 ms into this plugin's life.
	sleep "0.$(printf '%03d' $((20 + RANDOM % 230)))"
	if [ $((i % stop_every)) -eq 0 ]; then
		kill -STOP "$plugin" 2>/dev/null && stops=$((stops + 1))
		# The host declares it hung (3 s of silence) and the launcher kills it.
		wait_until 30 pid_gone "$plugin" || { echo 1 >"$WORK/fk.status"; show fk; fail "a hung plugin was never killed"; }
	else
		kill -KILL "$plugin" 2>/dev/null && kills=$((kills + 1))
	fi
done
touch "$WORK/root/stop"
wait_until 120 pid_gone "$launcher" ||
	{ echo 1 >"$WORK/fk.status"; show fk; fail "the run did not end"; }
status=0
wait "$launcher" || status=$?
echo "$status" >"$WORK/fk.status"

summary=$(grep '^records:' "$WORK/fk.out" || true)
restarts=$(grep -c 'plugin fs-hostdir is back' "$WORK/fk.err" || true)
hung=$(grep -c 'stopped answering: killed' "$WORK/fk.err" || true)
note "kills $kills, stops $stops (hung plugins killed: $hung), restarts $restarts; $summary"
# The host's figures for the whole run, every connection to fs-hostdir
# together: each request got its reply, or was in flight when its plugin
# died or went silent (failed: then retried or given EIO), or timed out.
stats=$(grep '^outboard-cpu: stats fs: ' "$WORK/fk.err" || true)
host_stat() { echo "$stats" | sed -n "s/.* $1=\([0-9]*\).*/\1/p"; }
note "host: requests $(host_stat requests), replies $(host_stat replies), failed $(host_stat failed)," \
	"timeouts $(host_stat timeouts), plugin deaths $(host_stat deaths)"
[ -n "$stats" ] || { show fk; fail "no --stats line for fs"; }
[ "$(host_stat requests)" -eq $(($(host_stat replies) + $(host_stat failed) + $(host_stat timeouts))) ] ||
	fail "requests without a reply that neither failed nor timed out"
[ "$(host_stat deaths)" -ge $(((kills + stops) / 2)) ] ||
	fail "$((kills + stops)) faults but $(host_stat deaths) deaths seen by the host"

expect_status fk 0
expect_line fk out '^records: [0-9]+ written, [0-9]+ EIO retries, [0-9]+ verified, 0 failures$' \
	"the workload's clean summary"
expect_line fk out '^bulk: [0-9]+ records written, [0-9]+ verified$' "the bulk summary"
bulk=$(sed -n 's/^bulk: \([0-9]*\) records written, \([0-9]*\) verified$/\1 \2/p' "$WORK/fk.out")
[ "${bulk% *}" -gt 0 ] && [ "${bulk% *}" = "${bulk#* }" ] || fail "bulk records lost: $bulk"
no_line fk out '^FAIL' "a failed guest call"
no_line fk err 'guest fault|AddressSanitizer|LeakSanitizer|runtime error|failed for good|giving up|is not restarted' \
	"a crash or a domain given up"
[ $((kills + stops)) -ge 50 ] || [ "${OB_FAULT_EVENTS:-55}" -lt 50 ] ||
	fail "only $((kills + stops)) faults were injected (the guest ended first?)"
# A kill that lands while a restarted plugin is still starting is absorbed by
# the next restart, so restarts can be fewer than faults; not many fewer.
[ "$restarts" -ge $(((kills + stops) / 2)) ] || fail "$((kills + stops)) faults but $restarts restarts"
n=$(sed -n 's/^records: \([0-9]*\) written.*/\1/p' "$WORK/fk.out")
size=$(stat -c %s "$WORK/root/log.bin")
[ "$size" -eq $((n * 64)) ] || fail "log.bin holds $size bytes, not $n records of 64"
bsize=$(stat -c %s "$WORK/root/log.bin.bulk")
[ "$bsize" -eq $((${bulk% *} * 64)) ] || fail "log.bin.bulk holds $bsize bytes, not ${bulk% *} records"
cache=$(grep '^outboard-cpu: stats fs-cache: ' "$WORK/fk.err" || true)
note "cache: $(echo "$cache" | sed 's/.*writebehind=/writebehind=/')"
checks_passed fk
note "passed"
