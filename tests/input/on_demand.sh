#!/bin/sh
# The default input, input-null, starts on demand (docs/launcher.md,
# "Plugins started on demand"):
#   - a program that never asks for input starts no input plugin;
#   - input_wait with a timeout asks for it, exactly once, and ends in
#     -ETIMEDOUT as with input-null chosen (input_null); the plugin may
#     or may not be up before that run ends;
#   - input_poll alone does not start it (input-null would have queued
#     nothing), and finds nothing;
#   - input-null named by the user starts with the run, as before;
#   - an input-null that cannot start is restarted, then given up: a
#     wait with a timeout still ends in -ETIMEDOUT, a wait forever ends
#     as a deadlock (124) once nothing can send an event.
# (A wait forever on a working one: input_wait_forever.)
. "$(dirname "$0")/../guests/lib.sh"
. "$TEST_DIR/lib.sh"

wait_elf=$(guest_path input_wait)

# started TAG: how many times input-null started in run TAG (-v).
started() {
	grep -c '^\[input-null\] info: plugin-sdk: input-null .* serving on' "$WORK/$1.err" || true
}
# asked TAG: how many times the launcher started input-null on demand
# (-vv): the host's first input wait asked for it.
asked() {
	grep -c '^outboard: \[debug\] launcher: input plugin input-null: first call, starting it$' \
		"$WORK/$1.err" || true
}

run_outboard quiet -vv --display none --sound none "$(guest_path hello)"
expect_status quiet 0
[ "$(started quiet)" -eq 0 ] && [ "$(asked quiet)" -eq 0 ] ||
	{ show quiet; fail "hello.elf, which reads no input, started input-null"; }
if grep -q 'input: plugin' "$WORK/quiet.err"; then
	show quiet
	fail "the host connected an input plugin for a program that reads no input"
fi

# wait_run MODE LINE: input_wait.elf MODE (-vv, default input) exits 0
# printing LINE; the run's tag is MODE.
wait_run() {
	run_outboard "$1" -vv --display none --sound none "$wait_elf" "$1"
	expect_status "$1" 0
	echo "$2" >"$WORK/expected"
	expect_stdout "$1" "$WORK/expected"
}

wait_run timeout "wait: timeout ok"
[ "$(asked timeout)" -eq 1 ] && [ "$(started timeout)" -le 1 ] ||
	{ show timeout; fail "input-null was not asked for exactly once"; }

wait_run poll "wait: poll found nothing"
[ "$(started poll)" -eq 0 ] && [ "$(asked poll)" -eq 0 ] ||
	{ show poll; fail "input_poll started input-null"; }

run_outboard chosen -v --display none --sound none --input null "$(guest_path hello)"
expect_status chosen 0
[ "$(started chosen)" -eq 1 ] || { show chosen; fail "input-null, chosen, did not start with the run"; }
if grep -q 'started on demand' "$WORK/chosen.err"; then
	show chosen
	fail "input-null, chosen, was started on demand"
fi
# A broken input-null beside a private copy of the launcher.
mkdir "$WORK/bin"
cp "$OB_BIN/outboard" "$OB_BIN/outboard-cpu" "$OB_BIN/outboard-fs-hostdir" \
	"$OB_BIN/outboard-rundir-watch" "$WORK/bin/"
printf '#!/bin/sh\necho "cannot start" >&2\nexit 1\n' >"$WORK/bin/outboard-input-null"
chmod +x "$WORK/bin/outboard-input-null"
status=0
timeout -k 5 60 "$WORK/bin/outboard" run -vv --display none --sound none "$wait_elf" timeout \
	</dev/null >"$WORK/broken_timeout.out" 2>"$WORK/broken_timeout.err" || status=$?
echo "$status" >"$WORK/broken_timeout.status"
expect_status broken_timeout 0
echo "wait: timeout ok" >"$WORK/expected"
expect_stdout broken_timeout "$WORK/expected"
[ "$(asked broken_timeout)" -eq 1 ] || { show broken_timeout; fail "the broken input-null was not asked for"; }
status=0
timeout -k 5 60 "$WORK/bin/outboard" run --display none --sound none "$wait_elf" forever \
	</dev/null >"$WORK/broken_forever.out" 2>"$WORK/broken_forever.err" || status=$?
echo "$status" >"$WORK/broken_forever.status"
expect_status broken_forever 124
expect_stderr_matches broken_forever 'input plugin input-null failed 5 times .*giving up' "the give-up"
expect_stderr_matches broken_forever 'deadlock' "the deadlock once nothing can wake the wait"
note "passed"
