#!/bin/sh
# make compare A=results/x B=results/y [C=...]: the table (faster, slower, no
# difference), compare.csv, and overlay and ratio figures in
# plots/compare-<time>/ as PNG, SVG and PDF.  Runs from different machines,
# kernels and filesystems combine.
set -eu

[ "$#" -ge 2 ] || { echo "usage: scripts/compare.sh RUN_A RUN_B [RUN ...]  (A is the base)" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
iopaths=${IOPATHS:-build/iopaths}
out=${COMPARE_OUT:-${PLOTS_DIR:-plots}/compare-$(date +%Y%m%d-%H%M%S)}
[ -e "$out" ] && { echo "compare: $out exists; not overwriting it" >&2; exit 2; }
"$iopaths" compare "$out" "$@"

csv=$out/compare.csv
# shellcheck source=scripts/lib.sh
. "$here/lib.sh"
q() { "$iopaths" query "$csv" "$@" || true; }
series=$(mktemp)
trap 'rm -f "$series"' EXIT INT TERM

runs=$(q run | uniq_lines | words)
{
	printf 'strategies = "%s"\n' "$(strategy_names)"
	printf 'runs = "%s"\n' "$runs"
	printf 'subtitle = "%s"\n' "$(for r in $runs; do printf '%s = %s; ' "$r" "$(q run_dir run="$r" | head -n 1)"; done)"
	printf 'size_tics = "%s"\n' "$(q file_bytes | size_axis)"
	printf 'ratio_range = "%s"\n' "$(q ratio | awk 'NF && $1 > 0 { if (!lo || $1 < lo) lo = $1; if ($1 > hi) hi = $1 }
		END { lo = lo && lo / 1.2 < 0.5 ? lo / 1.2 : 0.5; hi = hi * 1.2 > 2 ? hi * 1.2 : 2
		      printf "set yrange [%g:%g]", lo, hi }')"
	caches=$(for c in hot cold; do q cache cache="$c" | head -n 1; done | words)
	sinks=$(for k in process unix tcp file null; do q sink sink="$k" | head -n 1; done | words)
	printf 'panels_rows = "%s"\npanels_cols = "%s"\n' "$caches" "$sinks"
	# Per panel, "run@label" tokens that have points: overlay (MiB/s), ratio (runs after the base).
	for c in $caches; do for k in $sinks; do
		ov="" ra="" i=0
		for r in $runs; do
			i=$((i + 1))
			for l in $(q label cache="$c" sink="$k" run="$r" | uniq_lines); do
				q mibps_median cache="$c" sink="$k" run="$r" label="$l" | any_positive && ov="$ov $i@$l"
				[ "$i" -gt 1 ] && q ratio cache="$c" sink="$k" run="$r" label="$l" | any_positive && ra="$ra $i@$l"
			done
		done
		printf 'ov_%s_%s = "%s"\nra_%s_%s = "%s"\n' "$c" "$k" "${ov# }" "$c" "$k" "${ra# }"
	done; done
} >"$series"

status=0
for fig in compare-overlay compare-ratio; do
	render "$fig" "$out" "$csv" "$series" || status=1
done
[ "$status" -eq 0 ] && echo "compare: $out/{compare-overlay,compare-ratio}.{png,svg,pdf} and compare.csv"
exit "$status"
