#!/bin/bash
# record_replay: outboard run --record FILE, then --replay FILE with no
# plugin process, in an empty directory; bad recordings get clear errors.
. "$(dirname "$0")/../cpu/cpu_lib.sh"
PY=$1
FILES=$(guest_path files)
NO_DEVICES="--display none --sound none --input none"

mkdir "$WORK/root" "$WORK/empty"
run_outboard rec --fs "$WORK/root" $NO_DEVICES --record "$WORK/files.obr" "$FILES"
expect_status rec 0
expect_no_fail_lines rec
[ -s "$WORK/files.obr" ] || fail "--record wrote nothing"

# The replay: no plugin, nothing in its directory, the same output.
cd "$WORK/empty"
run_outboard replay --replay ../files.obr "$FILES"
cd "$WORK"
expect_status replay 0
expect_stdout replay "$WORK/rec.out"
[ -z "$(ls -A "$WORK/empty")" ] || fail "the replay created files: $(ls -A "$WORK/empty")"
no_line replay err 'outboard-fs' "a plugin started by a replay"

# Tampered: one path in a request changed. A divergence naming both
# messages, the thread and its pc; exit status 123.
"$PY" - "$WORK/files.obr" "$WORK/tampered.obr" <<'PY'
import sys
d = open(sys.argv[1], 'rb').read()
i = d.find(b'/files.dir/b.txt')
assert i > 0, "no b.txt request in the recording"
open(sys.argv[2], 'wb').write(d[:i + 11] + b'x' + d[i + 12:])
PY
cd "$WORK/empty"
run_outboard tampered --replay ../tampered.obr "$FILES"
cd "$WORK"
expect_status tampered 123
expect_line tampered err 'replay diverged: thread 1 made another request \(first difference: fs_open\.path\)' "the divergence"
expect_line tampered err 'thread 1, pc 0x[0-9a-f]{8}' "the thread and its pc"
expect_line tampered err 'recorded \(byte [0-9]+, fs, pc 0x[0-9a-f]{8}\):.*path: "/files.dir/x.txt"' "the recorded request"
expect_line tampered err 'actual +\(fs\):.*path: "/files.dir/b.txt"' "the request made"

# Truncated in the middle of a record, garbage, empty: clear errors (125).
size=$(stat -c %s "$WORK/files.obr")
head -c $((size / 2)) "$WORK/files.obr" >"$WORK/truncated.obr"
run_outboard truncated --replay "$WORK/truncated.obr" "$FILES"
expect_status truncated 125
expect_line truncated err '--replay .*truncated.obr: truncated record at byte [0-9]+: [0-9]+ of its [0-9]+ bytes present' "the truncation"
head -c 3000 /dev/urandom >"$WORK/garbage.obr"
run_outboard garbage --replay "$WORK/garbage.obr" "$FILES"
expect_status garbage 125
expect_line garbage err 'not an outboard recording' "garbage"
: >"$WORK/empty.obr"
run_outboard emptyfile --replay "$WORK/empty.obr" "$FILES"
expect_status emptyfile 125
expect_line emptyfile err 'not an outboard recording' "an empty file"
run_outboard missing --replay "$WORK/nothing.obr" "$FILES"
expect_status missing 125
expect_line missing err 'nothing.obr: No such file' "a missing file"

# Another program than the recorded one.
run_outboard other --replay "$WORK/files.obr" "$(guest_path hello)"
expect_status other 125
expect_line other err 'recorded with another program' "another program"

# The recording hits the file size limit mid-run (as a full disk would):
# reported, and the program runs on with its own output and status.
(ulimit -f 4; run_outboard limited --fs "$WORK/root" $NO_DEVICES --record "$WORK/limited.obr" "$FILES")
expect_status limited 0
expect_stdout limited "$WORK/rec.out"
expect_line limited err 'record: --record .*limited.obr: File too large after [0-9]+ records' "the write error"
# Mounts: the default /tmp and a read-only mount are routes of their own,
# rebuilt from the recording (EROFS comes from the host, as it did).
MOUNTS=$(guest_path mounts)
M_ARGS=(tmp write /tmp/k.txt K read /tmp/k.txt read /ro/a.txt write /ro/b.txt B)
echo A >"$WORK/root/a.txt"
run_outboard m_rec --fs "$WORK/root" --mount "/ro=hostdir:$WORK/root:ro" $NO_DEVICES \
	--record "$WORK/m.obr" "$MOUNTS" "${M_ARGS[@]}"
expect_status m_rec 0
expect_line m_rec out '^write /ro/b.txt: EROFS$' "a refused write to the read-only mount"
cd "$WORK/empty"
run_outboard m_replay --replay ../m.obr "$MOUNTS" "${M_ARGS[@]}"
cd "$WORK"
expect_status m_replay 0
expect_stdout m_replay "$WORK/m_rec.out"

# Threads: 16 readers with their calls in flight together replay the same.
PARALLEL=$(guest_path parallel_reads)
run_outboard mt_rec --fs "$WORK/root" $NO_DEVICES --record "$WORK/mt.obr" "$PARALLEL"
expect_status mt_rec 0
cd "$WORK/empty"
run_outboard mt_replay --replay ../mt.obr "$PARALLEL"
cd "$WORK"
expect_status mt_replay 0
expect_stdout mt_replay "$WORK/mt_rec.out"

# Events: a scripted input session reaches the guest in its order and not
# before its time (the guest checks both against its clock).
ECHO=$(guest_path input_echo)
run_outboard ev_rec --fs "$WORK/root" --display none --sound none \
	--input "script:$OB_SRC/tests/input/echo.keys" --record "$WORK/ev.obr" "$ECHO"
expect_status ev_rec 0
cd "$WORK/empty"
run_outboard ev_replay --replay ../ev.obr "$ECHO"
cd "$WORK"
expect_status ev_replay 0
expect_stdout ev_replay "$WORK/ev_rec.out"

run_outboard both --record "$WORK/a.obr" --replay "$WORK/files.obr" "$FILES"
expect_status both 125
checks_passed rec replay m_rec m_replay mt_replay ev_replay tampered truncated garbage emptyfile missing other limited both
note "passed"
