# Shared helpers for the launcher's integration tests (sourced).
# Usage in a test: source "$(dirname "$0")/lib.sh" "$@"
# $1 is the fake CPU host (tests/launcher/fake_host.c).
set -u

FAKE=${1:?usage: test.sh FAKE_HOST}
: "${OB_BIN:?OB_BIN is not set (run through ctest)}"
ECHO=$OB_BIN/outboard-test-echo
T=$(mktemp -d /tmp/obl-it-XXXXXX)
# Keep the runtime directories of this test apart from everyone else's.
mkdir -p "$T/xdg" && chmod 700 "$T/xdg"
export XDG_RUNTIME_DIR=$T/xdg
# The launcher looks for backends beside itself, then in PATH. A private
# copy of it, in a directory holding only what the test puts there, and a
# PATH without outboard backends keep the default backends (whether the
# build has them or not) out of tests that do not ask for them.
mkdir "$T/bin"
cp "$OB_BIN/outboard" "$OB_BIN/outboard-rundir-watch" "$T/bin/"
OB=$T/bin/outboard
export PATH=/usr/bin:/bin
# Runs start here: the default output directory would be made here.
mkdir "$T/work"
cd "$T/work" || exit 1
BG_PIDS=()

cleanup() {
	for p in "${BG_PIDS[@]}"; do
		kill -9 "$p" 2>/dev/null
	done
	rm -rf "$T"
}
trap cleanup EXIT

fail() {
	echo "FAIL: $*" >&2
	for f in "$T"/out "$T"/err; do
		[ -f "$f" ] && { echo "--- $f" >&2; cat "$f" >&2; }
	done
	exit 1
}

# run_ob ARGS...: outboard with stdout in $T/out, stderr in $T/err, the
# exit status in $RC. Bounded: a hang fails the test instead of ctest's
# timeout.
run_ob() {
	RC=0
	# timeout exits 124 when it had to stop outboard (SIGTERM, then SIGKILL).
	timeout -k 5 30 "$OB" "$@" >"$T/out" 2>"$T/err" || RC=$?
	[ "$RC" -ne 124 ] || fail "outboard $* hung (stopped after 30 s)"
}

assert_rc() {
	[ "$RC" -eq "$1" ] || fail "exit status $RC, expected $1"
}

# assert_grep FILE REGEX: FILE has a line matching REGEX (grep -E).
assert_grep() {
	grep -Eq -- "$2" "$1" || fail "$(basename "$1") has no line matching '$2'"
}

assert_no_grep() {
	! grep -Eq -- "$2" "$1" || fail "$(basename "$1") has a line matching '$2'"
}

# fake_backend NAME DOMAINS: install $T/bin/outboard-NAME, which stands in
# for a backend: each start appends its arguments to $T/args.NAME (a
# --describe to $T/describe.NAME), then it runs outboard-test-echo serving
# DOMAINS with only --listen, --log-level and --describe passed on (options
# meant for the real backend, and their values, are dropped).
fake_backend() {
	local exe=$T/bin/outboard-$1
	cat >"$exe" <<SH
#!/bin/bash
case " \$* " in
# A stand-in cannot list the real backend's options: the launcher then
# passes the config file's options unchecked (the loop below drops them).
*" --describe-options "*) echo "\$*" >>"$T/describe-options.$1"; exit 1 ;;
*" --describe "*) echo "\$*" >>"$T/describe.$1" ;;
*) echo "\$*" >>"$T/args.$1" ;;
esac
keep=()
while [ \$# -gt 0 ]; do
	case \$1 in
	--listen|--log-level) keep+=("\$1" "\$2"); shift 2 ;;
	--describe) keep+=("\$1"); shift ;;
	--*) shift; [ \$# -gt 0 ] && [ "\${1#--}" = "\$1" ] && shift ;;
	*) shift ;;
	esac
done
exec "$ECHO" --domains $2 "\${keep[@]}"
SH
	chmod +x "$exe"
}

# started NAME: how many times the fake backend NAME was started.
started() {
	if [ -f "$T/args.$1" ]; then wc -l <"$T/args.$1"; else echo 0; fi
}

# host_args: the fake host's arguments (after print-args), on one line.
host_args() {
	sed -n 's/^arg: //p' "$T/out" | tr '\n' ' '
}

# A process exists and is not a zombie.
alive() {
	local state
	state=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) || return 1
	[ -n "$state" ] && [ "$state" != Z ]
}

# Direct children of a pid, but for the watcher of the runtime directory.
children_of() {
	local p
	for p in $(pgrep -P "$1" 2>/dev/null); do
		# Not the runtime directory's watcher (comm is cut at 15 bytes).
		[ "$(cat "/proc/$p/comm" 2>/dev/null)" = outboard-rundir ] || echo "$p"
	done
}

# wait_until MS CMD...: run CMD every 20 ms until it succeeds; fail after MS.
wait_until() {
	local ms=$1
	shift
	local waited=0
	until "$@"; do
		[ "$waited" -lt "$ms" ] || return 1
		sleep 0.02
		waited=$((waited + 20))
	done
}

# A file has at least N lines.
has_lines() {
	[ -f "$1" ] && [ "$(wc -l <"$1")" -ge "$2" ]
}

# A launcher in the background: stdout in $T/out, stderr in $T/err, its
# pid in $LAUNCHER.
start_ob() {
	# Truncate here: the background shell would do it only some time later,
	# and a poll of $T/out could still see the previous run's lines.
	: >"$T/out"
	: >"$T/err"
	"$OB" "$@" >>"$T/out" 2>>"$T/err" &
	LAUNCHER=$!
	BG_PIDS+=("$LAUNCHER")
}

# wait_exit PID MS: wait for a background child of this shell to exit; its
# status in $RC. Fails after MS.
wait_exit() {
	wait_until "$2" eval '! alive '"$1" || fail "process $1 still runs after $2 ms"
	RC=0
	wait "$1" || RC=$?
}
