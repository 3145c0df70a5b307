# title: Ratio against the base run
# caption: Each run's median MiB/s divided by the base run's, per strategy and size; above 1 the run is
#   faster. The verdicts (confidence intervals) are in the printed table and compare.csv.
# columns: file_bytes ratio
# list: ra_{cache}_{sink} ratio>0 verdict!=base
#
# ratio_lo and ratio_hi (scripts/compare.sh): one scale for every panel, at
# least 0.5 to 2.
set logscale y 2
set ylabel "ratio run / base (median MiB/s)"
set yrange [ratio_lo:ratio_hi]
set key left top font ",7" samplen 3 spacing 0.8 maxrows 10
set multiplot layout words(panels_rows), words(panels_cols) title \
    "Ratio against the base run ".run_name[1]." (1 = no change; dashes: ".subtitle.")" font ",13"
do for [r in panels_rows] {
    do for [k in panels_cols] {
        list = value("ra_".r."_".k)
        set title sprintf("sink %s, %s cache", k, r)
        if (words(list) > 0) {
            plot 1 lc rgb "#888888" dt 2 notitle, \
                 for [t in list] data index (t - 1) using (pos($1)):(pos($2)) \
                with linespoints lt lt_of[t + 0] dt run_of[t + 0] pt pt_of[t + 0] \
                title label[t + 0]." ".run_name[run_of[t + 0]]
        } else {
            set label 1 "no cell in every run" at graph 0.5, 0.5 center
            plot 1/0 notitle
            unset label 1
        }
    }
}
unset multiplot
