#!/bin/bash
# mounts_kill: each mount is its own plugin process, restarted alone. A
# guest writes into /data (hostdir) and /tmp (fs-mem), then waits; this
# harness kills the /tmp plugin with SIGKILL, then stops its successor
# (SIGSTOP) until the host reports it hung. Passes when the launcher
# restarts only that one (the "/" and /data plugins keep their pids), the
# guest's later calls on "/" and /data work, and /tmp works again, fresh
# (an in-memory mount's files die with its process).
. "$(dirname "$0")/../cpu/cpu_lib.sh"

mkdir "$WORK/root" "$WORK/data"
"$OB_BIN/outboard" run --fs "$WORK/root" --mount "/data=hostdir:$WORK/data" --display none \
	--sound none --input none "$(guest_path mounts)" \
	write /data/b.txt B write /tmp/a.txt A wait /go read /data/b.txt read /tmp/a.txt \
	write /tmp/z.txt Z read /tmp/z.txt write /data/c.txt C write /r.txt R read /r.txt \
	</dev/null >"$WORK/k.out" 2>"$WORK/k.err" &
launcher=$!
trap 'kill -KILL "$launcher" 2>/dev/null || true; rm -rf "$WORK"' EXIT INT TERM

written() { grep -q '^write /tmp/a.txt: ok$' "$WORK/k.out"; }
back() { grep -q 'fs plugin fs-mem@/tmp is back' "$WORK/k.err"; }
wait_until 30 written || { echo 1 >"$WORK/k.status"; show k; fail "the guest never wrote /tmp/a.txt"; }
tmp_pid=$(child_running "$launcher" outboard-fs-mem)
hostdirs() { for c in $(pgrep -P "$launcher"); do
	[ "$(basename "$(readlink "/proc/$c/exe")")" = outboard-fs-hostdir ] && echo "$c"; done | sort; }
before=$(hostdirs)
[ -n "$tmp_pid" ] && [ "$(echo "$before" | wc -l)" -eq 2 ] ||
	{ echo 1 >"$WORK/k.status"; show k; fail "expected one fs-mem and two fs-hostdir plugins"; }
kill -KILL "$tmp_pid"
wait_until 30 back || { echo 1 >"$WORK/k.status"; show k; fail "the /tmp plugin did not come back"; }
[ "$(hostdirs)" = "$before" ] || fail "the other mounts' plugins were restarted too"
# A hang: the CPU host misses the /tmp plugin's heartbeats and names its
# mount to the launcher, which kills and restarts that one.
tmp_pid=$(child_running "$launcher" outboard-fs-mem)
kill -STOP "$tmp_pid"
back2() { [ "$(grep -c 'fs plugin fs-mem@/tmp is back' "$WORK/k.err")" -ge 2 ]; }
wait_until 30 back2 || { echo 1 >"$WORK/k.status"; show k; fail "the hung /tmp plugin did not come back"; }
[ "$(hostdirs)" = "$before" ] || fail "the other mounts' plugins were restarted after the hang"
touch "$WORK/root/go"
wait_until 60 pid_gone "$launcher" || { echo 1 >"$WORK/k.status"; show k; fail "the run did not end"; }
status=0
wait "$launcher" || status=$?
echo "$status" >"$WORK/k.status"
expect_status k 0
expect_line k err 'fs plugin fs-mem@/tmp killed by SIGKILL' "the death of the /tmp plugin"
expect_line k err 'plugin fs-mem@/tmp \(fs\) stopped answering: killed, restarting' \
	"the hang of the /tmp plugin, told by mount"
expect_line k out '^read /data/b.txt: B$' "/data after the kill"
expect_line k out '^read /tmp/a.txt: ENOENT$' "a fresh /tmp after its restart"
expect_line k out '^read /tmp/z.txt: Z$' "/tmp working again"
expect_line k out '^write /data/c.txt: ok$' "a write to /data after the kill"
expect_line k out '^read /r.txt: R$' "/ after the kill"
no_line k err 'fs-hostdir.*(killed|restart)|guest fault' "another plugin restarted, or a fault"
[ "$(cat "$WORK/data/c.txt")" = C ] || fail "/data/c.txt is not on the host"
[ "$CHECK_FAILURES" -eq 0 ] || { show k; fail "$CHECK_FAILURES checks failed"; }
note "passed"
