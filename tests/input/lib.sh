# Helpers for the input tests (sourced after tests/guests/lib.sh, whose
# run_outboard, expect_* and show they use).

# input_config FILE BACKEND [SCRIPT]: a config with only the input domain
# (display and sound off, so that nothing else can send events or keep a
# waiting guest alive). BACKEND: script (with SCRIPT), null or none.
input_config() {
	{
		printf '[display]\nbackend = none\n[sound]\nbackend = none\n'
		printf '[input]\nbackend = %s\n' "$2"
		if [ $# -ge 3 ]; then
			printf 'script = %s\n' "$3"
		fi
	} >"$1"
}

# expect_no_deadlock TAG: the host did not report a deadlock.
expect_no_deadlock() {
	if grep -qi 'deadlock' "$WORK/$1.err"; then
		show "$1"
		fail "$1: the host reported a deadlock"
	fi
}
