#!/bin/sh
# make aa [QUICK=1] [DIR=/mnt/x]: an A/A test of compare's verdicts.  The
# sweep of `make bench` (declared in scripts/bench.sh) runs twice with the
# same build on the same machine, and the second run is compared with the
# first.  Nothing changed between them, so every faster or slower verdict is
# false: prints how many of the cells compared got one, and how many chance
# alone would give.  RESULTS_DIR (default results) says where the runs go.
# It also writes the machine's noise floor per cell, floor.csv (`iopaths
# floor`: the 95th percentile of the far ends of A/A intervals over this run
# and every earlier make aa of this host and sweep kept in RESULTS_DIR), for
# `iopaths compare --floor` across boots, where the sides cannot take turns.
set -eu

iopaths=${IOPATHS:-build/iopaths}
results=${RESULTS_DIR:-results}
kind=aa # the sweep, in the folder's name: a floor is kept per sweep
[ "${QUICK:-0}" = 1 ] && kind=aa-quick
host=$(hostname)
root=$results/$kind-$host-$(date +%Y%m%d-%H%M%S)
[ -e "$root" ] && { echo "aa: $root exists; not overwriting it" >&2; exit 2; }
mkdir -p "$root"
start=$(date +%s)
for side in a b; do
	echo "aa: sweep $side of 2"
	OUT=$root/$side SWEEP_ONLY=1 QUICK="${QUICK:-0}" scripts/bench.sh >"$root/$side.log" 2>&1 ||
		{ tail -n 20 "$root/$side.log" >&2; exit 1; }
done
"$iopaths" compare "$root/compare" "$root/a" "$root/b" >"$root/compare.txt"
tail -n 5 "$root/compare.txt"
# This run's A/A table first, then the earlier ones of this host and sweep
# that name a cell whole (older compare.csv lack the key columns: skipped).
set -- "$root/compare/compare.csv"
for earlier in "$results/$kind-$host"-*/compare/compare.csv; do
	if [ -f "$earlier" ] && [ "$earlier" != "$1" ] && "$iopaths" query "$earlier" strategy >/dev/null 2>&1; then
		set -- "$@" "$earlier"
	fi
done
"$iopaths" floor "$root/floor.csv" "$@"

csv=$root/compare/compare.csv
count() { "$iopaths" query "$csv" verdict | grep -c -x -e "$1" || true; }
faster=$(count faster)
slower=$(count slower)
same=$(count same)
unsure=$(count 'cannot tell')
one=$(count 'no verdict')
few=$(count 'too few samples')
compared=$((faster + slower + same + unsure + one + few))
tested=$((faster + slower + same + unsure))
raw=$("$iopaths" query "$csv" p_value | awk 'NF && $1 <= 0.05 { n++ } END { print n + 0 }')
echo
echo "aa: $(($(date +%s) - start)) s; runs, table and page in $root"
if [ "$compared" -eq 0 ]; then
	echo "aa: no cell to compare" >&2
	exit 1
fi
awk -v f="$((faster + slower))" -v c="$compared" -v t="$tested" -v few="$((few + one))" -v one="$one" -v raw="$raw" 'BEGIN {
	printf "aa: false verdicts: %d of %d cells compared (%.1f%%); %d could get none (%d with one worker a side)\n", f, c, 100 * f / c, few, one
	if (t > 0) {
		printf "aa: before the correction %d of %d tested cells had p <= 0.05; chance alone would give about %.1f (5%%)\n", raw, t, 0.05 * t
		printf "aa: after Benjamini-Hochberg, chance alone would give a false verdict in at most 5%% of A/A tables\n"
	}
}'
