#!/bin/sh
# trace: `outboard run --trace=fs,kernel` prints each call with its
# arguments and result, as strace would: strings quoted (over 64 bytes cut
# with "..."), open flags named and the mode only with O_CREAT, whence
# named, a struct decoded, a read's bytes, errors with their errno name, a
# blocking call as <unfinished ...> and <... resumed> with its result;
# --trace=fs leaves kernel calls out; call names filter; --trace-file,
# --trace-time and --trace-durations; bad values fail before the guest.
. "$(dirname "$0")/cpu_lib.sh"

elf=$(guest_path trace_demo)
run_outboard tr --fs "$WORK" --trace=fs,kernel "$elf"
expect_status tr 0
expect_line tr out '^trace_demo: done$' "the guest's own output"
ms=' <[0-9]+\.[0-9]+ ms>' # --trace-durations only
no_line tr err "$ms" "durations without --trace-durations"
expect_line tr err "^\[t1\] open\(\"trace_demo\.txt\", O_WRONLY\|O_CREAT\|O_TRUNC, 0644\) = 3\$" \
	"the create"
expect_line tr err "^\[t1\] write\(3, \"hello trace\\\\n\", 12\) = 12\$" \
	"the write and its bytes"
expect_line tr err "^\[t1\] lseek\(3, 0, SEEK_END\) = 12\$" "a named whence"
expect_line tr err "^\[t1\] fstat\(3, \{type=1, mode=0[0-7]+, size=12, .*nlink=1, .*\}\) = 0\$" \
	"a decoded struct"
expect_line tr err "^\[t1\] open\(\"trace_demo\.txt\", O_RDONLY\) = 3\$" "the open, without a mode"
expect_line tr err "^\[t1\] read\(3, \"hello trace\\\\n\", 64\) = 12\$" \
	"the read and exactly the bytes it read"
expect_line tr err "^\[t1\] open\(\"missing\.txt\", O_RDONLY\) = -2 ENOENT\$" \
	"a failed open with its errno name"
expect_line tr err "^\[t1\] open\(\"a{64}\"\.\.\., O_RDONLY\) = -2 ENOENT\$" \
	"an over-long path, cut"
expect_line tr err "^\[t1\] sem_wait\([0-9]+, 0\) = -11 EAGAIN\$" \
	"a kernel call's error with its errno name"
expect_line tr err "^\[t2\] sem_wait\([0-9]+, -1 <unfinished \.\.\.>\$" "a call that blocks"
# A device call another thread's line interrupts is split as strace splits
# it (its inputs, then its outputs and result); uninterrupted, one line.
if grep -q '^\[t1\] stat(.*<unfinished' "$WORK/tr.err"; then
	expect_line tr err "^\[t1\] stat\(\"trace_demo\.txt\", <unfinished \.\.\.>\$" "a split device call"
	expect_line tr err "^\[t1\] <\.\.\. stat resumed>\{type=1, .*size=12, .*\}\) = 0\$" \
		"its resumed half, with the struct"
else
	expect_line tr err "^\[t1\] stat\(\"trace_demo\.txt\", \{type=1, .*size=12, .*\}\) = 0\$" \
		"the stat while the second thread starts"
fi
expect_line tr err "^\[t2\] <\.\.\. sem_wait resumed>\) = 0\$" "its result when it wakes"
expect_line tr err "^\[t1\] unlink\(\"trace_demo\.txt\"\) = 0\$" "the unlink"
no_line tr err '= <waits>' "a blocking call without its result"

# Call names beside domains, a file, times and durations.
run_outboard named --fs "$WORK" --trace=open,sem_wait --trace-file "$WORK/trace.txt" \
	--trace-time --trace-durations "$elf"
expect_status named 0
[ -s "$WORK/trace.txt" ] || fail "no trace in --trace-file"
no_line named err '^(\[t|[0-9]+\.[0-9]{6} \[t)' "trace lines on stderr with --trace-file"
cp "$WORK/trace.txt" "$WORK/named.trace"
expect_line named trace "^[0-9]+\.[0-9]{6} \[t1\] open\(\"missing\.txt\", O_RDONLY\) = -2 ENOENT$ms\$" \
	"a timed open with its duration"
expect_line named trace "^[0-9]+\.[0-9]{6} \[t2\] <\.\.\. sem_wait resumed>\) = 0$ms\$" \
	"a resumed call's duration"
no_line named trace '\] (write|read|close|unlink|sem_create)\(' "calls not named"
no_line named trace '\] (<\.\.\. )?stat' "calls not named, even split"

# Bad values fail before any process starts (exit 125).
run_outboard badname --fs "$WORK" --trace=fs,opne "$elf"
expect_status badname 125
expect_line badname err "--trace: 'opne' is neither a domain" "an unknown call name"
no_line badname err '^\[' "a plugin's output: one was started"
no_line badname out 'trace_demo: done' "the guest ran"
run_outboard badfile --fs "$WORK" --trace=fs --trace-file "$WORK/no/such/dir/t.txt" "$elf"
expect_status badfile 125
expect_line badfile err "trace-file $WORK/no/such/dir/t.txt: No such file or directory" \
	"an unwritable trace file"

run_outboard fsonly --fs "$WORK" --trace=fs "$elf"
expect_status fsonly 0
expect_line fsonly err '^\[t1\] open\("trace_demo\.txt"' "fs calls with --trace=fs"
no_line fsonly err '^\[t1\] (sem_|mutex_|handle_close|sbrk)' "kernel calls with --trace=fs"
checks_passed tr fsonly named badname badfile
note "passed"
