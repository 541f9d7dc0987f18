#!/bin/bash
# A plugin's stderr reaches the launcher's stderr line by line, prefixed
# with "[<backend>] "; the plugin's options come from a config file section
# (--greeting TEXT makes test-echo print TEXT at start).
source "$(dirname "$0")/lib.sh" "$@"

cat >"$T/outboard.ini" <<INI
; the fs domain served by the test plugin
[fs]
backend = $ECHO
greeting = hello from the config file

[run]
log_level = warn
INI
run_ob run --config "$T/outboard.ini" --cpu "$FAKE" echo-read 1
assert_rc 0
assert_grep "$T/err" '^\[test-echo\] hello from the config file$'
# The host's own output is not prefixed.
[ "$(cat "$T/out")" = "read 01 02 03 04" ] || fail "stdout is not exactly 'read 01 02 03 04'"

# The command line chooses the same backend: the section's options stay.
run_ob run --config "$T/outboard.ini" --cpu "$FAKE" --plugin fs="$ECHO" exit 0
assert_rc 0
assert_grep "$T/err" '^\[test-echo\] hello from the config file$'

# A flag: fail_init = true becomes a bare --fail-init; test-echo then exits
# 1 before it answers Hello.
cat >"$T/flag.ini" <<INI
[fs]
backend = $ECHO
greeting = about to fail
fail_init = true
INI
run_ob run --config "$T/flag.ini" --cpu "$FAKE" exit 0
assert_rc 125
assert_grep "$T/err" '^\[test-echo\] about to fail$'
assert_grep "$T/err" 'fs plugin test-echo exited with status 1 before answering Hello'

# false leaves the flag out.
sed -i 's/fail_init = true/fail_init = false/' "$T/flag.ini"
run_ob run --config "$T/flag.ini" --cpu "$FAKE" exit 0
assert_rc 0
# A directory as the config file: exit 125 and a message, nothing started.
mkdir "$T/conf.d"
run_ob run --config "$T/conf.d" --cpu "$FAKE" exit 0
assert_rc 125
assert_grep "$T/err" "$T/conf.d: is a directory, not a config file"
# A NUL byte on line 1 is reported on line 1.
printf '[fs]\0\nbackend = test-echo\n' >"$T/nul.ini"
run_ob run --config "$T/nul.ini" --cpu "$FAKE" exit 0
assert_rc 125
assert_grep "$T/err" "$T/nul.ini:1: NUL byte"
# An unknown key in a plugin section is the file's error, named with its
# line by the launcher (from the backend's --describe-options), and never
# reaches the plugin; known keys and the SDK's own (key, no_seccomp) pass.
cat >"$T/bogus.ini" <<INI
[fs]
backend = $ECHO
greeting = still here
bogus_thing = 1
INI
run_ob run --config "$T/bogus.ini" --cpu "$FAKE" exit 0
assert_rc 125
assert_grep "$T/err" "^outboard: .*$T/bogus.ini:4: \[fs\] unknown option 'bogus-thing' for test-echo \(it takes: greeting, fail-init, domains, key, insecure, no-seccomp\)\$"
assert_no_grep "$T/err" "still here|unknown option '--bogus"
sed -i 's/^bogus_thing = 1$/no_seccomp = true/' "$T/bogus.ini"
run_ob run --config "$T/bogus.ini" --cpu "$FAKE" exit 0
assert_rc 0
assert_grep "$T/err" '^\[test-echo\] still here$'
echo PASS
