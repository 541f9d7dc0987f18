#!/bin/sh
# plugin_killed: the fs plugin dies (SIGKILL) while a guest call to it is
# pending. That call (a write: not idempotent, so never sent twice) must
# return EIO (write_loop prints it and exits with 3), the CPU host must
# carry on to the guest's own exit status (not 128+n), and stderr must say
# which plugin died and how.
#
# To have a call pending for certain when the plugin dies, the plugin is
# first stopped (SIGSTOP) until the guest's output stalls on an unanswered
# write, then killed: well inside the 3 s after which a silent plugin would
# be declared down for silence rather than death. (Idempotent calls would
# instead wait for the restarted plugin: tests/faults covers those.) The
# file cache is off: with it, a write is acknowledged before it reaches the
# plugin, and what a dead plugin took is replayed (guest_fcache, fs_kill).
. "$(dirname "$0")/cpu_lib.sh"

elf=$(guest_path write_loop)
mkdir "$WORK/root"
# write_loop writes 16 bytes at a time, every 2 ms.

"$OB_BIN/outboard" run --fs "$WORK/root" --fs-cache 0 --trace=fs --trace-durations "$elf" data.txt </dev/null \
	>"$WORK/pk.out" 2>"$WORK/pk.err" &
launcher=$!
trap cleanup_background EXIT INT TERM

reads() {
	grep -c '^write [0-9]*: 16$' "$WORK/pk.out" || true
}
some_reads() {
	[ "$(reads)" -ge 5 ]
}
wait_until 30 some_reads || { echo 1 >"$WORK/pk.status"; show pk; fail "the guest never wrote"; }

plugin=$(child_running "$launcher" outboard-fs-hostdir)
[ -n "$plugin" ] || { echo 1 >"$WORK/pk.status"; show pk; fail "no fs plugin under the launcher"; }
kill -STOP "$plugin"
# The guest writes every 2 ms: 300 ms without a new line means its write
# is sent and unanswered.
stalled=no
for _ in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
	before=$(reads)
	sleep 0.3
	[ "$(reads)" = "$before" ] && { stalled=yes; break; }
done
[ "$stalled" = yes ] || { echo 1 >"$WORK/pk.status"; show pk; fail "the guest kept writing"; }
kill -KILL "$plugin"
kill -CONT "$plugin" 2>/dev/null || true

# Bounded wait for the launcher to end, then collect its status.
wait_until 30 pid_gone "$launcher" || { echo 1 >"$WORK/pk.status"; show pk; fail "the run did not end"; }
status=0
wait "$launcher" || status=$?
echo "$status" >"$WORK/pk.status"

expect_status pk 3
# (A write, or the rare lseek back to the start of the file.)
expect_line pk out '^(write|lseek) [0-9]+: -5 EIO$' "the pending call failing with EIO"
# The trace shows the failed call with its result and (--trace-durations)
# how long it took.
expect_line pk err \
	'^\[t1\] (write\(3, "x+", 16\)|lseek\(3, 0, SEEK_SET\)) = -5 EIO <[0-9.]+ ms>$' \
	"the call that was pending when the plugin died"
expect_line pk err 'fs-hostdir.*(killed|died|SIGKILL)' "the fs plugin's death"
expect_line pk err '^outboard: .*fs.*fs-hostdir.*SIGKILL' "the launcher's report"
expect_line pk err '^outboard-cpu: .*fs-hostdir.*died' "the CPU host's report"
no_line pk err 'guest fault|AddressSanitizer|runtime error' "a crash"
checks_passed pk
note "passed"
