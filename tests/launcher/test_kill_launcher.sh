#!/bin/bash
# A SIGKILL of the launcher leaves no child alive: plugins and the CPU host
# die with it (PR_SET_PDEATHSIG), and its runtime directory goes too (its
# watcher removes it): the watcher spawned from outboard-rundir-watch
# beside the launcher or in PATH, and the one the launcher forks when there
# is none. The watcher itself refuses to run on anything but a launcher's
# directory and a pipe.
source "$(dirname "$0")/lib.sh" "$@"

# kill_run KIND: start a run, wait for its watcher of KIND (spawned or
# forked), SIGKILL the launcher, expect every child and the runtime
# directory gone.
kill_run() {
	local kind=$1
	start_ob run --cpu "$FAKE" --plugin fs="$ECHO" print-pid sleep 30000
	wait_until 10000 has_lines "$T/out" 1 || fail "the fake host never started"
	kids=$(children_of "$LAUNCHER")
	[ "$(echo "$kids" | wc -w)" -eq 2 ] || fail "expected 2 children (plugin, host), got: $kids"
	host=$(awk '/^pid/ {print $2}' "$T/out")
	echo "$kids" | grep -qx "$host" || fail "the host ($host) is not among the children: $kids"
	for k in $kids; do
		alive "$k" || fail "child $k is not running before the kill"
	done
	[ -n "$(ls -A "$XDG_RUNTIME_DIR")" ] || fail "no runtime directory while the run lasts"
	# The watcher starts just after the host's READY: wait for it, spawned
	# (the launcher's child) or forked (a copy of the launcher leading a
	# session of its own).
	watcher_running() {
		ps -eo pid=,ppid=,sid=,comm=,args= | awk -v l="$LAUNCHER" -v ob="$OB" -v k="$kind" \
			'k == "spawned" && $4 == "outboard-rundir" && $2 == l { f = 1 }
			 k == "forked" && $1 == $3 && $1 != l && $5 == ob { f = 1 }
			 END { exit !f }'
	}
	wait_until 2000 watcher_running || fail "no $kind watcher of the runtime directory"

	kill -9 "$LAUNCHER"
	none_alive() {
		for k in $kids; do
			alive "$k" && return 1
		done
		return 0
	}
	wait_until 1000 none_alive || fail "children still alive 1 s after SIGKILL of the launcher: $kids"
	rundir_gone() { [ -z "$(ls -A "$XDG_RUNTIME_DIR")" ]; }
	wait_until 2000 rundir_gone ||
		fail "the runtime directory outlived the launcher: $(ls -AR "$XDG_RUNTIME_DIR")"
}

# 1. The spawned watcher: the launcher's child, in a session of its own.
kill_run spawned
# 2. The same found in PATH.
mkdir "$T/pathbin"
mv "$T/bin/outboard-rundir-watch" "$T/pathbin/"
PATH=$T/pathbin:$PATH kill_run spawned
# 3. The forked one.
rm "$T/pathbin/outboard-rundir-watch"
kill_run forked

# 3. The watcher refuses a directory not named as a launcher's, and fd 3
#    not a pipe, and touches nothing.
mkdir "$T/keep" && : >"$T/keep/file"
rc=0
"$OB_BIN/outboard-rundir-watch" "$T/keep" 3</dev/null 2>"$T/err" || rc=$?
[ $rc -eq 2 ] || fail "outboard-rundir-watch on $T/keep: status $rc, not 2"
grep -q usage "$T/err" || fail "outboard-rundir-watch printed no usage"
mkdir "$T/outboard-x" && : >"$T/outboard-x/file"
rc=0
"$OB_BIN/outboard-rundir-watch" "$T/outboard-x" 3</dev/null 2>"$T/err" || rc=$?
[ $rc -eq 2 ] || fail "outboard-rundir-watch with no pipe on fd 3: status $rc, not 2"
[ -e "$T/keep/file" ] && [ -e "$T/outboard-x/file" ] || fail "a refused watcher removed files"
echo PASS
