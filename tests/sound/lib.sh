# Shared helpers for the sound tests (sourced by sh).
#
# Environment (set by ob_integration_test): OB_BIN, OB_EXAMPLES. WAV_CHECK
# is the ob-wav-check tool (first argument of every script). Every test
# works in its own temporary directory, removed on exit.

set -eu

TEST_NAME=${TEST_NAME:-$(basename "$0" .sh)}
WAV_CHECK=$1
shift

fail() {
	echo "FAIL $TEST_NAME: $*" >&2
	exit 1
}

note() {
	echo "$TEST_NAME: $*"
}

WORK=$(mktemp -d "${TMPDIR:-/tmp}/ob-sound-test.XXXXXX")
trap 'rm -rf "$WORK"' EXIT INT TERM
cd "$WORK"

# guest NAME: the path of the built guest NAME.elf.
guest() {
	[ -f "$OB_EXAMPLES/$1.elf" ] || fail "guest program $OB_EXAMPLES/$1.elf is missing"
	echo "$OB_EXAMPLES/$1.elf"
}

# config FILE BACKEND [KEY=VALUE...]: a run config with only this sound
# backend (display and input off, so that nothing else writes files).
config() {
	local file=$1 backend=$2
	shift 2
	{
		echo "[display]"
		echo "backend = none"
		echo "[input]"
		echo "backend = none"
		echo "[sound]"
		echo "backend = $backend"
		for kv in "$@"; do
			echo "${kv%%=*} = ${kv#*=}"
		done
	} >"$file"
}

# run TAG [outboard run options...] PROGRAM: `outboard run`, at most 60 s;
# stdout, stderr and the status go to TAG.out, TAG.err, TAG.status.
run() {
	local tag=$1 status=0
	shift
	timeout -k 5 60 "$OB_BIN/outboard" run "$@" </dev/null >"$WORK/$tag.out" \
		2>"$WORK/$tag.err" || status=$?
	echo "$status" >"$WORK/$tag.status"
}

show() {
	echo "--- stdout ($1)" >&2
	cat "$WORK/$1.out" >&2 || true
	echo "--- stderr ($1)" >&2
	cat "$WORK/$1.err" >&2 || true
	echo "--- status ($1): $(cat "$WORK/$1.status" 2>/dev/null)" >&2
}

expect_status() {
	local got
	got=$(cat "$WORK/$1.status")
	if [ "$got" != "$2" ]; then
		show "$1"
		fail "$1: exit status $got, expected $2"
	fi
}

# expect_stdout_has TAG ERE: a stdout line matches.
expect_stdout_has() {
	if ! grep -Eq -- "$2" "$WORK/$1.out"; then
		show "$1"
		fail "$1: no stdout line matches /$2/"
	fi
}

# expect_stderr_has TAG ERE WHAT
expect_stderr_has() {
	if ! grep -Eq -- "$2" "$WORK/$1.err"; then
		show "$1"
		fail "$1: stderr does not mention $3 (/$2/)"
	fi
}

expect_no_fail_lines() {
	if grep -q '^FAIL' "$WORK/$1.out"; then
		show "$1"
		fail "$1: the guest reported failed checks"
	fi
}

# value TAG KEY: N from a stdout line "...KEY=N...".
value() {
	sed -n "s/.*[ :]$2=\([0-9][0-9]*\).*/\1/p" "$WORK/$1.out" | head -n 1
}

# wav_check FILE ARGS...: ob-wav-check must pass.
wav_check() {
	if ! "$WAV_CHECK" "$@" >"$WORK/wav_check.out" 2>&1; then
		cat "$WORK/wav_check.out" >&2
		fail "ob-wav-check $*"
	fi
	cat "$WORK/wav_check.out"
}
