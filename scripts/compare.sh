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
any_positive() { awk 'NF && $1 + 0 > 0 { found = 1 } END { exit !found }'; }
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
		printf "%s\\\"%d%s\\\" %s", n++ ? ", " : "", b, (i == 1 ? " B" : u[i]), $1
		if (!lo) lo = $1; hi = $1 } END { printf "); set xrange [%s:%s]", lo / 1.4, hi * 1.4 }'
	printf '"\n'
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
