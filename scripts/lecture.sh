#!/bin/sh
# make lecture [QUICK=1] [RUN=results/<id>] [STRATEGIES=..] [SINKS=..] [SIZES=..] [FIGURES=..]:
# the slides of scripts/lecture/ (one question each, 1920x1080 PNG, SVG and
# PDF of 10 x 5.6 in) into plots/<run-id>/lecture/, with captions written
# from the run.  Without RUN it first runs the one reduced sweep that holds
# everything the slides need, into results/<id>; STRATEGIES, SINKS and SIZES
# then narrow that sweep too.
set -eu

# ---- The lecture sweep: what the slides need, and no more. ----
STRATEGY_LIST=read,pread,mmap-shared,mmap-private,read-write,mmap-send,sendfile,splice,write,mmap-shared-write,mmap-private-write
SINK_LIST=process,unix,file # unix: where the zero-copy paths differ (on tcp over loopback they look alike)
SIZE_LIST=4K,64K,1M,16M,256M # 4K: where mapping loses; 256M: passes long enough for getrusage's user/system split
REPS=10                     # enough for the rank test behind each caption's verdict
MIN_SAMPLE_MS=10
if [ "${QUICK:-0}" = 1 ]; then # under a minute
	SIZE_LIST=64K,1M,16M
	REPS=5
	MIN_SAMPLE_MS=2
fi
# ----------------------------------------------------------------

iopaths=${IOPATHS:-build/iopaths}
# shellcheck source=scripts/sweep.sh
. scripts/sweep.sh
run=${RUN:-}
scripts/plots.sh --lecture --check # a subset it does not know stops here, before the sweep
if [ -z "$run" ]; then
	sweep_folder lecture
	mkdir -p -- "$(dirname -- "$run")"
	start=$(date +%s)
	"$iopaths" run --op both --strategy "${STRATEGIES:-$STRATEGY_LIST}" --sink "${SINKS:-$SINK_LIST}" \
		--cache both --msync sync,async,none --fsync=both --sizes "${SIZES:-$SIZE_LIST}" \
		--reps "$REPS" --min-sample-ms "$MIN_SAMPLE_MS" --dir "$dir" --out "$run"
	echo "lecture: the sweep took $(($(date +%s) - start)) s"
fi
run=${run%/}
case $run in -*) run=./$run ;; esac # a folder named like an option is a folder
scripts/plots.sh --lecture -- "$run" "${PLOTS_DIR:-plots}/$(basename -- "$run")/lecture"
# The hint, for copy and paste: the name in single quotes (a ' as '\''), so
# that a shell hands make the name whatever it holds (the Makefile takes it
# as text).
shq() { printf "'"; printf '%s' "$1" | sed "s/'/'\\\\''/g"; printf "'"; }
echo "lecture: the page, with the other figures: make plots RUN=$(shq "$run")"
