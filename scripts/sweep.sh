# Shared by lecture.sh and design.sh (sourced, not run): where a sweep of
# theirs puts its data files and its results.
# shellcheck shell=sh disable=SC2034 # dir and run are for the caller

# sweep_folder KIND: $dir, the data folder (DIR, else /var/tmp/iopaths-data,
# made if missing), and $run, a new results folder's name,
# RESULTS_DIR/HOST-KERNEL-FS-KIND-DATE (RESULTS_DIR defaults to results).
sweep_folder() {
	dir=${DIR:-/var/tmp/iopaths-data}
	mkdir -p -- "$dir" 2>/dev/null || true
	fs=$(findmnt -n -o FSTYPE --target "$dir" 2>/dev/null || echo fs)
	run=${RESULTS_DIR:-results}/$(hostname)-$(uname -r)-$fs-$1-$(date +%Y%m%d-%H%M%S)
}
