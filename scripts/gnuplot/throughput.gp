# (a) Throughput against file size, one panel per sink and cache state, error
# bars from the confidence interval of the median.
load script_dir."/style.gp"
set logscale y 10
set ylabel "MiB/s (median, CI)"
set key left top font ",8" samplen 2 spacing 0.9 maxrows 12
in_panel(r, k) = in_list(strcol("label"), labels) && strcol("cache") eq r && strcol("sink") eq k
ylo(r, k) = in_panel(r, k) && column("file_bytes") > 0 ? pos(column("mibps_ci_lo")) : NaN
yhi(r, k) = in_panel(r, k) && column("file_bytes") > 0 ? pos(column("mibps_ci_hi")) : NaN
set multiplot layout words(panels_rows), words(panels_cols) title \
    "Throughput against file size: MiB/s = file bytes / 2^20 / seconds per pass\n".subtitle font ",13"
do for [r in panels_rows] {
    do for [k in panels_cols] {
        labels = value("tp_".r."_".k)
        set title sprintf("sink %s, %s cache", k, r)
        if (words(labels) > 0) {
            @fit_y
            plot for [l in labels] csv \
                using (is(r, k, l) ? pos(column("file_bytes")) : NaN):(pos(column("mibps_median"))): \
                      (column("mibps_ci_lo")):(column("mibps_ci_hi")) \
                with yerrorlines lt lt_of(l) dt dt_of(l) title l
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
