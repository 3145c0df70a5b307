#!/bin/sh
# make power [QUICK=1] [DIR=/mnt/x] [PLANT_NS="250 1000 4000"] [WORKERS=K]:
# compare's power on this machine, proven with a change of known size.  For
# each PLANT_NS value one sitting of two sides whose worker processes take
# turns A B B A (scripts/abba.sh): side A the plain sweep, side B the same
# sweep with `iopaths run --plant-ns N` (a busy-wait of N ns, its cost
# measured and recorded, at every call that moves bytes); `iopaths compare`
# then pairs each A worker with its B neighbour.  Each cell's expected
# slowdown follows from A's time per pass and B's waits per pass (`iopaths
# power`); the cells fall into the bands 2, 5, 10 and 20 %, and for each band
# this prints the share compare called slower (right) and the count it called
# faster (the wrong sign).  power.csv, power_cells.csv and a figure in
# RESULTS_DIR/power-<host>-<time>/.
set -eu

# ---- The sweep: hot reads through every read strategy into two sinks, sizes
# from a few passes' worth of calls to many: cells whose time per call differs,
# so one wait gives changes that spread over the bands. ----
OP="read"
SINKS=process # not a socket: there the receiver works while the sender waits, and
# on 2 vCPUs a wait in the sender made sendfile and splice 40 % faster (the
# pipeline's other stage sets its pace), so the expected change does not hold
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
workers=${WORKERS:-20} # 20: at 10 a side, 12 of 19 cells at 5 % or more were found here (idle); at 20, 19 of 22
case $workers in '' | *[!0-9]* | 0*) usage "WORKERS is a number above 0, not '$workers'" ;; esac

iopaths=${IOPATHS:-build/iopaths}
[ -x "$iopaths" ] || usage "$iopaths is missing: run make"
"$iopaths" run --help | grep -q -- '--plant-ns' || usage "$iopaths has no run --plant-ns: rebuild it"
"$iopaths" run --help | grep -q -- '--turns' || usage "$iopaths has no run --turns: rebuild it"
dir=${DIR:-/var/tmp/iopaths-data}
root=${RESULTS_DIR:-results}/power-$(hostname)-$(date +%Y%m%d-%H%M%S)
[ ! -e "$root" ] || usage "$root exists; not overwriting it"
mkdir -p "$root"
start=$(date +%s)

# The options both sides share (fixed words above, none with a space).
common="--op $OP --sink $SINKS --cache $CACHE --sizes $SIZES --reps $REPS --warmup $WARMUP --min-sample-ms $MIN_SAMPLE_MS"
# One sitting per planted wait: its own side A and side B, their workers in
# turns A B B A (scripts/abba.sh), so that the machine's drift over the
# sitting cancels in each pair and compare pairs worker i of A with worker i
# of B.  Sides run one after the other instead gave verdicts of the wrong
# sign here: a drift between the sittings larger than the planted change.
set --
for n in $plants; do
	echo "power: sitting $n ns: sides a-$n and b-$n, $workers workers each, interleaved"
	# shellcheck disable=SC2086 # $common is split into its words on purpose
	scripts/abba.sh "$workers" -- "$iopaths" run $common --dir "$dir" --out "$root/a-$n" \
		-- "$iopaths" run $common --dir "$dir" --out "$root/b-$n" --plant-ns "$n" \
		>"$root/sitting-$n.log" 2>&1 || { tail -n 20 "$root/sitting-$n.log" >&2; exit 1; }
	"$iopaths" compare "$root/compare-$n" "$root/a-$n" "$root/b-$n" >"$root/compare-$n.txt"
	set -- "$@" "$root/compare-$n/compare.csv"
done
"$iopaths" power "$root" "$@" | tee "$root/power.txt"
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
