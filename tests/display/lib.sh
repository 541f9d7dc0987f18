# Helpers for the display tests (sourced by sh scripts).
#
# Environment (set by ob_integration_test): OB_BIN, OB_EXAMPLES, OB_SRC,
# OB_BUILD. The first argument of every script is the ob-png-compare tool.
# Every test works in its own temporary directory, removed on exit.

set -eu

TEST_NAME=${TEST_NAME:-$(basename "$0" .sh)}
GOLDEN="$OB_SRC/tests/display/golden"

fail() {
	echo "FAIL $TEST_NAME: $*" >&2
	exit 1
}

note() {
	echo "$TEST_NAME: $*"
}

WORK=$(mktemp -d "${TMPDIR:-/tmp}/ob-display-test.XXXXXX")
trap 'chmod -R u+w "$WORK" 2>/dev/null; rm -rf "$WORK"' EXIT INT TERM
cd "$WORK"

# guest_path NAME: the built guest program NAME.elf.
guest_path() {
	p="$OB_EXAMPLES/$1.elf"
	[ -f "$p" ] || fail "guest program $p is missing (is OUTBOARD_GUESTS on?)"
	echo "$p"
}

# display_config FILE BACKEND [KEY=VALUE...]: an INI file with a [display]
# section for BACKEND and the given plugin options.
display_config() {
	cfg=$1
	backend=$2
	shift 2
	printf '[display]\nbackend = %s\n' "$backend" >"$cfg"
	for kv in "$@"; do
		printf '%s = %s\n' "${kv%%=*}" "${kv#*=}" >>"$cfg"
	done
}

# run_guest TAG CONFIG PROGRAM [ARGS...]: `outboard run --config CONFIG`
# with stdin from /dev/null; output and status in $WORK/TAG.{out,err,status}.
# A run over 60 s is killed (status 124).
run_guest() {
	tag=$1
	cfg=$2
	shift 2
	status=0
	timeout -k 5 60 "$OB_BIN/outboard" run --config "$cfg" "$@" </dev/null \
		>"$WORK/$tag.out" 2>"$WORK/$tag.err" || status=$?
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
	got=$(cat "$WORK/$1.status")
	if [ "$got" != "$2" ]; then
		show "$1"
		fail "$1: exit status $got, expected $2"
	fi
}

# expect_grep TAG out|err ERE WHAT
expect_grep() {
	if ! grep -Eq -- "$3" "$WORK/$1.$2"; then
		show "$1"
		fail "$1: std$2 does not show $4 (/$3/)"
	fi
}

# same_png EXPECTED ACTUAL: ob-png-compare says they are the same pixels.
same_png() {
	if ! "$PNG_COMPARE" "$1" "$2"; then
		fail "$2 differs from $1"
	fi
}

# list_pngs DIR: the PNG file names in DIR, sorted, one a line.
list_pngs() {
	(cd "$1" && ls -1 | grep '\.png$' | sort) || true
}
