# bench/display.sh: section 9 of bench/run, full-screen frames through the
# display plugins (docs/performance.md, "Display frames"). Sourced by
# bench/run, which provides run, measure, med, field, calc, ratio, die,
# summary, quick, the build paths and $tmp.
#
# examples/bench/display_fps.c blits a whole 320x240 XRGB8888 frame and
# presents it, frame after frame, and prints frames per second by the
# guest's monotonic clock. It runs through display-null (the transport and
# the plugin's framebuffer copy) and display-png (a PNG file written at
# every present), with the shared-memory data path (the default) and
# without it (OB_NO_SHM=1: the pixels inline in the protobuf messages).
# The reference, bench/unix_frames, sends the same bytes and a one-byte
# present with its answer over a raw unix socket between two processes.
#
# Then sound buffers: examples/bench/sound_bps.c writes 4096-byte buffers
# (1024 stereo frames) to sound-null, each a blocking ob_sound_write, with
# and without shared memory; the reference is unix_frames with 4096 bytes.

display_figures() {
	local elf=$ex/display_fps.elf frames=2000 png_frames=200 runs=5
	((quick)) && frames=20 png_frames=5 runs=1
	[[ -f $elf && -f $bench/unix_frames ]] || die "$elf or $bench/unix_frames is missing: build first"
	local dev=(--sound none --input none)
	local want_n="display_fps: frames=$frames" want_p="display_fps: frames=$png_frames"
	disp_null=("" fps "$bin/outboard" run "${dev[@]}" --display null "$elf" "$frames")
	disp_null_off=("" fps env OB_NO_SHM=1 "$bin/outboard" run "${dev[@]}" --display null \
		"$elf" "$frames")
	disp_png=("" fps "$bin/outboard" run "${dev[@]}" --display "png:$tmp/png" "$elf" "$png_frames")
	disp_png_off=("" fps env OB_NO_SHM=1 "$bin/outboard" run "${dev[@]}" --display "png:$tmp/png" \
		"$elf" "$png_frames")
	disp_ref=("" fps "$bench/unix_frames" "$frames")
	measure "$runs" disp_null disp_null_off disp_png disp_png_off disp_ref
	# A run that dropped frames would print another count: check the last.
	run "$bin/outboard" run "${dev[@]}" --display null "$elf" "$frames"
	grep -q "^$want_n " "$tmp/out" || die "display_fps printed: $(cat "$tmp/out")"

	echo
	echo "9. Display frames: display_fps.elf, a 320x240 XRGB8888 blit + present per frame,"
	echo "   frames per second by the guest's clock, median of $runs; shared memory on (the"
	echo "   default) and off (OB_NO_SHM=1: pixels inline in the messages)"
	printf '   %-44s %12s %12s %8s\n' "" "shm" "inline" "ratio"
	printf '   %-44s %8.0f fps %8.0f fps %8s\n' \
		"display-null, $frames frames" "${med[disp_null]}" "${med[disp_null_off]}" \
		"$(ratio "${med[disp_null]}" "${med[disp_null_off]}")" \
		"display-png (a PNG per present), $png_frames frames" "${med[disp_png]}" \
		"${med[disp_png_off]}" "$(ratio "${med[disp_png]}" "${med[disp_png_off]}")"
	printf '   %-44s %8.0f fps\n' "reference: the same bytes, raw unix socket" "${med[disp_ref]}"
	local r
	r=$(ratio "${med[disp_null]}" "${med[disp_ref]}")
	printf '   %-44s %12s\n' "ratio display-null (shm) / reference" "$r"
	summary+=("9a" "display frames/s, display-null / raw unix socket (higher: better)" "$r")
	summary+=("9b" "display frames/s, display-null, shared memory / inline" \
		"$(ratio "${med[disp_null]}" "${med[disp_null_off]}")")
	summary+=("9c" "display frames/s to display-null (goal >= 1000)" \
		"$(calc "${med[disp_null]}" %.1f)")
	sound_figures "$runs"
}

# sound_figures RUNS: buffers per second to sound-null.
sound_figures() {
	local elf=$ex/sound_bps.elf n=2000 runs=$1
	((quick)) && n=20
	[[ -f $elf ]] || die "$elf is missing: build first"
	local dev=(--sound null --display none --input none)
	snd=("" bps "$bin/outboard" run "${dev[@]}" "$elf" "$n")
	snd_off=("" bps env OB_NO_SHM=1 "$bin/outboard" run "${dev[@]}" "$elf" "$n")
	snd_ref=("" fps "$bench/unix_frames" "$n" 4096)
	measure "$runs" snd snd_off snd_ref
	echo
	echo "   sound_bps.elf, 4096-byte buffers (blocking sound_write) to sound-null, buffers"
	echo "   per second by the guest's clock, median of $runs"
	printf '   %-44s %8.0f /s  %8.0f /s %8s\n' "sound-null, $n buffers" "${med[snd]}" \
		"${med[snd_off]}" "$(ratio "${med[snd]}" "${med[snd_off]}")"
	printf '   %-44s %8.0f /s\n' "reference: the same bytes, raw unix socket" "${med[snd_ref]}"
	summary+=("9d" "sound buffers/s, sound-null / raw unix socket (higher: better)" \
		"$(ratio "${med[snd]}" "${med[snd_ref]}")")
}
