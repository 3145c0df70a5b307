#!/bin/sh
# make plots [RUN=results/<id>]: redraw a run's figures and page (default: the
# newest run) into PLOTS_DIR/<id> (default plots).  RUN comes from make through
# the environment (or as $1), never as shell text.  A figure that could not be
# drawn does not take the page with it: the page is written, then status 1.
set -eu
run=${1:-${RUN:-}}
if [ -z "$run" ]; then
	run=$(find results -mindepth 2 -maxdepth 2 -name summary.csv -printf '%T@ %h\n' 2>/dev/null |
		sort -rn | head -n 1 | cut -d' ' -f2-)
	[ -n "$run" ] || { echo "plots: no run in results/; make bench first" >&2; exit 2; }
fi
run=${run%/}
case $run in -*) run=./$run ;; esac # a folder named like an option is a folder
plots=${PLOTS_DIR:-plots}/$(basename -- "$run")
case $plots in -*) plots=./$plots ;; esac
status=0
scripts/plots.sh -- "$run" "$plots" || status=$?
[ "$status" -le 1 ] || exit "$status" # the run is not one: plots.sh said why
"${IOPATHS:-build/iopaths}" report "$run" "$plots"
exit "$status"
