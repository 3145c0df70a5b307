#!/bin/sh
# Draws every figure of one run: scripts/plots.sh [--lecture|--design] RUN_DIR [OUT_DIR]
# (OUT_DIR defaults to plots/<run-id>; --lecture: the slides of
# scripts/lecture/ in the slide style, into plots/<run-id>/lecture;
# --design: the slides of scripts/design/ (issue 11's mmap design space),
# into plots/<run-id>/design; --check: only check the subset below, and
# draw nothing).
# STRATEGIES=, SINKS=, SIZES= and FIGURES= (comma lists, lib.sh: subset_read)
# draw a subset.  The figures are the files of
# scripts/figures/, each declaring its title, caption and data (lib.sh); each
# comes out as PNG, SVG and PDF, and OUT_DIR/figures.csv lists them for
# `iopaths report`.  A figure whose data the run lacks is not drawn: one line
# says why.  The series are found here, through `iopaths query` (libcsv), one
# per cache state, sink and label, so gnuplot never gets an empty series, and
# handed to gnuplot as data only (see lib.sh); any word gnuplot prints on
# stderr is treated as a failure.  A broken run (no rows, a wrong header, no
# meta.csv) gets one line, status 2 and no OUT_DIR.
set -euf

prog=plots lecture=0 check_only=0 slides=""
while :; do
	case ${1:-} in
	--lecture) prog=lecture lecture=1 slides=lecture ;;
	--design) prog=design lecture=1 slides=design ;;
	--check) check_only=1 ;; # only check the subset asked for (before a sweep)
	--) shift; break ;;
	*) break ;;
	esac
	shift
done
[ "$check_only" = 1 ] || [ -n "${1:-}" ] || { echo "usage: scripts/plots.sh [--lecture|--design] RUN_DIR [OUT_DIR]" >&2; exit 2; }
run=${1:-}
run=${run%/}
out=${2:-plots/$(basename -- "$run")${slides:+/$slides}}
# A folder named like an option ("--help") is a folder to every command it reaches.
case $run in -*) run=./$run ;; esac
case $out in -*) out=./$out ;; esac
here=$(cd "$(dirname "$0")" && pwd)
iopaths=${IOPATHS:-build/iopaths}
# shellcheck source=scripts/lib.sh
. "$here/lib.sh"

[ -x "$iopaths" ] || die "$iopaths is missing: run make"
figures=$here/figures figure_style=""
if [ "$lecture" = 1 ]; then
	figures=$here/$slides figure_style=$here/gnuplot/slide.gp
fi
strategies=$(strategy_names)
subset_read "$figures"
[ "$check_only" = 0 ] || exit 0
csv=$run/summary.csv
for f in "$csv" "$run/meta.csv"; do
	[ -f "$f" ] || die "$run has no ${f##*/}: not a finished run"
done
caption_run=$run
series_keys="cache sink label"
series_columns "$figures"
# shellcheck disable=SC2086 # series_keys and columns: plain words
check_table "$csv" $series_keys $columns
check_table "$run/meta.csv" key value

meta() { "$iopaths" query "$run/meta.csv" value key="$1" </dev/null 2>/dev/null | head -n 1 | grep . || echo "?"; }

# One series per (cache, sink, label), in this order: its number is its block
# in series.dat (gnuplot's `index`) and its place in the arrays of series.gp.
for c in hot cold; do
	for k in $all_sinks; do
		q label cache="$c" sink="$k" | uniq_lines >"$scratch/labels"
		while IFS= read -r l; do
			if subset_keeps "$k" "$l"; then series_add cache="$c" sink="$k" label="$l" || :; fi
		done <"$scratch/labels"
	done
done
if [ "$nseries" -eq 0 ] && [ -n "${STRATEGIES:-}${SINKS:-}${SIZES:-}" ]; then
	# A subset the run does not hold is no error: each figure says so.
	if [ -L "$out" ]; then die "$out is a symbolic link; not writing through it"; fi
	mkdir -p -- "$out"
	skip_all "$out" "$figures" "the run has no row of the subset asked for (STRATEGIES=${STRATEGIES:-} SINKS=${SINKS:-} SIZES=${SIZES:-})"
	exit 0
fi
[ "$nseries" -gt 0 ] || die "$csv has no row of a known cache state and sink"
if [ "$lecture" = 1 ]; then # a slide says where it was measured: host, kernel, filesystem, hypervisor, date
	hypervisor=$(meta hypervisor) when=$(meta date)
	subtitle=$(printf '%s, kernel %s, %s, %s, %s' "$(meta hostname)" "$(meta kernel_release)" "$(meta fs_type)" \
		"${hypervisor%% (*}" "$(printf '%s' "$when" | sed 's/^\([0-9-]*\)T\([0-9][0-9]:[0-9][0-9]\).*/\1 \2/')")
else
	subtitle=$(printf '%s, kernel %s, %s on %s, %s' "$(meta hostname)" \
		"$(meta kernel_release)" "$(meta fs_type)" "$(meta fs_mount_point)" "$(meta date)")
fi
{
	series_gp
	echo "subtitle_codes = \"$(codes "$subtitle")\""
} >"$scratch/common.gp"

# Only now, with the run read and the series found, is OUT_DIR made.
if [ -L "$out" ]; then die "$out is a symbolic link; not writing through it"; fi
mkdir -p -- "$out"
if draw_figures "$out" "$figures"; then
	echo "$prog: $out/{$drawn_names}.{png,svg,pdf} and figures.csv"
else
	exit 1
fi
