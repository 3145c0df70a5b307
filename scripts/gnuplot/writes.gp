# (f) Writes into a new file: msync modes of a shared mapping against write()
# with and without fsync, MiB/s against file size, hot cache.
load script_dir."/style.gp"
set logscale y 10
set ylabel "MiB/s (median, CI)"
set key left top font ",9" samplen 3
set title "Writing a new file: mmap + msync(MS_SYNC | MS_ASYNC | none) against write() and write() + fsync()\n".subtitle font ",13"
r = "hot"; k = "file"
ylo(r, k) = in_list(strcol("label"), writes) && strcol("cache") eq r && strcol("sink") eq k ? pos(column("mibps_ci_lo")) : NaN
yhi(r, k) = in_list(strcol("label"), writes) && strcol("cache") eq r && strcol("sink") eq k ? pos(column("mibps_ci_hi")) : NaN
@fit_y
plot for [l in writes] csv using (is("hot", "file", l) ? pos(column("file_bytes")) : NaN):(pos(column("mibps_median"))): \
         (column("mibps_ci_lo")):(column("mibps_ci_hi")) with yerrorlines lt lt_of(l) dt dt_of(l) title l
