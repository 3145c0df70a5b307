#!/bin/sh
# make bench-fs FS="ext4 xfs btrfs tmpfs" [QUICK=1]: for each filesystem, an
# image on a loop device (tmpfs: a mount of its own), sized from the sweep,
# made, mounted on a temporary directory, the sweep run on it, then unmounted
# and removed; also on failure and Ctrl-C.  Then the runs are compared.
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

work="" loop="" mnt=""
cleanup() {
	if [ -n "$mnt" ] && mountpoint -q "$mnt"; then umount "$mnt" || umount -l "$mnt"; fi
	if [ -n "$loop" ]; then losetup -d "$loop" 2>/dev/null || true; fi
	if [ -n "$work" ]; then rm -rf "$work"; fi
	work="" loop="" mnt=""
}
trap cleanup EXIT
trap 'cleanup; exit 130' INT TERM

runs=""
stamp=$(date +%Y%m%d-%H%M%S)
for fs in $fss; do
	work=$(mktemp -d /var/tmp/iopaths-fs-XXXXXX)
	mnt=$work/mnt
	mkdir "$mnt"
	echo "bench-fs: $fs, ${size_mib} MiB"
	if [ "$fs" = tmpfs ]; then
		mount -t tmpfs -o "size=${size_mib}m" iopaths-tmpfs "$mnt"
	else
		truncate -s "${size_mib}M" "$work/fs.img"
		loop=$(losetup --find --show "$work/fs.img")
		case $fs in
		ext4) mkfs.ext4 -q -F "$loop" ;;
		xfs) mkfs.xfs -q -f "$loop" ;;
		btrfs) mkfs.btrfs -q -f "$loop" >/dev/null ;;
		esac
		mount "$loop" "$mnt"
	fi
	out=${RESULTS_DIR:-results}/$(hostname)-$(uname -r)-$fs-$stamp
	DIR=$mnt/data OUT=$out scripts/bench.sh
	runs="$runs $out"
	cleanup
done

# shellcheck disable=SC2086 # one word per run folder
[ "$(echo $runs | wc -w)" -ge 2 ] && scripts/compare.sh $runs
exit 0
