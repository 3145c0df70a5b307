# title: Throughput over time under a memory limit, with the cliff marked
# caption: Random 4 KiB reads by each strategy over a file several times the memory cgroup's limit,
#   one point per interval (timeseries.csv). Upper panel: memory in use (the dashed line is the limit;
#   the dot, when 0.95 of it was first reached). Lower panel: MiB/s of bytes used, log scale; a
#   vertical line marks the cliff, the first interval from the reach whose MiB/s fell below 0.5 of
#   the median before it (pressure.csv). What to look for: which strategies fall when eviction
#   starts, how far, and which hold.
# columns: t_s mibps mem_mib
# list: srv mibps>0
# needs: srv
# skipped: no cell has an interval with MiB/s above 0
unset logscale x
set xtics autofreq
set autoscale x
set offsets 0, 0, 0, 0
set multiplot
# upper panel: memory in use, MiB, and the limit
set tmargin at screen 0.93
set bmargin at screen 0.68
set xlabel ""
set format x ""
set ylabel "memory in use (MiB)"
set title "Throughput over time under a memory limit\n".subtitle font ",13"
set key right bottom Left reverse samplen 2 spacing 1.0
set yrange [0:*]
do for [t in srv] {
    s = t + 0
    if (reached_s[s] >= 0) { set label 200 + s "" at reached_s[s], limit_mib[s] * 0.95 point lt lt_of[s] pt 7 ps 1.6 }
}
plot for [t in srv] data index (t - 1) using 1:3 with lines lt lt_of[t + 0] dt dt_of[t + 0] notitle, \
     for [t in srv] (limit_mib[t + 0] > 0 ? limit_mib[t + 0] : NaN) with lines lc rgb "#555555" dt 2 notitle
unset label
unset title
# lower panel: MiB/s, log scale, the cliffs marked
set tmargin at screen 0.66
set bmargin at screen 0.08
set format x "%g"
set xlabel "seconds since the cell's start (end of each interval)"
set ylabel "MiB/s of bytes used"
set logscale y 10
panel = srv." "
ylo(s) = pos(column(2))
yhi(s) = pos(column(2))
@fit_y
do for [t in srv] {
    s = t + 0
    if (cliff_s[s] >= 0) { set arrow 100 + s from cliff_s[s], graph 0 to cliff_s[s], graph 1 nohead lt lt_of[s] dt 3 lw 2 }
}
plot for [t in srv] data index (t - 1) using 1:(pos($2)) \
    with linespoints lt lt_of[t + 0] dt dt_of[t + 0] pt pt_of[t + 0] ps 0.8 title label[t + 0]
unset multiplot
