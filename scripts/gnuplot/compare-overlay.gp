# Compare: every run's throughput in one figure, one panel per sink and cache
# state; colour is the strategy, the dash is the run (solid = the base).
load script_dir."/style.gp"
set logscale y 10
set ylabel "MiB/s (median)"
set key left top font ",7" samplen 3 spacing 0.8 maxrows 10
set multiplot layout words(panels_rows), words(panels_cols) title \
    "Runs compared: MiB/s against file size (solid: base ".word(runs, 1)."; dashes: ".subtitle.")" font ",13"
tok_run(t) = int(t[1:strstrt(t, "@") - 1])
tok_label(t) = t[strstrt(t, "@") + 1:]
ylo(r, k) = strcol("cache") eq r && strcol("sink") eq k ? pos(column("mibps_median")) : NaN
yhi(r, k) = ylo(r, k)
do for [r in panels_rows] {
    do for [k in panels_cols] {
        tokens = value("ov_".r."_".k)
        set title sprintf("sink %s, %s cache", k, r)
        if (words(tokens) > 0) {
            @fit_y
            plot for [t in tokens] csv \
                using (strcol("run") eq word(runs, tok_run(t)) && is(r, k, tok_label(t)) ? pos(column("file_bytes")) : NaN): \
                      (pos(column("mibps_median"))) with linespoints lt lt_of(tok_label(t)) dt tok_run(t) \
                title (tok_run(t) == 1 ? tok_label(t) : tok_label(t)." ".word(runs, tok_run(t)))
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
