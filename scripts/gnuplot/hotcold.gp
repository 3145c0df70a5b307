# (e) Hot against cold page cache: the same strategy, solid hot, dashed cold.
# hc_hot_<sink> and hc_cold_<sink> pair the series word by word; series.dat
# columns: 1 file_bytes, 2 mibps_median.
set logscale y 10
set ylabel "MiB/s (median)"
set key left top font ",8" samplen 3 spacing 0.9
ylo(s) = pos(column(2))
yhi(s) = ylo(s)
set multiplot layout 1, words(hc_cols) title \
    "Hot (solid) against cold (dashed) page cache: MiB/s against file size\n".subtitle font ",13"
do for [k in hc_cols] {
    hot = value("hc_hot_".k)
    cold = value("hc_cold_".k)
    panel = hot." ".cold." "
    set title sprintf("sink %s", k)
    @fit_y
    plot for [t in hot] data index (t - 1) using (pos($1)):(pos($2)) \
             with linespoints lt lt_of[t + 0] dt 1 title label[t + 0]." hot", \
         for [t in cold] data index (t - 1) using (pos($1)):(pos($2)) \
             with linespoints lt lt_of[t + 0] dt 2 title label[t + 0]." cold"
}
unset multiplot
