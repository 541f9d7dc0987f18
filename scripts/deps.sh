#!/usr/bin/env bash
# Installs what outboard needs on Debian bookworm (or newer), idempotently.
# As root it runs apt-get; otherwise it prints the one command to run.
#
# Unicorn must be >= 2.1 (DESIGN.md: 2.0.1 is 12x slower). bookworm ships
# 2.0.1, so on bookworm we add the trixie suite at pin priority 100 and take
# libunicorn-dev from there; nothing else is pulled from trixie.
set -euo pipefail

packages=(
	build-essential cmake pkg-config git
	libnanomsg-dev libprotobuf-c-dev protobuf-c-compiler libcmocka-dev
	gcc-arm-none-eabi libnewlib-arm-none-eabi qemu-user
	libinih-dev libsodium-dev libseccomp-dev
	libspng-dev libsdl2-dev libsndfile1-dev libfreetype-dev xfonts-base
	xvfb xauth x11-apps imagemagick
	clang libclang-rt-14-dev
	iproute2 procps psmisc socat valgrind python3-xlib tmux
	gdb-multiarch
)

unicorn_min=2.1

have_pkg() {
	dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"
}

unicorn_ok() {
	local v
	v=$(dpkg-query -W -f='${Version}' libunicorn-dev 2>/dev/null) || return 1
	[ -n "$v" ] && dpkg --compare-versions "$v" ge "$unicorn_min"
}

codename() {
	. /etc/os-release
	echo "${VERSION_CODENAME:-}"
}

# The first Debian mirror URI the machine already uses, so we never hard-code
# a host name (deb822 .sources files first, then the one-line format).
debian_mirror() {
	local uri
	uri=$(grep -hE '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null |
		awk '{print $2}' | grep -v -- '-security' | grep -m1 debian || true)
	if [ -z "$uri" ]; then
		uri=$(grep -hE '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
			awk '{for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) {print $i; exit}}' |
			grep -v -- '-security' | grep -m1 debian || true)
	fi
	echo "${uri:-http://deb.debian.org/debian}"
}

missing=()
for p in "${packages[@]}"; do
	have_pkg "$p" || missing+=("$p")
done
need_unicorn=0
unicorn_ok || need_unicorn=1

if [ ${#missing[@]} -eq 0 ] && [ $need_unicorn -eq 0 ]; then
	echo "deps: everything is installed"
	exit 0
fi

trixie_list=/etc/apt/sources.list.d/outboard-trixie.list
trixie_pin=/etc/apt/preferences.d/outboard-trixie
unicorn_cmd="apt-get install -y libunicorn-dev"
need_trixie=0
if [ $need_unicorn -eq 1 ] && [ "$(codename)" = bookworm ]; then
	need_trixie=1
	unicorn_cmd="apt-get install -y -t trixie libunicorn-dev"
fi

if [ "$(id -u)" -ne 0 ]; then
	echo "deps: missing: ${missing[*]} $([ $need_unicorn -eq 1 ] && echo "libunicorn-dev>=$unicorn_min")"
	echo "deps: run as root:  sudo make deps"
	exit 1
fi

export DEBIAN_FRONTEND=noninteractive
if [ $need_trixie -eq 1 ]; then
	mirror=$(debian_mirror)
	echo "deps: adding trixie from $mirror at pin 100 for libunicorn-dev >= $unicorn_min"
	echo "deb $mirror trixie main" >"$trixie_list"
	printf 'Package: *\nPin: release n=trixie\nPin-Priority: 100\n' >"$trixie_pin"
fi
apt-get update -qq
if [ ${#missing[@]} -gt 0 ]; then
	echo "deps: installing ${missing[*]}"
	apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
if [ $need_unicorn -eq 1 ]; then
	echo "deps: installing libunicorn-dev >= $unicorn_min"
	$unicorn_cmd -qq --no-install-recommends
fi
unicorn_ok || { echo "deps: libunicorn-dev is still older than $unicorn_min" >&2; exit 1; }
echo "deps: done"
