# title: Writes: msync against fsync
# caption: Writes into a new file, hot cache: write() and pwrite() with and without fsync against a
#   shared mapping with each msync mode. What to look for: what waiting for the disk costs (fsync,
#   msync MS_SYNC), and whether MS_ASYNC costs more than no msync at all; the persisted column of
#   summary.csv says which of them left nothing dirty.
# columns: file_bytes mibps_median mibps_ci_lo mibps_ci_hi
# list: writes cache=hot sink=file op=write mibps_median>0
# needs: writes
# skipped: no write strategy ran into the file sink (iopaths run --op write or both)
#
# Writes into a new file: msync modes of a shared mapping against write()
# with and without fsync, hot cache.
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
