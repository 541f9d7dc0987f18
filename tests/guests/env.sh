#!/bin/sh
# The guest environment (docs/launcher.md, Environment): empty by default,
# whatever outboard's own holds; set by [env], --env and --unset-env in that
# order; seen by SDK programs through environ, envp and getenv.
. "$(dirname "$0")/lib.sh"

ELF=$(guest_path env_print)

# Nothing of the host's environment leaks in.
HOME=/leak FOO=leak run_outboard none "$ELF" HOME FOO
expect_status none 0
printf 'count: 0\nenvp: same\ngetenv HOME: (unset)\ngetenv FOO: (unset)\n' >none.expected
expect_stdout none none.expected

# --env sets (a later one for the same name wins, keeping its place),
# --unset-env drops; values may hold spaces and '='.
run_outboard cli --env A=1 --env 'B=two words' --env C=x --env A=a=b --unset-env C \
	--unset-env NEVER "$ELF" A B C
expect_status cli 0
printf 'env: A=a=b\nenv: B=two words\ncount: 2\nenvp: same\n' >cli.expected
printf 'getenv A: a=b\ngetenv B: two words\ngetenv C: (unset)\n' >>cli.expected
expect_stdout cli cli.expected

# [env] first, then the command line over it; an empty value is a value.
cat >env.ini <<'INI'
[env]
FROM_FILE = yes
SHARED = file
GONE = soon
EMPTY =
INI
run_outboard file --config env.ini --env SHARED=cli --unset-env GONE "$ELF" SHARED EMPTY
expect_status file 0
printf 'env: FROM_FILE=yes\nenv: SHARED=cli\nenv: EMPTY=\ncount: 3\nenvp: same\n' \
	>file.expected
printf 'getenv SHARED: cli\ngetenv EMPTY: \n' >>file.expected
expect_stdout file file.expected

# Bad names are refused before anything starts, with 125.
for bad in --env==x --env=NOVALUE --unset-env=A=B --unset-env=; do
	run_outboard bad --out "$WORK/out" "$bad" "$ELF"
	expect_status bad 125
	expect_stderr_matches bad "env" "the option"
	[ ! -e "$WORK/out" ] || fail "'$bad': something was started"
done
note "ok"
