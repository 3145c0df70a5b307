# Compare: every run's throughput in one figure, one panel per sink and cache
# state; colour is the strategy, the dash is the run (solid = the base).
load script_dir."/style.gp"
set logscale y 10
set ylabel "MiB/s (median)"
set key left top font ",7" samplen 3 spacing 0.8 maxrows 10
set multiplot layout words(panels_rows), words(panels_cols) title \
    "Runs compared: MiB/s against file size (solid: base ".word(runs, 1)."; dashes: ".subtitle.")" font ",13"
do for [r in panels_rows] {
    do for [k in panels_cols] {
        labels = value("tp_".r."_".k)
        set title sprintf("sink %s, %s cache", k, r)
        if (words(labels) > 0) {
            plot for [ri=1:words(runs)] for [l in labels] csv \
                using (strcol("run") eq word(runs, ri) && is(r, k, l) ? pos(column("file_bytes")) : NaN): \
                      (pos(column("mibps_median"))) with linespoints lt lt_of(l) dt ri \
                title (ri == 1 ? l : l." ".word(runs, ri))
        } else {
            set label 1 "no cell in every run" at graph 0.5, 0.5 center
            set yrange [1:10]
            plot 1/0 notitle
            unset label 1
            set autoscale y
        }
    }
}
unset multiplot
