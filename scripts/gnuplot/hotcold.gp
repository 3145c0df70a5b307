# (e) Hot against cold page cache: the same strategy, solid hot, dashed cold.
load script_dir."/style.gp"
set logscale y 10
set ylabel "MiB/s (median)"
set key left top font ",8" samplen 3 spacing 0.9
ylo(r, k) = in_list(strcol("label"), labels) && strcol("sink") eq k ? pos(column("mibps_median")) : NaN
yhi(r, k) = ylo(r, k)
r = "both"
set multiplot layout 1, words(hc_cols) title \
    "Hot (solid) against cold (dashed) page cache: MiB/s against file size\n".subtitle font ",13"
do for [k in hc_cols] {
    labels = value("hc_".k)
    set title sprintf("sink %s", k)
    @fit_y
    plot for [l in labels] csv using (is("hot", k, l) ? pos(column("file_bytes")) : NaN):(pos(column("mibps_median"))) \
             with linespoints lt lt_of(l) dt 1 title l." hot", \
         for [l in labels] csv using (is("cold", k, l) ? pos(column("file_bytes")) : NaN):(pos(column("mibps_median"))) \
             with linespoints lt lt_of(l) dt 2 title l." cold"
}
unset multiplot
