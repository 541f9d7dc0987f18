#!/bin/sh
# trace: `outboard run --trace=fs,kernel` prints each call with its
# arguments and result, as strace would: strings quoted, flags in hex, the
# mode in octal, a read's bytes, errors with their errno name; and
# --trace=fs leaves kernel calls out.
. "$(dirname "$0")/cpu_lib.sh"

elf=$(guest_path trace_demo)
run_outboard tr --fs "$WORK" --trace=fs,kernel "$elf"
expect_status tr 0
expect_line tr out '^trace_demo: done$' "the guest's own output"
ms=' <[0-9]+\.[0-9]+ ms>' # time a blocking call waited for its reply
expect_line tr err "^\[t1\] open\(\"trace_demo\.txt\", 0x601, 0644\) = 3($ms)?\$" \
	"the create"
expect_line tr err "^\[t1\] write\(3, \"hello trace\\\\n\", 12\) = 12($ms)?\$" \
	"the write and its bytes"
expect_line tr err "^\[t1\] open\(\"trace_demo\.txt\", 0, 00\) = 3($ms)?\$" "the open"
expect_line tr err "^\[t1\] read\(3, \"hello trace\\\\n\", 64\) = 12($ms)?\$" \
	"the read and exactly the bytes it read"
expect_line tr err "^\[t1\] open\(\"missing\.txt\", 0, 00\) = -2 ENOENT($ms)?\$" \
	"a failed open with its errno name"
expect_line tr err "^\[t1\] sem_wait\([0-9]+, 0\) = -11 EAGAIN\$" \
	"a kernel call's error with its errno name"
expect_line tr err "^\[t1\] unlink\(\"trace_demo\.txt\"\) = 0($ms)?\$" "the unlink"

run_outboard fsonly --fs "$WORK" --trace=fs "$elf"
expect_status fsonly 0
expect_line fsonly err '^\[t1\] open\("trace_demo\.txt"' "fs calls with --trace=fs"
no_line fsonly err '^\[t1\] (sem_|mutex_|handle_close|sbrk)' "kernel calls with --trace=fs"
checks_passed tr fsonly
note "passed"
