#!/bin/bash
# outboard run with the test plugin as fs: the fake host's fs_read reaches
# outboard-test-echo through the launcher's endpoints, the host's stdout is
# the launcher's stdout (unprefixed), and the run ends with status 0.
source "$(dirname "$0")/lib.sh" "$@"

run_ob run --cpu "$FAKE" --plugin fs="$ECHO" echo-read 7
assert_rc 0
# byte i of fs_read(fd, n) is fd + i
[ "$(cat "$T/out")" = "read 07 08 09 0a" ] || fail "stdout is not exactly 'read 07 08 09 0a'"

# Two reads in one run, another fd: the connection stays usable.
run_ob run --cpu "$FAKE" --plugin fs="$ECHO" echo-read 254 echo-read 0
assert_rc 0
[ "$(cat "$T/out")" = "$(printf 'read fe ff 00 01\nread 00 01 02 03')" ] ||
	fail "two reads did not give fe ff 00 01 then 00 01 02 03"
# The launcher said nothing about failures.
assert_no_grep "$T/err" '^outboard: \[error\]'
echo PASS
