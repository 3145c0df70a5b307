# title: Read amplification over time: device bytes per byte used
# caption: For each interval, the bytes --dir's block device read (/proc/diskstats; a loop device's
#   backing device) divided by the bytes the strategy used, log scale; 1 is reading exactly what is
#   used. What to look for: readahead around each fault (madvise=normal) reading many times what is
#   used once the cache is full, against madvise=random, pread and O_DIRECT near 1. The device count
#   is system-wide: another reader of the same disk adds to it.
# columns: t_s read_amp
# list: srv read_amp>0
# needs: srv
# skipped: no interval has device reads (a filesystem without a block device, or none measured)
unset logscale x
set xtics autofreq
set autoscale x
set offsets 0, 0, 0, 0
set xlabel "seconds since the cell's start (end of each interval)"
set ylabel "device bytes read / bytes used"
set title "Read amplification over time\n".subtitle font ",13"
set logscale y 10
set key right top Left reverse samplen 2 spacing 1.0
panel = srv." "
ylo(s) = pos(column(2))
yhi(s) = pos(column(2))
@fit_y
plot for [t in srv] data index (t - 1) using 1:(pos($2)) \
    with linespoints lt lt_of[t + 0] dt dt_of[t + 0] pt pt_of[t + 0] ps 0.8 title label[t + 0]
