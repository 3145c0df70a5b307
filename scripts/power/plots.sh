#!/bin/sh
# Draws the figure of a `make power` run: scripts/power/plots.sh POWER_DIR
# OUT_DIR (scripts/power.sh runs it with OUT_DIR plots/<power-id>).  The
# figures of scripts/power/figures/ go into OUT_DIR with a figures.csv for
# `iopaths report`: one series per outcome (right: found slower; wrong sign:
# found faster; no verdict) of POWER_DIR/power_cells.csv, each cell at its
# expected and its measured slowdown; the share found per band comes from
# POWER_DIR/power.csv.  Through the engine of scripts/lib.sh: both files are
# read by `iopaths query` (libcsv), gnuplot gets numbers and byte codes only,
# and the caption's sentences are written here from power.csv's numbers.
set -euf
[ $# -eq 2 ] || { echo "usage: scripts/power/plots.sh POWER_DIR OUT_DIR" >&2; exit 2; }
run=${1%/} out=$2
case $run in -*) run=./$run ;; esac
case $out in -*) out=./$out ;; esac
here=$(cd "$(dirname "$0")/.." && pwd)
iopaths=${IOPATHS:-build/iopaths}
prog=power
# shellcheck source=scripts/lib.sh
. "$here/lib.sh"

[ -x "$iopaths" ] || die "$iopaths is missing: run make"
for f in power.csv power_cells.csv; do
	[ -f "$run/$f" ] || die "$run has no $f: not a finished make power run (iopaths power writes it)"
done
bcsv=$run/power.csv
csv=$run/power_cells.csv
columns="expected_slowdown_pct slowdown_pct"
err_columns="" series_keys="label"
check_table "$csv" expected_change_pct change_pct outcome
check_table "$bcsv" band_pct band_lo_pct band_hi_pct cells right right_pct wrong_sign no_verdict
bq() { "$iopaths" query "$bcsv" "$@" </dev/null || true; }
num() { num_filter "$1"; } # lib.sh: NaN for what is not a number it can draw, noted

# One series per outcome, always three, in this order (the figure's colours).
labels="" lts="" dts="" variants=""
for outcome in right "wrong sign" "no verdict"; do
	nseries=$((nseries + 1))
	sd=$scratch/s$nseries
	mkdir "$sd"
	printf '%s' "$outcome" >"$sd/key.label"
	q expected_change_pct outcome="$outcome" | num expected_change_pct |
		awk '{ print $1 == "NaN" ? "NaN" : -$1 }' >"$sd/expected_slowdown_pct"
	q change_pct outcome="$outcome" | num change_pct | awk '{ print $1 == "NaN" ? "NaN" : -$1 }' >"$sd/slowdown_pct"
	[ "$(wc -l <"$sd/expected_slowdown_pct")" = "$(wc -l <"$sd/slowdown_pct")" ] ||
		die "$csv has a value with a line break in it; not drawing"
	[ -s "$sd/slowdown_pct" ] || echo NaN >"$sd/slowdown_pct"
	[ -s "$sd/expected_slowdown_pct" ] || echo NaN >"$sd/expected_slowdown_pct"
	lts="$lts, $nseries" dts="$dts, 1" variants="$variants, 0" labels="$labels, \"$(codes "$outcome")\""
done
band_array() { bq "$1" | num "$1" | head -n 4 | paste -sd, - | sed 's/,/, /g'; }
[ "$(bq band_pct | wc -l)" = 4 ] || die "$bcsv does not have the four bands"
{
	echo "nseries = $nseries"
	echo "array label_codes[$nseries] = [${labels#, }]"
	echo "array lt_of[$nseries] = [${lts#, }]"
	echo "array dt_of[$nseries] = [${dts#, }]"
	echo "array variant_of[$nseries] = [${variants#, }]"
	for col in band_pct band_lo_pct band_hi_pct; do
		echo "array ${col}[4] = [$(band_array "$col")]"
	done
	for col in cells right wrong_sign; do
		echo "array band_${col}[4] = [$(band_array "$col")]"
	done
	echo "sizes = \"1\"" # style.gp's size axis, replaced by the figure's own
	echo "subtitle_codes = \"$(codes "$(basename -- "$run")")\""
} | sed 's/\bNaN\b/-1/g' >"$scratch/common.gp" # gp_text_ok: numbers; -1 is "none" (counts are >= 0)

# The caption's sentence, from power.csv's numbers: "Expected 2 %: 3 of 9 cells found slower, 0 faster; ..."
figure_says() {
	for col in band_pct cells right wrong_sign; do bq "$col" >"$scratch/b.$col"; done
	paste "$scratch/b.band_pct" "$scratch/b.cells" "$scratch/b.right" "$scratch/b.wrong_sign" | awk -F '\t' '
		function isnum(v) { return v ~ /^[0-9]+(\.[0-9]+)?$/ }
		{ if (!isnum($1) || !isnum($2) || !isnum($3) || !isnum($4)) next
		  out = out (out == "" ? "" : "; ") sprintf("expected %s %%: %d of %d cells found slower, %d faster", $1, $3, $2, $4) }
		END { printf "Measured in this run: %s.", out == "" ? "no band" : out }'
}

if [ -L "$out" ]; then die "$out is a symbolic link; not writing through it"; fi
mkdir -p -- "$out"
draw_figures "$out" "$here/power/figures" || exit 1
echo "$prog: figures in $out/"
