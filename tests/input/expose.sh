#!/bin/sh
# input_expose: the display's expose event carries the program's monotonic
# clock (ms since it started) when the host received it, not the machine's
# uptime: input_expose presents a frame, takes the expose that follows and
# checks its time against its own clock. With display-null and display-png.
. "$(dirname "$0")/../guests/lib.sh"
. "$TEST_DIR/lib.sh"

elf=$(guest_path input_expose)
for display in null png; do
	run_outboard "$display" --out "$WORK/out" --display "$display" --sound none \
		--input none "$elf"
	expect_no_fail_lines "$display"
	expect_status "$display" 0
	grep -Eq '^expose time_ms=[0-9]+ now_ms=[0-9]+$' "$WORK/$display.out" ||
		{ show "$display"; fail "$display: no expose line"; }
done
note "passed"
