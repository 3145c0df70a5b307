#!/bin/sh
# Draws every figure of one run: scripts/plots.sh RUN_DIR [OUT_DIR]
# (OUT_DIR defaults to plots/<run-id>).  Each figure comes out as PNG, SVG and
# PDF.  The series are found here, through `iopaths query` (libcsv), one per
# cache state, sink and label, so gnuplot never gets an empty series, and
# handed to gnuplot as data only (see lib.sh); any word gnuplot prints on
# stderr is treated as a failure.  A broken run (no rows, a wrong header, no
# meta.csv) gets one line, status 2 and no OUT_DIR.
set -euf

prog=plots
run=${1:?usage: scripts/plots.sh RUN_DIR [OUT_DIR]}
run=${run%/}
out=${2:-plots/$(basename -- "$run")}
here=$(cd "$(dirname "$0")" && pwd)
iopaths=${IOPATHS:-build/iopaths}
# shellcheck source=scripts/lib.sh
. "$here/lib.sh"

[ -x "$iopaths" ] || die "$iopaths is missing: run make"
csv=$run/summary.csv
for f in "$csv" "$run/meta.csv"; do
	[ -f "$f" ] || die "$run has no ${f##*/}: not a finished run"
done
columns="file_bytes mibps_median mibps_ci_lo mibps_ci_hi minflt_median majflt_median syscalls_median sys_ns_median user_ns_median"
# shellcheck disable=SC2086 # columns: fixed words
check_table "$csv" label cache sink op $columns
check_table "$run/meta.csv" key value

q() { "$iopaths" query "$csv" "$@" </dev/null || true; }
meta() { "$iopaths" query "$run/meta.csv" value key="$1" </dev/null 2>/dev/null | head -n 1 | grep . || echo "?"; }
strategies=$(strategy_names)

# series.dat: one block per (cache, sink, label), two blank lines apart (gnuplot's
# `index`), one line per row: the numbers of $columns in that order.
panel_add() { printf ' %s' "$2" >>"$scratch/panel.$1"; }
panel() { cat "$scratch/panel.$1" 2>/dev/null || true; }
n=0 lts="" dts="" labels="" sinks_of="" caches="" sinks=""
: >"$scratch/series.dat"
: >"$scratch/cpu_candidates"
for k in process unix tcp file null; do : >"$scratch/hot_$k"; done
for c in hot cold; do
	for k in process unix tcp file null; do
		q label cache="$c" sink="$k" | uniq_lines >"$scratch/labels"
		while IFS= read -r l; do
			i=0
			for col in $columns; do
				i=$((i + 1))
				q "$col" cache="$c" sink="$k" label="$l" | numbers >"$scratch/col.$i"
			done
			# A label with a line break comes back from `query label` in pieces that match no row.
			rows=$(wc -l <"$scratch/col.1")
			[ "$rows" -gt 0 ] || die "$csv has a label with a line break in it; not drawing"
			for i in 2 3 4 5 6 7 8 9; do
				[ "$(wc -l <"$scratch/col.$i")" -eq "$rows" ] || die "$csv has a value with a line break in it; not drawing"
			done
			n=$((n + 1))
			block=$scratch/block.$n
			paste -d ' ' "$scratch/col.1" "$scratch/col.2" "$scratch/col.3" "$scratch/col.4" "$scratch/col.5" \
				"$scratch/col.6" "$scratch/col.7" "$scratch/col.8" "$scratch/col.9" >"$block"
			{ cat "$block"; printf '\n\n'; } >>"$scratch/series.dat"
			printf '%s' "$l" >"$scratch/label.$n"
			lts="$lts, $(lt_for "$l")" dts="$dts, $(dt_for "$l")"
			labels="$labels, \"$(codes "$l")\"" sinks_of="$sinks_of, \"$k\""
			case " $caches " in *" $c "*) ;; *) caches="${caches:+$caches }$c" ;; esac
			case " $sinks " in *" $k "*) ;; *) sinks="${sinks:+$sinks }$k" ;; esac

			# Which panels draw this series: those where it has a value above 0.
			if col_positive 2 <"$block"; then
				panel_add "tp_${c}_$k" "$n"
				if [ "$c" = hot ]; then
					echo "$n" >>"$scratch/hot_$k"
					if [ "$k" = file ] && q op cache=hot sink=file label="$l" | grep -qx write; then
						panel_add writes "$n"
					fi
				else # cold: drawn against hot when hot has the same label
					while IFS= read -r h; do
						if cmp -s "$scratch/label.$h" "$scratch/label.$n"; then
							panel_add "hc_hot_$k" "$h"
							panel_add "hc_cold_$k" "$n"
						fi
					done <"$scratch/hot_$k"
				fi
			fi
			if [ "$c$k" = hotprocess ] && col_positive 5 <"$block"; then panel_add faults_min "$n"; fi
			if [ "$c$k" = coldprocess ] && col_positive 6 <"$block"; then panel_add faults_maj "$n"; fi
			if [ "$c" = hot ] && col_positive 7 <"$block"; then panel_add "sc_$k" "$n"; fi
			if [ "$c" = hot ]; then echo "$n" >>"$scratch/cpu_candidates"; fi
		done <"$scratch/labels"
	done
done
[ "$n" -gt 0 ] || die "$csv has no row of a known cache state and sink"

sizes=$(sizes_of "$scratch/series.dat")
[ -n "$sizes" ] || die "$csv has no file size above 0"
largest=${sizes##* }
small=${sizes%% *}
case " $sizes " in *" 1048576 "*) small=1048576 ;; esac
# The CPU figure: every hot series with a row at that size.
for p in small large; do
	size=$small
	[ "$p" = large ] && size=$largest
	while IFS= read -r s; do
		if awk -v b="$size" '$1 == b { found = 1 } END { exit !found }' "$scratch/block.$s"; then
			panel_add "cpu_$p" "$s"
		fi
	done <"$scratch/cpu_candidates"
done

{
	echo "nseries = $n"
	echo "array label_codes[$n] = [${labels#, }]"
	echo "array lt_of[$n] = [${lts#, }]"
	echo "array dt_of[$n] = [${dts#, }]"
	echo "array sink_of[$n] = [${sinks_of#, }]"
	echo "subtitle_codes = \"$(codes "$(printf '%s, kernel %s, %s on %s, %s' "$(meta hostname)" \
		"$(meta kernel_release)" "$(meta fs_type)" "$(meta fs_mount_point)" "$(meta date)")")\""
	echo "sizes = \"$sizes\""
	echo "panels_rows = \"$caches\""
	echo "panels_cols = \"$sinks\""
	hc_cols=""
	for k in $sinks; do
		for c in hot cold; do echo "tp_${c}_$k = \"$(panel "tp_${c}_$k")\""; done
		echo "sc_$k = \"$(panel "sc_$k")\""
		echo "hc_hot_$k = \"$(panel "hc_hot_$k")\""
		echo "hc_cold_$k = \"$(panel "hc_cold_$k")\""
		[ -z "$(panel "hc_hot_$k")" ] || hc_cols="$hc_cols $k"
	done
	echo "hc_cols = \"${hc_cols# }\""
	echo "faults_min = \"$(panel faults_min)\""
	echo "faults_maj = \"$(panel faults_maj)\""
	echo "writes = \"$(panel writes)\""
	echo "cpu_small = $small"
	echo "cpu_large = $largest"
	echo "cpu_small_series = \"$(panel cpu_small)\""
	echo "cpu_large_series = \"$(panel cpu_large)\""
} >"$scratch/series.gp"

# Only now, with the run read and the series found, is OUT_DIR made.
if [ -L "$out" ]; then die "$out is a symbolic link; not writing through it"; fi
mkdir -p -- "$out"
if render "$out" throughput faults cpu syscalls hotcold writes; then
	echo "plots: $out/{throughput,faults,cpu,syscalls,hotcold,writes}.{png,svg,pdf}"
else
	exit 1
fi
