#!/bin/bash
# outboard plugins lists the backends beside the launcher, as each
# describes itself, and names on stderr those that cannot.
source "$(dirname "$0")/lib.sh" "$@"

# The build's own bin/: test-echo serves fs. (Other backends may or may not
# be built; they are not required here.)
RC=0
"$OB_BIN/outboard" plugins >"$T/out" 2>"$T/err" || RC=$?
assert_grep "$T/out" '^BACKEND +VERSION +DOMAINS +PATH$'
assert_grep "$T/out" "^test-echo +1\.0 +fs +$OB_BIN/outboard-test-echo\$"
assert_no_grep "$T/out" 'outboard-cpu'
# The fs backends serve fs, when they are built.
for b in fs-hostdir fs-mem; do
	if [ -x "$OB_BIN/outboard-$b" ]; then
		assert_grep "$T/out" "^$b +[^ ]+ +fs +$OB_BIN/outboard-$b\$"
	fi
done

# The private directory with the copy of the launcher (lib.sh), test-echo
# and broken executables.
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
assert_grep "$T/out" "^test-echo +1\.0 +fs +$T/bin/outboard-test-echo\$"
assert_grep "$T/out" "^test-echo +1\.0 +display,input +$T/bin/outboard-display-twin\$"
[ "$(wc -l <"$T/out")" -eq 3 ] || fail "the table should hold the header and the two test-echos only"
assert_grep "$T/err" "$T/bin/outboard-broken: cannot describe itself: --describe exited with status 1"
assert_grep "$T/err" "$T/bin/outboard-liar: cannot describe itself: --describe printed 'I am a plugin, trust me'"
assert_grep "$T/err" "$T/bin/outboard-baddomain: cannot describe itself"
assert_grep "$T/err" "$T/bin/outboard-hang: cannot describe itself: did not answer --describe within"
# outboard-cpu is not a plugin, and a non-executable file is not a candidate.
assert_no_grep "$T/err" 'outboard-cpu|outboard-readme'
assert_no_grep "$T/out" 'outboard-cpu|outboard-readme'
# The hanging one was killed.
! pgrep -f "$T/bin/outboard-hang" >/dev/null || fail "outboard-hang still runs"
echo PASS
