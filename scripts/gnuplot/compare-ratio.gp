# Compare: each run's median MiB/s divided by the base run's, per strategy
# and size; above 1 the run is faster.  Verdicts (confidence intervals) are in
# the printed table and compare.csv.
load script_dir."/style.gp"
set logscale y 2
set ylabel "ratio run / base (median MiB/s)"
eval ratio_range   # one scale for every panel, at least 0.5 to 2 (scripts/compare.sh)
set key left top font ",7" samplen 3 spacing 0.8 maxrows 10
set multiplot layout words(panels_rows), words(panels_cols) title \
    "Ratio against the base run ".word(runs, 1)." (1 = no change; dashes: ".subtitle.")" font ",13"
tok_run(t) = int(t[1:strstrt(t, "@") - 1])
tok_label(t) = t[strstrt(t, "@") + 1:]
do for [r in panels_rows] {
    do for [k in panels_cols] {
        tokens = value("ra_".r."_".k)
        set title sprintf("sink %s, %s cache", k, r)
        if (words(tokens) > 0) {
            plot 1 lc rgb "#888888" dt 2 notitle, \
                 for [t in tokens] csv \
                using (strcol("run") eq word(runs, tok_run(t)) && is(r, k, tok_label(t)) ? pos(column("file_bytes")) : NaN): \
                      (pos(column("ratio"))) with linespoints lt lt_of(tok_label(t)) dt tok_run(t) \
                title tok_label(t)." ".word(runs, tok_run(t))
        } else {
            set label 1 "no cell in every run" at graph 0.5, 0.5 center
            plot 1/0 notitle
            unset label 1
        }
    }
}
unset multiplot
