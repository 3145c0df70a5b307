#!/bin/sh
# Runs every test binary of one build (build or build/asan) against that
# build's iopaths, and closes with one "N passed, N failed" line.
set -eu

dir=$1
shift
passed=0
failed=0
for t in "$@"; do
	echo "== $dir/tests/$t"
	if IOPATHS_BIN="$dir/iopaths" "$dir/tests/$t"; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		echo "FAILED: $dir/tests/$t"
	fi
done
echo "$dir: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
