#!/bin/sh
# make lint: the checkers, all quiet or a failure: shellcheck on every script,
# cppcheck on the C, and gcc's -fanalyzer (leaks and misuse on error paths).
set -eu
cd "$(dirname "$0")/.."
cc=${CC:-cc}

echo "lint: shellcheck"
shellcheck -x scripts/*.sh .ci/run

echo "lint: cppcheck"
cppcheck -q --enable=warning,style,performance,portability --inline-suppr --error-exitcode=1 \
	-Iharness -Ibenches -Itests -D_GNU_SOURCE harness benches tests

echo "lint: $cc -fanalyzer"
# harness and benches only: cmocka's asserts, which do not return on failure, look
# like fall-throughs to the analyzer in tests.
# shellcheck disable=SC2016 # $1 is expanded by the inner shell, once per file
find harness benches -name '*.c' -print0 | xargs -0 -n 1 -P "$(nproc)" sh -c \
	'"$0" -std=gnu11 -D_GNU_SOURCE -Iharness -Ibenches -Itests -O2 -fanalyzer -Werror -Wall -Wextra \
		-DIOPATHS_GIT_REVISION=\"lint\" -DIOPATHS_CFLAGS=\"lint\" -c "$1" -o /dev/null' "$cc"
echo "lint: quiet"
