#!/bin/bash
# SIGTERM and SIGINT to the launcher are forwarded to the CPU host; the host
# ends, the launcher stops the plugins and exits promptly with the host's
# status, and no child remains. A second signal kills everything.
source "$(dirname "$0")/lib.sh" "$@"

# check_stop SIGNAL STATUS [HOST COMMANDS...]: start a run whose host
# sleeps 60 s, send SIGNAL once (twice when the host ignores it), and
# expect STATUS with every child gone.
check_stop() {
	local sig=$1 want=$2 twice=$3
	shift 3
	# "$@" (ignore-term) runs before print-pid, which the test waits for.
	start_ob run --cpu "$FAKE" --plugin fs="$ECHO" "$@" print-pid sleep 60000
	wait_until 10000 has_lines "$T/out" 1 || fail "the fake host never started"
	local kids
	kids=$(children_of "$LAUNCHER")
	[ "$(echo "$kids" | wc -w)" -eq 2 ] || fail "expected 2 children, got: $kids"
	kill -"$sig" "$LAUNCHER"
	if [ "$twice" = yes ]; then
		# The host ignores the first one; the launcher must still run.
		sleep 0.3
		alive "$LAUNCHER" || fail "the launcher ended on the first $sig"
		kill -"$sig" "$LAUNCHER"
	fi
	# Bounded wait: the host would sleep 60 s if the signal were lost.
	wait_exit "$LAUNCHER" 10000
	assert_rc "$want"
	for k in $kids; do
		alive "$k" && fail "child $k survived $sig of the launcher"
	done
	return 0
}

# The host dies of the forwarded SIGTERM: 128 + 15.
check_stop TERM 143 no
check_stop INT 130 no
# A host that ignores SIGTERM: the second SIGTERM kills everything.
check_stop TERM 143 yes ignore-term
assert_grep "$T/err" 'second SIGTERM: killing everything'
echo PASS
