#!/bin/sh
# make compare A=results/x B=results/y [C=...]: the table (faster, slower, no
# difference), compare.csv, and the figures of scripts/figures/compare/ (an
# overlay and a ratio figure) in plots/compare-<time>/ as PNG, SVG and PDF.  Runs from different machines,
# kernels and filesystems combine.  compare.csv is read by column name (through
# `iopaths query`), so columns appended to it change nothing here; what it
# holds reaches gnuplot as data only (see lib.sh).
set -euf

[ "$#" -ge 2 ] || { echo "usage: scripts/compare.sh RUN_A RUN_B [RUN ...]  (A is the base)" >&2; exit 2; }
prog=compare
here=$(cd "$(dirname "$0")" && pwd)
iopaths=${IOPATHS:-build/iopaths}
# shellcheck source=scripts/lib.sh
. "$here/lib.sh"
# Each run a folder, or one line here (a name with a line break in it
# included) before iopaths compare reads any.
for r in "$@"; do
	[ -d "$r" ] || die "$r is not a folder"
done
out=${COMPARE_OUT:-${PLOTS_DIR:-plots}/compare-$(date +%Y%m%d-%H%M%S)}
if [ -e "$out" ] || [ -L "$out" ]; then die "$out exists; not overwriting it"; fi
# It says what is wrong itself, in one line.
"$iopaths" compare "$out" "$@" || exit $?
made_out=$out

csv=$out/compare.csv
figures=$here/figures/compare
series_keys="cache sink run label"
series_columns "$figures"
# shellcheck disable=SC2086 # series_keys and columns: plain words
check_table "$csv" run_dir $series_keys $columns
strategies=$(strategy_names)

q run | uniq_lines >"$scratch/runs"
nruns=0 run_codes="" subtitle=""
while IFS= read -r r; do
	dir=$(q run_dir run="$r" | head -n 1)
	[ -n "$dir" ] || die "$csv has a run name with a line break in it; not drawing"
	nruns=$((nruns + 1))
	run_codes="$run_codes, \"$(codes "$r")\""
	subtitle="$subtitle$r = $dir; "
done <"$scratch/runs"
# Every run compared has rows (a run with an empty summary.csv has none).
[ "$nruns" -eq "$#" ] || die "$csv has rows of $nruns of the $# runs: a run with no rows is nothing to compare"

# One series per (cache, sink, run, label), in this order (see plots.sh), of
# MiB/s only (metric=mibps: pressure.csv's rows are in the table, not drawn);
# run_of is the run's place, 1 the base.
run_of=""
for c in hot cold; do
	for k in process unix tcp file null; do
		i=0
		while IFS= read -r r; do
			i=$((i + 1))
			q label cache="$c" sink="$k" run="$r" metric=mibps | uniq_lines >"$scratch/labels"
			while IFS= read -r l; do
				series_add cache="$c" sink="$k" run="$r" label="$l" metric=mibps
				run_of="$run_of, $i"
			done <"$scratch/labels"
		done <"$scratch/runs"
	done
done
[ "$nseries" -gt 0 ] || die "$csv has no row of a known cache state and sink"
{
	series_gp
	echo "array run_of[$nseries] = [${run_of#, }]"
	echo "nruns = $nruns"
	echo "array run_codes[$nruns] = [${run_codes#, }]"
	echo "subtitle_codes = \"$(codes "$subtitle")\""
	# one scale for every ratio panel, at least 0.5 to 2
	for i in $(seq "$nseries"); do cat "$scratch/s$i/ratio"; done | awk '
		$1 ~ /^[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$/ && $1 + 0 > 0 { if (!lo || $1 + 0 < lo) lo = $1 + 0; if ($1 + 0 > hi) hi = $1 + 0 }
		END { lo = lo && lo / 1.2 < 0.5 ? lo / 1.2 : 0.5; hi = hi * 1.2 > 2 ? hi * 1.2 : 2
		      printf "ratio_lo = %.6g\nratio_hi = %.6g\n", (lo < 1e-6 ? 1e-6 : lo), (hi > 1e6 ? 1e6 : hi) }'
} >"$scratch/common.gp"

made_out=
if draw_figures "$out" "$figures"; then
	echo "compare: $out/{$drawn_names}.{png,svg,pdf}, figures.csv and compare.csv"
else
	exit 1
fi
