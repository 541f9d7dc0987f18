#!/bin/sh
# install_tree: `cmake --install` of this build into a scratch prefix P,
# then as a user would, from a directory outside the repository and with a
# PATH that knows nothing of the build:
# - P/bin has every outboard-* program of the build except the test-only
#   outboard-test-*; P has the plugin SDK (headers, libraries, CMake
#   package, pkg-config files), the guest SDK and the example backend;
# - `P/bin/outboard plugins` exits 0, lists the installed backends and one
#   found in PATH, and no test-only one;
# - share/outboard/examples/display-count builds out of tree with
#   `cmake -S ... -B ... -DCMAKE_PREFIX_PATH=P`, and with the compiler and
#   `pkg-config outboard-display`;
# - the snake game (tests/demo/short.script) played by P/bin/outboard with
#   --display count prints "display-count: N frames", N being the number of
#   frames the default display-png writes for the same game.
# Usage: install_tree.sh CMAKE PKG_CONFIG CC
. "$OB_SRC/tests/guests/lib.sh"

cmake=${1:?usage: install_tree.sh CMAKE PKG_CONFIG CC}
pkgconfig=${2:?}
cc=${3:?}
P=$WORK/prefix
"$cmake" --install "$OB_BUILD" --prefix "$P" >install.log 2>&1 ||
	{ cat install.log >&2; fail "cmake --install failed"; }

# Every program of the build but the test-only ones, and none of those.
for exe in "$OB_BIN"/outboard*; do
	name=$(basename "$exe")
	case $name in
	outboard-test-*) [ ! -e "$P/bin/$name" ] || fail "the test-only $name was installed" ;;
	*) [ -x "$P/bin/$name" ] || fail "$name is not installed in bin/" ;;
	esac
done
for f in include/outboard/plugin.h include/outboard/ipc.h include/outboard/proto/outboard.pb-c.h \
	include/obd/display.h lib/libob_plugin_sdk.a lib/libob_ipc.a lib/libob_proto.a \
	lib/libob_display_common.a lib/cmake/outboard/outboardConfig.cmake \
	lib/pkgconfig/outboard-plugin.pc lib/pkgconfig/outboard-display.pc \
	share/outboard/sdk/lib/libob.a share/outboard/sdk/cmake/arm-none-eabi.cmake \
	share/outboard/examples/display-count/CMakeLists.txt \
	share/outboard/examples/display-count/display_count.c; do
	[ -f "$P/$f" ] || fail "the install has no $f"
done
note "the prefix holds the programs and both SDKs"

# The example, out of tree, with CMake...
ex=$P/share/outboard/examples/display-count
"$cmake" -S "$ex" -B "$WORK/dc" -DCMAKE_PREFIX_PATH="$P" >dc.log 2>&1 &&
	"$cmake" --build "$WORK/dc" >>dc.log 2>&1 || { cat dc.log >&2; fail "display-count did not build with CMake"; }
[ -x "$WORK/dc/outboard-display-count" ] || fail "no outboard-display-count after the CMake build"
# ...and with pkg-config.
flags=$(PKG_CONFIG_PATH=$P/lib/pkgconfig "$pkgconfig" --cflags --libs outboard-display) ||
	fail "pkg-config does not know outboard-display"
# shellcheck disable=SC2086 # the flags are words
"$cc" -o "$WORK/dc-pc" "$ex/display_count.c" $flags 2>pc.log || { cat pc.log >&2; fail "display-count did not build with pkg-config"; }
"$WORK/dc-pc" --describe >pc.describe || fail "the pkg-config build does not run"
grep -qx 'display-count 1.0 display' pc.describe || fail "display-count describes itself as: $(cat pc.describe)"
note "display-count builds with CMake and with pkg-config"

# A user's directory and PATH: the game and its script copied out of the
# repository; PATH holds the system and the example's build directory.
mkdir "$WORK/user"
cp "$OB_EXAMPLES/snake.elf" "$OB_SRC/tests/demo/short.script" "$WORK/user/"
cd "$WORK/user"
PATH=$WORK/dc:/usr/bin:/bin
export PATH

status=0
"$P/bin/outboard" plugins >plugins.out 2>plugins.err || status=$?
[ "$status" -eq 0 ] || { cat plugins.out plugins.err >&2; fail "outboard plugins exited $status"; }
for b in fs-hostdir fs-mem display-png display-null sound-wav sound-null input-script input-null; do
	grep -Eq "^$b +[^ ]+ +[a-z,]+ +$P/bin/outboard-$b\$" plugins.out ||
		{ cat plugins.out >&2; fail "outboard plugins does not list $b in $P/bin"; }
done
grep -Eq "^display-count +1\.0 +display +$WORK/dc/outboard-display-count\$" plugins.out ||
	{ cat plugins.out >&2; fail "outboard plugins does not list display-count from PATH"; }
! grep -q 'test-echo\|keygen\|outboard-cpu' plugins.out plugins.err ||
	fail "outboard plugins lists a test-only backend or a program: $(cat plugins.out plugins.err)"
[ ! -s plugins.err ] || fail "outboard plugins complained: $(cat plugins.err)"
note "outboard plugins lists the installed backends and display-count, exit 0"

# play TAG [OPTIONS...]: the short scripted game in ./TAG
play() {
	tag=$1
	shift
	mkdir "$tag"
	status=0
	(cd "$tag" && timeout -k 5 60 "$P/bin/outboard" run --out . "$@" \
		--input script:../short.script ../snake.elf </dev/null >../$tag.out 2>../$tag.err) ||
		status=$?
	[ "$status" -eq 0 ] || { cat $tag.out $tag.err >&2; fail "the $tag game exited $status"; }
	grep -qx 'snake: length 4, 6 moves, quit' $tag.out || fail "the $tag game went otherwise: $(cat $tag.out)"
}
play png
frames=$(ls png/frames | wc -l)
[ "$frames" -gt 0 ] || fail "display-png wrote no frame"
play count --display count
grep -Eq "^\[display-count\] display-count: $frames frames\$" count.err ||
	{ cat count.err >&2; fail "display-count did not report $frames frames"; }
[ ! -e count/frames ] || fail "display-count wrote frames"
note "the installed launcher ran the game with display-count: $frames frames"
