#!/bin/sh
# The default input, input-null, starts on demand (docs/launcher.md,
# "Plugins started on demand"):
#   - a program that never asks for input starts no input plugin;
#   - input_wait with a timeout starts it, exactly once, and ends in
#     -ETIMEDOUT as with input-null chosen (input_null);
#   - input_poll alone does not start it (input-null would have queued
#     nothing), and finds nothing;
#   - input-null named by the user starts with the run, as before.
# (A wait forever on it: input_wait_forever.)
. "$(dirname "$0")/../guests/lib.sh"
. "$TEST_DIR/lib.sh"

wait_elf=$(guest_path input_wait)

# started TAG: how many times input-null started in run TAG (-v).
started() {
	grep -c '^\[input-null\] info: plugin-sdk: input-null .* serving on' "$WORK/$1.err" || true
}

run_outboard quiet -v --display none --sound none "$(guest_path hello)"
expect_status quiet 0
[ "$(started quiet)" -eq 0 ] || { show quiet; fail "hello.elf, which reads no input, started input-null"; }
if grep -q 'input: plugin' "$WORK/quiet.err"; then
	show quiet
	fail "the host connected an input plugin for a program that reads no input"
fi

run_outboard timeout -v --display none --sound none "$wait_elf" timeout
expect_status timeout 0
echo "wait: timeout ok" >"$WORK/expected"
expect_stdout timeout "$WORK/expected"
expect_stderr_matches timeout 'input: plugin input-null started on demand' "input-null's start on demand"
[ "$(started timeout)" -eq 1 ] || { show timeout; fail "input-null did not start exactly once"; }

run_outboard poll -v --display none --sound none "$wait_elf" poll
expect_status poll 0
echo "wait: poll found nothing" >"$WORK/expected"
expect_stdout poll "$WORK/expected"
[ "$(started poll)" -eq 0 ] || { show poll; fail "input_poll started input-null"; }

run_outboard chosen -v --display none --sound none --input null "$(guest_path hello)"
expect_status chosen 0
[ "$(started chosen)" -eq 1 ] || { show chosen; fail "input-null, chosen, did not start with the run"; }
if grep -q 'started on demand' "$WORK/chosen.err"; then
	show chosen
	fail "input-null, chosen, was started on demand"
fi
note "passed"
