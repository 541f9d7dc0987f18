#!/bin/sh
# input_syntax_error: a script the plugin cannot use stops the run before
# the guest starts. outboard exits 125, the guest prints nothing, and stderr
# carries the plugin's message naming the file, line and column, and the
# launcher's report that the input plugin exited with status 1. The same
# for a missing script file and for a config without `script`.
. "$(dirname "$0")/../guests/lib.sh"
. "$TEST_DIR/lib.sh"

elf=$(guest_path input_echo)

# refused TAG WHAT ERE: the run TAG failed as a start-up failure of the
# input plugin, with a message matching ERE on stderr.
refused() {
	expect_status "$1" 125
	if [ -s "$WORK/$1.out" ]; then
		show "$1"
		fail "$1: the guest ran"
	fi
	expect_stderr_matches "$1" "$3" "$2"
	expect_stderr_matches "$1" 'input plugin input-script exited with status 1' \
		"the input plugin's exit"
}

# bad_script TAG TEXT ERE: TEXT (printf format) as the script.
bad_script() {
	printf "$2" >"$WORK/$1.keys"
	input_config "$WORK/$1.ini" script "$WORK/$1.keys"
	run_outboard "$1" --config "$WORK/$1.ini" "$elf"
	refused "$1" "the error and its place" "$(echo "$WORK/$1.keys" | sed 's/[.]/[.]/g')$3"
}

bad_script action '# keys\n+10ms key down LEFT\n\n+5ms key sideways LEFT\n' \
	":4:10: expected 'down' or 'up' after 'key', found 'sideways'"
bad_script key '+5ms key down LEFT\n+5ms key up LEFTT\n' \
	":2:13: unknown key 'LEFTT'"
bad_script order '@1s quit\n\n@999ms quit\n' \
	":3:1: '@999ms' is earlier than the event before it"
bad_script unit '+1ms quit\n+1ms quit\n+1ms quit\n+1ms quit\n+5sec quit\n' \
	":5:1: unknown time unit 'sec'"
bad_script character '+1ms pointer move 1 2 !\n' \
	":1:23: unexpected character '!'"

input_config "$WORK/missing.ini" script "$WORK/no-such.keys"
run_outboard missing --config "$WORK/missing.ini" "$elf"
refused missing "the missing file" "no-such[.]keys: No such file or directory"

input_config "$WORK/noscript.ini" script
run_outboard noscript --config "$WORK/noscript.ini" "$elf"
refused noscript "the missing option" "--script FILE is required"
note "passed"
