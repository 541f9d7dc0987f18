#!/bin/sh
# The guest's stdin is outboard's (docs/abi.md, Console): piped input
# arrives byte for byte, end of file at its end, for an SDK program (read(0),
# fgets) and a semihosting one (SYS_READ on ":tt", SYS_READC). With
# qemu-arm given, the semihosting runs are also compared with it.
# Usage: stdin.sh sdk|rdimon [QEMU_ARM]
. "$(dirname "$0")/lib.sh"

KIND=$1
QEMU=${2:-}
case $KIND in
sdk) ELF=$(guest_path stdin_echo) ;;
rdimon) ELF=$(guest_path stdin_echo_rdimon) ;;
*) fail "usage: stdin.sh sdk|rdimon [QEMU_ARM]" ;;
esac

# run_in TAG INPUT [outboard run options...] PROGRAM [ARGS...]: run_outboard
# with stdin from the file INPUT.
run_in() {
	local tag=$1 input=$2 status=0
	shift 2
	timeout -k 5 60 "$OB_BIN/outboard" run "$@" <"$input" >"$WORK/$tag.out" \
		2>"$WORK/$tag.err" || status=$?
	echo "$status" >"$WORK/$tag.status"
}

# Input: several lines; binary bytes with NULs and no final newline, over
# 64 KiB (more than one pipe buffer and one host read); nothing at all.
printf 'first line\nsecond\n\nlast\n' >lines.in
{
	i=0
	while [ $i -lt 256 ]; do printf "\\$(printf %o $i)"; i=$((i + 1)); done
	head -c 150000 /dev/urandom
	printf 'tail\0\0\0end'
} >binary.in
: >empty.in
binsize=$(wc -c <binary.in)
[ "$binsize" -gt 65536 ] || fail "binary.in is only $binsize bytes"

prog=$KIND
elf=$ELF

for input in lines binary empty; do
	tag=$prog-cat-$input
	run_in $tag $input.in "$elf" cat
	expect_status $tag 0
	expect_stdout $tag $input.in
	expect_stderr_matches $tag "^eof after $(wc -c <$input.in) bytes$" "the byte count"
done
# Piped (not a file): the same bytes through a pipe, read as they come.
status=0
cat binary.in | timeout -k 5 60 "$OB_BIN/outboard" run "$elf" cat >$prog-pipe.out \
	2>$prog-pipe.err || status=$?
[ $status = 0 ] || { cat $prog-pipe.err >&2; fail "$prog: piped cat exited $status"; }
cmp -s binary.in $prog-pipe.out || fail "$prog: piped input did not arrive byte for byte"

# stdio: a prompt without a newline comes out before each read, and a
# last line without a newline is still a line.
printf 'x\ny' >prompt.in
run_in $prog-prompt prompt.in "$elf" prompt
expect_status $prog-prompt 0
printf '> got: x\n> got: y\n> \nbye\n' >prompt.expected
expect_stdout $prog-prompt prompt.expected

# isatty follows outboard's own fds, as under qemu-arm: none is a terminal
# here (a file, a pipe, a file). stdin_tty.sh has the terminal's side.
: | timeout -k 5 60 "$OB_BIN/outboard" run "$elf" tty >$prog-tty.out 2>$prog-tty.err ||
	{ cat $prog-tty.err >&2; fail "$prog: tty failed"; }
echo 'isatty: 0=0 1=0 2=0' >tty.expected
cmp -s tty.expected $prog-tty.out || fail "$prog: $(cat $prog-tty.out), expected $(cat tty.expected)"
if [ "$KIND" = sdk ]; then
	note "ok"
	exit 0
fi

# SYS_READC: one byte per call, -1 at end of file.
printf 'xy\n' >readc.in
run_in readc readc.in "$ELF" readc
expect_status readc 0
printf '78 79 0a \nreadc: 3 bytes, then -1\n' >readc.expected
expect_stdout readc readc.expected

# qemu-arm reads the same bytes the same way.
if [ -n "$QEMU" ]; then
	for input in lines binary empty; do
		"$QEMU" "$ELF" cat <$input.in >qemu-$input.out 2>qemu-$input.err ||
			fail "qemu-arm failed on $input.in"
		cmp -s qemu-$input.out "$WORK/rdimon-cat-$input.out" ||
			fail "$input.in: outboard's stdout differs from qemu-arm's"
	done
	"$QEMU" "$ELF" prompt <prompt.in >qemu-prompt.out 2>/dev/null
	cmp -s qemu-prompt.out "$WORK/rdimon-prompt.out" ||
		fail "prompt: outboard's stdout differs from qemu-arm's"
fi
note "ok"
