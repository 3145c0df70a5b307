#!/bin/sh
# make test's two passes at once, one per core: the normal build's tests
# (their output kept in build/test-normal.log: the times when all pass, the
# whole log when one fails) beside the AddressSanitizer + UBSan build's,
# shown as they run.  Both run to the end; the status is 0 only when both
# passed.  scripts/test-both.sh TEST...
set -eu
log=build/test-normal.log
scripts/run-tests.sh build "$@" >"$log" 2>&1 &
normal=$!
trap 'kill "$normal" 2>/dev/null || true' INT TERM HUP
asan_rc=0
scripts/run-tests.sh build/asan "$@" || asan_rc=$?
normal_rc=0
wait "$normal" || normal_rc=$?
trap - INT TERM HUP
if [ "$normal_rc" -ne 0 ]; then
	cat "$log"
else
	grep -e '^== .* passed in ' -e '^build: ' "$log"
fi
[ "$asan_rc" -eq 0 ] && [ "$normal_rc" -eq 0 ]
