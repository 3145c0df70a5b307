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
q() { "$iopaths" query "$csv" "$@" || true; }
uniq_lines() { awk 'NF && !seen[$0]++'; }
words() { tr '\n' ' ' | sed 's/ *$//'; }
series=$(mktemp)
log=$(mktemp)
trap 'rm -f "$series" "$log"' EXIT INT TERM

runs=$(q run | uniq_lines | words)
{
	printf 'strategies = "%s"\n' "$("$iopaths" list | awk 'NR == 1 { next } NF == 0 { exit } { print $1 }' | words)"
	printf 'runs = "%s"\n' "$runs"
	printf 'subtitle = "%s"\n' "$(for r in $runs; do printf '%s = %s; ' "$r" "$(q run_dir run="$r" | head -n 1)"; done)"
	printf 'size_tics = "set xtics ('
	q file_bytes | sort -n | uniq_lines | awk '$1 > 0 { b = $1; i = 1; split("B K M G", u, " ")
		while (b >= 1024 && b % 1024 == 0 && i < 4) { b /= 1024; i++ }
		printf "%s\\\"%d%s\\\" %s", n++ ? ", " : "", b, (i == 1 ? " B" : u[i]), $1 }'
	printf ')"\n'
	caches=$(for c in hot cold; do q cache cache="$c" | head -n 1; done | words)
	sinks=$(for k in process unix tcp file null; do q sink sink="$k" | head -n 1; done | words)
	printf 'panels_rows = "%s"\npanels_cols = "%s"\n' "$caches" "$sinks"
	for c in $caches; do for k in $sinks; do
		# a strategy is drawn where the base run has it
		printf 'tp_%s_%s = "%s"\n' "$c" "$k" \
			"$(q label cache="$c" sink="$k" run="$(echo "$runs" | cut -d' ' -f1)" | uniq_lines | words)"
	done; done
} >"$series"

status=0
for fig in compare-overlay compare-ratio; do
	for fmt in png svg pdf; do
		gnuplot -e "fmt='$fmt'; out='$out/$fig.$fmt'; csv='$csv'; script_dir='$here/gnuplot'" \
			"$series" "$here/gnuplot/$fig.gp" >"$log" 2>&1 || status=1
		if [ -s "$log" ]; then
			echo "compare: gnuplot said, drawing $out/$fig.$fmt:" >&2
			cat "$log" >&2
			status=1
		fi
	done
done
[ "$status" -eq 0 ] && echo "compare: $out/{compare-overlay,compare-ratio}.{png,svg,pdf} and compare.csv"
exit "$status"
