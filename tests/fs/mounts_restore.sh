#!/bin/bash
# mounts_restore: restarts restore each mount's open files on its own
# plugin. A guest holds a file of the /data mount open and has read 4 bytes
# of it; this harness kills the /data plugin (fs-hostdir, like the "/"
# one). Passes when only that plugin is restarted, the file is reopened on
# it at its offset (the next reads go on where the guest was), and "/"
# never noticed.
. "$(dirname "$0")/../cpu/cpu_lib.sh"

mkdir "$WORK/root" "$WORK/data"
printf '0123456789abcdef' >"$WORK/data/long.txt"
"$OB_BIN/outboard" run --fs "$WORK/root" --mount "/data=hostdir:$WORK/data" --display none \
	--sound none --input none "$(guest_path mounts)" \
	hold /data/long.txt next 4 wait /go next 4 next 4 write /data/after.txt A read /after.txt \
	</dev/null >"$WORK/r.out" 2>"$WORK/r.err" &
launcher=$!
trap 'kill -KILL "$launcher" 2>/dev/null || true; rm -rf "$WORK"' EXIT INT TERM

first_read() { grep -q '^next 4: 0123$' "$WORK/r.out"; }
back() { grep -q 'fs plugin fs-hostdir@/data is back' "$WORK/r.err"; }
# plugin_of DIR: the fs-hostdir child serving DIR (its command line names it).
plugin_of() {
	local c
	for c in $(pgrep -P "$launcher"); do
		if [ "$(basename "$(readlink "/proc/$c/exe")")" = outboard-fs-hostdir ] &&
			tr '\0' '\n' <"/proc/$c/cmdline" | grep -qx "$1"; then
			echo "$c"
		fi
	done
}
wait_until 30 first_read || { echo 1 >"$WORK/r.status"; show r; fail "the guest never read"; }
data_pid=$(plugin_of "$WORK/data")
root_pid=$(plugin_of "$WORK/root")
[ -n "$data_pid" ] && [ -n "$root_pid" ] || { echo 1 >"$WORK/r.status"; show r; fail "no plugins found"; }
kill -KILL "$data_pid"
wait_until 30 back || { echo 1 >"$WORK/r.status"; show r; fail "the /data plugin did not come back"; }
[ "$(plugin_of "$WORK/root")" = "$root_pid" ] || fail "the / plugin was restarted too"
touch "$WORK/root/go"
wait_until 60 pid_gone "$launcher" || { echo 1 >"$WORK/r.status"; show r; fail "the run did not end"; }
status=0
wait "$launcher" || status=$?
echo "$status" >"$WORK/r.status"
expect_status r 0
expect_line r out '^next 4: 4567$' "the held file read on at its offset after the restart"
expect_line r out '^next 4: 89ab$' "and on"
expect_line r out '^write /data/after.txt: ok$' "/data working after its restart"
expect_line r out '^read /after.txt: ENOENT$' "/data's file only in /data"
no_line r err 'cannot be reopened|guest fault' "a file lost, or a fault"
[ "$CHECK_FAILURES" -eq 0 ] || { show r; fail "$CHECK_FAILURES checks failed"; }
note "passed"
