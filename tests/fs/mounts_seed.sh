#!/bin/bash
# mounts_seed: `--fs mem:SEEDDIR` and `--plugin fs=mem:SEEDDIR` serve "/"
# from memory seeded with SEEDDIR's files (NAME:ARG, as the other domains
# take it), and `--mount /m=mem:SEEDDIR:ro` seeds a read-only mount. The
# guest reads the seeded file, writes its own, and SEEDDIR is unchanged.
. "$(dirname "$0")/../cpu/cpu_lib.sh"

mkdir -p "$WORK/seed/sub"
echo "seeded" >"$WORK/seed/sub/s.txt"
before=$(cd "$WORK" && find seed | sort)
n=0
for how in "--fs mem:$WORK/seed" "--plugin fs=mem:$WORK/seed" "--mount /=mem:$WORK/seed"; do
	n=$((n + 1))
	# shellcheck disable=SC2086 # $how is two words on purpose
	run_outboard "seed$n" $how --display none --sound none --input none \
		"$(guest_path mounts)" read /sub/s.txt write /new.txt N read /new.txt
	expect_status "seed$n" 0
	expect_line "seed$n" out '^read /sub/s.txt: seeded$' "the seeded file ($how)"
	expect_line "seed$n" out '^read /new.txt: N$' "a file written in memory ($how)"
done
run_outboard ro --fs "$WORK/seed" --mount "/m=mem:$WORK/seed:ro" --display none --sound none \
	--input none "$(guest_path mounts)" read /m/sub/s.txt write /m/x.txt X
expect_line ro out '^read /m/sub/s.txt: seeded$' "the seeded read-only mount"
expect_line ro out '^write /m/x.txt: EROFS$' "EROFS on the seeded read-only mount"
[ "$(cd "$WORK" && find seed | sort)" = "$before" ] || fail "the seed directory changed"
[ "$CHECK_FAILURES" -eq 0 ] || { show seed1; show ro; fail "$CHECK_FAILURES checks failed"; }
note "passed"
