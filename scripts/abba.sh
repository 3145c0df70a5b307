#!/bin/sh
# scripts/abba.sh K -- SIDE_A_COMMAND... -- SIDE_B_COMMAND...
# One sitting of two runs whose workers take turns in ABBA order: A1 B1 B2 A2
# A3 B3 B4 A4 ...  Worker i of A and worker i of B sit next to each other in
# time, so that the machine's drift cancels in their pair.  Each side is its
# own command line (its binary, its --dir, its --out, its options): one
# `iopaths run`, or a script that ends in one and passes its arguments on
# (scripts/bench.sh), to which this appends --workers K --turns IN,OUT.  Each
# side ends as one results folder with K workers and meta worker_order
# abba:SIDE:SLOTS.  ABBA_DRY=1 prints the order of the turns and runs nothing.
# Exit status: 0 both sides complete, 1 a side failed, 2 bad input (here or a
# side's), 130 stopped.
set -eu

usage() {
	echo "usage: scripts/abba.sh K -- SIDE_A_COMMAND... -- SIDE_B_COMMAND..." >&2
	exit 2
}
[ "$#" -ge 1 ] || usage
k=$1
shift
case $k in
'' | *[!0-9]* | 0*) echo "abba: K '$k' is not a whole number of workers from 1" >&2; exit 2 ;;
esac
[ "${1:-}" = -- ] || usage
shift
count_a=0
for word in "$@"; do
	[ "$word" = -- ] && break
	count_a=$((count_a + 1))
done
count_b=$(($# - count_a - 1))
if [ "$count_a" -lt 1 ] || [ "$count_b" -lt 1 ]; then usage; fi

# The sitting: turn t (1..2K) is pair p = (t+1)/2; odd pairs go A then B,
# even pairs B then A.
turn_side() {
	p=$((($1 + 1) / 2))
	if [ $((p % 2)) = $(($1 % 2)) ]; then echo A; else echo B; fi
}
if [ "${ABBA_DRY:-0}" = 1 ]; then
	t=1
	while [ "$t" -le $((2 * k)) ]; do
		printf '%s%s' "$(turn_side "$t")" "$(((t + 1) / 2))"
		[ "$t" -lt $((2 * k)) ] && printf ' '
		t=$((t + 1))
	done
	echo
	exit 0
fi

fifos=$(mktemp -d "${TMPDIR:-/tmp}/iopaths-abba-XXXXXX")
cleanup() { rm -rf "$fifos"; }
trap cleanup EXIT
trap 'cleanup; exit 130' INT TERM
for f in A.go A.done B.go B.done; do mkfifo "$fifos/$f"; done
# Opened read-write: no open here waits for a side that may have died first.
exec 3<>"$fifos/A.go" 4<>"$fifos/A.done" 5<>"$fifos/B.go" 6<>"$fifos/B.done"

# start SIDE FIRST COUNT ARGS...: words FIRST..FIRST+COUNT-1 of ARGS, run in
# the background; when it exits, however, "SIDE end STATUS" reaches its done FIFO.
start() {
	side=$1 first=$2 n=$3
	shift 3
	shift $((first - 1))
	words="" i=1
	while [ "$i" -le "$n" ]; do
		words="$words \"\${$i}\""
		i=$((i + 1))
	done
	eval "set -- $words"
	(
		exec 3>&- 4>&- 5>&- 6>&- # only this script writes turns: their end is the sitting's
		status=0
		"$@" --workers "$k" --turns "$fifos/$side.go,$fifos/$side.done" || status=$?
		echo "$side end $status" >"$fifos/$side.done"
	) &
}
start A 1 "$count_a" "$@"
start B $((count_a + 2)) "$count_b" "$@"

# turn SIDE SLOT: the side's next worker runs; 0 when it ended well.
turn() {
	if [ "$1" = A ]; then echo "A $2" >&3; read -r said w status <&4; else echo "B $2" >&5; read -r said w status <&6; fi
	if [ "$w" = end ]; then
		echo "abba: side $said ended (status $status) before its turn $2" >&2
		eval "ended_$said=\$status" # its end is read: side_end must not wait for it again
		return 1
	fi
	[ "$status" = 0 ] || { echo "abba: side $said's worker $w failed (status $status)" >&2; return 1; }
}
# The end of a side: its run's exit status.
# shellcheck disable=SC2034 # read through eval, by side
ended_A="" ended_B=""
side_end() {
	eval "ended=\$ended_$1"
	[ -z "$ended" ] || return "$ended"
	if [ "$1" = A ]; then read -r said w status <&4; else read -r said w status <&6; fi
	[ "$w" = end ] || { echo "abba: side $said said '$w $status' after its last worker" >&2; return 1; }
	return "$status"
}

t=1 failed=0
while [ "$t" -le $((2 * k)) ]; do
	turn "$(turn_side "$t")" "$t" || { failed=1; break; }
	t=$((t + 1))
done
# Ending the sitting's FIFOs ends a side still waiting for a turn.
exec 3>&- 5>&-
status_a=0 status_b=0
side_end A || status_a=$?
side_end B || status_b=$?
wait
if [ "$status_a" = 130 ] || [ "$status_b" = 130 ]; then exit 130; fi
if [ "$status_a" = 2 ] || [ "$status_b" = 2 ]; then exit 2; fi # a side's command was refused
if [ "$failed" != 0 ] || [ "$status_a" != 0 ] || [ "$status_b" != 0 ]; then exit 1; fi
echo "abba: $k workers a side, interleaved A B B A"
