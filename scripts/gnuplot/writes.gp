# (f) Writes into a new file: msync modes of a shared mapping against write()
# with and without fsync, MiB/s against file size, hot cache.  series.dat
# columns: 1 file_bytes, 2 mibps_median, 3 mibps_ci_lo, 4 mibps_ci_hi.
set logscale y 10
set ylabel "MiB/s (median, CI)"
set key left top font ",9" samplen 3
set title "Writing a new file: mmap + msync(MS_SYNC | MS_ASYNC | none) against write() and write() + fsync()\n".subtitle font ",13"
ylo(s) = pos(column(3))
yhi(s) = pos(column(4))
panel = writes." "
@fit_y
plot for [t in writes] data index (t - 1) using (pos($1)):(pos($2)):3:4 \
    with yerrorlines lt lt_of[t + 0] dt dt_of[t + 0] title label[t + 0]
