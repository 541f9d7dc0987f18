#!/bin/sh
# One fuzz test (fuzz/CMakeLists.txt, label "fuzz"):
#
#   run_fuzzer.sh FUZZER SECONDS WORKDIR REGRESSIONS [SEEDDIR...] [-- LIBFUZZER-FLAG...]
#
# 1. Every file in REGRESSIONS (inputs that once found a bug) runs once.
# 2. The seed directories are copied into WORKDIR/corpus (files already
#    there, found by earlier runs, stay), and FUZZER fuzzes that corpus for
#    SECONDS. New inputs go to WORKDIR/corpus; a crashing input is kept as
#    WORKDIR/artifacts/crash-<sha1> (leak-, timeout-, oom- likewise).
#
# Exit status: 0 when both steps found nothing; otherwise the fuzzer's
# (a crash, a leak, a sanitizer report, a timeout or running out of memory).
#
# TMPDIR (fuzz_plugins' scratch directory) is a new directory on /dev/shm
# when that is a writable tmpfs, since the harness creates and removes files
# at every input; else WORKDIR/tmp. It is removed at the end, even after a
# crash.
set -eu

fuzzer=$1 seconds=$2 work=$3 regressions=$4
shift 4
seeds=
while [ $# -gt 0 ] && [ "$1" != "--" ]; do
	seeds="$seeds $1"
	shift
done
[ $# -gt 0 ] && shift # the "--"

mkdir -p "$work/corpus" "$work/artifacts"
if [ -d /dev/shm ] && [ -w /dev/shm ]; then
	TMPDIR=$(mktemp -d /dev/shm/ob-fuzz.XXXXXX)
else
	mkdir -p "$work/tmp"
	TMPDIR=$(mktemp -d "$work/tmp/ob-fuzz.XXXXXX")
fi
export TMPDIR
# A guest may leave directories without permissions (mkdir mode 0).
trap 'chmod -R u+rwx "$TMPDIR" 2>/dev/null; rm -rf "$TMPDIR"' EXIT

if [ -d "$regressions" ] && [ -n "$(ls -A "$regressions")" ]; then
	echo "== $(basename "$fuzzer"): regressions in $regressions"
	"$fuzzer" "$@" "$regressions"/*
fi

for dir in $seeds; do
	if [ -d "$dir" ]; then
		cp -p "$dir"/* "$work/corpus"/ 2>/dev/null || true
	fi
done

echo "== $(basename "$fuzzer"): fuzzing for ${seconds}s from $work/corpus"
"$fuzzer" "$@" -max_total_time="$seconds" -timeout=25 -rss_limit_mb=2048 \
	-print_final_stats=1 -artifact_prefix="$work/artifacts/" "$work/corpus"
