# Helpers for the CPU host's integration tests (sourced after lib.sh's
# setup: tests/guests/lib.sh gives run_outboard, expect_*, fail, $WORK).

. "$(dirname "$0")/../guests/lib.sh"

# wait_until SECONDS CMD...: runs CMD every 50 ms until it succeeds (0) or
# SECONDS pass (1).
wait_until() {
	local left=$(($1 * 20))
	shift
	while ! "$@"; do
		left=$((left - 1))
		[ "$left" -gt 0 ] || return 1
		sleep 0.05
	done
	return 0
}

# A test with a launcher in the background sets $launcher (and $plugin
# once it has stopped one with SIGSTOP), and `trap cleanup_background EXIT
# INT TERM`: at the end the plugin is continued, the launcher killed and
# $WORK removed.
launcher=
plugin=
cleanup_background() {
	[ -z "$plugin" ] || kill -CONT "$plugin" 2>/dev/null || true
	[ -z "$launcher" ] || kill -KILL "$launcher" 2>/dev/null || true
	rm -rf "$WORK"
}

# pid_gone PID: the process has ended (no longer there, or an exited and
# not yet reaped child: state Z). pid_alive PID: the opposite. For
# wait_until, whose command runs in this shell.
pid_gone() {
	[ ! -e "/proc/$1" ] || grep -q '^[0-9]* ([^)]*) Z' "/proc/$1/stat"
}
pid_alive() {
	! pid_gone "$1"
}

# child_running PID EXE: the pid of PID's child process that runs the
# executable named EXE (its /proc/<pid>/exe), or nothing. Matching on the
# executable, not on the 15-character process name, and only among PID's
# children: never a name-wide match.
child_running() {
	local c
	for c in $(pgrep -P "$1"); do
		if [ "$(basename "$(readlink "/proc/$c/exe" 2>/dev/null)")" = "$2" ]; then
			echo "$c"
			return 0
		fi
	done
	return 0
}

# expect_line TAG FILE ERE WHAT: FILE (out or err of run TAG) has a line
# matching the extended regex; otherwise a failure is counted and shown.
CHECK_FAILURES=0
expect_line() {
	if ! grep -Eq -- "$3" "$WORK/$1.$2"; then
		echo "FAIL $TEST_NAME: $1.$2 has no line for $4 (/$3/)" >&2
		CHECK_FAILURES=$((CHECK_FAILURES + 1))
	fi
}

# no_line TAG FILE ERE WHAT: no line of FILE matches.
no_line() {
	if grep -Eq -- "$3" "$WORK/$1.$2"; then
		echo "FAIL $TEST_NAME: $1.$2 has a line for $4 (/$3/):" >&2
		grep -E -- "$3" "$WORK/$1.$2" | head -5 >&2
		CHECK_FAILURES=$((CHECK_FAILURES + 1))
	fi
}

# checks_passed TAG...: ends the test (showing the runs TAG...) if any
# expect_line or no_line check failed.
checks_passed() {
	if [ "$CHECK_FAILURES" -ne 0 ]; then
		for tag in "$@"; do
			show "$tag"
		done
		fail "$CHECK_FAILURES check(s) failed"
	fi
}
