#!/bin/bash
# A plugin that ends with a failure status after an orderly shutdown (a
# backend that could not finish its file; valgrind's --error-exitcode) is
# reported with a warning; the run's status stays the host's. A plugin that
# ends cleanly is not mentioned.
source "$(dirname "$0")/lib.sh" "$@"

# test-echo behind a shell that turns its end, however it comes, into
# status 3.
FAILS=$T/bin/outboard-fails-at-stop
cat >"$FAILS" <<SH
#!/bin/bash
trap 'kill -TERM \$child 2>/dev/null; wait \$child; exit 3' TERM INT
"$ECHO" "\$@" & child=\$!
wait \$child
wait \$child
exit 3
SH
chmod +x "$FAILS"

run_ob run --cpu "$FAKE" --plugin fs="$FAILS" exit 0
assert_rc 0
assert_grep "$T/err" '^outboard: \[warn\] launcher: fs plugin fails-at-stop exited with status 3 while shutting down$'

run_ob run --cpu "$FAKE" --plugin fs="$ECHO" exit 0
assert_rc 0
assert_no_grep "$T/err" 'while shutting down'
echo PASS
