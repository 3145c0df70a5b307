# (c) CPU time per pass, system (solid) and user (hatched) stacked, for every
# strategy and sink at 1 MiB and at the largest size, hot cache.
load script_dir."/style.gp"
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
# token i of the series is label@sink
tok_label(i) = (w = word(series, i), w[1:strstrt(w, "@") - 1])
tok_sink(i) = (w = word(series, i), w[strstrt(w, "@") + 1:])
do for [p=1:2] {
    size = p == 1 ? cpu_small : cpu_large
    series = p == 1 ? cpu_small_series : cpu_large_series
    set title sprintf("file of %s", p == 1 ? cpu_small_label : cpu_large_label)
    set ylabel (p == 1 ? "µs per pass" : "ms per pass")
    scale = p == 1 ? 1e3 : 1e6
    set xrange [0:words(series) + 1]
    eval "set xtics (".value(p == 1 ? "cpu_small_tics" : "cpu_large_tics").")"
    # system from 0, user stacked on top of it (boxxyerror: x, y, dx, dy about the centre)
    plot for [i=1:words(series)] csv \
            using (is("hot", tok_sink(i), tok_label(i)) && column("file_bytes") == size ? i : NaN): \
                  (column("sys_ns_median") / scale / 2):(0.35):(column("sys_ns_median") / scale / 2) \
            with boxxyerror fs solid 0.85 lt lt_of(tok_label(i)) notitle, \
         for [i=1:words(series)] csv \
            using (is("hot", tok_sink(i), tok_label(i)) && column("file_bytes") == size ? i : NaN): \
                  ((column("sys_ns_median") + column("user_ns_median") / 2) / scale):(0.35): \
                  (column("user_ns_median") / scale / 2) \
            with boxxyerror fs pattern 4 lt lt_of(tok_label(i)) notitle
}
unset multiplot
