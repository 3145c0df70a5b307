# (d) System calls per MiB against file size, one panel per sink, hot cache:
# read() makes one per block, mmap a handful per file, sendfile one per 2 GiB.
# series.dat columns: 1 file_bytes, 7 syscalls_median.
set logscale y 10
set ylabel "syscalls / MiB (per pass)"
set key right top font ",8" samplen 2 spacing 0.9
ylo(s) = per_mib(7)
yhi(s) = ylo(s)
set multiplot layout 1, words(panels_cols) title \
    "System calls per MiB moved (raw_syscalls:sys_enter, whole process; zeros and NA left out)\n".subtitle font ",13"
do for [k in panels_cols] {
    list = value("sc_".k)
    panel = list." "
    set title sprintf("sink %s, hot cache", k)
    if (words(list) > 0) {
        @fit_y
        plot for [t in list] data index (t - 1) using (pos($1)):(per_mib(7)) \
            with linespoints lt lt_of[t + 0] dt dt_of[t + 0] title label[t + 0]
    } else {
        set label 1 "no syscall counts (they need root)" at graph 0.5, 0.5 center
        set yrange [1:10]
        plot 1/0 notitle
        unset label 1
        set autoscale y
    }
}
unset multiplot
