# title: Where does the time go, read or mmap-shared?
# caption: CPU time of one pass over the largest file, hot cache, into the process: system time
#   (solid) and user time (hatched) per pass, the wall time as a line over each bar, and the page
#   faults of the pass written on it. A copy by read() is system time; a mapping's reads of its
#   pages are user time, and what the kernel does at each fault is system time. The textbook
#   expects mmap-shared to spend less, skipping the copy. On a guest whose hypervisor keeps
#   shadow page tables the first touch of each mapped page is slow: look for it in the user time.
#   getrusage splits CPU time between user and system by sampling at the timer tick, so for a
#   pass of a millisecond or two the split is coarse: read a larger file for a finer one.
# columns: file_bytes sys_ns_median user_ns_median wall_ns_median minflt_median
# list: tm sink=process cache=hot label=read|mmap-shared at=largest
# needs: tm
# skipped: neither read nor mmap-shared ran hot into the process sink
# says: --metric wall_ns --where cache=hot,sink=process --labels read,mmap-shared --at largest --show user_ns,sys_ns,minflt --expect mmap-shared>read --evidence minflt,user_ns,sys_ns
# textbook: The textbook expects mmap-shared to take less time than read on a large hot file: no copy into a buffer, a few faults instead.
#
# One bar per series at the largest size: system from 0, user stacked on it.
question = "Where does the time go, read or mmap-shared?"
unset logscale x
unset grid
set grid ytics lc rgb "#dddddd"
set xlabel sprintf("%s file, hot cache, one pass", size_name(size_largest))
set ylabel "ms per pass"
n = words(tm)
set xrange [0.4 : n + 0.6]
set yrange [0:*]
set offsets 0, 0, graph 0.18, 0
do for [i=1:n] {
    s = word(tm, i) + 0
    if (i == 1) { set xtics (tic_label[s] i) } else { set xtics add (tic_label[s] i) }
}
at_size(i) = $1 == size_largest ? i : NaN
@slide_heading
plot for [i=1:n] data index (word(tm, i) - 1) \
        using (at_size(i)):($2 / 2e6):(0.3):($2 / 2e6) with boxxyerror fs solid 0.85 border -1 lt lt_of[word(tm, i) + 0] notitle, \
     for [i=1:n] data index (word(tm, i) - 1) \
        using (at_size(i)):(($2 + $3 / 2) / 1e6):(0.3):($3 / 2e6) with boxxyerror fs pattern 4 border -1 lt lt_of[word(tm, i) + 0] notitle, \
     for [i=1:n] data index (word(tm, i) - 1) \
        using (at_size(i)):($4 / 1e6):(0.36):(0) with boxxyerror lt -1 lw 4 notitle, \
     for [i=1:n] data index (word(tm, i) - 1) \
        using (at_size(i)):(($4 > $2 + $3 ? $4 : $2 + $3) / 1e6):(sprintf("%.0f faults", $5)) with labels offset 0, 0.8 notitle, \
     NaN with boxes fs solid 0.85 border -1 lc rgb "#777777" title "system", \
     NaN with boxes fs pattern 4 border -1 lc rgb "#777777" title "user", \
     NaN with lines lt -1 lw 4 title "wall"
