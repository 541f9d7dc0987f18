#!/bin/sh
# plugin_killed: the fs plugin dies (SIGKILL) while a guest call to it is
# pending. That call (a write: not idempotent, so never sent twice) must
# return EIO (write_loop prints it and exits with 3), the CPU host must
# carry on to the guest's own exit status (not 128+n), and stderr must say
# which plugin died and how.
#
# To have a call pending for certain when the plugin dies, the plugin is
# first stopped (SIGSTOP) until a request sits unread in its sockets (`ss`
# shows their receive queues), then killed: well inside the 3 s after
# which a silent plugin would be declared down for silence rather than
# death. A pause in the guest's output is no such proof: a loaded machine
# starves the guest as well, and a write made after the kill waits for the
# restarted plugin and succeeds. (Idempotent calls would
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
# queued: a frame the stopped plugin has not read (Recv-Q, the third
# column of `ss -x`). The host sends nothing else while the guest writes
# every 2 ms (heartbeats go only after a second of silence).
queued() {
	ss -xpn 2>/dev/null | awk -v p="pid=$plugin," 'index($0, p) && $3 > 0 { f = 1 } END { exit !f }'
}
# A stop that lands while the plugin handles a write leaves nothing queued
# (the guest waits on the write it has taken): let it go and stop it again.
pending=no
for _ in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
	kill -STOP "$plugin"
	if wait_until 1 queued; then
		pending=yes
		break
	fi
	kill -CONT "$plugin"
	sleep 0.01
done
[ "$pending" = yes ] || { echo 1 >"$WORK/pk.status"; show pk; fail "no write ever waited for the stopped plugin"; }
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
