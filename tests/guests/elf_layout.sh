#!/bin/sh
# The SDK's images follow docs/abi.md without any host: static ARM ET_EXEC
# files linked at 0x10000 with separate page-aligned R+X, R and RW PT_LOAD
# segments, nothing below 0x10000, the entry in the text segment; and an
# import becomes an .ob_imports entry {name, slot} whose name is the import's
# and whose slot is the word after the stub's `ldr pc`.
# Usage: elf_layout.sh ARM_READELF ARM_OBJDUMP
. "$(dirname "$0")/lib.sh"

readelf=${1:?usage: elf_layout.sh ARM_READELF ARM_OBJDUMP}
objdump=${2:?}

check_image() {
	local elf=$1 name
	name=$(basename "$elf")
	"$readelf" -h "$elf" >"$WORK/h"
	grep -q 'Class:.*ELF32' "$WORK/h" || fail "$name: not ELF32"
	grep -q 'Data:.*little endian' "$WORK/h" || fail "$name: not little-endian"
	grep -q 'Type:.*EXEC' "$WORK/h" || fail "$name: not ET_EXEC"
	grep -q 'Machine:.*ARM' "$WORK/h" || fail "$name: not EM_ARM"
	"$readelf" -lW "$elf" | awk '$1 == "LOAD"' >"$WORK/loads"
	# Fields: LOAD offset vaddr paddr filesz memsz flags... align
	[ "$(wc -l <"$WORK/loads")" -eq 3 ] || fail "$name: $(wc -l <"$WORK/loads") PT_LOADs, expected 3"
	flags=$(awk '{ f = ""; for (i = 7; i < NF; i++) f = f $i; printf "%s;", f }' "$WORK/loads")
	[ "$flags" = "RE;R;RW;" ] || fail "$name: segment permissions $flags, expected RE;R;RW;"
	while read -r _ off vaddr _; do
		[ "$((vaddr))" -ge $((0x10000)) ] || fail "$name: a segment at $vaddr, below 0x10000"
		[ $((vaddr % 4096)) -eq 0 ] && [ $((off % 4096)) -eq 0 ] ||
			fail "$name: segment at $vaddr (offset $off) is not page-aligned"
	done <"$WORK/loads"
	first=$(awk 'NR == 1 { print $3 }' "$WORK/loads")
	[ "$((first))" -eq $((0x10000)) ] || fail "$name: text at $first, expected 0x10000"
	entry=$(awk '/Entry point/ { print $4 }' "$WORK/h")
	textsz=$(awk 'NR == 1 { print $6 }' "$WORK/loads")
	[ "$((entry))" -ge $((0x10000)) ] && [ "$((entry))" -lt $((0x10000 + textsz)) ] ||
		fail "$name: entry $entry outside the text segment"
}

for prog in hello hello_thumb files threads missing_import fault_null; do
	check_image "$(guest_path $prog)"
done

# The rdimon programs keep the toolchain's default link: text at 0x8000,
# below the SDK's 0x10000 (outboard runs both, docs/abi.md).
for prog in semihost_parity cpu_bound_rdimon fs_read_bench_rdimon fault_null_rdimon; do
	first=$("$readelf" -lW "$(guest_path $prog)" | awk '$1 == "LOAD" { print $3; exit }')
	[ "$((first))" -eq $((0x8000)) ] || fail "$prog: first segment at $first, expected the default 0x8000"
done

# The import table of missing_import.elf.
elf=$(guest_path missing_import)
"$readelf" -SW "$elf" | grep -q ' \.ob_imports ' || fail "missing_import.elf has no .ob_imports"
set -- $("$objdump" -s -j .ob_imports "$elf" | awk '/^ [0-9a-f]+ / { print $2, $3; exit }')
[ $# -eq 2 ] || fail "cannot read .ob_imports"
# Little-endian words: reverse the bytes of each.
le() { echo "$1" | sed 's/\(..\)\(..\)\(..\)\(..\)/\4\3\2\1/'; }
name_addr=$(le "$1")
slot_addr=$(le "$2")
name=$("$objdump" -s --start-address=0x$name_addr --stop-address=$((0x$name_addr + 17)) "$elf" |
	awk '/^ [0-9a-f]+ / { print $NF }' | tr -d '\n')
case $name in no_such_hle_call*) ;; *) fail "import name at 0x$name_addr reads '$name'" ;; esac
stub=$("$objdump" -d "$elf" | awk '/<ob_no_such_hle_call>:/ { getline; print $1 }' | tr -d ':')
[ $((0x$stub + 4)) -eq $((0x$slot_addr)) ] ||
	fail "slot 0x$slot_addr is not the word after the stub's ldr pc (stub at 0x$stub)"
note "passed"
