#!/bin/bash
# shm_same_output: the shared-memory data path changes nothing a guest or a
# user can see. Real guests run through local plugins twice, with the
# region (the default) and without it (OB_NO_SHM=1, every payload inline),
# and must give identical output:
#   - display: draw.elf (every display call) and display_fps.elf (full
#     320x240 blits) with display-png: the same stdout and the same PNGs;
#   - fs: a random file read back by fs_read_bench.elf with and without the
#     host's file cache, files.elf's checks, fcache_check's coherence checks,
#     and a file written in 4 KiB writes (fcache_check fill): the same
#     stdout and byte-identical files;
#   - sound: tone.elf's stream through sound-wav: identical WAV files.
# --stats proves which path each run took: region=on with calls through it,
# or region=off with none; lane=on with frames over the request lane, or
# lane=off (also OB_NO_LANE=1 with the region on, for one read).
. "$(dirname "$0")/../cpu/cpu_lib.sh"

# untimed FILE: FILE without the clock readings that differ in every run
# (tone.elf's *_ms= lines, display_fps.elf's total_ns= and fps=).
untimed() {
	grep -Ev '_ms=' "$1" | sed -E 's/ (total_ns|fps)=[0-9]+//g'
}

# both TAG OUTBOARD-RUN-ARGS...: runs with the region (TAG.on) and without
# (TAG.off), each in its own directory $WORK/TAG.on / $WORK/TAG.off, where
# the arguments' @DIR@ is replaced by that directory.
both() {
	local tag=$1 mode dir a
	shift
	for mode in on off; do
		dir="$WORK/$tag.$mode.d"
		mkdir -p "$dir"
		[ -d "$WORK/seed" ] && cp -a "$WORK/seed/." "$dir/"
		local args=()
		for a in "$@"; do args+=("${a//@DIR@/$dir}"); done
		if [ $mode = on ]; then
			run_outboard "$tag.on" --stats "${args[@]}"
		else
			OB_NO_SHM=1 run_outboard "$tag.off" --stats "${args[@]}"
		fi
		expect_status "$tag.$mode" 0
	done
	if ! cmp -s <(untimed "$WORK/$tag.on.out") <(untimed "$WORK/$tag.off.out"); then
		show "$tag.on"
		show "$tag.off"
		fail "$tag: the guest's output differs with and without shared memory"
	fi
}

# used TAG DOMAIN: the run TAG.on sent payloads of DOMAIN through the
# region, and TAG.off had none.
used() {
	expect_line "$1.on" err "^outboard-cpu: shm $2: region=on calls=[1-9][0-9]* inline=0 bad=0 " \
		"$2 payloads through the region"
	expect_line "$1.off" err "^outboard-cpu: shm $2: region=off calls=0 " "no region without it"
	expect_line "$1.on" err "^outboard-cpu: shm $2: region=on .* lane=on lane_frames=[1-9]" \
		"$2 frames over the request lane"
	expect_line "$1.off" err "^outboard-cpu: shm $2: .* lane=off " "no lane without a region"
	checks_passed "$1.on" "$1.off"
}

# same_files TAG: every file of the two runs' directories is identical.
same_files() {
	local on="$WORK/$1.on.d" off="$WORK/$1.off.d"
	[ -n "$(ls -A "$on")" ] || fail "$1: the run wrote nothing"
	diff -r "$on" "$off" >"$WORK/$1.diff" 2>&1 || {
		cat "$WORK/$1.diff" >&2
		fail "$1: the files differ with and without shared memory"
	}
}

# ---- display
both draw --display "png:@DIR@" "$(guest_path draw)"
used draw display
same_files draw
both fps --display "png:@DIR@" "$(guest_path display_fps)" 20
grep -q '^display_fps: frames=20 ' "$WORK/fps.on.out" || { show fps.on; fail "display_fps did not run"; }
used fps display
[ "$(ls "$WORK/fps.on.d" | wc -l)" -eq 30 ] || fail "display_fps: not 30 frames: $(ls "$WORK/fps.on.d")"
same_files fps

# ---- fs: reads (cache on and off), the check suites, writes
mkdir "$WORK/seed"
head -c 1000000 /dev/urandom >"$WORK/seed/data.bin"
both read --fs "@DIR@" "$(guest_path fs_read_bench)" data.bin
used read fs
both read0 --fs "@DIR@" --fs-cache 0 "$(guest_path fs_read_bench)" data.bin
used read0 fs
# The region without the request lane (OB_NO_LANE=1): frames through nanomsg.
OB_NO_LANE=1 run_outboard read0.nolane --stats --fs "$WORK/read0.on.d" --fs-cache 0 \
	"$(guest_path fs_read_bench)" data.bin
expect_status read0.nolane 0
expect_line read0.nolane err "^outboard-cpu: shm fs: region=on calls=[1-9][0-9]* .* lane=off " \
	"the region without a lane"
checks_passed read0.nolane
cmp -s "$WORK/read0.on.out" "$WORK/read0.nolane.out" || fail "the request lane changed what was read"
cmp -s "$WORK/read.on.out" "$WORK/read0.on.out" || fail "the file cache changed what was read"
rm -rf "$WORK/seed"
both files --fs "@DIR@" "$(guest_path files)"
both coherence --fs "@DIR@" "$(guest_path fcache_check)" coherence
both fill --fs "@DIR@" --fs-cache 0 "$(guest_path fcache_check)" fill big.bin 400000
used fill fs
same_files fill
both fillc --fs "@DIR@" "$(guest_path fcache_check)" fill big.bin 1500000
used fillc fs
same_files fillc

# ---- sound
both tone --sound "wav:@DIR@/tone.wav" "$(guest_path tone)"
grep -qx 'tone: done' "$WORK/tone.on.out" || { show tone.on; fail "tone did not finish"; }
used tone sound
same_files tone
note "passed"
