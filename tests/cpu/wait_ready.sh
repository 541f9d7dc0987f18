#!/bin/sh
# wait_ready: outboard-cpu --wait-ready dials its plugins only at the
# launcher's Supervise{READY} (docs/launcher.md, "The control connection").
# A launcher that never says it: the host gives up after twice
# --plugin-timeout plus a second, with a message, before the guest runs.
# (The launcher's side, READY sent and a waiting host killed when a probe
# fails, is in tests/launcher: every run of the fake host waits for it.)
. "$(dirname "$0")/cpu_lib.sh"

elf=$(guest_path hello)
status=0
timeout -k 5 30 "$OB_BIN/outboard-cpu" --wait-ready --plugin-timeout 100 \
	--control "ipc://$WORK/nobody.sock" --plugin "fs=ipc://$WORK/fs.sock" -- "$elf" \
	</dev/null >"$WORK/w.out" 2>"$WORK/w.err" || status=$?
echo "$status" >"$WORK/w.status"
[ "$status" -ne 0 ] && [ "$status" -ne 124 ] || { show w; fail "status $status: expected a failure of its own"; }
grep -q 'the launcher did not say the plugins were up within 1200 ms' "$WORK/w.err" ||
	{ show w; fail "no message about the missing READY"; }
[ ! -s "$WORK/w.out" ] || { show w; fail "the guest ran without its plugins"; }
note "passed"
