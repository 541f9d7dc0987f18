#!/bin/sh
# demo_script_plan: the committed scripts are what the game's rules plan:
# examples/snake/demo.script is a header and `ob-snake-plan 7 self`,
# tests/demo/short.script a header and `ob-snake-plan 1 escape`. When the
# rules, the seed or the layout of the board change, re-plan them:
#   build/tests/ob-snake-plan 7 self     (keep the header, replace the rest)
# and update what the tests expect (tests/demo/lib.sh, docs/snake.png).
set -eu
PLAN=$1
WORK=$(mktemp -d "${TMPDIR:-/tmp}/ob-demo-plan.XXXXXX")
trap 'rm -rf "$WORK"' EXIT INT TERM

# check SCRIPT FOODS END: SCRIPT after its header (up to the first blank
# line) is exactly the plan.
check() {
	"$PLAN" "$2" "$3" >"$WORK/plan" || { echo "FAIL plan: ob-snake-plan $2 $3 failed" >&2; exit 1; }
	sed '1,/^$/d' "$1" >"$WORK/script"
	if ! diff -u "$WORK/plan" "$WORK/script"; then
		echo "FAIL plan: $1 is not what 'ob-snake-plan $2 $3' plans (above)" >&2
		exit 1
	fi
	echo "plan: $1 is ob-snake-plan $2 $3"
}

check "$OB_SRC/examples/snake/demo.script" 7 self
check "$OB_SRC/tests/demo/short.script" 1 escape

# Bad command lines, and a plan that cannot end as asked.
for args in "" "7" "x self" "7 sideways" "-1 wall"; do
	status=0
	# shellcheck disable=SC2086 # the words are the arguments
	"$PLAN" $args >/dev/null 2>"$WORK/err" || status=$?
	[ $status -eq 2 ] || { echo "FAIL plan: 'ob-snake-plan $args' exit $status, expected 2" >&2; exit 1; }
done
status=0
"$PLAN" 1 self >/dev/null || status=$?
[ $status -eq 1 ] || { echo "FAIL plan: a snake of 4 cannot turn into itself, yet exit $status" >&2; exit 1; }
echo "plan: passed"
