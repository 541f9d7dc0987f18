#!/bin/sh
# ob-abigen: its header compiles (C for the guest and the host, C++) and
# holds the layout asserts; its stubs assemble into the code docs/abi.md
# describes; an import stub yields a correct .ob_imports entry; stale stubs
# are removed and unchanged outputs are not rewritten; --check-doc catches
# a stale call list and --update-doc repairs it; bad usage is refused.
# Usage: abigen.sh OB_ABIGEN ARM_GCC ARM_GXX ARM_OBJDUMP HOST_CC
. "$(dirname "$0")/lib.sh"

abigen=${1:?usage: abigen.sh OB_ABIGEN ARM_GCC ARM_GXX ARM_OBJDUMP HOST_CC}
gcc=${2:?}
gxx=${3:?}
objdump=${4:?}
hostcc=${5:?}
cpu="-mcpu=arm926ej-s -mfloat-abi=soft"

# Bad usage: exit status 2.
for args in "" "--header" "--bogus x" "--extra-import open --stubs s" "--extra-import Bad-Name --stubs s"; do
	status=0
	# shellcheck disable=SC2086
	"$abigen" $args >/dev/null 2>&1 || status=$?
	[ "$status" -eq 2 ] || fail "ob-abigen $args: status $status, expected 2"
done

mkdir -p gen/include
"$abigen" --header gen/include/outboard_calls.h --stubs gen/stubs --doc gen/calls.md
h=gen/include/outboard_calls.h
nsys=$(grep -c '^#define OB_SYS_' $h)
nhle=$(grep -c '^#define OB_HLE_' $h || true)
nstub=$(ls gen/stubs | wc -l)
[ "$nsys" -ge 40 ] || fail "only $nsys syscalls in the header"
[ "$nhle" -ge 13 ] || fail "only $nhle imports in the header"
[ "$nstub" -eq $((nsys + nhle)) ] || fail "$nstub stubs for $nsys syscalls and $nhle imports"
grep -q '^#define OB_HLE_DISPLAY_CLEAR 129$' $h || fail "OB_HLE_DISPLAY_CLEAR is not 129"
grep -q '^#define OB_SYS_OPEN 64$' $h || fail "OB_SYS_OPEN is not 64"
grep -q '^int ob_evf_wait(int evf, uint32_t bits, uint32_t mode, int32_t timeout_ms, uint32_t \*got);$' $h ||
	fail "ob_evf_wait's prototype is wrong"
grep -q '^__attribute__((__noreturn__)) void ob_exit(int32_t status);$' $h || fail "ob_exit is not noreturn"
grep -q 'sizeof(struct ob_file_stat) == 56' $h || fail "no size assert for struct ob_file_stat"
grep -q 'offsetof(struct ob_fs_space, total_blocks) == 8' $h || fail "no offset assert in ob_fs_space"

# The header through <outboard.h>, for the guest (C and C++) and the host.
printf '#include <outboard.h>\nint use(struct ob_file_stat *s) { return ob_fstat(3, s); }\n' >use.c
inc="-I$OB_SRC/sdk/include -Igen/include"
# shellcheck disable=SC2086
"$gcc" $cpu -std=c11 -Wall -Wextra -Werror -pedantic $inc -c use.c -o use.o ||
	fail "the header does not compile for the guest"
# shellcheck disable=SC2086
"$gxx" $cpu -std=c++11 -Wall -Wextra -Werror $inc -x c++ -c use.c -o use_cxx.o ||
	fail "the header does not compile as C++"
# shellcheck disable=SC2086
"$hostcc" -std=c11 -Wall -Wextra -Werror $inc -fsyntax-only use.c ||
	fail "the header does not compile on the host (layout asserts)"
printf '#include <outboard_calls.h>\n' >direct.c
if "$gcc" $cpu -Igen/include -fsyntax-only direct.c 2>direct.err; then
	fail "including outboard_calls.h without outboard.h should fail"
fi
grep -q 'include <outboard.h>' direct.err || fail "the error does not say to include <outboard.h>"

# Syscall stubs: a 5-argument call loads r4 from the stack, not r5.
for s in gen/stubs/*.S; do
	"$gcc" $cpu -c "$s" -o "$s.o" || fail "$s does not assemble"
done
"$objdump" -d gen/stubs/ob_evf_wait.S.o | awk '/^ +[0-9a-f]+:/ { $1 = ""; $2 = ""; print }' |
	sed 's/^ *//; s/[[:space:]]*@.*//; s/[[:space:]]\+/ /g' >evf.dis
printf '%s\n' 'push {r4, r5, r7, lr}' 'ldr r4, [sp, #16]' 'mov r7, #25' 'svc 0x00000000' \
	'pop {r4, r5, r7, pc}' >evf.expected
diff evf.expected evf.dis >&2 || fail "ob_evf_wait's stub is not the documented code"
"$objdump" -d gen/stubs/ob_open.S.o | grep -q 'ldr.*r4' && fail "ob_open's stub loads r4"
"$objdump" -h gen/stubs/ob_open.S.o | grep -q ' \.text\.ob_open ' || fail "ob_open is not in .text.ob_open"

# An import stub, linked: {name, slot} points at the name and at the word
# after the stub's ldr pc.
"$abigen" --stubs gen/stubs --extra-import test_hle_call
[ -f gen/stubs/ob_test_hle_call.S ] || fail "no stub for the extra import"
"$gcc" $cpu -c gen/stubs/ob_test_hle_call.S -o imp.o
"$gcc" $cpu -nostdlib -Wl,-Ttext=0x10000 -Wl,-e,ob_test_hle_call imp.o -o imp.elf ||
	fail "the import stub does not link"
set -- $("$objdump" -s -j .ob_imports imp.elf | awk '/^ [0-9a-f]+ / { print $2, $3; exit }')
[ $# -eq 2 ] || fail "no .ob_imports entry"
le() { echo "$1" | sed 's/\(..\)\(..\)\(..\)\(..\)/\4\3\2\1/'; }
name=$("$objdump" -s --start-address=0x$(le "$1") --stop-address=$((0x$(le "$1") + 14)) imp.elf |
	awk '/^ [0-9a-f]+ / { print $NF }' | tr -d '\n')
case $name in test_hle_call.*) ;; *) fail "the import's name reads '$name'" ;; esac
[ "$(le "$2")" = 00010004 ] || fail "slot at 0x$(le "$2"), expected 0x00010004"
"$objdump" -d imp.elf | grep -q '10000:.*e51ff004.*ldr.*pc' || fail "the stub is not ldr pc, [pc, #-4]"

# Stale stubs go, other files stay, unchanged outputs keep their mtime.
: >gen/stubs/ob_stale_call.S
: >gen/stubs/README
touch -d '2001-01-01' $h gen/stubs/ob_open.S
"$abigen" --header $h --stubs gen/stubs
[ ! -e gen/stubs/ob_stale_call.S ] || fail "a stale stub was not removed"
[ ! -e gen/stubs/ob_test_hle_call.S ] || fail "the extra import's stub outlived its option"
[ -e gen/stubs/README ] || fail "a file that is not a stub was removed"
[ "$(stat -c %Y $h)" = "$(date -d 2001-01-01 +%s)" ] || fail "an unchanged header was rewritten"
[ "$(stat -c %Y gen/stubs/ob_open.S)" = "$(date -d 2001-01-01 +%s)" ] || fail "an unchanged stub was rewritten"

# The doc section: current, stale, missing markers.
{ echo "# Title"; echo "before"; echo "<!-- calls:begin -->"; cat gen/calls.md
  echo "<!-- calls:end -->"; echo "after"; } >doc.md
"$abigen" --check-doc doc.md || fail "--check-doc rejects a current section"
sed 's/^| 64 | `open` |/| 64 | `OPEN` |/' doc.md >stale.md
cmp -s doc.md stale.md && fail "the test's edit did not apply"
status=0
"$abigen" --check-doc stale.md 2>stale.err || status=$?
[ "$status" -eq 1 ] || fail "--check-doc accepts a stale section (status $status)"
grep -q -- '--update-doc' stale.err || fail "--check-doc does not say how to fix it"
"$abigen" --update-doc stale.md
cmp -s doc.md stale.md || fail "--update-doc did not restore the section and the text around it"
grep -v 'calls:' doc.md >nomarkers.md
if "$abigen" --check-doc nomarkers.md 2>/dev/null; then fail "--check-doc accepts a file without markers"; fi
note "passed"
