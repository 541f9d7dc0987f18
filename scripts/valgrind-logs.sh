#!/bin/sh
# valgrind-logs.sh DIR: the verdict of make check-valgrind. Every process the
# tests ran under valgrind left DIR/<pid>.log; with -q a log holds only
# errors (invalid accesses, uninitialised values) and leak records, so any
# non-empty log is a failure, and so is an empty DIR (valgrind never ran).
set -eu
dir=${1:?usage: valgrind-logs.sh DIR}

total=$(find "$dir" -name '*.log' | wc -l)
if [ "$total" -eq 0 ]; then
	echo "check-valgrind: no valgrind logs in $dir: nothing ran under valgrind" >&2
	exit 1
fi
bad=$(find "$dir" -name '*.log' -size +0 | sort)
if [ -n "$bad" ]; then
	echo "check-valgrind: valgrind reported problems in $(echo "$bad" | wc -l) of $total processes:" >&2
	for f in $bad; do
		echo "--- $f" >&2
		cat "$f" >&2
	done
	exit 1
fi
echo "check-valgrind: $total processes ran under valgrind: no invalid access, no leak"
