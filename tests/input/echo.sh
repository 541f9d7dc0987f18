#!/bin/sh
# input_echo: a script with every event kind and several spellings of keys
# and times reaches the guest through `outboard run` exactly as scripted:
# same order, kinds, keys, coordinates and time_ms (the script's own
# timestamps), then the queue's figures. The guest checks that no event
# arrived before its time on the guest's monotonic clock (a FAIL line
# otherwise). The same again with the --input script:FILE shorthand.
. "$(dirname "$0")/../guests/lib.sh"
. "$TEST_DIR/lib.sh"

elf=$(guest_path input_echo)
input_config "$WORK/cfg.ini" script "$TEST_DIR/echo.keys"
run_outboard echo --config "$WORK/cfg.ini" "$elf"
expect_no_fail_lines echo
expect_status echo 0
expect_stdout echo "$TEST_DIR/echo.expected"

run_outboard short --display none --sound none --input "script:$TEST_DIR/echo.keys" "$elf"
expect_no_fail_lines short
expect_status short 0
expect_stdout short "$TEST_DIR/echo.expected"
note "passed"
