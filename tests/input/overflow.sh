#!/bin/sh
# input_overflow: 300 pointer moves and a QUIT (301 events) arrive while
# the guest reads none. The host's queue (capacity 256) drops the oldest:
# the guest sees exactly 45 dropped, reads 256 events that are moves
# 45..299 in order followed by the QUIT, and the figures after agree.
. "$(dirname "$0")/../guests/lib.sh"
. "$TEST_DIR/lib.sh"

elf=$(guest_path input_overflow)
i=0
while [ $i -lt 300 ]; do
	echo "+0ms pointer move $i $((2 * i))"
	i=$((i + 1))
done >"$WORK/moves.keys"
echo "+0ms quit" >>"$WORK/moves.keys"
input_config "$WORK/cfg.ini" script "$WORK/moves.keys"
run_outboard run --config "$WORK/cfg.ini" "$elf" 300
cat >"$WORK/expected" <<'END'
overflow: sent 301, capacity 256, dropped 45, read 256: moves 45..299 then quit
stats: queued=0 capacity=256 delivered=256 dropped=45
END
expect_no_fail_lines run
expect_status run 0
expect_stdout run "$WORK/expected"
note "passed"
