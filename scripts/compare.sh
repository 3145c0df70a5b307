#!/bin/sh
# make compare A=results/x B=results/y [C=...]: the table (faster, slower, no
# difference), compare.csv, and overlay and ratio figures in
# plots/compare-<time>/ as PNG, SVG and PDF.  Runs from different machines,
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
out=${COMPARE_OUT:-${PLOTS_DIR:-plots}/compare-$(date +%Y%m%d-%H%M%S)}
if [ -e "$out" ] || [ -L "$out" ]; then die "$out exists; not overwriting it"; fi
# It says what is wrong itself, in one line.
"$iopaths" compare "$out" "$@" || exit $?
made_out=$out

csv=$out/compare.csv
check_table "$csv" run run_dir label cache sink file_bytes mibps_median ratio
q() { "$iopaths" query "$csv" "$@" </dev/null || true; }
strategies=$(strategy_names)

# series.dat: one block per (run, cache, sink, label), two blank lines apart
# (gnuplot's `index`), one line per row: file_bytes, mibps_median, ratio.
panel_add() { printf ' %s' "$2" >>"$scratch/panel.$1"; }
panel() { cat "$scratch/panel.$1" 2>/dev/null || true; }
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

n=0 lts="" labels="" run_of="" caches="" sinks=""
: >"$scratch/series.dat"
for c in hot cold; do
	for k in process unix tcp file null; do
		i=0
		while IFS= read -r r; do
			i=$((i + 1))
			q label cache="$c" sink="$k" run="$r" | uniq_lines >"$scratch/labels"
			while IFS= read -r l; do
				for col in file_bytes mibps_median ratio; do
					q "$col" cache="$c" sink="$k" run="$r" label="$l" | numbers >"$scratch/col.$col"
				done
				rows=$(wc -l <"$scratch/col.file_bytes")
				[ "$rows" -gt 0 ] || die "$csv has a label with a line break in it; not drawing"
				for col in mibps_median ratio; do
					[ "$(wc -l <"$scratch/col.$col")" -eq "$rows" ] ||
						die "$csv has a value with a line break in it; not drawing"
				done
				n=$((n + 1))
				block=$scratch/block.$n
				paste -d ' ' "$scratch/col.file_bytes" "$scratch/col.mibps_median" "$scratch/col.ratio" >"$block"
				{ cat "$block"; printf '\n\n'; } >>"$scratch/series.dat"
				lts="$lts, $(lt_for "$l")" labels="$labels, \"$(codes "$l")\"" run_of="$run_of, $i"
				case " $caches " in *" $c "*) ;; *) caches="${caches:+$caches }$c" ;; esac
				case " $sinks " in *" $k "*) ;; *) sinks="${sinks:+$sinks }$k" ;; esac
				# overlay: every run's MiB/s; ratio: the runs after the base
				if col_positive 2 <"$block"; then panel_add "ov_${c}_$k" "$n"; fi
				if [ "$i" -gt 1 ] && col_positive 3 <"$block"; then panel_add "ra_${c}_$k" "$n"; fi
			done <"$scratch/labels"
		done <"$scratch/runs"
	done
done
[ "$n" -gt 0 ] || die "$csv has no row of a known cache state and sink"
sizes=$(sizes_of "$scratch/series.dat")
[ -n "$sizes" ] || die "$csv has no file size above 0"

{
	echo "nseries = $n"
	echo "array label_codes[$n] = [${labels#, }]"
	echo "array lt_of[$n] = [${lts#, }]"
	echo "array run_of[$n] = [${run_of#, }]"
	echo "nruns = $nruns"
	echo "array run_codes[$nruns] = [${run_codes#, }]"
	echo "subtitle_codes = \"$(codes "$subtitle")\""
	echo "sizes = \"$sizes\""
	# one scale for every ratio panel, at least 0.5 to 2
	awk '$3 ~ /^[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$/ && $3 + 0 > 0 { if (!lo || $3 + 0 < lo) lo = $3 + 0; if ($3 + 0 > hi) hi = $3 + 0 }
		END { lo = lo && lo / 1.2 < 0.5 ? lo / 1.2 : 0.5; hi = hi * 1.2 > 2 ? hi * 1.2 : 2
		      printf "ratio_lo = %.6g\nratio_hi = %.6g\n", (lo < 1e-6 ? 1e-6 : lo), (hi > 1e6 ? 1e6 : hi) }' "$scratch/series.dat"
	echo "panels_rows = \"$caches\""
	echo "panels_cols = \"$sinks\""
	for c in $caches; do
		for k in $sinks; do
			echo "ov_${c}_$k = \"$(panel "ov_${c}_$k")\""
			echo "ra_${c}_$k = \"$(panel "ra_${c}_$k")\""
		done
	done
} >"$scratch/series.gp"

made_out=
if render "$out" compare-overlay compare-ratio; then
	echo "compare: $out/{compare-overlay,compare-ratio}.{png,svg,pdf} and compare.csv"
else
	exit 1
fi
