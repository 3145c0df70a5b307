#!/bin/sh
# make demos [NAMES="a b"] [OUT=results/<id>] [DIR=/var/tmp]: the seed's
# lessons as experiments (iopaths demo), then their page.  Exit 1 when a demo
# could not run; the others' rows and the page are written all the same.
set -eu
iopaths=${IOPATHS:-build/iopaths}
fs=$(findmnt -n -o FSTYPE --target "${DIR:-/var/tmp}" 2>/dev/null || echo fs)
out=${OUT:-results/$(hostname)-$(uname -r)-$fs-demos-$(date +%Y%m%d-%H%M%S)}
mkdir -p results
# NAMES is a list of demo names: split on blanks on purpose (no globbing),
# each one an argument.
set -f
# shellcheck disable=SC2086
set -- ${NAMES:-all}
status=0
"$iopaths" demo --out "$out" --dir "${DIR:-/var/tmp}" -- "$@" || status=$?
[ "$status" -le 1 ] || exit "$status"
[ -f "$out/demos.csv" ] || exit "$status"
"$iopaths" report "$out" "plots/$(basename -- "$out")" 2>/dev/null
echo "  demos    $out/demos.csv"
echo "  page     $out/index.html"
exit "$status"
