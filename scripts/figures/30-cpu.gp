# title: CPU time per MiB
# caption: System (filled circle) and user (open circle) CPU time per MiB moved, hot cache, whole
#   process with receivers, at 1 MiB (or the smallest size) and at the largest, on a log scale; a
#   time of zero sits on the line marked 0. What to look for: which paths spend their time in the
#   kernel and which in user space (the consumer reads every byte in user space, and a mapping's
#   page-table work shows as user time where the first touch happens), and which transfer to a
#   socket costs the least CPU per MiB in this run.
# says: --metric sys_ns --per-mib --at largest --where cache=hot,sink=unix --expect sendfile>read-write --show user_ns
# textbook: The textbook expects sendfile to spend less system time per MiB than read and write, which copy every byte twice.
# columns: file_bytes sys_ns_median user_ns_median
# list: cpu_small_series cache=hot at=small
# list: cpu_large_series cache=hot at=largest
# needs: cpu_{size}_series
# skipped: no hot-cache rows (iopaths run --cache hot or both)
#
# A dot plot, one row per series (label and sink), two panels side by side:
# 1 MiB (or the smallest size) and the largest.  Log x, zeros on a floor.
unset logscale x
set logscale x 10
unset grid
set grid xtics lc rgb "#dddddd"
set xlabel "CPU µs per MiB moved, median of the passes (filled: system, open: user)"
set ylabel ""
set key off
set offsets 0, 0, 0.5, 0.5
unset xtics
set xtics nomirror
cpu_us(col) = column(1) > 0 ? column(col) / 1e3 / mib(column(1)) : NaN
pmin(a, b) = a > 0 ? (b > 0 && b < a ? b : a) : (b > 0 ? b : 1e300)   # 1e300, 0: none above 0
pmax(a, b) = a > 0 && !(b > a) ? a : (b > 0 ? b : 0)
x_at(v) = v > 0 ? v : (v == 0 ? x_floor : NaN)
size_panels = (size_small == size_largest ? "1" : "1 2")
set multiplot layout 1, words(size_panels) title \
    "CPU time per MiB moved, hot cache: system (filled) and user (open), whole process incl. receivers\n".subtitle font ",13"
do for [p in size_panels] {
    size = p eq "1" ? size_small : size_largest
    series = p eq "1" ? cpu_small_series : cpu_large_series
    nrows = words(series)
    set title sprintf("file of %s", size_name(size))
    set ytics () nomirror font ",10"
    do for [i=1:nrows] {
        s = word(series, i) + 0
        set ytics add (tic_label[s]." (".sink_of[s].")" nrows - i + 1)
    }
    panel = series." "
    set autoscale y   # stats of one column is bound by the y range
    # the smallest time above 0 and the largest, of either kind (none: 1 to 10)
    stats [*:*] data using (in_panel(column(-2) + 1) && column(1) == size ? pmin(cpu_us(2), cpu_us(3)) : NaN) nooutput name "CL"
    stats [*:*] data using (in_panel(column(-2) + 1) && column(1) == size ? pmax(cpu_us(2), cpu_us(3)) : NaN) nooutput name "CH"
    lo = CL_min < 1e300 ? CL_min : 1; hi = CH_max > 0 ? CH_max : 10
    x_floor = 10 ** (floor(log10(lo)) - 0.5)
    set yrange [0.5 : nrows + 0.5]
    set xrange [x_floor / 1.3 : hi * 1.5]
    set xtics autofreq
    set xtics add ("0" x_floor)
    set arrow 9 from first x_floor, graph 0 to first x_floor, graph 1 nohead lc rgb "#999999" dt 3 back
    plot for [i=1:nrows] data index (word(series, i) - 1) \
            using (column(1) == size ? x_at(cpu_us(3)) : NaN):(nrows - i + 1.0) \
            with points lt lt_of[word(series, i) + 0] pt 6 ps 1.6 notitle, \
         for [i=1:nrows] data index (word(series, i) - 1) \
            using (column(1) == size ? x_at(cpu_us(2)) : NaN):(nrows - i + 1.0) \
            with points lt lt_of[word(series, i) + 0] pt 7 ps 1.6 notitle
    unset arrow 9
}
unset multiplot
