#!/bin/sh
# iopaths against fio on the same path and the same file, alternately in one
# sitting: pread() of a hot file in 128 KiB blocks, nothing reading the bytes
# (fio's psync engine does not touch them, so iopaths runs --consume none).
# Usage: scripts/vs-fio.sh [SIZE [ROUNDS]]   (default 1G 5)
set -eu

size=${1:-1G}
rounds=${2:-5}
command -v fio >/dev/null 2>&1 || { echo "vs-fio: fio is not installed (apt-get install fio)" >&2; exit 2; }
[ -x build/iopaths ] || { echo "vs-fio: build/iopaths is missing: run make" >&2; exit 2; }

work=$(mktemp -d /var/tmp/iopaths-vs-fio-XXXXXX)
trap 'rm -rf "$work"' EXIT INT TERM

build/iopaths run --strategy pread --sizes "$size" --reps 1 --warmup 0 --keep \
	--dir "$work/data" --out "$work/make" >/dev/null 2>&1
file=$(find "$work/data" -name 'iopaths-*.dat')
cat "$file" >/dev/null # the warming read

printf 'round  fio_MiB/s  iopaths_MiB/s  ratio\n'
i=1
while [ "$i" -le "$rounds" ]; do
	# terse v3: field 7 is the read bandwidth in KiB/s
	fio_kib=$(fio --name=psync --filename="$file" --ioengine=psync --rw=read --bs=128k \
		--invalidate=0 --size="$size" --output-format=terse --terse-version=3 | cut -d';' -f7)
	build/iopaths run --strategy pread --sizes "$size" --block 128K --consume none --reps 1 \
		--warmup 0 --dir "$work/data" --out "$work/r$i" >/dev/null 2>&1
	ours=$(build/iopaths query "$work/r$i/summary.csv" mibps_median)
	awk -v r="$i" -v f="$fio_kib" -v o="$ours" \
		'BEGIN { printf "%5d  %9.0f  %13.0f  %5.2f\n", r, f / 1024, o, o / (f / 1024) }'
	i=$((i + 1))
done
