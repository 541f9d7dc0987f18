#!/bin/sh
# Programs that are not loadable ARM ELF files: outboard exits with 125 and
# a message that says why, and never crashes or runs anything. (And one
# that is, read from a pipe rather than mapped.)
. "$(dirname "$0")/lib.sh"

hello=$(guest_path hello)
size=$(wc -c <"$hello")

head -c $((size / 2)) "$hello" >"$WORK/truncated.elf"
head -c 52 "$hello" >"$WORK/header_only.elf"
head -c 8192 /dev/urandom >"$WORK/random.elf"
: >"$WORK/empty.elf"
printf '#!/bin/sh\necho not an ELF\n' >"$WORK/script.elf"
# A real ELF for the wrong machine: outboard itself (the host's).
cp "$OB_BIN/outboard" "$WORK/host_machine.elf"

bad_elf='elf|truncat|short|magic|header|segment|format|corrupt|invalid|empty|size'
for case in truncated header_only random empty script; do
	run_outboard "$case" --fs "$WORK" "$WORK/$case.elf"
	expect_status "$case" 125
	expect_stderr_matches "$case" "$bad_elf" "why $case.elf cannot load"
	[ ! -s "$WORK/$case.out" ] || { show "$case"; fail "$case.elf printed on stdout"; }
done

run_outboard host_machine --fs "$WORK" "$WORK/host_machine.elf"
expect_status host_machine 125
expect_stderr_matches host_machine 'machine|arm|architecture|em_' "the wrong machine"

# A directory: the host reads what it cannot map, and says why that fails.
mkdir "$WORK/a_directory.elf"
run_outboard directory --fs "$WORK" "$WORK/a_directory.elf"
expect_status directory 125
expect_stderr_matches directory 'is a directory' "the directory"

# A program that is not a regular file (a pipe) is read instead of mapped,
# and runs.
mkfifo "$WORK/piped.elf"
cat "$hello" >"$WORK/piped.elf" &
run_outboard piped --fs "$WORK" "$WORK/piped.elf"
wait
expect_status piped 0
grep -q '^argc=1$' "$WORK/piped.out" || { show piped; fail "the piped program did not run"; }

run_outboard missing --fs "$WORK" "$WORK/no_such_program.elf"
expect_status missing 125
expect_stderr_matches missing 'no such file|not found|cannot open|enoent|no_such_program' \
	"the missing file"
note "passed"
