# title: Hot against cold cache
# caption: The same strategy in one colour, solid hot and dashed cold. The gap between the lines is
#   what the disk cost in this run. What to look for: how the gap changes with file size (readahead
#   can close part of it for large files), and whether it is the same for read() and for mmap.
# says: --metric mibps --at largest --where sink=process --across cache
# columns: file_bytes mibps_median
# list: hc_{cache}_{sink} mibps_median>0 hot-and-cold
# needs: hc_hot_{sink}
# skipped: no strategy ran both hot and cold (iopaths run --cache both)
#
# One panel per sink where a strategy ran both hot and cold.
set logscale y 10
set ylabel "MiB/s (median)"
set key left top font ",8" samplen 3 spacing 0.9
ylo(s) = pos(column(2))
yhi(s) = ylo(s)
hc_cols = ""
do for [k in panels_cols] { if (words(value("hc_hot_".k)) > 0) { hc_cols = hc_cols.(hc_cols eq "" ? "" : " ").k } }
set multiplot layout 1, words(hc_cols) title \
    "Hot (solid) against cold (dashed) page cache: MiB/s against file size\n".subtitle font ",13"
do for [k in hc_cols] {
    hot = value("hc_hot_".k)
    cold = value("hc_cold_".k)
    panel = hot." ".cold." "
    set title sprintf("sink %s", k)
    @fit_y
    plot for [t in hot] data index (t - 1) using (pos($1)):(pos($2)) \
             with linespoints lt lt_of[t + 0] dt 1 pt pt_of[t + 0] title label[t + 0]." hot", \
         for [t in cold] data index (t - 1) using (pos($1)):(pos($2)) \
             with linespoints lt lt_of[t + 0] dt 2 pt pt_of[t + 0] title label[t + 0]." cold"
}
unset multiplot
