#!/bin/bash
# shm_restart: a plugin killed (SIGKILL) in the middle of shared-memory
# transfers never takes the host down, and every new instance gets a new
# region.
#   - display: display_fps.elf streams full 320x240 blits through the region
#     while display-null is killed twice. The guest finishes every frame
#     (blits posted while the plugin is away are dropped; presents wait for
#     the restart), the host counts both deaths, no reply named a bad span,
#     and three regions were made and mapped: one per instance.
#   - fs: fs_read_bench.elf reads a file in 4 KiB reads (cache off: each
#     read's data comes through the region) while fs-hostdir is killed; it
#     reads exactly what a run without faults reads.
. "$(dirname "$0")/../cpu/cpu_lib.sh"

# start TAG ARGS...: `outboard run` in the background, info logs, --stats.
start() {
	local tag=$1
	shift
	"$OB_BIN/outboard" run --log-level info --stats --restart-max 20 "$@" </dev/null \
		>"$WORK/$tag.out" 2>"$WORK/$tag.err" &
	launcher=$!
}

# kill_plugin TAG EXE ROUTE N: SIGKILL the launcher's child EXE once the
# host has made ROUTE's Nth region, a moment into that instance's life; false
# when the run ended first. The pid is looked up only then: the launcher
# also runs EXE briefly to ask what it serves (--describe), and a sanitized
# host may greet the real instance late, so an earlier lookup can name a
# process already gone or an instance without a region.
kill_plugin() {
	local tag=$1 exe=$2 route=$3 n=$4
	plugin_up() { plugin=$(child_running "$launcher" "$exe"); [ -n "$plugin" ] || pid_gone "$launcher"; }
	has_region() {
		[ "$(grep -c "router: $route: shared memory of" "$WORK/$tag.err")" -ge "$n" ] ||
			pid_gone "$launcher"
	}
	wait_until 30 has_region || fail "$exe got no shared region"
	wait_until 30 plugin_up || fail "no $exe came up"
	pid_alive "$launcher" || return 1
	sleep 0.2
	kill -KILL "$plugin" 2>/dev/null
}

finish() {
	wait_until 90 pid_gone "$launcher" || { kill -KILL "$launcher"; fail "$1: the run did not end"; }
	local status=0
	wait "$launcher" || status=$?
	echo "$status" >"$WORK/$1.status"
}

launcher=
trap 'kill -KILL "$launcher" 2>/dev/null || true; rm -rf "$WORK"' EXIT INT TERM

# ---- display
start disp --display null "$(guest_path display_fps)" 6000
kills=0
for i in 1 2; do
	kill_plugin disp outboard-display-null display "$i" && kills=$((kills + 1))
	# The next kill only once the new instance has its region.
	back() { [ "$(grep -c 'plugin display-null (display) is back' "$WORK/disp.err")" -ge "$i" ] || pid_gone "$launcher"; }
	wait_until 30 back || true
done
finish disp
[ "$kills" -eq 2 ] || { show disp; fail "the guest finished before both kills ($kills): make it longer"; }
expect_status disp 0
expect_line disp out '^display_fps: frames=6000 ' "every frame presented"
expect_line disp err '^outboard-cpu: stats display: .* deaths=2 ' "both deaths seen by the host"
expect_line disp err '^outboard-cpu: shm display: region=on calls=[1-9][0-9]* inline=[0-9]+ bad=0 .* lane=on ' \
	"a region and a request lane at the end, no bad span"
checks_passed disp
made=$(grep -c 'router: display: shared memory of [0-9]* bytes' "$WORK/disp.err" || true)
mapped=$(grep -c '^\[display-null\] .*shared memory: [0-9]* bytes mapped' "$WORK/disp.err" || true)
[ "$made" -eq 3 ] && [ "$mapped" -eq 3 ] ||
	{ show disp; fail "3 instances, but $made regions made and $mapped mapped"; }

# ---- fs
mkdir "$WORK/root"
head -c 64000000 /dev/urandom >"$WORK/root/data.bin"
run_outboard ref --fs "$WORK/root" --fs-cache 0 "$(guest_path fs_read_bench)" data.bin
expect_status ref 0
start fs --fs "$WORK/root" --fs-cache 0 "$(guest_path fs_read_bench)" data.bin
kill_plugin fs outboard-fs-hostdir fs 1 || { show fs; fail "the read finished before the kill"; }
finish fs
expect_status fs 0
cmp -s "$WORK/ref.out" "$WORK/fs.out" || { show ref; show fs; fail "the read differs after a kill"; }
expect_line fs err '^outboard-cpu: stats fs: .* deaths=1 ' "the death seen by the host"
expect_line fs err '^outboard-cpu: shm fs: region=on calls=[1-9][0-9]* inline=[0-9]+ bad=0 ' \
	"fs data through the region"
checks_passed fs
[ "$(grep -c 'router: fs: shared memory of' "$WORK/fs.err")" -eq 2 ] || { show fs; fail "no new region for fs"; }
note "passed: display killed $kills times, fs once; $(grep '^display_fps' "$WORK/disp.out")"
