#!/bin/sh
# A guest thread waiting on stdin never holds up the others, and stdin
# reaches the CPU host but no plugin. stdin_threads' main thread reads stdin
# while a worker computes, sleeps and says "worker: done". Input is sent
# only after that line appears, so the run can end only if the worker ran
# while main waited.
. "$(dirname "$0")/lib.sh"

ELF=$(guest_path stdin_threads)
mkfifo in
timeout -k 5 60 "$OB_BIN/outboard" run "$ELF" <in >run.out 2>run.err &
runner=$!
exec 3>in # the write end: the guest sees no end of file until it closes

i=0
until grep -q '^worker: done$' run.out; do
	i=$((i + 1))
	if [ $i -gt 300 ]; then
		exec 3>&-
		wait $runner || true
		cat run.out run.err >&2
		fail "the worker never finished while main waited on stdin"
	fi
	sleep 0.1
done

# Who has what as fd 0: the CPU host the fifo, every plugin /dev/null.
launcher=$(pgrep -P $runner -x outboard || true)
[ -n "$launcher" ] || fail "cannot find the launcher process"
seen_cpu=0
for pid in $(pgrep -P "$launcher"); do
	name=$(cat /proc/$pid/comm)
	fd0=$(readlink /proc/$pid/fd/0 || true)
	case $name in
	outboard-cpu)
		seen_cpu=1
		[ "$fd0" = "$(readlink -f in)" ] || fail "the CPU host's stdin is $fd0, not the fifo"
		;;
	*)
		[ "$fd0" = /dev/null ] || fail "plugin $name has stdin $fd0, not /dev/null"
		;;
	esac
done
[ $seen_cpu = 1 ] || fail "no outboard-cpu under the launcher"

printf 'hello' >&3
exec 3>&-
status=0
wait $runner || status=$?
[ $status = 0 ] || { cat run.out run.err >&2; fail "exit status $status"; }
printf "worker: done\nmain: read 'hello'; worker status 7 (join 0)\n" >expected
cmp -s expected run.out || { diff expected run.out >&2; fail "unexpected output"; }
note "ok"
