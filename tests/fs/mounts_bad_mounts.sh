#!/bin/bash
# mounts_bad_mounts: a bad --mount (or [mount] line) ends the run before any
# process starts, with exit 125 and one line saying what is wrong (and, on
# the command line, the hint to --help): a
# relative mount point, '.' or '..' in it, an unknown backend, hostdir
# without a directory or with a missing one, a mount point given twice.
. "$(dirname "$0")/../cpu/cpu_lib.sh"

elf=$(guest_path mounts)
n=0
check() {
	local want=$1
	shift
	n=$((n + 1))
	run_outboard "bad$n" --fs "$WORK" --display none --sound none --input none "$@" "$elf" \
		write /started.txt x
	expect_status "bad$n" 125
	expect_line "bad$n" err "$want" "the reason for $*"
	# Nothing started: no plugin's output, no guest output, no file written.
	no_line "bad$n" err '^\[' "a plugin's output for $*"
	[ ! -s "$WORK/bad$n.out" ] || fail "the guest ran with $*"
	# The reason, and for a command-line error the hint to --help.
	[ "$(grep -cv "^Try 'outboard run --help'.\$" "$WORK/bad$n.err")" -eq 1 ] ||
		{ show "bad$n"; fail "more than the reason for $*"; }
}
check "mount point 'tmp2' is not an absolute path" --mount tmp2=mem
check "mount point '/a/../b' has a '.' or '..' component" --mount /a/../b=mem
check "mount /x: fs backend 'nosuch': no executable outboard-fs-nosuch" --mount /x=nosuch
check "mount /x: hostdir needs a directory" --mount /x=hostdir
check "mount /x: the directory $WORK/missing: No such file or directory" --mount "/x=hostdir:$WORK/missing"
check "mount point /x is given twice" --mount /x=mem --mount /x/=mem
check "'/x=' names no backend|--mount wants PATH=SPEC|mount /x: " --mount /x=
printf '[mount]\n/ok = mem\n/ok = none\n' >"$WORK/dup.ini"
check "dup.ini:3: mount point /ok is given twice" --config "$WORK/dup.ini"
printf '[mount]\nrel = mem\n' >"$WORK/rel.ini"
check "rel.ini:2: mount point 'rel' is not an absolute path" --config "$WORK/rel.ini"
[ ! -e "$WORK/started.txt" ] || fail "a guest wrote a file"
[ "$CHECK_FAILURES" -eq 0 ] || fail "$CHECK_FAILURES checks failed"
note "passed ($n bad mounts)"
