#!/bin/sh
# make power [QUICK=1] [DIR=/mnt/x] [PLANT_NS="250 1000 4000"] [WORKERS=K]:
# compare's power on this machine, proven with a change of known size.  A
# plain sweep (side A), then the same sweep once per PLANT_NS value with
# `iopaths run --plant-ns N` (side B: a busy-wait of N ns, its cost measured
# and recorded, at every call that moves bytes), all compared against A by
# `iopaths compare`.  Each cell's expected slowdown follows from A's time
# per pass and B's waits per pass (`iopaths power`); the cells fall into the
# bands 2, 5, 10 and 20 %, and for each band this prints the share compare
# called slower (right) and the count it called faster (the wrong sign).
# power.csv, power_cells.csv and a figure in RESULTS_DIR/power-<host>-<time>/.
# With `iopaths run --workers` (issue 19), every sweep runs WORKERS worker
# processes; the sides then run one after the other (A, then each B).
set -eu

# ---- The sweep: hot reads through every read strategy into two sinks, sizes
# from a few passes' worth of calls to many: cells whose time per call differs,
# so one wait gives changes that spread over the bands. ----
OP="read"
SINKS=process,unix
CACHE=hot
SIZES=64K,1M,16M,64M
REPS=5
WARMUP=1
MIN_SAMPLE_MS=10
if [ "${QUICK:-0}" = 1 ]; then
	SIZES=64K,1M,16M
	MIN_SAMPLE_MS=2
fi
# --------------------------------------------------------------------------------

usage() {
	echo "power: $*" >&2
	echo "usage: make power [QUICK=1] [DIR=/mnt/x] [PLANT_NS=\"N ...\"] [WORKERS=K]" >&2
	exit 2
}
case ${QUICK:-0} in 0 | 1) ;; *) usage "QUICK is 0 or 1, not '${QUICK}'" ;; esac
plants=${PLANT_NS:-250 1000 4000}
[ -n "$(echo "$plants" | tr -d ' ')" ] || usage "PLANT_NS is empty"
seen=""
for n in $plants; do
	case $n in '' | *[!0-9]* | 0*) usage "PLANT_NS holds ns above 0, digits only: not '$n'" ;; esac
	[ "${#n}" -le 9 ] || usage "PLANT_NS: $n ns is more than the 100000000 --plant-ns takes"
	case " $seen " in *" $n "*) usage "PLANT_NS names $n twice" ;; esac
	seen="$seen $n"
done
workers=${WORKERS:-5}
case $workers in '' | *[!0-9]* | 0*) usage "WORKERS is a number above 0, not '$workers'" ;; esac

iopaths=${IOPATHS:-build/iopaths}
[ -x "$iopaths" ] || usage "$iopaths is missing: run make"
"$iopaths" run --help | grep -q -- '--plant-ns' || usage "$iopaths has no run --plant-ns: rebuild it"
has_workers=0 # the worker processes, when this build has them
if "$iopaths" run --help | grep -q -- '--workers'; then has_workers=1; fi
dir=${DIR:-/var/tmp/iopaths-data}
root=${RESULTS_DIR:-results}/power-$(hostname)-$(date +%Y%m%d-%H%M%S)
[ ! -e "$root" ] || usage "$root exists; not overwriting it"
mkdir -p "$root"
start=$(date +%s)

sweep() { # sweep NAME [RUN OPTIONS...]: one side into $root/NAME, its output in NAME.log
	name=$1
	shift
	[ "$has_workers" = 0 ] || set -- "$@" --workers "$workers"
	echo "power: sweep $name"
	"$iopaths" run --op "$OP" --sink "$SINKS" --cache "$CACHE" --sizes "$SIZES" --reps "$REPS" \
		--warmup "$WARMUP" --min-sample-ms "$MIN_SAMPLE_MS" --dir "$dir" --out "$root/$name" "$@" \
		>"$root/$name.log" 2>&1 || { tail -n 20 "$root/$name.log" >&2; exit 1; }
}
sweep a
set -- "$root/a"
for n in $plants; do
	sweep "b-$n" --plant-ns "$n"
	set -- "$@" "$root/b-$n"
done
"$iopaths" compare "$root/compare" "$@" >"$root/compare.txt"
"$iopaths" power "$root" "$root/compare/compare.csv" | tee "$root/power.txt"
status=0
scripts/power/plots.sh "$root" "${PLOTS_DIR:-plots}/$(basename "$root")" || status=$?

awk -F '\t' '
	/^power: expected change (5|10|20) %/ && match($0, /: [0-9]+ of [0-9]+ cells/) {
		split(substr($0, RSTART + 2, RLENGTH - 2), w, " "); right += w[1]; cells += w[3]
	}
	/^power: expected change/ && match($0, /, [0-9]+ of the wrong sign/) {
		split(substr($0, RSTART + 2, RLENGTH - 2), w, " "); wrong += w[1]
	}
	END {
		if (cells == 0) { print "power: no cell with an expected change of 5 % or more: raise PLANT_NS"; exit }
		printf "power: expected change >= 5 %%: %d of %d cells found (%.0f %%); wrong sign in any band: %d; ", right, cells, 100 * right / cells, wrong
		print (right >= 0.8 * cells && wrong == 0) ? "the bar of issue 19 (>= 80 %, 0 wrong) is met" : "the bar of issue 19 (>= 80 %, 0 wrong) is not met"
	}' "$root/power.txt"
echo "power: $(($(date +%s) - start)) s; runs, compare, power.csv and power_cells.csv in $root"
exit "$status"
