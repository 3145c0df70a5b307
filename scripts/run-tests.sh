#!/bin/sh
# Runs every test binary of one build (build or build/asan) against that
# build's iopaths, each with the seconds it took (make test must stay under
# 10 minutes on 2 cores), and closes with one "N passed, N failed" line.
set -eu

dir=$1
shift
passed=0
failed=0
for t in "$@"; do
	echo "== $dir/tests/$t"
	start=$(date +%s)
	if IOPATHS_BIN="$dir/iopaths" "$dir/tests/$t"; then
		passed=$((passed + 1))
		echo "== $dir/tests/$t passed in $(($(date +%s) - start)) s"
	else
		failed=$((failed + 1))
		echo "FAILED: $dir/tests/$t, after $(($(date +%s) - start)) s"
	fi
done
echo "$dir: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
