# (a) Throughput against file size, one panel per sink and cache state, error
# bars from the confidence interval of the median.  series.dat columns: 1
# file_bytes, 2 mibps_median, 3 mibps_ci_lo, 4 mibps_ci_hi (scripts/plots.sh).
set logscale y 10
set ylabel "MiB/s (median, CI)"
set key left top font ",8" samplen 2 spacing 0.9 maxrows 12
ylo(s) = column(1) > 0 ? pos(column(3)) : NaN
yhi(s) = column(1) > 0 ? pos(column(4)) : NaN
set multiplot layout words(panels_rows), words(panels_cols) title \
    "Throughput against file size: MiB/s = file bytes / 2^20 / seconds per pass\n".subtitle font ",13"
do for [r in panels_rows] {
    do for [k in panels_cols] {
        list = value("tp_".r."_".k)
        panel = list." "
        set title sprintf("sink %s, %s cache", k, r)
        if (words(list) > 0) {
            @fit_y
            plot for [t in list] data index (t - 1) using (pos($1)):(pos($2)):3:4 \
                with yerrorlines lt lt_of[t + 0] dt dt_of[t + 0] title label[t + 0]
        } else {
            unset key
            set label 1 "nothing ran here" at graph 0.5, 0.5 center
            set yrange [1:10]
            plot 1/0 notitle
            unset label 1
            set autoscale y
            set key
        }
    }
}
unset multiplot
