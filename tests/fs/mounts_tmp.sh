#!/bin/bash
# mounts_tmp: /tmp is a fresh in-memory mount by default. A guest's
# tmpnam() file (/tmp/t1.0) is written, read back and removed through
# semihosting and through the SDK, and nothing appears on the host: not in
# the fs root, not in the host's /tmp. With `--mount /tmp=none` the same
# program fails, as its "/" has no tmp; `--mount /tmp=hostdir:DIR` puts it
# in DIR.
#
# The default /tmp's plugin starts on demand: a run that never touches /tmp
# starts no fs-mem process at all, one that does starts it at its first
# call (its calls wait for it), once, even when two calls want it.
. "$(dirname "$0")/../cpu/cpu_lib.sh"

mkdir "$WORK/root" "$WORK/hosttmp"
host_tmp_before=$(ls -A /tmp/t1.0 2>/dev/null || true)
for guest in mounts_rdimon mounts; do
	run_outboard "$guest" --fs "$WORK/root" --display none --sound none --input none \
		"$(guest_path "$guest")" tmp write /tmp/keep.txt K read /tmp/keep.txt
	expect_status "$guest" 0
	expect_line "$guest" out '^tmp /tmp/t[0-9.]+: ok$' "a tmpnam file written, read and removed"
	expect_line "$guest" out '^read /tmp/keep.txt: K$' "a file kept in /tmp"
done
[ -z "$(ls -A "$WORK/root")" ] || fail "the guest's /tmp reached the fs root: $(ls -A "$WORK/root")"
[ "$(ls -A /tmp/t1.0 2>/dev/null || true)" = "$host_tmp_before" ] ||
	fail "the guest's tmpnam file reached the host's /tmp"
[ ! -e /tmp/keep.txt ] || fail "the guest's /tmp/keep.txt reached the host's /tmp"

# On demand: no /tmp call, no fs-mem (-v shows every plugin's own lines).
run_outboard idle -v --fs "$WORK/root" --display none --sound none --input none \
	"$(guest_path mounts)" write /here.txt H read /here.txt
expect_status idle 0
expect_line idle out '^read /here.txt: H$' "the fs root without /tmp"
no_line idle err 'fs-mem' "an fs-mem process, which nothing asked for"
rm -f "$WORK/root/here.txt"
# The first /tmp call starts it, once; the launcher says so at -v.
run_outboard first -v --fs "$WORK/root" --display none --sound none --input none \
	"$(guest_path mounts)" read /here.txt write /tmp/a.txt A read /tmp/a.txt write /tmp/b.txt B
expect_status first 0
expect_line first out '^read /here.txt: ENOENT$' "the fs root first"
expect_line first out '^read /tmp/a.txt: A$' "/tmp from its plugin started on demand"
expect_line first err 'fs /tmp: plugin fs-mem started on demand' "the host's word on it"
[ "$(grep -c 'fs-mem: in-memory fs' "$WORK/first.err")" -eq 1 ] ||
	{ show first; fail "the /tmp plugin was not started exactly once"; }

# The host refuses --on-demand forms the launcher never sends, by name.
bad_on_demand() {
	local want=$1 status=0
	shift
	"$OB_BIN/outboard-cpu" "$@" -- "$(guest_path mounts)" >"$WORK/od.out" 2>"$WORK/od.err" ||
		status=$?
	[ "$status" -ne 0 ] && grep -Eq -- "$want" "$WORK/od.err" ||
		{ cat "$WORK/od.err" >&2; fail "--on-demand $*: status $status, not /$want/"; }
}
bad_on_demand 'wants PATH=BACKEND' --control ipc:///nowhere/c --mount /tmp=ipc:///nowhere/t \
	--on-demand /tmp
bad_on_demand 'not a mount given with --mount' --control ipc:///nowhere/c --on-demand /data=fs-mem
bad_on_demand 'needs the launcher' --mount /tmp=ipc:///nowhere/t --on-demand /tmp=fs-mem
bad_on_demand "bad value for --on-demand: 'fs=fs-hostdir'" --on-demand fs=fs-hostdir
bad_on_demand 'no --plugin for it' --control ipc:///nowhere/c --on-demand display=display-png

# Each run's /tmp is its own: the file kept by the last run is gone.
run_outboard fresh --fs "$WORK/root" --display none --sound none --input none \
	"$(guest_path mounts)" read /tmp/keep.txt
expect_line fresh out '^read /tmp/keep.txt: ENOENT$' "a fresh /tmp for each run"

run_outboard off --fs "$WORK/root" --mount /tmp=none --display none --sound none --input none \
	"$(guest_path mounts_rdimon)" tmp
expect_status off 0
expect_line off out '^tmp /tmp/t[0-9.]+: ENOENT$' "no /tmp with --mount /tmp=none"

run_outboard dir --fs "$WORK/root" --mount "/tmp=hostdir:$WORK/hosttmp" --display none \
	--sound none --input none "$(guest_path mounts)" write /tmp/here.txt H
expect_line dir out '^write /tmp/here.txt: ok$' "a write to /tmp on a host directory"
[ "$(cat "$WORK/hosttmp/here.txt" 2>/dev/null)" = H ] || fail "/tmp=hostdir:DIR did not write into DIR"
[ "$CHECK_FAILURES" -eq 0 ] || { show mounts; show mounts_rdimon; show off; show idle; show first;
	fail "$CHECK_FAILURES checks failed"; }
note "passed"
