# title: Writes: msync against fsync
# caption: Writes into a new file, hot cache: write() and pwrite() with and without fsync against a
#   shared mapping with each msync mode; the key says whether each left nothing dirty (persisted:
#   summary.csv's persisted_all). Error bars as in the throughput figure: CI of the median, or min
#   to max where the key says range. What to look for: what waiting for the disk costs (fsync,
#   msync MS_SYNC), whether MS_ASYNC costs more than no msync at all, and which modes persisted.
# says: --metric mibps --at largest --where cache=hot,sink=file,op=write --show persisted_all
# columns: file_bytes mibps_median mibps_err_lo mibps_err_hi persisted_all
# list: writes cache=hot sink=file op=write mibps_median>0
# needs: writes
# skipped: no write strategy ran into the file sink (iopaths run --op write or both)
#
# Writes into a new file: msync modes of a shared mapping against write()
# with and without fsync, hot cache.  Over file size when the run has several
# sizes; at one size, one row per series (a line over one size would be a
# vertical stroke).
persist_text(v) = v == 1 ? ", persisted" : v == 0 ? ", NOT persisted" : v == -1 ? ", persisted at some sizes" : ""
write_title(t) = key_title(t).persist_text(persisted_all_of[t])
set title "Writing a new file: mmap + msync(MS_SYNC | MS_ASYNC | none) against write() and write() + fsync()\n".subtitle font ",13"
panel = writes." "
set autoscale y
stats [*:*] data using (in_panel(column(-2) + 1) && column(2) > 0 ? column(1) : NaN) nooutput name "WS"
if (WS_min < WS_max) {
    set logscale y 10
    set ylabel "MiB/s (".err_axis(writes).")"
    set key outside below center horizontal font ",11" samplen 3 spacing 1.1 maxrows 4
    set xlabel ""   # the size tics say it; the key goes below
    ylo(s) = pos(column(3))
    yhi(s) = pos(column(4))
    @fit_y
    plot for [t in writes] data index (t - 1) using (pos($1)):(pos($2)):3:4 \
        with yerrorlines lt lt_of[t + 0] dt dt_of[t + 0] pt pt_of[t + 0] title write_title(t + 0)
} else {
    # one size: a row per series, MiB/s along a linear x axis from 0, persisted
    # in the row's name
    nrows = words(writes)
    unset logscale x
    set xtics autofreq
    set offsets 0, 0, 0, 0
    set xlabel sprintf("MiB/s writing a file of %s (%s)", size_name(int(WS_min)), err_axis(writes))
    set ylabel ""
    set key off
    set ytics () nomirror font ",11"
    do for [i=1:nrows] {
        t = word(writes, i) + 0
        set ytics add (tic_label[t].persist_text(persisted_all_of[t]) nrows - i + 1)
    }
    stats [*:*] data using (in_panel(column(-2) + 1) ? pos(column(4)) : NaN) nooutput name "HI"
    set xrange [0 : HI_max * 1.1]
    set yrange [0.5 : nrows + 0.5]
    plot for [i=1:nrows] data index (word(writes, i) - 1) using (pos($2)):(nrows - i + 1.0):(pos($3)):(pos($4)) \
        with xerrorbars lt lt_of[word(writes, i) + 0] pt pt_of[word(writes, i) + 0] ps 2 notitle
}
