#!/bin/bash
# outboard plugins lists the backends beside the launcher, then those in
# PATH (the first of a name wins, as for --plugin NAME), as each describes
# itself, and names on stderr those that cannot. The test-only backends
# (outboard-test-*), outboard-cpu, outboard-keygen and outboard-rundir-watch
# are not listed.
source "$(dirname "$0")/lib.sh" "$@"

# The build's own bin/: a fresh build lists its backends and exits 0; the
# test-only test-echo, outboard-cpu and outboard-keygen are not listed.
# (Other backends may or may not be built; they are not required here.)
RC=0
"$OB_BIN/outboard" plugins >"$T/out" 2>"$T/err" || RC=$?
assert_rc 0
assert_grep "$T/out" '^BACKEND +VERSION +DOMAINS +PATH$'
assert_no_grep "$T/out" 'test-echo|outboard-cpu|outboard-keygen|rundir-watch'
[ ! -s "$T/err" ] || fail "a fresh build's plugins complained"
# The fs backends serve fs, when they are built.
for b in fs-hostdir fs-mem; do
	if [ -x "$OB_BIN/outboard-$b" ]; then
		assert_grep "$T/out" "^$b +[^ ]+ +fs +$OB_BIN/outboard-$b\$"
	fi
done

# The private directory with the copy of the launcher (lib.sh), test-echo
# (not listed under its own name, a test-only one) and broken executables.
cp "$ECHO" "$T/bin/"
printf '#!/bin/sh\necho "not a plugin" >&2\nexit 1\n' >"$T/bin/outboard-broken"
printf '#!/bin/sh\necho "I am a plugin, trust me"\n' >"$T/bin/outboard-liar"
printf '#!/bin/sh\necho "x 1 teleport"\n' >"$T/bin/outboard-baddomain"
printf '#!/bin/sh\nexec sleep 30\n' >"$T/bin/outboard-hang"
printf '#!/bin/sh\necho "cpu 1 fs"\n' >"$T/bin/outboard-cpu"
printf 'not executable\n' >"$T/bin/outboard-readme"
chmod +x "$T/bin/outboard-broken" "$T/bin/outboard-liar" "$T/bin/outboard-baddomain" \
	"$T/bin/outboard-hang" "$T/bin/outboard-cpu"
# A backend serving two domains lists both.
fake_backend display-twin display,input
RC=0
"$T/bin/outboard" plugins >"$T/out" 2>"$T/err" || RC=$?
assert_rc 1
assert_no_grep "$T/out" "outboard-test-echo"
assert_grep "$T/out" "^test-echo +1\.0 +display,input +$T/bin/outboard-display-twin\$"
[ "$(wc -l <"$T/out")" -eq 2 ] || fail "the table should hold the header and display-twin only"
assert_grep "$T/err" "$T/bin/outboard-broken: cannot describe itself: --describe exited with status 1"
assert_grep "$T/err" "$T/bin/outboard-liar: cannot describe itself: --describe printed 'I am a plugin, trust me'"
assert_grep "$T/err" "$T/bin/outboard-baddomain: cannot describe itself"
assert_grep "$T/err" "$T/bin/outboard-hang: cannot describe itself: did not answer --describe within"
# outboard-cpu is not a plugin, and a non-executable file is not a candidate.
assert_no_grep "$T/err" 'outboard-cpu|outboard-readme'
assert_no_grep "$T/out" 'outboard-cpu|outboard-readme'
# PATH is searched after the launcher's directory, as --plugin NAME does:
# a backend only in PATH is listed, one of the same name beside the
# launcher shadows PATH's, the launcher's directory named in PATH again is
# listed once, and an empty PATH entry is the current directory.
rm "$T/bin/outboard-broken" "$T/bin/outboard-liar" "$T/bin/outboard-baddomain" "$T/bin/outboard-hang"
mkdir "$T/path1" "$T/path2"
cp "$T/bin/outboard-display-twin" "$T/path1/outboard-input-faraway"
cp "$T/bin/outboard-display-twin" "$T/path1/outboard-display-twin"
cp "$T/bin/outboard-display-twin" "$T/work/outboard-fs-here"
cp "$ECHO" "$T/path2/outboard-test-other"
RC=0
PATH="$T/path1::$T/bin:$T/path2:/usr/bin:/bin" "$T/bin/outboard" plugins >"$T/out" 2>"$T/err" || RC=$?
assert_rc 0
assert_grep "$T/out" "^test-echo +1\.0 +display,input +$T/path1/outboard-input-faraway\$"
assert_grep "$T/out" "^test-echo +1\.0 +display,input +$T/bin/outboard-display-twin\$"
assert_grep "$T/out" "^test-echo +1\.0 +display,input +\./outboard-fs-here\$"
assert_no_grep "$T/out" "$T/path1/outboard-display-twin|outboard-test-"
[ "$(wc -l <"$T/out")" -eq 4 ] || fail "the table should hold the header and three backends"
# `plugins` takes no argument.
RC=0
"$T/bin/outboard" plugins extra >"$T/out" 2>"$T/err" || RC=$?
[ "$RC" -ne 0 ] || fail "outboard plugins extra succeeded"
assert_grep "$T/err" "unexpected argument 'extra'"

# The hanging one was killed.
! pgrep -f "$T/bin/outboard-hang" >/dev/null || fail "outboard-hang still runs"
echo PASS
