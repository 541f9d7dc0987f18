#!/bin/sh
# stdin on a terminal (tmux): the terminal does the line editing (echo,
# canonical mode, ^D for end of file), a prompt shows before the read
# waits, and ^C ends the run cleanly with 130.
# Usage: stdin_tty.sh TMUX
. "$(dirname "$0")/lib.sh"

TMUX_BIN=$1
ELF=$(guest_path stdin_echo)
RDIMON=$(guest_path stdin_echo_rdimon)
SOCK=ob-stdin-tty-$$
tmux_() { "$TMUX_BIN" -L "$SOCK" -f /dev/null "$@"; }
trap 'tmux_ kill-server 2>/dev/null; rm -rf "$WORK"' EXIT INT TERM

# wait_pane ERE: until the pane of session $S shows a line matching ERE
# (30 s at most).
wait_pane() {
	i=0
	until tmux_ capture-pane -p -t "$S" >pane.txt && grep -Eq -- "$1" pane.txt; do
		i=$((i + 1))
		if [ $i -gt 300 ]; then
			cat pane.txt >&2
			fail "the pane never showed /$1/"
		fi
		sleep 0.1
	done
}

# start NAME CMD: a new session NAME (then $S) running CMD, its exit status
# then shown. Sessions stay until the end: the server lives while one does.
# The pane's shell survives ^C (a handler, not an ignore: the run still gets
# SIGINT at its default) to show the status.
start() {
	S=$1
	tmux_ new-session -d -s "$S" -x 80 -y 24 \
		"trap : INT; cd '$WORK' && $2; echo EXIT=\$?; sleep 60"
}

start lines "'$OB_BIN/outboard' run '$ELF' prompt"
wait_pane '^>$'    # the prompt, before any input (tmux trims its space)
tmux_ send-keys -t "$S" 'hello world' Enter
wait_pane '^got: hello world$'
tmux_ send-keys -t "$S" 'a second line' Enter
wait_pane '^got: a second line$'
tmux_ send-keys -t "$S" C-d
wait_pane 'EXIT=[0-9]+$'
# Each typed line is echoed by the terminal after its prompt, then the
# guest's answer; ^D ends it.
printf '> hello world\ngot: hello world\n> a second line\ngot: a second line\n>\nbye\nEXIT=0\n' \
	>expected
grep -v '^$' pane.txt >got
cmp -s expected got || { diff expected got >&2; fail "the pane is not as expected"; }

# The same through semihosting (SYS_READ on ":tt").
start rdimon "'$OB_BIN/outboard' run '$RDIMON' prompt"
wait_pane '^>$'
tmux_ send-keys -t "$S" 'typed' Enter
wait_pane '^got: typed$'
tmux_ send-keys -t "$S" C-d
wait_pane 'EXIT=[0-9]+$'
printf '> typed\ngot: typed\n>\nbye\nEXIT=0\n' >expected
grep -v '^$' pane.txt >got
cmp -s expected got || { diff expected got >&2; fail "rdimon: the pane is not as expected"; }

# isatty is 1 for all three on a terminal (0 when redirected: stdin.sh),
# for the SDK's isatty and semihosting's SYS_ISTTY alike.
for elf in "$ELF" "$RDIMON"; do
	start "tty-$(basename "$elf" .elf)" "'$OB_BIN/outboard' run '$elf' tty"
	wait_pane 'EXIT=[0-9]+$'
	grep -q '^isatty: 0=1 1=1 2=1$' pane.txt || { cat pane.txt >&2; fail "$elf: isatty on a terminal"; }
	start "tty-out-$(basename "$elf" .elf)" "'$OB_BIN/outboard' run '$elf' tty | cat"
	wait_pane 'EXIT=[0-9]+$'
	grep -q '^isatty: 0=1 1=0 2=1$' pane.txt || { cat pane.txt >&2; fail "$elf: isatty with stdout piped"; }
done

# ^C while the guest waits on the terminal: the run ends at once, 130,
# without an error from outboard.
start ctrl-c "'$OB_BIN/outboard' run '$ELF' prompt"
wait_pane '^>$'
tmux_ send-keys -t "$S" C-c
wait_pane 'EXIT=[0-9]+$'
grep -Eq '^> (\^C)?EXIT=130$' pane.txt || { cat pane.txt >&2; fail "^C: not exit status 130"; }
if grep -Eiq 'error|warn|killed' pane.txt; then
	cat pane.txt >&2
	fail "^C: outboard complained"
fi
note "ok"
