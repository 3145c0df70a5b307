#!/bin/sh
# make bench [QUICK=1] [DIR=/mnt/x]: the default sweep, then its figures and
# its page.  Prints where the results, the figures and the page are.
# SWEEP_ONLY=1 stops after the sweep (scripts/aa.sh runs it twice this way).
# Arguments go on to `iopaths run`, after the ones below (a later option
# wins): scripts/abba.sh gives a side its --workers and --turns this way.
set -eu

# ---- The sweep: what `make bench` measures. Change it here and only here. ----
OP=both                  # reads out of the data file, and writes into new files
SINKS=process,unix,file  # tcp and null on request: build/iopaths run --sink tcp,null
CACHE=both               # hot and cold (writes into a new file run hot only)
MSYNC=sync,async,none    # mmap-shared-write in every msync mode
FSYNC=both               # write and pwrite with and without fsync
SIZES=4K,16K,64K,256K,1M,4M,16M,64M,256M,1G
# Worker processes are the replicates (README, "Workers"): a pilot here (2 vCPU
# KVM, 6 processes of the QUICK sweep) found the between-process variance of
# ln MiB/s about as large as the within one (median ratio 0.84), and one
# repetition of all 350 cells ~54 s.  Kalibera & Jones then give 1 repetition
# per worker; 2 are kept so that the within component can be estimated.
WORKERS=4                # fresh processes, each its own order of sizes and cells
REPS=2                   # recorded repetitions per worker
WARMUP=0                 # no unrecorded one: a worker's first sample calibrates
MIN_SAMPLE_MS=10         # small files repeat within a sample to last this long
if [ "${QUICK:-0}" = 1 ]; then # about a minute, every figure still drawn
	SIZES=4K,64K,1M,16M
	WORKERS=10
	REPS=2
	MIN_SAMPLE_MS=2
fi
# -------------------------------------------------------------------------------

iopaths=${IOPATHS:-build/iopaths}
dir=${DIR:-/var/tmp/iopaths-data}
mkdir -p "$dir" 2>/dev/null || true
fs=$(findmnt -n -o FSTYPE --target "$dir" 2>/dev/null || echo fs)
out=${OUT:-${RESULTS_DIR:-results}/$(hostname)-$(uname -r)-$fs-$(date +%Y%m%d-%H%M%S)}

mkdir -p "$(dirname "$out")"
start=$(date +%s)
"$iopaths" run --op "$OP" --sink "$SINKS" --cache "$CACHE" --msync "$MSYNC" --fsync="$FSYNC" \
	--sizes "$SIZES" --reps "$REPS" --warmup "$WARMUP" --min-sample-ms "$MIN_SAMPLE_MS" \
	--workers "$WORKERS" --dir "$dir" --out "$out" "$@"
[ "${SWEEP_ONLY:-0}" = 1 ] && exit 0
# The seed's lessons beside the numbers (seconds): demos.csv, a table on the page.
status=0
"$iopaths" demo all --out "$out" --dir "$dir" || status=$?
case $status in
0) ;;
1) echo "bench: a demo could not run (named above); the others are in $out/demos.csv" >&2 ;;
*) exit "$status" ;;
esac
plots=${PLOTS_DIR:-plots}/$(basename "$out")
scripts/plots.sh "$out" "$plots"
"$iopaths" report "$out" "$plots"
echo
echo "bench: $(($(date +%s) - start)) s"
echo "  results  $out/{runs,summary,meta,demos}.csv"
echo "  figures  $plots/"
echo "  page     $out/index.html"
