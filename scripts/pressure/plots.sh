#!/bin/sh
# Draws the figures of a `make bench-pressure` run: scripts/pressure/plots.sh
# RUN_DIR OUT_DIR (scripts/bench-pressure.sh runs it with OUT_DIR
# plots/<run-id>/pressure).  The figures of scripts/pressure/figures/ go into
# OUT_DIR, the slide of scripts/pressure/lecture/ (slide.gp) into
# OUT_DIR/lecture, each with a figures.csv for `iopaths report`.  One series
# per cell (label) of RUN_DIR/timeseries.csv, over the seconds of the run;
# the cliff and the moment the limit was reached come from RUN_DIR/pressure.csv
# (`iopaths pressure RUN_DIR` writes it).  Through the engine of scripts/lib.sh:
# both files are read by `iopaths query` (libcsv), gnuplot gets numbers and
# byte codes only, and the captions' sentences are written here from
# pressure.csv's numbers and the labels, never pasted as program text.
set -euf
[ $# -eq 2 ] || { echo "usage: scripts/pressure/plots.sh RUN_DIR OUT_DIR" >&2; exit 2; }
run=${1%/} out=$2
case $run in -*) run=./$run ;; esac
case $out in -*) out=./$out ;; esac
here=$(cd "$(dirname "$0")/.." && pwd)
iopaths=${IOPATHS:-build/iopaths}
prog=bench-pressure
# shellcheck source=scripts/lib.sh
. "$here/lib.sh"

[ -x "$iopaths" ] || die "$iopaths is missing: run make"
for f in timeseries.csv pressure.csv meta.csv; do
	[ -f "$run/$f" ] || die "$run has no $f: not a finished bench-pressure run (iopaths pressure RUN writes pressure.csv)"
done
pcsv=$run/pressure.csv
csv=$run/timeseries.csv
columns="t_s mibps mem_mib read_amp tlb_per_s"
err_columns="" series_keys="label"
check_table "$csv" label t_s dt_s mibps mem_bytes read_amp tlb_per_s file_bytes mem_limit_bytes
check_table "$pcsv" label limit_reached_s cliff_s depth mibps_before mibps_after amp_before amp_after \
	tlb_per_s_before tlb_per_s_after outcome
check_table "$run/meta.csv" key value
meta() { "$iopaths" query "$run/meta.csv" value key="$1" </dev/null 2>/dev/null | head -n 1 | grep . || echo "?"; }
pq() { "$iopaths" query "$pcsv" "$@" </dev/null || true; }
num() { num_filter "$1"; } # lib.sh: NaN for what is not a number it can draw, noted
strategies=$(strategy_names)

# One series per label, in the order of timeseries.csv.
q label | uniq_lines >"$scratch/labels"
[ -s "$scratch/labels" ] || die "$csv has no label"
limit_mib="" reached="" cliffs=""
while IFS= read -r l; do
	nseries=$((nseries + 1))
	sd=$scratch/s$nseries
	mkdir "$sd"
	printf '%s' "$l" >"$sd/key.label"
	for col in t_s mibps read_amp tlb_per_s; do
		q "$col" label="$l" >"$sd/raw.$col"
		num "$col" <"$sd/raw.$col" >"$sd/$col"
	done
	q mem_bytes label="$l" | num mem_bytes | awk '{ print $1 == "NaN" ? "NaN" : $1 / 1048576 }' >"$sd/mem_mib"
	cp "$sd/mibps" "$sd/raw.mibps"
	[ "$(wc -l <"$sd/t_s")" = "$(wc -l <"$sd/mibps")" ] || die "$csv has a value with a line break in it; not drawing"
	lim=$(q mem_limit_bytes label="$l" | num mem_limit_bytes | head -n 1)
	limit_mib="$limit_mib, $(awk -v b="$lim" 'BEGIN { print b == "NaN" ? "NaN" : b / 1048576 }')"
	reached="$reached, $(pq limit_reached_s label="$l" | num limit_reached_s | head -n 1 | grep . || echo NaN)"
	cliffs="$cliffs, $(pq cliff_s label="$l" | num cliff_s | head -n 1 | grep . || echo NaN)"
	# What every cell shares (pattern=random, threads=N) is in the caption; the key keeps what differs.
	shown=$(printf '%s' "$l" | sed -e 's/pattern=random,\{0,1\}//; s/,\{0,1\}threads=[0-9]*//; s/,]/]/; s/\[\]//')
	lts="$lts, $(lt_for "$l")" dts="$dts, $(dt_for "$l")" labels="$labels, \"$(codes "$(key_text "$shown")")\""
	variants="$variants, $(variant_for "$l")"
done <"$scratch/labels"
file_bytes=$(q file_bytes | num file_bytes | head -n 1)
case $file_bytes in '' | NaN) die "$csv has no file size" ;; esac
subtitle=$(printf '%s, kernel %s, %s' "$(meta hostname)" "$(meta kernel_release)" \
	"$(meta date | sed 's/^\([0-9-]*\)T\([0-9][0-9]:[0-9][0-9]\).*/\1 \2/')")
{
	echo "nseries = $nseries"
	echo "array label_codes[$nseries] = [${labels#, }]"
	echo "array lt_of[$nseries] = [${lts#, }]"
	echo "array dt_of[$nseries] = [${dts#, }]"
	echo "array variant_of[$nseries] = [${variants#, }]"
	echo "array limit_mib[$nseries] = [${limit_mib#, }]"
	echo "array reached_s[$nseries] = [${reached#, }]"
	echo "array cliff_s[$nseries] = [${cliffs#, }]"
	echo "sizes = \"$file_bytes\""
	echo "subtitle_codes = \"$(codes "$subtitle")\""
} | sed 's/\bNaN\b/-1/g' >"$scratch/common.gp" # gp_text_ok: numbers; -1 is "none" (times are >= 0)

# The captions' sentences, from pressure.csv's numbers and the labels:
# "L read B MiB/s until the N MiB limit was reached at R s, then A MiB/s (-D %, cliff at C s) ..."
say_rows() {
	for col in label limit_reached_s cliff_s depth mibps_before mibps_after amp_before amp_after \
		tlb_per_s_before tlb_per_s_after outcome mem_limit_bytes; do
		pq "$col" >"$scratch/p.$col"
	done
	# labels and outcomes may hold anything but tabs and line breaks: one per line, checked equal in count
	n=$(wc -l <"$scratch/p.label")
	for col in outcome depth; do
		[ "$(wc -l <"$scratch/p.$col")" = "$n" ] || die "$pcsv has a value with a line break in it; not writing captions"
	done
	paste "$scratch/p.label" "$scratch/p.limit_reached_s" "$scratch/p.cliff_s" "$scratch/p.depth" \
		"$scratch/p.mibps_before" "$scratch/p.mibps_after" "$scratch/p.amp_before" "$scratch/p.amp_after" \
		"$scratch/p.tlb_per_s_before" "$scratch/p.tlb_per_s_after" "$scratch/p.outcome" "$scratch/p.mem_limit_bytes"
}
say() {
	say_rows | awk -F '\t' -v what="$1" '
		function isnum(v) { return v ~ /^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$/ && v + 0 <= 1e300 && v + 0 >= -1e300 }
		function n(v) { return !isnum(v) ? "?" : v + 0 >= 100 ? sprintf("%.0f", v) : v + 0 >= 1 ? sprintf("%.3g", v) : sprintf("%.2g", v) }
		function size(b) { return !isnum(b) ? "?" : b % 1073741824 == 0 ? (b / 1073741824) " GiB" : (b / 1048576) " MiB" }
		{
			out = out (out == "" ? "" : " ")
			if (what == "throughput") {
				if ($11 == "not reached") out = out sprintf("%s read %s MiB/s; memory in use never reached 0.95 of the %s limit.", $1, n($5), size($12))
				else if ($11 == "too soon") out = out sprintf("%s reached the %s limit at %s s, too soon for a baseline (lower --interval); then %s MiB/s.", $1, size($12), n($2), n($6))
				else {
					out = out sprintf("%s read %s MiB/s until the %s limit was reached at %s s, then %s MiB/s (%+.0f %%", $1, n($5), size($12), n($2), n($6), -100 * $4)
					out = out ($11 == "cliff" ? sprintf(", cliff at %s s: the first interval below half the median before).", n($3)) : "; held: no interval fell below half the median before).")
				}
			} else if (what == "amp") {
				if (!isnum($8)) out = out sprintf("%s read %sx the bytes it used (the limit was not reached).", $1, n($7))
				else if (!isnum($7)) out = out sprintf("%s read %sx the bytes it used after the limit (no interval before it to compare).", $1, n($8))
				else out = out sprintf("%s read %sx the bytes it used before the limit, %sx after.", $1, n($7), n($8))
			} else {
				if (!isnum($10)) out = out sprintf("%s: %s TLB shootdowns/s (the limit was not reached).", $1, n($9))
				else if (!isnum($9)) out = out sprintf("%s: %s TLB shootdowns/s after the limit (no interval before it).", $1, n($10))
				else out = out sprintf("%s: %s TLB shootdowns/s before the limit, %s after.", $1, n($9), n($10))
			}
		}
		END { printf "Measured in this run: %s", out }'
}
figure_says() { # replaces lib.sh's (iopaths caption reads summary.csv, not pressure.csv)
	case $(figure_name "$1") in
	throughput) say throughput ;;
	amplification) say amp ;;
	tlb) say tlb ;;
	*) printf '%s %s' "$(say throughput)" "$(say tlb)" ;;
	esac
}

if [ -L "$out" ]; then die "$out is a symbolic link; not writing through it"; fi
mkdir -p -- "$out/lecture"
status=0
draw_figures "$out" "$here/pressure/figures" || status=1
figure_style=$here/gnuplot/slide.gp
draw_figures "$out/lecture" "$here/pressure/lecture" || status=1
[ "$status" = 0 ] || exit 1
echo "$prog: figures in $out/ and $out/lecture/"
