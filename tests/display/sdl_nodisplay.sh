#!/bin/sh
# display_sdl_nodisplay: `--display sdl` where there is no display. SDL
# would fall back to a driver that draws nowhere (offscreen), and a game
# would wait for keys that cannot come: the plugin refuses to start with
# the reason and the way out, and `outboard run` exits 125 before the guest
# starts (issue 12, item 6). With SDL_VIDEODRIVER=offscreen (or dummy) in
# the launcher's environment, which reaches the plugin, the user asked for
# it: the guest runs to its end.
PNG_COMPARE=$1
. "$(dirname "$0")/lib.sh"

elf=$(guest_path draw)
printf '[display]\nbackend = sdl\n[sound]\nbackend = null\n' >"$WORK/sdl.ini"

# run_env TAG ENV...: run_guest with the display variables unset and ENV set.
run_env() {
	tag=$1
	shift
	status=0
	env -u DISPLAY -u WAYLAND_DISPLAY -u SDL_VIDEODRIVER "$@" \
		timeout -k 5 60 "$OB_BIN/outboard" run --config "$WORK/sdl.ini" "$elf" </dev/null \
		>"$WORK/$tag.out" 2>"$WORK/$tag.err" || status=$?
	echo "$status" >"$WORK/$tag.status"
}

run_env none
expect_status none 125
expect_grep none err 'display-sdl\] error: no display: SDL found none it can use \(DISPLAY=unset, WAYLAND_DISPLAY=unset\).*set SDL_VIDEODRIVER=offscreen to run without one' \
	"the reason and the way out"
expect_grep none err 'plugin display-sdl exited with status 1 before answering Hello' "the launcher's refusal"
[ ! -s "$WORK/none.out" ] || { show none; fail "the guest ran"; }
note "no display: refused"

for driver in offscreen dummy; do
	run_env "$driver" SDL_VIDEODRIVER=$driver
	expect_status "$driver" 0
	expect_grep "$driver" out '^draw: done$' "the guest's end"
	note "SDL_VIDEODRIVER=$driver: runs"
done
# SDL's list form names the fallback too.
run_env list SDL_VIDEODRIVER=x11,offscreen
expect_status list 0
note "passed"
