# Shared helpers for the guest tests (sourced; needs bash or dash with `local`).
#
# Environment (set by ob_integration_test): OB_BIN, OB_EXAMPLES, OB_SRC,
# OB_BUILD. Every test works in its own temporary directory, removed on exit.

set -eu

TEST_NAME=${TEST_NAME:-$(basename "$0" .sh)}
# This folder (the scripts cd to their work directory).
TEST_DIR=$(cd "$(dirname "$0")" && pwd)

fail() {
	echo "FAIL $TEST_NAME: $*" >&2
	exit 1
}

note() {
	echo "$TEST_NAME: $*"
}

# A fresh temporary directory in $WORK, removed when the script exits.
WORK=$(mktemp -d "${TMPDIR:-/tmp}/ob-guest-test.XXXXXX")
trap 'rm -rf "$WORK"' EXIT INT TERM
cd "$WORK"

# guest_path NAME: the built guest program NAME.elf; fails if it is missing.
guest_path() {
	local p="$OB_EXAMPLES/$1.elf"
	[ -f "$p" ] || fail "guest program $p is missing (is OUTBOARD_GUESTS on and the build done?)"
	echo "$p"
}

# run_outboard TAG [outboard run options...] PROGRAM [ARGS...]
# Runs `outboard run` with stdin from /dev/null; stdout, stderr and the exit
# status go to $WORK/TAG.out, $WORK/TAG.err and $WORK/TAG.status.
# A run that takes over 60 s is killed (status 124 from timeout).
run_outboard() {
	local tag=$1
	shift
	local status=0
	timeout -k 5 60 "$OB_BIN/outboard" run "$@" </dev/null >"$WORK/$tag.out" \
		2>"$WORK/$tag.err" || status=$?
	echo "$status" >"$WORK/$tag.status"
}

# show TAG: prints a run's captured output, for failure messages.
show() {
	echo "--- stdout ($1)" >&2
	cat "$WORK/$1.out" >&2 || true
	echo "--- stderr ($1)" >&2
	cat "$WORK/$1.err" >&2 || true
	echo "--- status ($1): $(cat "$WORK/$1.status" 2>/dev/null)" >&2
}

# expect_status TAG N
expect_status() {
	local got
	got=$(cat "$WORK/$1.status")
	if [ "$got" != "$2" ]; then
		show "$1"
		fail "$1: exit status $got, expected $2"
	fi
}

# expect_stdout TAG FILE: the run's stdout must equal FILE byte for byte.
expect_stdout() {
	if ! cmp -s "$WORK/$1.out" "$2"; then
		show "$1"
		echo "--- expected stdout" >&2
		cat "$2" >&2
		diff "$2" "$WORK/$1.out" >&2 || true
		fail "$1: stdout differs from the expected output"
	fi
}

# expect_stderr_matches TAG ERE WHAT: stderr must match the extended regex.
expect_stderr_matches() {
	if ! grep -Eiq -- "$2" "$WORK/$1.err"; then
		show "$1"
		fail "$1: stderr does not mention $3 (/$2/)"
	fi
}

# expect_no_fail_lines TAG: a checking guest printed no FAIL line.
expect_no_fail_lines() {
	if grep -q '^FAIL' "$WORK/$1.out"; then
		show "$1"
		fail "$1: the guest reported failed checks"
	fi
}
