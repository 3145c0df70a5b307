#!/bin/sh
# make lint: the checkers, all quiet or a failure: shellcheck on every script,
# cppcheck on the C, and gcc's -fanalyzer (leaks and misuse on error paths).
set -eu
cd "$(dirname "$0")/.."
cc=${CC:-cc}
# The include folders: the Makefile's, so the two cannot drift apart.
includes=$(make -s --no-print-directory print-includes)
export LINT_CC="$cc" LINT_INCLUDES="$includes"

echo "lint: shellcheck"
# every script, in scripts/ and its folders (scripts/serve/plots.sh, ...)
find scripts -name '*.sh' -exec shellcheck -x .ci/run {} +

echo "lint: cppcheck"
# shellcheck disable=SC2086 # one word per include folder
cppcheck -q --enable=warning,style,performance,portability --inline-suppr --error-exitcode=1 \
	$includes -D_GNU_SOURCE harness benches demos tests

echo "lint: $cc -fanalyzer"
# harness, benches and demos only: cmocka's asserts, which do not return on failure, look
# like fall-throughs to the analyzer in tests.
# shellcheck disable=SC2016 # expanded by the inner shell, once per file
find harness benches demos -name '*.c' -print0 | xargs -0 -n 1 -P "$(nproc)" sh -c \
	'$LINT_CC -std=gnu11 -D_GNU_SOURCE $LINT_INCLUDES -O2 -fanalyzer -Werror -Wall -Wextra \
		-DIOPATHS_GIT_REVISION=\"lint\" -DIOPATHS_CFLAGS=\"lint\" -c "$0" -o /dev/null'
echo "lint: quiet"
