#!/bin/sh
# Flood: each headless display backend's rare paths under its seccomp
# filter (docs/confinement.md). draw_flood sends presents back to back (the
# plugin's event queue overflows when the host is slow to take vsyncs),
# then blits with no present after them, and exits with that drawing still
# queued at the plugin (shutdown under backlog). Then the same with the
# plugin killed (SIGKILL) in the middle: its successor serves the rest
# under the same filter. No plugin may die of SIGSYS, and the launcher
# must report no plugin death but the one the test caused.
PNG_COMPARE=$1
. "$(dirname "$0")/lib.sh"
unset OB_NO_SECCOMP

elf=$(guest_path draw_flood)
for backend in null png; do
	presents=1000
	if [ "$backend" = png ]; then
		display_config "$WORK/$backend.ini" png "out=$WORK/frames-png"
		presents=200 # a file each
	else
		display_config "$WORK/$backend.ini" "$backend"
	fi
	run_guest "$backend" "$WORK/$backend.ini" --sound none --input none \
		--log-level debug "$elf" "$presents" 1000
	expect_status "$backend" 0
	expect_grep "$backend" out "^draw_flood: $presents presents, 1000 blits\$" "every call answered"
	if grep -Eq 'SIGSYS|seccomp: system call|display plugin .* (killed by|exited with status [1-9])' \
		"$WORK/$backend.err"; then
		show "$backend"
		fail "$backend: a plugin died under its filter"
	fi
	expect_grep "$backend" err "^\[display-$backend\] info: plugin-sdk: confined by seccomp" \
		"the plugin confined"
	# The queue-full line is said for the 1st, 10th, 100th... drop only.
	n=$(grep -c 'event queue full' "$WORK/$backend.err" || true)
	[ "$n" -le 5 ] || fail "$backend: 'event queue full' said $n times"
done
[ "$(list_pngs "$WORK/frames-png" | wc -l)" -eq 200 ] || fail "png wrote $(list_pngs "$WORK/frames-png" | wc -l) files, not 200"

# Blits of up to a full screen (300 KiB): the plugin's nanomsg thread
# allocates each, its main thread frees it (glibc once shrank that
# thread's heap with an openat the filter forbids).
run_guest big "$WORK/null.ini" --sound none --input none --log-level info "$elf" 100 300 240
expect_status big 0
expect_grep big out '^draw_flood: 100 presents, 300 blits$' "every call answered"
if grep -Eq 'SIGSYS|seccomp: system call|display plugin .* (killed by|exited with status [1-9])' \
	"$WORK/big.err"; then
	show big
	fail "big: a plugin died under its filter"
fi

# A restart in the middle of a flood.
timeout -k 5 60 "$OB_BIN/outboard" run --config "$WORK/null.ini" --sound none --input none \
	--log-level info "$elf" 20000 20000 </dev/null >"$WORK/restart.out" 2>"$WORK/restart.err" &
pid=$!
i=0
until grep -q 'display-null.*serving on' "$WORK/restart.err" 2>/dev/null; do
	i=$((i + 1))
	[ "$i" -lt 200 ] || fail "display-null never started"
	sleep 0.05
done
sleep 0.3
pkill -KILL -f "outboard-display-null --listen ipc://.*/display.sock" || fail "no display-null to kill"
status=0
wait "$pid" || status=$?
echo "$status" >"$WORK/restart.status"
expect_status restart 0
expect_grep restart out '^draw_flood: 20000 presents, 20000 blits$' "every call answered"
expect_grep restart err 'display plugin display-null killed by SIGKILL' "the kill"
expect_grep restart err 'plugin display-null is back' "the restart"
if grep -Eq 'SIGSYS|seccomp: system call' "$WORK/restart.err"; then
	show restart
	fail "a restarted plugin died under its filter"
fi
[ "$(grep -c 'display-null killed' "$WORK/restart.err")" -eq 1 ] || { show restart; fail "more than one death"; }
note "ok"
