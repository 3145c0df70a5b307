# (d) System calls per MiB against file size, one panel per sink, hot cache:
# read() makes one per block, mmap a handful per file, sendfile one per 2 GiB.
load script_dir."/style.gp"
set logscale y 10
set ylabel "syscalls / MiB (per pass)"
set key right top font ",8" samplen 2 spacing 0.9
r = "hot"
ylo(r, k) = in_list(strcol("label"), labels) && strcol("cache") eq r && strcol("sink") eq k ? per_mib("syscalls_median") : NaN
yhi(r, k) = ylo(r, k)
set multiplot layout 1, words(panels_cols) title \
    "System calls per MiB moved (raw_syscalls:sys_enter, whole process; zeros and NA left out)\n".subtitle font ",13"
do for [k in panels_cols] {
    labels = value("sc_".k)
    set title sprintf("sink %s, hot cache", k)
    if (words(labels) > 0) {
        @fit_y
        plot for [l in labels] csv using (is("hot", k, l) ? pos(column("file_bytes")) : NaN): \
            (pos(column("syscalls_median") / mib(column("file_bytes")))) with linespoints lt lt_of(l) dt dt_of(l) title l
    } else {
        set label 1 "no syscall counts (they need root)" at graph 0.5, 0.5 center
        set yrange [1:10]
        plot 1/0 notitle
        unset label 1
        set autoscale y
    }
}
unset multiplot
