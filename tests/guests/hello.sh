#!/bin/sh
# hello and hello_thumb (the same source in Thumb state) under `outboard run`:
# argv arrives intact (argv[0] is the path as given, arguments that look
# like outboard options belong to the guest), stdout is exact, and the exit
# status is the one the last argument asks for.
. "$(dirname "$0")/lib.sh"

for prog in hello hello_thumb; do
	elf=$(guest_path $prog)

	run_outboard $prog --fs "$WORK" "$elf" one "two words" 7
	printf 'argc=4\nargv[0]=%s\nargv[1]=one\nargv[2]=two words\nargv[3]=7\n' "$elf" \
		>"$WORK/$prog.expected"
	expect_status $prog 7
	expect_stdout $prog "$WORK/$prog.expected"

	run_outboard ${prog}_bare --fs "$WORK" "$elf"
	printf 'argc=1\nargv[0]=%s\n' "$elf" >"$WORK/${prog}_bare.expected"
	expect_status ${prog}_bare 0
	expect_stdout ${prog}_bare "$WORK/${prog}_bare.expected"

	# Words after PROGRAM are the guest's, even option-like ones; 300 is
	# not a status (over 255), so the exit status is 0.
	run_outboard ${prog}_opts --fs "$WORK" "$elf" -v --fs 300
	printf 'argc=4\nargv[0]=%s\nargv[1]=-v\nargv[2]=--fs\nargv[3]=300\n' "$elf" \
		>"$WORK/${prog}_opts.expected"
	expect_status ${prog}_opts 0
	expect_stdout ${prog}_opts "$WORK/${prog}_opts.expected"
done
note "passed"
