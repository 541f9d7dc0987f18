#!/bin/bash
# mounts_namespace: a read-only hostdir mount, a writable one and the
# default /tmp beside the "/" mount, driven by the same commands through the
# SDK (svc) and through semihosting (rdimon). Passes when every modifying
# call on the read-only mount is EROFS and leaves its directory untouched,
# a rename between two mounts is EXDEV, ".." resolves in the namespace and
# never leaves a mount's directory on the host, and a listing of "/" and of
# "/tmp/.." shows the mount points.
. "$(dirname "$0")/../cpu/cpu_lib.sh"

mkdir -p "$WORK/root" "$WORK/rom/sub" "$WORK/data" "$WORK/outside"
echo "rom file" >"$WORK/rom/r.txt"
rom_before=$(cd "$WORK" && find rom -printf '%p %s %T@\n' | sort)

# run_guest TAG GUEST COMMANDS...: the guest over /, /rom (read-only), /data.
run_guest() {
	local tag=$1 elf
	elf=$(guest_path "$2")
	shift 2
	run_outboard "$tag" --fs "$WORK/root" --mount "/rom=hostdir:$WORK/rom:ro" \
		--mount "/data=hostdir:$WORK/data" --display none --sound none --input none \
		"$elf" "$@"
	expect_status "$tag" 0
}

# expect_namespace TAG: what every guest sees, SDK or semihosting.
expect_namespace() {
	local guest=$1
	expect_line "$guest" out '^read /rom/r.txt: rom file$' "a read on the read-only mount"
	for c in 'write /rom/new.txt' 'append /rom/r.txt' 'write /rom/r.txt' 'remove /rom/r.txt'; do
		expect_line "$guest" out "^$c: EROFS\$" "EROFS for $c"
	done
	expect_line "$guest" out '^read /up.txt: U$' "/data/.. is /"
	expect_line "$guest" out '^read /dotdot.txt: V$' "/rom/../../.. is /"
	expect_line "$guest" out '^write /data/sub/../../../outside/esc.txt: ENOENT$' \
		"no /outside in the namespace"
	[ -f "$WORK/root/up.txt" ] && [ -f "$WORK/root/dotdot.txt" ] ||
		fail "$guest: the files written through .. are not in the / mount's directory"
	[ ! -e "$WORK/outside/esc.txt" ] && [ ! -e "$WORK/data/up.txt" ] ||
		fail "$guest: .. left a mount's directory"
	[ "$(cd "$WORK" && find rom -printf '%p %s %T@\n' | sort)" = "$rom_before" ] ||
		fail "$guest: the read-only mount's directory changed"
	rm -f "$WORK/root/up.txt" "$WORK/root/dotdot.txt"
}

ro_cmds=(read /rom/r.txt write /rom/new.txt x append /rom/r.txt x write /rom/r.txt x
	remove /rom/r.txt)
dot_cmds=(write /data/../up.txt U read /up.txt write /rom/../../../../dotdot.txt V
	write /data/sub/../../../outside/esc.txt W read /dotdot.txt)
# rdimon takes a short command line (and newlib's rename() is link+unlink,
# which semihosting lacks): the same checks in two runs, renames on the SDK.
run_guest mounts mounts "${ro_cmds[@]}" "${dot_cmds[@]}" rename /rom/r.txt /rom/s.txt \
	write /data/d.txt D rename /data/d.txt /moved.txt rename /data/d.txt /tmp/d.txt \
	rename /data/d.txt /rom/d.txt rename /data/d.txt /data/e.txt read /data/e.txt
expect_namespace mounts
expect_line mounts out '^rename /rom/r.txt /rom/s.txt: EROFS$' "EROFS for rename"
expect_line mounts out '^write /data/d.txt: ok$' "a write on the writable mount"
expect_line mounts out '^rename /data/d.txt /moved.txt: EXDEV$' "EXDEV to /"
expect_line mounts out '^rename /data/d.txt /tmp/d.txt: EXDEV$' "EXDEV to /tmp"
expect_line mounts out '^rename /data/d.txt /rom/d.txt: EXDEV$' "EXDEV to /rom"
expect_line mounts out '^rename /data/d.txt /data/e.txt: ok$' "a rename inside a mount"
expect_line mounts out '^read /data/e.txt: D$' "the renamed file"
[ "$(ls "$WORK/data")" = e.txt ] || fail "/data holds $(ls "$WORK/data")"
run_guest rdimon_ro mounts_rdimon "${ro_cmds[@]}"
run_guest rdimon mounts_rdimon "${dot_cmds[@]}"
cat "$WORK/rdimon_ro.out" >>"$WORK/rdimon.out"
expect_namespace rdimon

# Listings (SDK): "/" shows its mount points once; a directory above a
# mount point that "/" does not have is listed too; mkdir follows the
# mount's rules; the trace names the mounts.
mkdir "$WORK/root/tmp" # the hostdir has a tmp too: listed once
run_outboard ls --trace=fs --fs "$WORK/root" --mount "/rom=hostdir:$WORK/rom:ro" \
	--mount "/mnt/cd=mem" --display none --sound none --input none "$(guest_path mounts)" \
	ls / ls /tmp/.. ls /mnt ls /rom mkdir /rom/d mkdir /tmp/d ls /tmp mkdir /mnt remove /rom
expect_status ls 0
expect_line ls out '^ls /: mnt rom tmp$' "/ with its mount points"
expect_line ls out '^ls /tmp/..: mnt rom tmp$' "/tmp/.. is /"
expect_line ls out '^ls /mnt: cd$' "a directory above a mount point"
expect_line ls out '^ls /rom: r.txt sub$' "the read-only mount's own entries"
expect_line ls out '^mkdir /rom/d: EROFS$' "mkdir on the read-only mount"
expect_line ls out '^mkdir /tmp/d: ok$' "mkdir in /tmp"
expect_line ls out '^ls /tmp: d$' "/tmp's own entry"
expect_line ls out '^mkdir /mnt: EEXIST$' "mkdir of a directory above a mount point"
expect_line ls out '^remove /rom: (EBUSY|EISDIR)$' "removing a mount point"
# --trace=fs names the mount that served each path call, and the path it got.
expect_line ls err '^\[t1\] mkdir: mount /tmp \(fs-mem\) serves "/d"$' "the trace of the /tmp mount"
expect_line ls err '^\[t1\] opendir: mount /rom \(fs-hostdir\) serves "/"$' "the trace of /rom"
expect_line ls err '^\[t1\] opendir: mount / \(fs-hostdir\) serves "/"$' "the trace of /"
[ -z "$(ls "$WORK/root/tmp")" ] || fail "the guest's /tmp reached the host"
# No mount at "/": "/" and /a are the namespace's own read-only directories.
run_outboard noroot --plugin fs=none --mount /tmp=mem --mount /a/b=mem --display none \
	--sound none --input none "$(guest_path mounts)" \
	ls / ls /a write /x X read /x mkdir /y write /tmp/t T read /tmp/../tmp/t mkdir / \
	rename /tmp/t /a/b/t ls /a/b/..
expect_status noroot 0
expect_line noroot out '^ls /: a tmp$' "a virtual / listing its mount points"
expect_line noroot out '^ls /a: b$' "a virtual directory above a mount point"
expect_line noroot out '^write /x: EROFS$' "creating a file where no mount is"
expect_line noroot out '^read /x: ENOENT$' "reading where no mount is"
expect_line noroot out '^mkdir /y: EROFS$' "mkdir where no mount is"
expect_line noroot out '^read /tmp/../tmp/t: T$' "/tmp without a /"
expect_line noroot out '^mkdir /: EEXIST$' "mkdir of the virtual /"
expect_line noroot out '^rename /tmp/t /a/b/t: EXDEV$' "rename between mounts"
expect_line noroot out '^ls /a/b/..: b$' "/a/b/.. is /a"
[ "$CHECK_FAILURES" -eq 0 ] || { show mounts; show rdimon; show ls; show noroot; fail "$CHECK_FAILURES checks failed"; }
note "passed"
