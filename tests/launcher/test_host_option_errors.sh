#!/bin/bash
# A bad value for a CPU host option, on the command line or in the config
# file, ends `outboard run` with 125 and a message naming the option and the
# valid values, before any process starts: no plugin runs (it would leave a
# marker) and the CPU host is never started.
source "$(dirname "$0")/lib.sh" "$@"

# A "plugin" and a "CPU host" that only leave a marker.
printf '#!/bin/sh\ntouch "%s/started"\nexec "%s" "$@"\n' "$T" "$ECHO" >"$T/outboard-fs-marker"
printf '#!/bin/sh\ntouch "%s/started"\nexit 0\n' "$T" >"$T/cpu-marker"
chmod +x "$T/outboard-fs-marker" "$T/cpu-marker"
RUN=(run --cpu "$T/cpu-marker" --plugin fs="$T/outboard-fs-marker")

# option value, then what the message must say
cases=(
	"--trace=files"       "--trace: 'files' is neither a domain \\(kernel, fs, display, sound, input, all\\)"
	"--trace=fs,,kernel"  "got 'fs,,kernel'"
	"--heap-max=lots"     "--heap-max wants a size like 4096, 512k, 64M or 1G"
	"--heap-max=3G"       "--heap-max wants a size"
	"--stack=0"           "--stack wants a size"
	"--call-timeout=-1"   "--call-timeout wants milliseconds from 0 \(none\) to 3600000"
	"--time-limit=10s"    "--time-limit wants milliseconds"
	"--env=NOVALUE"       "--env wants NAME=VALUE"
	"--env==v"            "--env: bad variable name ''"
	"--unset-env=A=B"     "--unset-env: bad variable name 'A=B'"
)
for ((i = 0; i < ${#cases[@]}; i += 2)); do
	rm -f "$T/started"
	run_ob "${RUN[@]}" "${cases[i]}" prog
	assert_rc 125
	assert_grep "$T/err" "${cases[i + 1]}"
	[ ! -e "$T/started" ] || fail "${cases[i]}: a process was started"
done

# The same values in the config file: named by file and line.
conf_cases=(
	"trace = files"       ":2: trace: 'files' is neither a domain"
	"heap_max = lots"     ":2: heap_max wants a size"
	"stack = 1T"          ":2: stack wants a size"
	"call_timeout = 1.5"  ":2: call_timeout wants milliseconds"
	"time_limit = -1"     ":2: time_limit wants milliseconds"
)
for ((i = 0; i < ${#conf_cases[@]}; i += 2)); do
	rm -f "$T/started"
	printf '[run]\n%s\n' "${conf_cases[i]}" >"$T/bad.ini"
	run_ob "${RUN[@]}" --config "$T/bad.ini" prog
	assert_rc 125
	assert_grep "$T/err" "bad.ini${conf_cases[i + 1]}"
	[ ! -e "$T/started" ] || fail "'${conf_cases[i]}': a process was started"
done
printf '[env]\nA = 1\n= x\n' >"$T/bad.ini"
run_ob "${RUN[@]}" --config "$T/bad.ini" prog
assert_rc 125
[ ! -e "$T/started" ] || fail "[env] with a bad name: a process was started"

# Good values do start the run.
run_ob "${RUN[@]}" --trace=all --heap-max=128M --stack=2M --call-timeout=0 --time-limit=1000 \
	--env A=1 --unset-env A prog
assert_rc 0
[ -e "$T/started" ] || fail "good values: nothing was started"
echo PASS
