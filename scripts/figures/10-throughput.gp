# title: Throughput against file size
# caption: One panel per sink and cache state. Error bars are the confidence interval of the
#   median when there are runs enough for one (coverage at least 0.9), else min to max, and the key
#   then says "range, n = ...". What to look for: where each path stands against memcpy, the ceiling
#   for paths that copy; whether mmap, which pays for mmap, faults and munmap, gains on read as files
#   grow (on a guest with shadow paging it may not: compare the faults and CPU figures). Cold panels
#   show what the disk delivered.
# says: --metric mibps --at largest --where sink=process --expect mmap-shared>read --evidence pf,minflt,user_ns,sys_ns
# textbook: The textbook expects mmap to lead for large hot files, where it skips the copy into a buffer.
# columns: file_bytes mibps_median mibps_err_lo mibps_err_hi
# list: tp_{cache}_{sink} mibps_median>0
#
# Log-log, one panel per sink (columns) and cache state (rows).
set logscale y 10
set key right bottom Left reverse font ",9" samplen 2 spacing 0.9 maxrows 12   # below the rising lines
set ylabel "MiB/s (median)"
ylo(s) = column(1) > 0 ? pos(column(3)) : NaN
yhi(s) = column(1) > 0 ? pos(column(4)) : NaN
all_series = ""
do for [r in panels_rows] { do for [k in panels_cols] { all_series = all_series." ".value("tp_".r."_".k) } }
set multiplot layout words(panels_rows), words(panels_cols) title \
    "Throughput against file size: MiB/s = file bytes / 2^20 / seconds per pass (".err_axis(all_series).")\n".subtitle font ",13"
do for [r in panels_rows] {
    do for [k in panels_cols] {
        list = value("tp_".r."_".k)
        panel = list." "
        set title sprintf("sink %s, %s cache", k, r)
        if (words(list) > 0) {
            @fit_y
            # series nudged apart along x, so that equal values hide none
            plot for [i=1:words(list)] data index (word(list, i) - 1) \
                using (pos($1) * nudge(i, words(list)) ** 0.5):(pos($2)):3:4 \
                with yerrorlines lt lt_of[word(list, i) + 0] dt dt_of[word(list, i) + 0] \
                pt pt_of[word(list, i) + 0] title key_title(word(list, i) + 0)
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
