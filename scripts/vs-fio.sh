#!/bin/sh
# iopaths against fio on the same paths and the same file, in one sitting:
# each round runs every case with fio and with iopaths, one after the other,
# fio first in odd rounds and iopaths first in even ones (so a machine that
# slows down or speeds up over the rounds favours neither).  The cases:
#   seq-psync        pread() of the file in order, 128 KiB at a time
#   rand-psync       pread() of every 4 KiB of the file once, in a random order
#   rand-uring-qd1   the same through io_uring, 1 read in flight
#   rand-uring-qd32  the same, 32 reads in flight
#   rand-direct      pread() with O_DIRECT, 4 KiB at random (fio --direct=1)
#   rand-direct-qd32 io_uring with O_DIRECT, 32 reads in flight
# Nothing reads the bytes in fio, so iopaths runs --consume none, except for
# odirect-pread, which refuses it (the CPU never copies its bytes): there it
# runs --consume touch, one byte read per 4 KiB page.  The cache is hot
# (fio --invalidate=0; O_DIRECT reads the device whatever the cache holds).
# Prints one line per case and round, then per case the medians of the
# rounds: MiB/s (2^20 bytes per second) of each tool and iopaths/fio.
#
# Usage: scripts/vs-fio.sh [SIZE [ROUNDS [CASES]]]   (default: 1G 5, every case)
#   SIZE    the file, as iopaths --sizes takes it (4K..64G: B, K, M, G)
#   ROUNDS  1 to 100
#   CASES   a comma list of the case names above
# DIR=/path: where the file goes (default /var/tmp; O_DIRECT needs a real
# filesystem, not tmpfs; no ':', fio's separator of file names).
set -eu

all_cases="seq-psync rand-psync rand-uring-qd1 rand-uring-qd32 rand-direct rand-direct-qd32"
bad() {
	echo "iopaths: vs-fio: $*" >&2
	exit 2
}
[ "$#" -le 3 ] || bad "usage: scripts/vs-fio.sh [SIZE [ROUNDS [CASES]]]"
size=${1:-1G}
rounds=${2:-5}
cases=$(printf '%s' "${3:-$all_cases}" | tr ',' ' ')
printf '%s\n' "$size" | grep -Eqx '[1-9][0-9]{0,11}[BKMG]?' || bad "SIZE '$size' is not a size (digits and B, K, M or G)"
# In awk's doubles: no shift overflows; 0 when it is out of range.
bytes=$(printf '%s\n' "$size" | awk '{ n = $0 + 0; u = substr($0, length($0)); n *= u == "K" ? 1024 : u == "M" ? 1048576 : u == "G" ? 1073741824 : 1
	print (n >= 4096 && n <= 64 * 1073741824 && n % 4096 == 0) ? sprintf("%.0f", n) : 0 }')
if [ "$bytes" = 0 ]; then
	bad "SIZE '$size' is not a multiple of 4 KiB from 4K to 64G (the 4 KiB reads and O_DIRECT need whole blocks)"
fi
printf '%s\n' "$rounds" | grep -Eqx '[1-9][0-9]?|100' || bad "ROUNDS '$rounds' is not a number from 1 to 100"
case ",${3-x}," in *,,*) bad "CASES '${3-}' has an empty item" ;; esac
for c in $cases; do
	case " $all_cases " in *" $c "*) ;; *) bad "no case is called '$c' (cases: $all_cases)" ;; esac
done

case ${DIR:-} in *:*) bad "DIR '$DIR' holds a ':', which fio reads as a separator of file names" ;; esac

iopaths=${IOPATHS:-build/iopaths}
command -v fio >/dev/null 2>&1 || bad "fio is not installed (apt-get install fio)"
[ -x "$iopaths" ] || bad "$iopaths is missing: run make"

work=$(mktemp -d "${DIR:-/var/tmp}/iopaths-vs-fio-XXXXXX")
trap 'rm -rf -- "$work"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# The file, made by iopaths and kept: every run of both tools reads it.
"$iopaths" run --strategy pread --sizes "$size" --reps 1 --warmup 0 --keep \
	--dir "$work/data" --out "$work/make" >/dev/null 2>"$work/err" || { cat "$work/err" >&2; exit 1; }
file=$(find "$work/data" -name 'iopaths-*.dat')
[ -f "$file" ] || { echo "iopaths: vs-fio: the data file was not made in $work/data" >&2; exit 1; }
cat -- "$file" >/dev/null # the warming read

# fio_args CASE: fio's job for the case (after --filename, --size).
fio_args() {
	case $1 in
	seq-psync) echo "--ioengine=psync --rw=read --bs=128k" ;;
	rand-psync) echo "--ioengine=psync --rw=randread --bs=4k" ;;
	rand-uring-qd1) echo "--ioengine=io_uring --iodepth=1 --rw=randread --bs=4k" ;;
	rand-uring-qd32) echo "--ioengine=io_uring --iodepth=32 --rw=randread --bs=4k" ;;
	rand-direct) echo "--ioengine=psync --direct=1 --rw=randread --bs=4k" ;;
	rand-direct-qd32) echo "--ioengine=io_uring --direct=1 --iodepth=32 --rw=randread --bs=4k" ;;
	esac
}
# iopaths_args CASE: iopaths run's options for the same path.
iopaths_args() {
	rand="--pattern random --block 4K --io-size 4K"
	case $1 in
	seq-psync) echo "--strategy pread --block 128K --consume none" ;;
	rand-psync) echo "--strategy pread $rand --consume none" ;;
	rand-uring-qd1) echo "--strategy io-uring --qd 1 $rand --consume none" ;;
	rand-uring-qd32) echo "--strategy io-uring --qd 32 $rand --consume none" ;;
	rand-direct) echo "--strategy odirect-pread $rand --consume touch" ;;
	rand-direct-qd32) echo "--strategy io-uring --qd 32 --variant io-uring.direct=on $rand --consume none" ;;
	esac
}

# run_fio CASE: fio's MiB/s (terse v3: field 7 is the read bandwidth in KiB/s).
run_fio() {
	# shellcheck disable=SC2046 # fio_args: plain words
	fio --name=vs --filename="$file" --size="$bytes" --invalidate=0 $(fio_args "$1") \
		--output-format=terse --terse-version=3 >"$work/fio.out" 2>"$work/err" || { cat "$work/err" >&2; exit 1; }
	cut -d';' -f7 "$work/fio.out" | awk 'NR == 1 { printf "%.1f\n", $1 / 1024 }'
}
# run_iopaths CASE N: iopaths' MiB/s (the median pass of one repetition).
run_iopaths() {
	# shellcheck disable=SC2046 # iopaths_args: plain words
	"$iopaths" run $(iopaths_args "$1") --sizes "$size" --reps 1 --warmup 0 \
		--dir "$work/data" --out "$work/r$2" >/dev/null 2>"$work/err" || { cat "$work/err" >&2; exit 1; }
	"$iopaths" query "$work/r$2/summary.csv" mibps_median
}

printf '%-17s %5s %12s %16s %12s\n' case round "fio MiB/s" "iopaths MiB/s" "iopaths/fio"
: >"$work/all"
i=1 n=0
while [ "$i" -le "$rounds" ]; do
	for c in $cases; do
		n=$((n + 1))
		if [ $((i % 2)) -eq 1 ]; then
			f=$(run_fio "$c")
			o=$(run_iopaths "$c" "$n")
		else
			o=$(run_iopaths "$c" "$n")
			f=$(run_fio "$c")
		fi
		echo "$c $f $o" >>"$work/all"
		awk -v c="$c" -v r="$i" -v f="$f" -v o="$o" \
			'BEGIN { printf "%-17s %5d %12.0f %16.0f %12.2f\n", c, r, f, o, (f > 0 ? o / f : 0) }'
	done
	i=$((i + 1))
done

echo
echo "medians of $rounds rounds, a $size file, hot cache (O_DIRECT cases: from the device):"
printf '%-17s %12s %16s %12s\n' case "fio MiB/s" "iopaths MiB/s" "iopaths/fio"
for c in $cases; do
	awk -v c="$c" '
		function median(v, n,   i, j, t) {
			for (i = 2; i <= n; i++) for (j = i; j > 1 && v[j - 1] > v[j]; j--) { t = v[j]; v[j] = v[j - 1]; v[j - 1] = t }
			return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
		}
		$1 == c { n++; f[n] = $2; o[n] = $3; r[n] = $2 > 0 ? $3 / $2 : 0 }
		END { printf "%-17s %12.0f %16.0f %12.2f\n", c, median(f, n), median(o, n), median(r, n) }
	' "$work/all"
done
