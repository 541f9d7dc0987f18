#!/bin/sh
# escape: a guest run with --fs ROOT tries to reach a file beside ROOT:
# "..", absolute paths, symlinks in ROOT pointing out (absolute, relative,
# to a directory), a path over 4096 bytes, a FIFO and a device node in
# ROOT, creating "../x" and listing "..". Every path resolves inside ROOT;
# the outside file is never read and nothing is created outside.
. "$(dirname "$0")/cpu_lib.sh"

elf=$(guest_path escape)
root="$WORK/root"
mkdir "$root"
echo "SECRET-OUTSIDE" >"$WORK/outside.txt"
echo "inside" >"$root/inside.txt"
ln -s "$WORK/outside.txt" "$root/abs_link"
ln -s ../outside.txt "$root/rel_link"
ln -s "$WORK" "$root/dir_link"
mkfifo "$root/fifo"
# A character device (/dev/null's numbers) needs CAP_MKNOD; without it a
# second FIFO stands in, which the plugin must refuse the same way.
if ! mknod "$root/device" c 1 3 2>/dev/null; then
	note "cannot create a device node here: using a FIFO in its place"
	mkfifo "$root/device"
fi

run_outboard esc --fs "$root" "$elf"
cat >"$WORK/expected" <<'END'
open ../outside.txt: ENOENT
open ../../../../outside.txt: ENOENT
open /etc/passwd: ENOENT
open abs_link: ENOENT
open rel_link: ENOENT
open dir_link/outside.txt: ENOENT
stat abs_link: ENOENT
stat ../outside.txt: ENOENT
open long path: ENAMETOOLONG
open fifo: EACCES
open device: EACCES
open /inside.txt: read "inside"
open ../inside.txt: read "inside"
create ../created.txt: ok, wrote 7
create abs_link: EEXIST
list ..: ok, inside.txt listed, outside.txt absent
escape: done
END
expect_status esc 0
no_line esc out 'SECRET' "the outside file's content"
no_line esc err 'SECRET' "the outside file's content"
[ ! -e "$WORK/created.txt" ] || fail "../created.txt was created outside the root"
[ -f "$root/created.txt" ] || fail "../created.txt was not created inside the root"
[ "$(cat "$WORK/outside.txt")" = "SECRET-OUTSIDE" ] || fail "the outside file changed"
checks_passed esc
expect_stdout esc "$WORK/expected"
note "passed"
