#!/usr/bin/env bash
# The demo: runs the hello guest through the launcher with the default
# (local, headless) plugins. Usage: scripts/demo.sh [BUILD_DIR]
set -euo pipefail
build=${1:-build}
top=$(cd "$(dirname "$0")/.." && pwd)
bin=$top/$build/bin
examples=$top/$build/examples
work=$(mktemp -d "${TMPDIR:-/tmp}/outboard-demo.XXXXXX")
cd "$work"
echo "demo: running hello.elf in $work"
echo "\$ outboard run $examples/hello.elf from the outboard demo"
set +e
"$bin/outboard" run "$examples/hello.elf" from the outboard demo
status=$?
set -e
echo "demo: the guest exited with status $status"
