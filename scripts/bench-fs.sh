#!/bin/sh
# make bench-fs FS="ext4 xfs btrfs tmpfs" [QUICK=1]: for each filesystem, an
# image on a loop device (tmpfs: a mount of its own), sized from the sweep,
# made and mounted on a temporary directory; then each filesystem after the
# first is measured against the first in one sitting, their sweeps' workers
# taking turns A B B A (scripts/abba.sh), so that the machine's drift over the
# sitting cancels in each pair; each side gets its figures and page, and each
# pair is compared.  Everything is unmounted and removed at the end, also on
# failure and Ctrl-C.  ABBA_WORKERS (default 4) workers a side.
# RESULTS_DIR and PLOTS_DIR (default results, plots) say where runs and figures go.
set -eu

# FS comes from make through the environment (or as arguments): a list of
# names, split on blanks, never globbed.
set -f
fss=${*:-${FS:-ext4 xfs btrfs tmpfs}}
[ "$(id -u)" = 0 ] || { echo "bench-fs: needs root (loop devices, mkfs, mount)" >&2; exit 2; }
for fs in $fss; do
	case $fs in
	ext4 | xfs | btrfs | tmpfs) ;;
	*) echo "bench-fs: unknown filesystem '$fs' (ext4, xfs, btrfs, tmpfs)" >&2; exit 2 ;;
	esac
done

# The sweep's largest file, a file sink's copy of it, and room for the rest.
largest_mib=1024
[ "${QUICK:-0}" = 1 ] && largest_mib=16
size_mib=$((3 * largest_mib + 512))
workers=${ABBA_WORKERS:-4}

# What is mounted: one "WORK LOOP MNT" line each (LOOP - for tmpfs).
mounted=""
# shellcheck disable=SC2317 # called by the traps
cleanup() {
	echo "$mounted" | while read -r work loop mnt; do
		[ -n "$work" ] || continue
		if mountpoint -q "$mnt"; then umount "$mnt" || umount -l "$mnt"; fi
		if [ "$loop" != - ]; then losetup -d "$loop" 2>/dev/null || true; fi
		rm -rf "$work"
	done
	mounted=""
}
trap cleanup EXIT
trap 'cleanup; exit 130' INT TERM

# mount_fs FS: made and mounted; its mount point in $mnt.
mount_fs() {
	work=$(mktemp -d /var/tmp/iopaths-fs-XXXXXX)
	mnt=$work/mnt
	loop=-
	mounted="$mounted
$work $loop $mnt"
	mkdir "$mnt"
	echo "bench-fs: $1, ${size_mib} MiB"
	if [ "$1" = tmpfs ]; then
		mount -t tmpfs -o "size=${size_mib}m" iopaths-tmpfs "$mnt"
	else
		truncate -s "${size_mib}M" "$work/fs.img"
		loop=$(losetup --find --show "$work/fs.img")
		mounted=$(echo "$mounted" | sed "s|^$work - |$work $loop |") # mktemp's names hold no |
		case $1 in
		ext4) mkfs.ext4 -q -F "$loop" ;;
		xfs) mkfs.xfs -q -f "$loop" ;;
		btrfs) mkfs.btrfs -q -f "$loop" >/dev/null ;;
		esac
		mount "$loop" "$mnt"
	fi
}

stamp=$(date +%Y%m%d-%H%M%S)
results=${RESULTS_DIR:-results}
plots_root=${PLOTS_DIR:-plots}
iopaths=${IOPATHS:-build/iopaths}
first=""
for fs in $fss; do
	mount_fs "$fs"
	if [ -z "$first" ]; then
		first=$fs first_mnt=$mnt
		continue
	fi
	base=$results/$(hostname)-$(uname -r)-$first-$stamp-vs-$fs
	other=$results/$(hostname)-$(uname -r)-$fs-$stamp
	echo "bench-fs: $first against $fs, $workers workers each, interleaved"
	scripts/abba.sh "$workers" -- env DIR="$first_mnt/data" OUT="$base" SWEEP_ONLY=1 scripts/bench.sh \
		-- env DIR="$mnt/data" OUT="$other" SWEEP_ONLY=1 scripts/bench.sh
	for out in "$base" "$other"; do
		plots=$plots_root/$(basename "$out")
		scripts/plots.sh "$out" "$plots"
		"$iopaths" report "$out" "$plots"
	done
	scripts/compare.sh "$base" "$other"
done
if [ "$first" = "$fss" ]; then # one filesystem: its sweep, figures and page alone
	DIR="$first_mnt/data" OUT="$results/$(hostname)-$(uname -r)-$first-$stamp" scripts/bench.sh
fi
exit 0
