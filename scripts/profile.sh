#!/bin/sh
# make profile STRATEGY=s SIZE=n: one run of one strategy under perf record -g
# (DWARF call graphs, as the build keeps no frame pointers);
# perf report --stdio goes into that run's results folder.
set -eu

strategy=${1:-}
size=${2:-}
if [ -z "$strategy" ] || [ -z "$size" ]; then
	echo "usage: make profile STRATEGY=name SIZE=size (e.g. STRATEGY=read SIZE=1G)" >&2
	exit 2
fi
out=results/profile-$strategy-$size-$(date +%Y%m%d-%H%M%S)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

# Five samples of at least 200 ms each, so the strategy outweighs the run's
# untimed set-up (data file, speed probes) in the profile.
perf record -q --call-graph dwarf,16384 -o "$tmp/perf.data" -- \
	build/iopaths run --strategy "$strategy" --sizes "$size" --reps 5 --min-sample-ms 200 --out "$out"
perf report --stdio -i "$tmp/perf.data" >"$out/perf-report.txt" 2>/dev/null
echo "iopaths: profile in $out/perf-report.txt"
