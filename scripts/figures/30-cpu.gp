# title: CPU time per pass
# caption: System (solid) and user (hatched) CPU time per pass, at one small and the largest size, hot
#   cache, whole process with receivers. What to look for: which paths spend their time in the
#   kernel and which in user space (the consumer reads every byte in user space), and which
#   transfer to a socket costs the least CPU per pass in this run.
# columns: file_bytes sys_ns_median user_ns_median
# list: cpu_small_series cache=hot at=small
# list: cpu_large_series cache=hot at=largest
#
# System (solid) and user (hatched) stacked, for every strategy and sink at
# 1 MiB (or the smallest size) and at the largest, hot cache.
unset logscale x
unset grid
set grid ytics lc rgb "#dddddd"
set xlabel ""
set style fill solid 0.85 border -1
set boxwidth 0.7
set key off
set xtics rotate by -40 left font ",9"
set multiplot layout 2, 1 title \
    "CPU time per pass, hot cache: system (solid) + user (hatched), whole process incl. receivers\n".subtitle font ",13"
do for [p=1:2] {
    size = p == 1 ? size_small : size_largest
    series = p == 1 ? cpu_small_series : cpu_large_series
    set title sprintf("file of %s", size_name(size))
    set ylabel (p == 1 ? "µs per pass" : "ms per pass")
    scale = p == 1 ? 1e3 : 1e6
    set xrange [0:words(series) + 1]
    do for [i=1:words(series)] {
        s = word(series, i) + 0
        if (i == 1) { set xtics (tic_label[s]." (".sink_of[s].")" i) } else { set xtics add (tic_label[s]." (".sink_of[s].")" i) }
    }
    if (words(series) > 0) {
        # system from 0, user stacked on top of it (boxxyerror: x, y, dx, dy about the centre)
        plot for [i=1:words(series)] data index (word(series, i) - 1) \
                using ($1 == size ? i : NaN):($2 / scale / 2):(0.35):($2 / scale / 2) \
                with boxxyerror fs solid 0.85 lt lt_of[word(series, i) + 0] notitle, \
             for [i=1:words(series)] data index (word(series, i) - 1) \
                using ($1 == size ? i : NaN):(($2 + $3 / 2) / scale):(0.35):($3 / scale / 2) \
                with boxxyerror fs pattern 4 lt lt_of[word(series, i) + 0] notitle
    } else {
        set label 1 "nothing ran at this size" at graph 0.5, 0.5 center
        set yrange [1:10]
        plot 1/0 notitle
        unset label 1
        set autoscale y
    }
}
unset multiplot
