#!/bin/sh
# make design [QUICK=1] [RUN=results/<id>] [STRATEGIES=..] [SINKS=..] [SIZES=..] [FIGURES=..]:
# the slides of scripts/design/ (issue 11: the mmap design space, one
# question each, in the lecture's slide format) into plots/<run-id>/design/,
# with captions written from the run.  Without RUN it first runs the sweeps
# the slides need, one `iopaths run` per slide (each slide asks for another
# block size, cache state and cross of options, and one run of all of them
# crossed would take hours), into results/<id>/<slide>/, and draws each slide
# from its own run.  RUN is such a folder of slides' runs, or one run, from
# which every slide is drawn that its rows allow (the others say why not).
set -eu

# ---- The design sweeps: what each slide needs, and no more. ----
# random: 4 KiB spans in file order and at random, hot and cold, on a file
# larger than readahead's reach; --block 4K so that in file order too every
# read is 4 KiB.  Its time goes to the device: O_DIRECT and MADV_RANDOM read
# 4 KiB at a time, cold, so no warm-up repetition (--warmup 0).
RANDOM_SIZE=1G RANDOM_REPS=2 # 3 took 551 s of the 9 min of all three sweeps here
# threads: one shared pass, hot, on a file large enough that each thread's
# share is many spans.
THREADS_SIZE=256M THREADS_REPS=5
# mapping: making a mapping against reading through it, the sizes of the
# issue's question (16 MiB: 31 faults, 5 ms of user time on the PVM guest).
MAPPING_SIZES=1M,16M MAPPING_REPS=10
MIN_SAMPLE_MS=10
if [ "${QUICK:-0}" = 1 ]; then # a minute or two
	RANDOM_SIZE=32M RANDOM_REPS=3
	THREADS_SIZE=64M THREADS_REPS=3
	MAPPING_REPS=5
	MIN_SAMPLE_MS=2
fi
# ----------------------------------------------------------------

iopaths=${IOPATHS:-build/iopaths}
# shellcheck source=scripts/sweep.sh
. scripts/sweep.sh
run=${RUN:-}
scripts/plots.sh --design --check # a subset it does not know stops here, before the sweeps
# One line on stderr, status 2: a name quoted in it holds no line break.
die() {
	printf 'iopaths: design: %s' "$*" | LC_ALL=C tr '\001-\037\177' '[?*]' >&2
	echo >&2
	exit 2
}
if [ -z "$run" ]; then
	sweep_folder design
	# A sweep that fails, or Ctrl-C, leaves no half-made results folder:
	# the folder is this run's own until every sweep is in it.
	[ ! -e "$run" ] || die "$run exists; not writing over it"
	mkdir -p -- "$(dirname -- "$run")"
	mkdir -- "$run"
	made=$run
	trap '[ -z "$made" ] || rm -rf -- "$made"' EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
	set -- --min-sample-ms "$MIN_SAMPLE_MS" --dir "$dir" # every sweep's, as arguments (DIR may hold blanks)
	start=$(date +%s)
	# FIGURES= runs only the sweeps of the slides it names.
	wanted() { case ",${FIGURES:-$1}," in *",$1,"*) return 0 ;; esac; return 1; }
	! wanted random || "$iopaths" run --strategy pread,mmap-shared,odirect-pread,io-uring --variant mmap-shared.madvise=normal,random \
		--qd 1,32 --pattern seq,random --block 4K --io-size 4K --cache both --sizes "$RANDOM_SIZE" \
		--reps "$RANDOM_REPS" --warmup 0 "$@" --out "$run/random"
	! wanted threads || "$iopaths" run --strategy pread,mmap-shared --threads 1,2,4 --cache hot --sizes "$THREADS_SIZE" \
		--reps "$THREADS_REPS" "$@" --out "$run/threads"
	! wanted mapping || "$iopaths" run --strategy pread,mmap-shared --variant mmap-shared.map=per-pass,once \
		--variant mmap-shared.populate=off,on --cache hot --sizes "$MAPPING_SIZES" \
		--reps "$MAPPING_REPS" "$@" --out "$run/mapping"
	echo "design: the sweeps took $(($(date +%s) - start)) s"
	made= # whole: kept, whatever happens to the drawing
fi
run=${run%/}
case $run in -*) run=./$run ;; esac # a folder named like an option is a folder
out=${PLOTS_DIR:-plots}/$(basename -- "$run")/design
if [ -f "$run/summary.csv" ]; then # one run: every slide from it
	scripts/plots.sh --design -- "$run" "$out"
	exit 0
fi
# A folder of the slides' runs: each slide from its own, the others' files
# and rows of figures.csv kept (FIGURES=).
ls "$run"/*/summary.csv >/dev/null 2>&1 || die "$run holds no run (summary.csv), nor a run per slide"
for file in scripts/design/[0-9]*-*.gp; do
	name=$(basename -- "$file" .gp | sed 's/^[0-9]*-//')
	case ",${FIGURES:-$name}," in *",$name,"*) ;; *) continue ;; esac
	if [ -f "$run/$name/summary.csv" ]; then
		FIGURES=$name scripts/plots.sh --design -- "$run/$name" "$out"
	else
		echo "design: $name not drawn: $run/$name holds no run"
	fi
done
