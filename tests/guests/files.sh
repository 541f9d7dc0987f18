#!/bin/sh
# files against one fs backend: every fs call, checked by the guest itself
# (one `ok`/`FAIL` line per check). Usage: files.sh hostdir|mem
TEST_NAME=files_${1:-}
. "$(dirname "$0")/lib.sh"

backend=${1:?usage: files.sh hostdir|mem}
elf=$(guest_path files)
mkdir "$WORK/root"
case $backend in
hostdir) run_outboard files --fs "$WORK/root" "$elf" ;;
mem) run_outboard files --plugin fs=mem "$elf" ;;
*) fail "unknown backend $backend" ;;
esac

expect_status files 0
expect_no_fail_lines files
oks=$(grep -c '^ok ' "$WORK/files.out" || true)
[ "$oks" -ge 90 ] || { show files; fail "only $oks checks ran"; }
grep -qx "files: $oks checks, 0 failed" "$WORK/files.out" ||
	{ show files; fail "missing or wrong summary line (expected $oks checks, 0 failed)"; }
if [ "$backend" = hostdir ] && [ -n "$(ls -A "$WORK/root")" ]; then
	ls -la "$WORK/root" >&2
	fail "the guest left files behind in the fs root"
fi
note "passed ($backend, $oks checks)"
