#!/bin/sh
# gdb_session: gdb-multiarch drives a multithreaded guest through
# `outboard run --gdb`: a breakpoint in a function a second thread calls,
# every thread listed with its name, backtraces, a watchpoint reported on
# the line after the store, single steps in ARM and in Thumb code, then
# detach: the program runs to its normal output and exit status.
. "$(dirname "$0")/../guests/lib.sh"

gdb=$1
elf=$(guest_path debuggee)

# Start stopped, on a free port (0) of localhost; the port is in stderr.
"$OB_BIN/outboard" run --fs "$WORK" --gdb 0 "$elf" </dev/null >"$WORK/run.out" \
	2>"$WORK/run.err" &
pid=$!
port=
for i in $(seq 1 100); do
	port=$(sed -n 's/.*waiting for gdb on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$WORK/run.err")
	[ -n "$port" ] && break
	kill -0 "$pid" 2>/dev/null || break
	sleep 0.1
done
[ -n "$port" ] || { cat "$WORK/run.err" >&2; kill "$pid" 2>/dev/null; fail "no 'waiting for gdb' line"; }

cat >"$WORK/script.gdb" <<END
set pagination off
set confirm off
target remote 127.0.0.1:$port
echo == entry\n
info registers pc cpsr
break square
continue
echo == threads\n
info threads
echo == bt\n
bt
echo == arm steps\n
stepi
info registers pc cpsr
next
echo == thumb\n
delete
break thumb_sum
continue
info registers cpsr
x/i \$pc
stepi
x/i \$pc
stepi
x/i \$pc
echo == watch\n
delete
watch last_result
continue
echo == main thread\n
thread 1
bt
echo == detach\n
delete
detach
END
status=0
timeout -k 5 60 "$gdb" -nx -batch -x "$WORK/script.gdb" "$elf" >"$WORK/gdb.out" 2>&1 || status=$?
wait "$pid" && rstatus=0 || rstatus=$?
echo "$rstatus" >"$WORK/run.status"

check() { # check ERE WHAT
	if ! grep -Eq -- "$1" "$WORK/gdb.out"; then
		echo "--- gdb output" >&2
		cat "$WORK/gdb.out" >&2
		show run
		fail "gdb output lacks $2 (/$1/)"
	fi
}
[ "$status" = 0 ] || { cat "$WORK/gdb.out" >&2; fail "gdb exited with $status"; }
check '^pc +0x[0-9a-f]+ +0x[0-9a-f]+ <_start>' "the entry point in _start"
check 'Thread [0-9]+ "worker" hit Breakpoint 1, square \(x=7\) at .*debuggee.c:[0-9]+' \
	"the breakpoint hit in the worker thread"
check '^  1 +Thread 1 "main" ' "the main thread in info threads"
check 'Thread [0-9]+ "worker" +square \(x=7\)' "the worker in info threads"
check 'Thread [0-9]+ "waiter" +ob_sem_wait' "the waiter, blocked, in info threads"
check '^#1 +0x[0-9a-f]+ in worker \(arg=0x7\) at .*debuggee.c' "the worker's caller in bt"
check '^cpsr +0x10 ' "ARM state (T clear) while stepping square"
check 'thumb_sum \(n=10\) at .*debuggee.c' "the breakpoint in thumb_sum"
check '^cpsr +0x30 ' "Thumb state (T set) in thumb_sum"
[ "$(grep -Ec '^=> 0x[0-9a-f]+ <thumb_sum\+[0-9]+>:' "$WORK/gdb.out")" -ge 3 ] ||
	{ cat "$WORK/gdb.out" >&2; fail "three Thumb instructions around the steps"; }
# Two Thumb steps advance by 2-byte instructions.
pcs=$(sed -n 's/^=> 0x\([0-9a-f]*\) <thumb_sum.*/\1/p' "$WORK/gdb.out" | head -3 | tr '\n' ' ')
set -- $pcs
[ $((0x$2 - 0x$1)) -eq 2 ] && [ $((0x$3 - 0x$2)) -eq 2 ] ||
	{ cat "$WORK/gdb.out" >&2; fail "Thumb steps went $pcs, not 2 bytes each"; }
check 'Hardware watchpoint [0-9]+: last_result' "the watchpoint"
check 'Old value = 0' "the watched old value"
check 'New value = 104' "the watched new value"
# The store is on the line "last_result = sq + sum;"; gdb reports the
# statement after it, as on hardware.
line=$(grep -n 'last_result = sq + sum;' "$OB_SRC/examples/debuggee/debuggee.c" | cut -d: -f1)
check "^$((line + 1))[[:space:]]+printf\(\"worker: " "the stop right after the watched store"
check '^#1 +0x[0-9a-f]+ in main \(.*\) at .*debuggee.c' "main's frame in the main thread's bt"
check 'Inferior 1 .* detached' "the detach"

cat >"$WORK/expected" <<'END'
worker: square=49 sum=55 last=104
waiter: woke
debuggee: done
END
expect_status run 0
expect_stdout run "$WORK/expected"
note "passed"
