#!/bin/sh
# input_null: with outboard-input-null serving the input domain, a guest's
# input_wait with a timeout ends in -ETIMEDOUT, input_wait(0) in -EAGAIN,
# input_poll finds nothing and the queue's figures stay zero.
. "$(dirname "$0")/../guests/lib.sh"
. "$TEST_DIR/lib.sh"

elf=$(guest_path input_wait)
input_config "$WORK/cfg.ini" null
run_outboard run --config "$WORK/cfg.ini" "$elf" timeout
echo "wait: timeout ok" >"$WORK/expected"
expect_no_fail_lines run
expect_status run 0
expect_stdout run "$WORK/expected"
note "passed"
