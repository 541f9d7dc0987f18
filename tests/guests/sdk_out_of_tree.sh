#!/bin/sh
# docs/sdk.md, followed to the letter: install the SDK component from this
# build into $HOME/outboard (HOME is a scratch directory), write the example
# project's files as the page shows them, run the page's build commands
# (CMake with the installed toolchain file and package, then the plain
# compiler commands), and check that both give an ARM ET_EXEC.
# Usage: sdk_out_of_tree.sh CMAKE ARM_READELF
. "$(dirname "$0")/lib.sh"

cmake=${1:?usage: sdk_out_of_tree.sh CMAKE ARM_READELF}
readelf=${2:?}
doc="$OB_SRC/docs/sdk.md"
PATH="$(dirname "$cmake"):$PATH"
HOME="$WORK/home"
export PATH HOME
mkdir -p "$HOME" proj

# The fenced block after each marker line: `<!-- sdk-example: FILE -->`
# blocks become FILE in proj/, `<!-- sdk-example-sh -->` blocks step-N.sh.
awk -v dir=proj '
	/^<!-- sdk-example: .* -->$/ { out = dir "/" $3; want = 1; next }
	/^<!-- sdk-example-sh -->$/ { out = "step-" (++n) ".sh"; want = 1; next }
	want && /^```/ { want = 0; inside = 1; next }
	inside && /^```$/ { inside = 0; close(out); next }
	inside { print > out }
' "$doc"
for f in proj/CMakeLists.txt proj/main.c step-1.sh step-2.sh step-3.sh; do
	[ -s "$f" ] || fail "docs/sdk.md no longer has the block for $f"
done

# Step 1 runs where `build` is the build tree.
ln -s "$OB_BUILD" build
sh -eu step-1.sh >install.log 2>&1 || { cat install.log >&2; fail "installing the SDK failed"; }
[ -f "$HOME/outboard/share/outboard/sdk/lib/libob.a" ] || fail "the install has no libob.a"

check_elf() {
	[ -f "$1" ] || fail "$1 was not built"
	"$readelf" -h "$1" >"$WORK/h"
	grep -q 'Machine:.*ARM' "$WORK/h" || fail "$1 is not an ARM ELF"
	grep -q 'Type:.*EXEC' "$WORK/h" || fail "$1 is not ET_EXEC"
	grep -q 'Class:.*ELF32' "$WORK/h" || fail "$1 is not ELF32"
}

# Steps 2 (CMake) and 3 (plain compiler), each in a copy of the project.
cp -r proj proj-cmake
(cd proj-cmake && sh -eu ../step-2.sh) >cmake.log 2>&1 || { cat cmake.log >&2; fail "the CMake build failed"; }
check_elf proj-cmake/build/greeter.elf
(cd proj && sh -eu ../step-3.sh) >manual.log 2>&1 || { cat manual.log >&2; fail "the manual build failed"; }
check_elf proj/greeter.elf
note "passed"
