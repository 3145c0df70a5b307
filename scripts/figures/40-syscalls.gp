# title: System calls per MiB
# caption: System calls per MiB of the sending thread. By construction read() makes one call per
#   block plus the one that finds the end, mmap a fixed few per file, sendfile one per 2 GiB and
#   splice two per pipeful (`iopaths explain` predicts each; `run --explain` checks them). Fewer
#   crossings is part of what zero-copy buys. Missing when not run as root.
# says: --metric syscalls --per-mib --better lower --at largest --where cache=hot,sink=unix --expect sendfile>read-write
# textbook: The textbook expects sendfile to cross into the kernel far less often than read and write, which make two calls per block.
# columns: file_bytes syscalls_median
# list: sc_{sink} cache=hot syscalls_median>0
#
# One panel per sink, hot cache.
set logscale y 10
set ylabel "syscalls / MiB (per pass)"
set key right top font ",8" samplen 2 spacing 0.9
ylo(s) = per_mib(2)
yhi(s) = ylo(s)
set multiplot layout 1, words(panels_cols) title \
    "System calls per MiB moved (raw_syscalls:sys_enter, whole process; zeros and NA left out)\n".subtitle font ",13"
do for [k in panels_cols] {
    list = value("sc_".k)
    panel = list." "
    set title sprintf("sink %s, hot cache", k)
    if (words(list) > 0) {
        @fit_y
        # series nudged apart along x: equal counts (every mapping's 2 per file) hide none
        plot for [i=1:words(list)] data index (word(list, i) - 1) \
            using (pos($1) * nudge(i, words(list))):(per_mib(2)) \
            with linespoints lt lt_of[word(list, i) + 0] dt dt_of[word(list, i) + 0] \
            pt pt_of[word(list, i) + 0] title label[word(list, i) + 0]
    } else {
        set label 1 "no syscall counts (they need root)" at graph 0.5, 0.5 center
        set yrange [1:10]
        plot 1/0 notitle
        unset label 1
        set autoscale y
    }
}
unset multiplot
