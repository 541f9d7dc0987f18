# bench/fileio.sh: section 8 of bench/run, file I/O through the CPU host's
# file cache (docs/performance.md, "File I/O"). Sourced by bench/run, which
# provides run, measure, med, field, calc, ratio, die, summary, quick, the
# build paths and $tmp.
#
# Each pattern runs the same rdimon ELF under `outboard run` (default
# plugins) and under qemu-arm, in the files' directory, alternating, median of $fio_runs (wall time of the whole
# command); then a sequential read from a tcp fs plugin on loopback, direct
# and through bench/delay_proxy.py adding 5 ms each way, in MB/s with the
# start-up (the same run on an empty file) taken off.

fileio_figures() {
	local fio=$ex/fio_bench_rdimon.elf rd=$ex/fs_read_bench_rdimon.elf
	local mib=32 nrand=4096 lumps=4000 fio_runs=11
	((quick)) && mib=1 nrand=64 lumps=50 fio_runs=1
	[[ -f $fio && -f $rd ]] || die "$fio or $rd is missing: build first"
	local d=$tmp/fio
	mkdir -p "$d"
	head -c $((mib << 20)) /dev/urandom >"$d/seq.bin"
	(cd "$d" && qemu-arm "$fio" mkdata data.wad "$lumps" >/dev/null) || die "mkdata failed"

	echo
	echo "8. File I/O, the same rdimon ELF under outboard run (default plugins and file"
	echo "   cache, in the files' directory) and qemu-arm, wall time of the whole"
	echo "   command, median of $fio_runs"
	printf '   %-44s %12s %12s %8s\n' "" "outboard" "qemu-arm" "ratio"
	# fio_row NAME LABEL PROGRAM ARGS...: one pattern, both emulators.
	fio_row() {
		local name=$1 label=$2
		shift 2
		run bash -c 'cd "$1" && shift && exec qemu-arm "$@"' - "$d" "$@"
		local want
		want=$(cat "$tmp/out")
		fio_last=$want
		[[ $want == bytes=* ]] || die "$label under qemu-arm printed: $want"
		# As a user runs it: every default plugin (fs-hostdir on the cwd;
		# /tmp, display, sound and input start on demand, so not here).
		fio_o=("$want" "" bash -c 'cd "$1" && shift && exec "$@"' - "$d" "$bin/outboard" run "$@")
		fio_q=("$want" "" bash -c 'cd "$1" && shift && exec qemu-arm "$@"' - "$d" "$@")
		measure "$fio_runs" fio_o fio_q
		local r
		r=$(ratio "${med[fio_o]}" "${med[fio_q]}")
		printf '   %-44s %9.1f ms %9.1f ms %8s\n' "$label" \
			"$(calc "${med[fio_o]} * 1000" %.3f)" "$(calc "${med[fio_q]} * 1000" %.3f)" "$r"
		summary+=("8$name" "$label, time outboard / qemu-arm" "$r")
	}
	fio_row a "sequential 4 KiB reads, $mib MiB" "$rd" seq.bin
	local seq_line=$fio_last
	fio_row b "4 KiB writes then close, $mib MiB" "$fio" write out.bin "$mib"
	fio_row c "random 4 KiB reads (lseek+read), $nrand" "$fio" random seq.bin "$nrand"
	fio_row d "start-up: $lumps lumps at many offsets" "$fio" startup data.wad
	fileio_remote "$d" "$seq_line" "$fio_runs"
}

# fileio_remote DIR LINE RUNS: sequential reads of DIR/seq.bin (LINE: what
# the reader prints) from fs-hostdir over tcp on loopback.
fileio_remote() {
	local d=$1 seq_line=$2 fio_runs=$3 rd=$ex/fs_read_bench_rdimon.elf
	local bench_src
	bench_src=$(dirname "${BASH_SOURCE[0]}")
	local dev=(--display none --sound none --input none)
	"$bin/outboard-keygen" "$d/key" >/dev/null || die "outboard-keygen failed"
	: >"$d/empty.bin"
	local ports
	ports=$(python3 -c 'import socket
for _ in range(2):
    s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
	local pport=${ports%%$'\n'*} xport=${ports##*$'\n'}
	"$bin/outboard-fs-hostdir" --listen "tcp://127.0.0.1:$pport" --key "$d/key" --root "$d" \
		2>"$d/plugin.err" &
	local plugin=$!
	python3 "$bench_src/delay_proxy.py" "$xport" "$pport" 5 >"$d/proxy.out" 2>&1 &
	local proxy=$!
	local i
	for ((i = 0; i < 50; i++)); do
		grep -q ready "$d/proxy.out" 2>/dev/null && break
		sleep 0.1
	done
	local bytes
	bytes=$(stat -c %s "$d/seq.bin")
	echo
	echo "   sequential 4 KiB reads from a tcp fs plugin (fs-hostdir --listen), MB/s of"
	echo "   the reads (the same run on an empty file taken off), median of $fio_runs"
	local label url
	for label in loopback "5 ms each way"; do
		url=tcp://127.0.0.1:$pport
		[[ $label == loopback ]] || url=tcp://127.0.0.1:$xport
		rem_full=("$seq_line" "" "$bin/outboard" run --plugin "fs=$url" --key "$d/key" "${dev[@]}" \
			--plugin-timeout 20000 "$rd" seq.bin)
		rem_empty=("bytes=0 fnv1a=811c9dc5" "" "$bin/outboard" run --plugin "fs=$url" \
			--key "$d/key" "${dev[@]}" --plugin-timeout 20000 "$rd" empty.bin)
		measure "$fio_runs" rem_full rem_empty
		local mbs
		mbs=$(awk -v B="$bytes" -v W="${med[rem_full]}" -v E="${med[rem_empty]}" \
			'BEGIN { if (W > E) printf "%.1f", B / 1e6 / (W - E); else printf "n/a" }')
		printf '   %-44s %9s MB/s (start-up %.0f ms)\n' "$label" "$mbs" \
			"$(calc "${med[rem_empty]} * 1000" %.3f)"
		summary+=("8e" "remote sequential reads, $label, MB/s (not a ratio)" "$mbs")
	done
	kill "$proxy" "$plugin" 2>/dev/null || true
	wait "$proxy" "$plugin" 2>/dev/null || true
}
