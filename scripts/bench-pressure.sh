#!/bin/sh
# make bench-pressure [QUICK=1] [DIR=/mnt/x]: the mmap cliff of the CIDR 2022
# paper at small scale (DESIGN-14).  Random 4 KiB reads by several threads
# over a file several times the limit of a memory cgroup that iopaths makes
# for the run (--mem-limit), for a fixed time (--duration), one row per
# interval: two `iopaths run`s (the 8-thread strategies, then io_uring with
# 8 reads in flight on one thread) into results/<id>/pressure-8t and
# .../pressure-uring (each a results folder that `make compare` takes), their
# intervals together in results/<id>/timeseries.csv, the cliff of every cell
# in results/<id>/pressure.csv (`iopaths pressure`), figures in
# plots/<id>/pressure/ and a page, results/<id>/index.html.  Needs root (the
# cgroup).  Refuses to start when the machine is busy (its counters are
# system-wide; FORCE=1 overrides), and fails when it took longer than its
# budget (600 s, QUICK 120 s).
set -eu

# ---- What it measures. Change it here and only here. ----
FILE=4G LIMIT=1G THREADS=8 DURATION=90 INTERVAL=0.5 BUDGET=600 # 5 cells x 90 s + ~60 s file + evictions: ~9 min
if [ "${QUICK:-0}" = 1 ]; then
	FILE=512M LIMIT=128M THREADS=8 DURATION=18 INTERVAL=0.1 BUDGET=120 # 5 x 18 s + ~5 s: ~100 s
fi
COMMON="--pattern random --block 4K --io-size 4K --cache cold --sink process"
# ----------------------------------------------------------

prog=bench-pressure
iopaths=${IOPATHS:-build/iopaths}
die() {
	printf 'iopaths: %s: %s\n' "$prog" "$*" >&2
	exit 2
}
start=$(date +%s)

[ -x "$iopaths" ] || die "$iopaths is missing: run make"
# --mem-limit and --duration come with issue 14's cgroup and time-series
# parts; an iopaths without them cannot run this bench.
help=$("$iopaths" run --help 2>&1) || :
for flag in --mem-limit --duration --interval; do
	case $help in *"$flag"*) ;; *) die "$iopaths run has no $flag option: this build cannot run the memory pressure bench (issue 14's cgroup and time-series mode)" ;; esac
done
load=$(cut -d ' ' -f 1 /proc/loadavg)
if [ "${FORCE:-0}" != 1 ] && awk -v l="$load" 'BEGIN { exit !(l > 1.5) }'; then
	die "the 1-minute load is $load (> 1.5): TLB shootdowns and device reads are counted system-wide, so another job's would be this run's; wait, or FORCE=1"
fi

id=$(hostname)-$(uname -r)-pressure-$(date +%Y%m%d-%H%M%S)
out=${OUT:-${RESULTS_DIR:-results}/$id}
case $out in -*) out=./$out ;; esac
[ ! -e "$out" ] || die "$out exists; not writing over a run"
plots=${PLOTS_DIR:-plots}/$(basename "$out")
case $plots in -*) plots=./$plots ;; esac
mkdir -p -- "${DIR:-/var/tmp}"
data=$(mktemp -d "${DIR:-/var/tmp}/iopaths-pressure.XXXXXX")
trap 'rm -rf -- "$data"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
mkdir -p -- "$out"

echo "$prog: $FILE file, $LIMIT limit, $DURATION s per cell, intervals of $INTERVAL s, into $out"
# shellcheck disable=SC2086 # COMMON: plain words from the top of this file
"$iopaths" run $COMMON --strategy mmap-shared,pread,odirect-pread --variant mmap-shared.madvise=normal,random \
	--threads "$THREADS" --mem-limit "$LIMIT" --duration "$DURATION" --interval "$INTERVAL" --sizes "$FILE" \
	--keep --dir "$data" --out "$out/pressure-8t"
# shellcheck disable=SC2086
"$iopaths" run $COMMON --strategy io-uring --variant io-uring.direct=on --threads 1 --qd "$THREADS" \
	--mem-limit "$LIMIT" --duration "$DURATION" --interval "$INTERVAL" --sizes "$FILE" \
	--keep --dir "$data" --out "$out/pressure-uring"

# Both runs' intervals in one timeseries.csv (the same binary wrote the same
# header), the first run's meta.csv, and the cliff of every cell.
for r in pressure-8t pressure-uring; do
	[ -s "$out/$r/timeseries.csv" ] || die "$out/$r has no timeseries.csv: the run wrote no interval"
done
head -n 1 "$out/pressure-8t/timeseries.csv" >"$out/.header"
head -n 1 "$out/pressure-uring/timeseries.csv" | cmp -s - "$out/.header" ||
	die "$out: the two runs' timeseries.csv headers differ"
{
	cat "$out/pressure-8t/timeseries.csv"
	tail -n +2 "$out/pressure-uring/timeseries.csv"
} >"$out/timeseries.csv"
rm -f -- "$out/.header"
cp -- "$out/pressure-8t/meta.csv" "$out/meta.csv"
"$iopaths" pressure "$out"
for r in pressure-8t pressure-uring; do "$iopaths" pressure "$out/$r" 2>/dev/null; done

mkdir -p -- "$plots"
status=0
IOPATHS=$iopaths scripts/pressure/plots.sh "$out" "$plots/pressure" || status=1
"$iopaths" report "$out" "$plots" || status=1
elapsed=$(($(date +%s) - start))
echo "$prog: results in $out (pressure.csv, timeseries.csv; pressure-8t and pressure-uring for make compare), figures in $plots/pressure, page $out/index.html; $elapsed s"
if [ "$elapsed" -gt "$BUDGET" ]; then
	printf 'iopaths: %s: took %d s, over its budget of %d s: lower DURATION at the top of scripts/bench-pressure.sh\n' \
		"$prog" "$elapsed" "$BUDGET" >&2
	exit 1
fi
exit "$status"
