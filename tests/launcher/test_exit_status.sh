#!/bin/bash
# The exit status of outboard run is the CPU host's (the guest's); a host
# killed by signal N gives 128+N.
source "$(dirname "$0")/lib.sh" "$@"

for status in 0 3 42 255; do
	run_ob run --cpu "$FAKE" --plugin fs="$ECHO" exit "$status"
	assert_rc "$status"
done

# The host killed by SIGSEGV (11) and SIGKILL (9). A crash signal is the
# emulator's failure and is said so; a SIGKILL may be the launcher's own.
run_ob run --cpu "$FAKE" --plugin fs="$ECHO" raise 11
assert_rc 139
assert_grep "$T/err" "the CPU host killed by SIGSEGV: an emulator failure, not the guest's"
run_ob run --cpu "$FAKE" --plugin fs="$ECHO" raise 9
assert_rc 137
assert_no_grep "$T/err" "emulator failure"
# A guest's SIGSEGV: the host reports it and exits with 139 itself. That
# is the guest's failure, not the emulator's.
run_ob run --cpu "$FAKE" --plugin fs="$ECHO" exit 139
assert_rc 139
assert_no_grep "$T/err" "emulator failure"
echo PASS
