# title: Runs compared: MiB/s against file size
# caption: Every run's median MiB/s, one panel per sink and cache state. The colour is the strategy, the dash
#   is the run: solid is the base run.
# columns: file_bytes mibps_median
# list: ov_{cache}_{sink} mibps_median>0
#
# Written by scripts/compare.sh into the comparison's folder.
set logscale y 10
set ylabel "MiB/s (median)"
set key left top font ",7" samplen 3 spacing 0.8 maxrows 10
set multiplot layout words(panels_rows), words(panels_cols) title \
    "Runs compared: MiB/s against file size (solid: base ".run_name[1]."; dashes: ".subtitle.")" font ",13"
ylo(s) = pos(column(2))
yhi(s) = ylo(s)
do for [r in panels_rows] {
    do for [k in panels_cols] {
        list = value("ov_".r."_".k)
        panel = list." "
        set title sprintf("sink %s, %s cache", k, r)
        if (words(list) > 0) {
            @fit_y
            plot for [t in list] data index (t - 1) using (pos($1)):(pos($2)) \
                with linespoints lt lt_of[t + 0] dt run_of[t + 0] pt pt_of[t + 0] \
                title (run_of[t + 0] == 1 ? label[t + 0] : label[t + 0]." ".run_name[run_of[t + 0]])
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
