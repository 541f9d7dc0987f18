#!/bin/sh
# input_wait_forever: a guest whose only thread waits forever in
# input_wait.
#  - With no input and no display plugin nothing can ever wake it: the
#    host reports a deadlock naming the wait, and the run exits 124.
#  - With an input plugin it is waiting for input, not deadlocked: with
#    input-script sending a QUIT after 1 s, the wait ends with it and the
#    run exits 0; with input-null (no event ever), the run is still going
#    after the guest has blocked (the host's trace shows the wait), and
#    ends only by SIGTERM (status 143), with no deadlock reported.
#  - The same with the default input-null, which starts on demand: the
#    wait asked for it, and the host does not call the wait a deadlock
#    while the plugin is starting.
. "$(dirname "$0")/../guests/lib.sh"
. "$TEST_DIR/lib.sh"

elf=$(guest_path input_wait)

input_config "$WORK/none.ini" none
run_outboard none --config "$WORK/none.ini" "$elf" forever
expect_status none 124
expect_stderr_matches none 'deadlock' "a deadlock"
expect_stderr_matches none 'thread 1 .*waits on an event' "the thread's wait"

echo "+1s quit" >"$WORK/quit.keys"
input_config "$WORK/script.ini" script "$WORK/quit.keys"
run_outboard script --config "$WORK/script.ini" "$elf" forever
printf 'wait: waiting forever\nwait: woken by quit\n' >"$WORK/expected"
expect_no_deadlock script
expect_status script 0
expect_stdout script "$WORK/expected"

# waits_until_killed TAG OPTIONS...: the guest blocks in input_wait
# forever, the run goes on until SIGTERM (143), with no deadlock reported.
waits_until_killed() {
	tag=$1
	shift
	"$OB_BIN/outboard" run "$@" --trace kernel "$elf" forever \
		</dev/null >"$WORK/$tag.out" 2>"$WORK/$tag.err" &
	pid=$!
	# Bounded wait for the trace line the host prints when the thread blocks.
	i=0
	while ! grep -q 'input_wait(.*<unfinished \.\.\.>' "$WORK/$tag.err"; do
		i=$((i + 1))
		[ $i -le 200 ] || killed_failed "the guest did not block in input_wait within 10 s"
		kill -0 $pid 2>/dev/null || killed_failed "the run ended before the guest blocked"
		sleep 0.05
	done
	# Were it a deadlock, the host would have ended the run right after the
	# thread blocked; give it ample time to (not) do so.
	sleep 0.5
	kill -0 $pid 2>/dev/null || killed_failed "the run ended by itself while the guest waited"
	kill -TERM $pid
	status=0
	wait $pid || status=$?
	echo $status >"$WORK/$tag.status"
	expect_no_deadlock "$tag"
	expect_status "$tag" 143
	echo "wait: waiting forever" >"$WORK/expected"
	expect_stdout "$tag" "$WORK/expected"
}

# killed_failed WHY: collect the run of waits_until_killed (killing it if
# need be) and fail.
killed_failed() {
	kill -KILL $pid 2>/dev/null || true
	status=0
	wait $pid || status=$?
	echo $status >"$WORK/$tag.status"
	show "$tag"
	fail "$tag: $1"
}

input_config "$WORK/null.ini" null
waits_until_killed null --config "$WORK/null.ini"
waits_until_killed default -v --display none --sound none
expect_stderr_matches default 'input: plugin input-null started on demand' "input-null's start on demand"
note "passed"
