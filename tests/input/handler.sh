#!/bin/sh
# input_handler MODE: upcalls interrupt a thread spinning in an assembly
# loop that checks r4-r12, lr, sp, the flags and its own progress on every
# iteration, while the upcalls clobber every register.
#   events  the input handler sees each of handler.keys' 21 events once, in
#           order, with its scripted fields; the queue reports all 21
#           delivered, none queued or dropped
#   timer   a 1 ms timer runs at least 50 times
#   both    both at once on the same thread
# In every mode the loop finds its registers, flags and progress intact.
. "$(dirname "$0")/../guests/lib.sh"
. "$TEST_DIR/lib.sh"

mode=$1
elf=$(guest_path input_handler)
input_config "$WORK/cfg.ini" script "$TEST_DIR/handler.keys"
: >"$WORK/expected"
case $mode in
events)
	run_outboard run --config "$WORK/cfg.ini" "$elf" events 21
	cat "$TEST_DIR/handler_events.expected" >>"$WORK/expected"
	;;
timer)
	run_outboard run --config "$WORK/cfg.ini" "$elf" timer 50
	echo "timer: at least 50 runs" >>"$WORK/expected"
	;;
both)
	run_outboard run --config "$WORK/cfg.ini" "$elf" both 21 50
	cat "$TEST_DIR/handler_events.expected" >>"$WORK/expected"
	echo "timer: at least 50 runs" >>"$WORK/expected"
	;;
*)
	fail "unknown mode $mode"
	;;
esac
echo "upcalls: registers, flags and progress intact" >>"$WORK/expected"
expect_no_fail_lines run
expect_status run 0
expect_stdout run "$WORK/expected"
note "passed ($mode)"
