#!/bin/sh
# fcache: the CPU host's file cache (docs/faults.md, "The file cache"), with
# real guests and fs plugins. Behaviour only, never timing:
# - coherence (examples/fcache): two fds on one file, stat/fstat sizes with
#   writes still behind, seeks, O_APPEND, a file growing after its end was
#   read, truncate, rename, unlink; on hostdir and mem, cache on and off;
# - a write-behind that fails (fs-mem full: --max-bytes) reaches the guest
#   at fsync and at close; with the cache off the write itself fails;
# - a guest that exits with written data still in the host: it reaches the
#   file before the run ends;
# - a sequential read through a cache far smaller than the file: the same
#   bytes, and --stats shows the limit held and read-ahead used; through
#   the default cache, the stream's used blocks are dropped behind it;
# - bad --fs-cache values are refused, on the command line and in the INI.
. "$(dirname "$0")/lib.sh"

chk=$(guest_path fcache_check)
bench=$(guest_path fs_read_bench)
dev="--display none --sound none --input none"

for cache in 64M 0; do
	mkdir "$WORK/root$cache"
	# shellcheck disable=SC2086
	run_outboard "co$cache" --fs "$WORK/root$cache" $dev --fs-cache "$cache" "$chk" coherence
	expect_status "co$cache" 0
	expect_no_fail_lines "co$cache"
	grep -qx 'files: [0-9]* checks, 0 failed' "$WORK/co$cache.out" || { show "co$cache"; fail "no summary"; }
	[ -z "$(ls -A "$WORK/root$cache")" ] || fail "coherence left files behind (cache $cache)"
	# shellcheck disable=SC2086
	run_outboard "com$cache" --plugin fs=mem $dev --fs-cache "$cache" "$chk" coherence
	expect_status "com$cache" 0
	expect_no_fail_lines "com$cache"
done

# A full fs-mem: 100 KiB for 400000 bytes of 4 KiB writes.
printf '[fs]\nbackend = mem\nmax_bytes = 100K\n' >"$WORK/full.ini"
# shellcheck disable=SC2086
run_outboard full --config "$WORK/full.ini" $dev "$chk" fill f.bin 400000
expect_status full 0
grep -Eq '^fill: [0-9]+ writes ok, first error (0|-28) at write -?[0-9]+, fsync -28, close -28$' \
	"$WORK/full.out" || { show full; fail "fsync and close did not report ENOSPC"; }
# shellcheck disable=SC2086
run_outboard fullns --config "$WORK/full.ini" $dev "$chk" fill f.bin 400000 nosync
expect_status fullns 0
grep -Eq '^fill: [0-9]+ writes ok, first error (0|-28) at write -?[0-9]+, fsync 0, close -28$' \
	"$WORK/fullns.out" || { show fullns; fail "close did not report ENOSPC"; }
# shellcheck disable=SC2086
run_outboard full0 --config "$WORK/full.ini" $dev --fs-cache 0 "$chk" fill f.bin 400000
grep -Eq '^fill: 25 writes ok, first error -28 at write 25, fsync 0, close 0$' \
	"$WORK/full0.out" || { show full0; fail "without the cache the 26th write must fail"; }

# A guest that exits without closing: the host delivers what it held.
mkdir "$WORK/nc"
# shellcheck disable=SC2086
run_outboard noclose --fs "$WORK/nc" $dev "$chk" fill f.bin 300000 noclose
expect_status noclose 0
grep -qx 'fill: 74 writes ok, first error 0, not closed' "$WORK/noclose.out" || { show noclose; fail "fill noclose"; }
[ "$(stat -c %s "$WORK/nc/f.bin")" -eq $((74 * 4096)) ] ||
	fail "a guest exiting with the file open lost data: $(stat -c %s "$WORK/nc/f.bin") bytes"

# Write-behind goes in runs of contiguous full 64 KiB blocks: 16 with the
# default cache, 4 in a 1 MiB one (a quarter of it); the rest waits for
# fsync. The host's -vv log and the trace share stderr, in the order
# things happened: W is a guest write (traced as it returns, so after what
# it sent), B<offset> a write-behind sent, S the fsync. The sends at fsync
# go in no particular order, so they are sorted.
sequence() {
	sed -n -e 's/^\[t1\] write(3, .*/W/p' \
		-e 's/.*fcache: file [0-9]*: write-behind of [0-9]* bytes at \([0-9]*\)$/B\1/p' \
		-e 's/^\[t1\] fsync(3) = 0$/S/p' "$WORK/$1.err" >"$WORK/$1.seq"
	last=$(grep -n '^W$' "$WORK/$1.seq" | tail -n 1 | cut -d: -f1)
	head -n "$last" "$WORK/$1.seq" | tr -d '\n'
	tail -n +"$((last + 1))" "$WORK/$1.seq" | grep '^B' | sort -t B -k 2 -n | tr -d '\n'
	tail -n +"$((last + 1))" "$WORK/$1.seq" | grep -v '^B' | tr -d '\n'
}
writes() { printf 'W%.0s' $(seq "$1"); }
# sends FIRST LAST: B<offset> for the blocks FIRST..LAST.
sends() { for k in $(seq "$1" "$2"); do printf 'B%d' $((k * 65536)); done; }
# fill_wb TAG BYTES HOW [outboard run options...]: HOW is backward or "".
fill_wb() {
	local tag=$1 bytes=$2 how=$3
	shift 3
	mkdir "$WORK/$tag"
	# shellcheck disable=SC2086
	run_outboard "$tag" -vv --trace=fs --fs "$WORK/$tag" $dev "$@" "$chk" fill f.bin "$bytes" $how
	expect_status "$tag" 0
	[ "$(stat -c %s "$WORK/$tag/f.bin")" -eq "$bytes" ] || fail "$tag: wrong size"
}
# expect_sequence TAG WANT WHAT
expect_sequence() {
	[ "$(sequence "$1")" = "$2" ] || { show "$1"; fail "$3: $(sequence "$1")"; }
}
# 1 MiB cache, runs of 4; 84 writes of 4 KiB: blocks 0-4 full, block 5 a
# quarter. Forward: blocks 0-3 go when the 64th write fills block 3; block
# 4 (full at the 80th) has no run to join and waits with block 5.
fill_wb wb4f 344064 "" --fs-cache 1M
expect_sequence wb4f "$(writes 63)$(sends 0 3)$(writes 21)$(sends 4 5)S" "forward write-behind, runs of 4"
# Backward (4 KiB chunks 83 down to 0): block 4 fills first, and blocks
# 1-4 go when the 68th write fills block 1; block 0 waits for the fsync.
fill_wb wb4b 344064 backward --fs-cache 1M
expect_sequence wb4b "$(writes 67)$(sends 1 4)$(writes 17)$(sends 0 0)B327680S" \
	"backward write-behind, runs of 4"
# The default cache, runs of 16; 340 writes: blocks 0-20 full, block 21 a
# quarter. Blocks 0-15 go with the 256th write, 16-21 at the fsync.
fill_wb wb16 1392640 "" 
expect_sequence wb16 "$(writes 255)$(sends 0 15)$(writes 85)$(sends 16 21)S" \
	"forward write-behind, runs of 16"
# The smallest cache (256K) sends every full block at once.
fill_wb wb1 344064 "" --fs-cache 256K
expect_sequence wb1 "$(writes 15)B0$(writes 16)B65536$(writes 16)B131072$(writes 16)B196608$(writes 16)B262144$(writes 5)B327680S" \
	"write-behind in a 256K cache"

# 3 MB read in 4 KiB pieces through a 256 KiB cache.
mkdir "$WORK/data"
python3 -c "
import sys
d = bytes((i * 131 + (i >> 9)) & 255 for i in range(3000000))
open(sys.argv[1], 'wb').write(d)
h = 2166136261
for b in d:
    h = ((h ^ b) * 16777619) & 0xffffffff
print('bytes=%d fnv1a=%08x' % (len(d), h))" "$WORK/data/d.bin" >"$WORK/want"
for cache in 256K 64M 0; do
	# shellcheck disable=SC2086
	run_outboard "rd$cache" --fs "$WORK/data" $dev --stats --fs-cache "$cache" "$bench" d.bin
	expect_status "rd$cache" 0
	cmp -s "$WORK/want" "$WORK/rd$cache.out" || { show "rd$cache"; fail "wrong bytes read (cache $cache)"; }
done
line=$(grep '^outboard-cpu: stats fs-cache: ' "$WORK/rd256K.err") || { show rd256K; fail "no fs-cache stats"; }
stat_of() { echo "$line" | sed -n "s/.* $1=\([0-9]*\).*/\1/p"; }
[ "$(stat_of limit)" -eq 262144 ] || fail "limit is $(stat_of limit)"
[ "$(stat_of peak)" -le 262144 ] || fail "the cache held $(stat_of peak) bytes over its 256K limit"
[ "$(stat_of readahead_used)" -ge 2900000 ] || fail "read-ahead was not used: $line"
[ "$(stat_of hits)" -gt "$(stat_of misses)" ] || fail "more misses than hits: $line"
! grep -q 'stats fs-cache' "$WORK/rd0.err" || fail "--fs-cache 0 still has a cache"
# 3 MB through 64 MiB: no eviction, but blocks the stream finished give
# their memory back (drop-behind). Read twice: the second pass loads again
# what was dropped, and sees the same bytes.
line=$(grep '^outboard-cpu: stats fs-cache: ' "$WORK/rd64M.err") || { show rd64M; fail "no fs-cache stats"; }
[ "$(stat_of dropped_behind)" -gt 0 ] || fail "nothing dropped behind the stream: $line"
[ "$(stat_of evictions)" -eq 0 ] || fail "evictions under a 64M limit: $line"
python3 -c "
import sys
d = open(sys.argv[1], 'rb').read() * 2
h = 2166136261
for b in d:
    h = ((h ^ b) * 16777619) & 0xffffffff
print('bytes=%d fnv1a=%08x' % (len(d), h))" "$WORK/data/d.bin" >"$WORK/want2"
# shellcheck disable=SC2086
run_outboard rd2 --fs "$WORK/data" $dev --stats "$bench" d.bin 2
expect_status rd2 0
cmp -s "$WORK/want2" "$WORK/rd2.out" || { show rd2; fail "wrong bytes in a second pass"; }
line=$(grep '^outboard-cpu: stats fs-cache: ' "$WORK/rd2.err") || { show rd2; fail "no fs-cache stats"; }
[ "$(stat_of readahead_used)" -gt 4000000 ] || fail "the second pass was not read ahead: $line"

# Bad values: a clear error, nothing run.
for bad in 12 -1 1X 100K 4G; do
	run_outboard "bad" --fs "$WORK/data" $dev --fs-cache "$bad" "$bench" d.bin
	[ "$(cat "$WORK/bad.status")" -ne 0 ] || { show bad; fail "--fs-cache $bad was taken"; }
	grep -q "fs-cache" "$WORK/bad.err" || { show bad; fail "no message for --fs-cache $bad"; }
done
printf '[run]\nfs_cache = lots\n' >"$WORK/bad.ini"
run_outboard badini --config "$WORK/bad.ini" --fs "$WORK/data" $dev "$bench" d.bin
[ "$(cat "$WORK/badini.status")" -ne 0 ] || fail "fs_cache = lots was taken"
grep -q "fs_cache wants" "$WORK/badini.err" || { show badini; fail "no message for fs_cache = lots"; }
printf '[run]\nfs_cache = 0\nstats = true\n' >"$WORK/off.ini"
run_outboard offini --config "$WORK/off.ini" --fs "$WORK/data" $dev "$bench" d.bin
expect_status offini 0
! grep -q 'stats fs-cache' "$WORK/offini.err" || fail "fs_cache = 0 in the INI still has a cache"
note "passed"
