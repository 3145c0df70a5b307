#!/bin/sh
# make plots [RUN=results/<id>]: redraw a run's figures and page (default: the newest run).
set -eu
run=${1:-}
if [ -z "$run" ]; then
	run=$(find results -mindepth 2 -maxdepth 2 -name summary.csv -printf '%T@ %h\n' 2>/dev/null |
		sort -rn | head -n 1 | cut -d' ' -f2-)
	[ -n "$run" ] || { echo "plots: no run in results/; make bench first" >&2; exit 2; }
fi
run=${run%/}
case $run in -*) run=./$run ;; esac # a folder named like an option is a folder
scripts/plots.sh -- "$run" "plots/$(basename -- "$run")"
"${IOPATHS:-build/iopaths}" report "$run" "plots/$(basename -- "$run")"
