#!/bin/bash
# Messages a user reads: one plugin error is one line under the relay's
# prefix ("[fs-hostdir] error: ..."), not the program, level and category
# again, and not followed by the SDK's "init failed" for the same error;
# a guest file that cannot be read says why.
source "$(dirname "$0")/lib.sh" "$@"
cp "$OB_BIN/outboard-cpu" "$OB_BIN/outboard-fs-hostdir" "$T/bin/"

run_ob run --fs "$T/nowhere" --display none --sound none --input none "$OB_EXAMPLES/hello.elf"
assert_rc 125
assert_grep "$T/err" "^\[fs-hostdir\] error: cannot open root directory $T/nowhere: No such file or directory\$"
assert_no_grep "$T/err" 'outboard-fs-hostdir:|\[error\] fs-hostdir:|init failed'
[ "$(grep -c '^\[fs-hostdir\]' "$T/err")" -eq 1 ] || fail "more than one line from fs-hostdir"

mkdir "$T/adir"
run_ob run --display none --sound none --input none "$T/adir"
assert_rc 125
assert_grep "$T/err" "cannot read $T/adir: Is a directory\$"
# A remote plugin on a closed port: refused at once, not after a Hello
# timeout (the timeout here is long, so only the refusal can end it);
# messages name the domain and the URL once.
"$OB_BIN/outboard-keygen" "$T/key" >/dev/null
run_ob run --plugin-timeout 25000 --plugin fs=tcp://127.0.0.1:1 --key "$T/key" \
	--display none --sound none --input none "$OB_EXAMPLES/hello.elf"
assert_rc 125
assert_grep "$T/err" '^outboard: \[error\] launcher: fs plugin at tcp://127.0.0.1:1 cannot be reached: Connection refused$'
run_ob run --plugin fs=tcp://127.0.0.1:1 --display none --sound none --input none \
	"$OB_EXAMPLES/hello.elf"
assert_rc 125
assert_grep "$T/err" '^outboard: the fs plugin at tcp://127.0.0.1:1 is remote: it needs the shared key'

# Nothing is made that nobody asked for (docs/launcher.md): with every
# default backend, a program that neither draws nor plays leaves the
# current directory (also the guest's fs root) as empty as it was.
cp "$OB_BIN/outboard-display-png" "$OB_BIN/outboard-sound-wav" "$OB_BIN/outboard-input-null" \
	"$T/bin/"
mkdir "$T/empty"
cd "$T/empty"
run_ob run "$OB_EXAMPLES/hello.elf"
assert_rc 0
[ -z "$(ls -A "$T/empty")" ] || fail "the run left $(ls -A "$T/empty") in an empty directory"
# ... and a program that plays gets its WAV file, directory made with it.
run_ob run "$OB_EXAMPLES/sound_beeps.elf"
assert_rc 0
[ -s "$T/empty/outboard-out/sound.wav" ] || fail "no outboard-out/sound.wav for a program that plays"
[ ! -e "$T/empty/outboard-out/frames" ] || fail "a frames directory though nothing was drawn"
echo "ok"
