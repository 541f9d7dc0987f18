#!/bin/bash
# replay_against: `outboard replay --against BACKEND FILE` sends a run's
# recorded fs requests, made against fs-hostdir, to a live fs-mem and
# compares the replies: the same answers with the same seed files (exit 0),
# a difference per call without them (exit 1), clear errors otherwise (125).
# `outboard trace FILE` prints the same recording as --trace would.
. "$(dirname "$0")/../cpu/cpu_lib.sh"
MOUNTS=$(guest_path mounts)

# run_tool TAG CMD...: like run_outboard, for the other commands.
run_tool() {
	local tag=$1 status=0
	shift
	timeout -k 5 60 "$@" </dev/null >"$WORK/$tag.out" 2>"$WORK/$tag.err" || status=$?
	echo "$status" >"$WORK/$tag.status"
}

mkdir "$WORK/root" "$WORK/seed" "$WORK/empty"
echo seeded >"$WORK/root/seed.txt"
cp "$WORK/root/seed.txt" "$WORK/seed/"
run_outboard rec --fs "$WORK/root" --display none --sound none --input none \
	--record "$WORK/fs.obr" "$MOUNTS" write /a.txt hello append /a.txt more read /a.txt \
	mkdir /d write /d/b.txt x ls /d rename /a.txt /c.txt read /a.txt remove /c.txt \
	read /seed.txt read /missing
expect_status rec 0
expect_line rec out '^read /seed.txt: seeded$' "the seed file read"

cd "$WORK/empty"
run_tool same "$OB_BIN/outboard" replay --against "mem:$WORK/seed" ../fs.obr
run_tool differ "$OB_BIN/outboard" replay --against mem ../fs.obr
cd "$WORK"
expect_status same 0
expect_line same out '^[0-9]+ replies compared, 0 differ \(fs-hostdir recorded, fs-mem live\)$' "the summary"
no_line same out '^difference' "a difference"
[ -z "$(ls -A "$WORK/empty")" ] || fail "the comparison wrote into its directory"

expect_status differ 1
expect_line differ out '^difference at request [0-9]+ \(byte [0-9]+ of the recording\), in status:$' "the first difference"
expect_line differ out '^  recorded \(fs-hostdir\): \[t1\] open\("/seed.txt", O_RDONLY\) = [0-9]+$' "the recorded call"
expect_line differ out '^  live     \(fs-mem\): +\[t1\] open\("/seed.txt", O_RDONLY\) = -2 ENOENT$' "the live call"
expect_line differ out '^[0-9]+ replies compared, [1-9][0-9]* differ' "the summary"

# Bad uses: no --against, a bad route, garbage, a missing backend.
for args in "nothing:../fs.obr" "route:--against mem --route nowhere $WORK/fs.obr" \
	    "garbage:--against mem $WORK/root/seed.txt" "backend:--against nosuch $WORK/fs.obr"; do
	tag=${args%%:*}
	run_tool "$tag" "$OB_BIN/outboard" replay ${args#*:}
	expect_status "$tag" 125
done
expect_line nothing err '--against BACKEND is needed' "a missing --against"
expect_line route err '--route nowhere: not a domain' "a bad route"
expect_line garbage err 'seed.txt: not an outboard recording' "not a recording"
expect_line backend err "nosuch" "a backend that does not exist"

# outboard trace: the recording as --trace lines.
run_tool trace "$OB_BIN/outboard" trace "$WORK/fs.obr"
expect_status trace 0
expect_line trace out '^# route 1: fs served by fs-hostdir' "the header"
expect_line trace out '^\[t1\] open\("/a.txt", O_WRONLY\|O_CREAT\|O_TRUNC, 0666\) = [0-9]+$' "an open"
expect_line trace out '^\[t1\] write\([0-9]+, "hello", 5\) = 5$' "a write with its data"
expect_line trace out '^\[t1\] read\([0-9]+, "hellomore", [0-9]+\) = 9$' "a read with what it got"
expect_line trace out '^\[t1\] open\("/missing", O_RDONLY\) = -2 ENOENT$' "a failed call"
run_tool renames "$OB_BIN/outboard" trace --trace rename "$WORK/fs.obr"
expect_line renames out '^\[t1\] rename\("/a.txt", "/c.txt"\) = 0$' "the rename"
no_line renames out '^\[t1\] open' "a call the filter leaves out"
head -c 300 "$WORK/fs.obr" >"$WORK/cut.obr"
run_tool cut "$OB_BIN/outboard" trace "$WORK/cut.obr"
expect_status cut 125
expect_line cut err 'cut.obr: truncated (record|header) at byte [0-9]+' "a truncated recording"
checks_passed rec same differ nothing route garbage backend trace renames cut
note "passed"
