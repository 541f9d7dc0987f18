#!/bin/sh
# kobjs PROGRAM [READELF]: the guest kernel's objects and threads
# (examples/kernel/kobjs.c), every check's line exactly. With READELF, the
# program must be the Thumb build: its main is a Thumb function.
. "$(dirname "$0")/cpu_lib.sh"

prog=$1
elf=$(guest_path "$prog")
if [ $# -ge 2 ]; then
	main_addr=$("$2" -s "$elf" | awk '$8 == "main" { print $2 }')
	[ -n "$main_addr" ] || fail "$prog has no main symbol"
	case $main_addr in
	*[13579bdfBDF]) ;;
	*) fail "$prog's main (0x$main_addr) is not Thumb code" ;;
	esac
fi

run_outboard kobjs --fs "$WORK" "$elf"
cat >"$WORK/expected" <<'END'
ok mutex_recursive
ok mutex_deadlk
ok mutex_not_owner
ok mutex_timeout
ok mutex_try
ok mutex_priority_order
ok sem_max
ok sem_timeout
ok sem_handoff
ok close_busy
ok close_stale
ok evf_manual_reset
ok evf_auto_reset
ok evf_any_all
ok evf_all_waiter
ok evf_timeout
ok queue_fifo
ok queue_timeouts
ok queue_msgsize
ok queue_full_blocks
ok queue_handoff
ok join_status
ok join_self
ok thread_priority
ok raw_svc
ok yield_round_robin
kobjs: all passed
END
expect_status kobjs 0
expect_stdout kobjs "$WORK/expected"
note "passed"
