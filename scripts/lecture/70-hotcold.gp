# title: What does a cold page cache cost?
# caption: read and mmap-shared into the process, MiB/s against file size on log scales, solid
#   with the file in the page cache (hot), dashed after it was evicted (cold): the gap between the
#   two lines of one colour is what the disk cost in this run. The textbook expects readahead to
#   narrow the gap for large files, for read and for a mapping alike.
# columns: file_bytes mibps_median
# list: hc_{cache} sink=process label=read|mmap-shared mibps_median>0 hot-and-cold
# needs: hc_hot
# skipped: neither read nor mmap-shared ran both hot and cold (iopaths run --cache both)
# says: --metric mibps --where sink=process --labels read,mmap-shared --at largest --across cache
#
# One panel: solid hot, dashed cold.
question = "What does a cold page cache cost?"
set logscale y 10
set ylabel "MiB/s (median)"
ylo(s) = pos(column(2))
yhi(s) = ylo(s)
panel = hc_hot." ".hc_cold." "
@fit_y
@slide_heading
plot for [t in hc_hot] data index (t - 1) using (pos($1)):(pos($2)) \
         with linespoints lt lt_of[t + 0] dt 1 title label[t + 0]." hot", \
     for [t in hc_cold] data index (t - 1) using (pos($1)):(pos($2)) \
         with linespoints lt lt_of[t + 0] dt 2 title label[t + 0]." cold"
