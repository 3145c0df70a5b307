#!/bin/sh
# Draws every figure of one run: scripts/plots.sh RUN_DIR [OUT_DIR]
# (OUT_DIR defaults to plots/<run-id>).  Each figure comes out as PNG, SVG and
# PDF.  The panels' series are found here, through `iopaths query` (libcsv),
# so gnuplot never gets an empty series; any word gnuplot prints on stderr is
# treated as a failure.
set -eu

run=${1:?usage: scripts/plots.sh RUN_DIR [OUT_DIR]}
run=${run%/}
out=${2:-plots/$(basename "$run")}
here=$(cd "$(dirname "$0")" && pwd)
iopaths=${IOPATHS:-build/iopaths}
csv=$run/summary.csv
if [ ! -f "$csv" ] || [ ! -f "$run/meta.csv" ]; then
	echo "plots: $run has no summary.csv and meta.csv" >&2
	exit 2
fi
[ -x "$iopaths" ] || { echo "plots: $iopaths is missing: run make" >&2; exit 2; }
mkdir -p "$out"

# shellcheck source=scripts/lib.sh
. "$here/lib.sh"
q() { "$iopaths" query "$csv" "$@" || true; }
meta() { "$iopaths" query "$run/meta.csv" value key="$1" || echo "?"; }

# The labels of one panel (cache, sink) that have a positive COLUMN somewhere.
labels_with() { # labels_with COLUMN CACHE SINK [extra filters]
	col=$1 cache=$2 sink=$3
	shift 3
	for l in $(q label cache="$cache" sink="$sink" "$@" | uniq_lines); do
		if q "$col" cache="$cache" sink="$sink" label="$l" | any_positive; then echo "$l"; fi
	done | words
}

series=$(mktemp)
trap 'rm -f "$series"' EXIT INT TERM

caches=$(for c in hot cold; do q cache cache="$c" | head -n 1; done | words)
sinks=$(for k in process unix tcp file null; do q sink sink="$k" | head -n 1; done | words)
sizes=$(q file_bytes | sort -n | uniq_lines)
largest=$(echo "$sizes" | tail -n 1)
small=1048576
echo "$sizes" | grep -qx 1048576 || small=$(echo "$sizes" | awk '$1 > 0' | head -n 1)
label_of() { awk -v b="$1" 'BEGIN {
	split("B K M G", u, " "); i = 1; while (b >= 1024 && b % 1024 == 0 && i < 4) { b /= 1024; i++ }
	printf "%d%s", b, (i == 1 ? " B" : u[i]) }'; }

{
	printf 'strategies = "%s"\n' "$(strategy_names)"
	printf 'subtitle = "%s, kernel %s, %s on %s, %s"\n' "$(meta hostname)" "$(meta kernel_release)" \
		"$(meta fs_type)" "$(meta fs_mount_point)" "$(meta date)"
	printf 'size_tics = "%s"\n' "$(echo "$sizes" | size_axis)"
	printf 'panels_rows = "%s"\npanels_cols = "%s"\n' "$caches" "$sinks"
	for c in $caches; do for k in $sinks; do
		printf 'tp_%s_%s = "%s"\n' "$c" "$k" "$(labels_with mibps_median "$c" "$k")"
	done; done
	printf 'faults_min = "%s"\n' "$(labels_with minflt_median hot process)"
	printf 'faults_maj = "%s"\n' "$(labels_with majflt_median cold process)"
	for k in $sinks; do printf 'sc_%s = "%s"\n' "$k" "$(labels_with syscalls_median hot "$k")"; done
	hc_cols=""
	for k in $sinks; do
		both=""
		for l in $(labels_with mibps_median cold "$k"); do
			case " $(labels_with mibps_median hot "$k") " in *" $l "*) both="$both $l" ;; esac
		done
		[ -n "$both" ] && hc_cols="$hc_cols $k"
		printf 'hc_%s = "%s"\n' "$k" "${both# }"
	done
	printf 'hc_cols = "%s"\n' "${hc_cols# }"
	printf 'writes = "%s"\n' "$(labels_with mibps_median hot file op=write)"
	for p in small large; do
		size=$small
		[ "$p" = large ] && size=$largest
		tokens="" tics="" i=0
		for k in $sinks; do for l in $(q label cache=hot sink="$k" file_bytes="$size" | uniq_lines); do
			i=$((i + 1))
			tokens="$tokens $l@$k"
			tics="$tics, \\\"$l ($k)\\\" $i"
		done; done
		printf 'cpu_%s = %s\ncpu_%s_label = "%s"\ncpu_%s_series = "%s"\ncpu_%s_tics = "%s"\n' "$p" "$size" \
			"$p" "$(label_of "$size")" "$p" "${tokens# }" "$p" "${tics#, }"
	done
} >"$series"

status=0
for fig in throughput faults cpu syscalls hotcold writes; do
	render "$fig" "$out" "$csv" "$series" || status=1
done
[ "$status" -eq 0 ] && echo "plots: $out/{throughput,faults,cpu,syscalls,hotcold,writes}.{png,svg,pdf}"
exit "$status"
