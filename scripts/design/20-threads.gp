# title: Do threads sharing one mapping scale?
# caption: One pass over a hot file shared by 1, 2 and 4 threads, each reading its share of the
#   spans in file order into its own consumer: pread on one shared descriptor, and one shared
#   mapping (mmap and munmap by one thread, every pass). Left: MiB/s of the median pass; right:
#   TLB shootdowns per pass (the TLB line of /proc/interrupts, all CPUs, over the timed region;
#   absent where the kernel has no such line). The textbook expects both to scale with the
#   threads up to the CPUs there are; unmapping pages that other CPUs have used makes the kernel
#   interrupt them to flush their TLBs, the shootdowns the CIDR 2022 paper counts. With more
#   threads than CPUs, the threads only take turns.
# columns: file_bytes mibps_median threads tlb_shootdowns_median
# list: th cache=hot sink=process pattern=seq threads>0 at=largest strategy=pread|mmap-shared populate=off| madvise=normal| map=per-pass| window=0| mibps_median>0
# list: thn cache=hot sink=process threads>1 strategy=pread|mmap-shared
# needs: thn
# skipped: neither pread nor mmap-shared ran hot with threads above 1 (make design, or iopaths run --strategy pread,mmap-shared --threads 1,2,4)
# says: --metric mibps --where cache=hot,sink=process,pattern=seq --labels pread[threads=2],pread[threads=4],mmap-shared[threads=2],mmap-shared[threads=4] --at largest --show tlb_shootdowns --expect mmap-shared[threads=4]>pread[threads=4] --evidence tlb_shootdowns,minflt,user_ns,sys_ns
# textbook: The textbook expects four threads reading one shared mapping in place to beat four threads copying with pread.
#
# Bars: one group per thread count, pread left, mmap-shared right.
question = "Do threads sharing one mapping scale?"
unset logscale x
unset grid
set grid ytics lc rgb "#dddddd"
set xlabel "threads sharing a pass"
set style fill solid 0.85 border -1
n = words(th)
is_mmap(s) = strstrt(label[s], "mmap-shared") == 1
# One group per thread count the run has, in the order first seen (the
# order of --threads), the numbers as tics.
counts = ""
do for [t in th] {
    stats data index (t - 1) using 3 nooutput name "S"
    v = sprintf("%d", S_min)
    if (strstrt(counts." ", " ".v." ") == 0) { counts = counts." ".v }
}
group_of(v) = words((counts." ")[1:strstrt(counts." ", sprintf(" %d ", v))]) + 1
bar_x(s) = group_of(column(3)) + (is_mmap(s) ? 0.2 : -0.2)
at_largest(s) = $1 == size_largest ? bar_x(s) : NaN
set xrange [0.4 : words(counts) + 0.6]
do for [g=1:words(counts)] {
    if (g == 1) { set xtics (word(counts, g) g) } else { set xtics add (word(counts, g) g) }
}
set xtics scale 0
unset mxtics
set yrange [0:*]
set offsets 0, 0, graph 0.4, 0
set multiplot
@slide_heading
set lmargin at screen 0.12
set rmargin at screen 0.50
set tmargin at screen 0.66
set title sprintf("MiB/s, %s file, hot cache", size_name(size_largest)) font font_text
plot for [t in th] data index (t - 1) using (at_largest(t + 0)):2:(0.36) with boxes lt lt_of[t + 0] notitle, \
     for [t in th] data index (t - 1) using (at_largest(t + 0)):2:(sprintf("%.0f", $2)) \
        with labels rotate by 90 left offset 0, 0.3 notitle
@slide_plain
set lmargin at screen 0.62
set rmargin at screen 0.97
set title "TLB shootdowns per pass" font font_text
# NA (a kernel without the TLB line) is written over an empty bar, and the
# axis reaches 1 at least, so that a run of zeros still has one.
tlb(c) = strcol(c) eq "NaN" ? 0 : column(c)
unset datafile missing   # NaN is read as text here, not as a row to skip
plot for [t in th] data index (t - 1) using (at_largest(t + 0)):(tlb(4)):(0.36) with boxes lt lt_of[t + 0] notitle, \
     for [t in th] data index (t - 1) using (at_largest(t + 0)):(tlb(4)):(strcol(4) eq "NaN" ? "NA" : sprintf("%.0f", column(4))) \
        with labels offset 0, 0.8 notitle, \
     1 with lines lt nodraw notitle
# The key: which colour is which path.
set lmargin at screen 0.01
set rmargin at screen 0.99
set tmargin at screen 0.86
set bmargin at screen 0.79
unset border; unset tics; unset xlabel; unset ylabel; unset title
set xrange [0:1]; set yrange [0:1]
set key at screen 0.5, 0.85 center top horizontal samplen 1.5
keyed = ""
do for [t in th] { if (strstrt(label[t + 0], "[") == 0) { keyed = keyed." ".t } }
plot for [t in keyed] NaN with boxes lt lt_of[t + 0] title (is_mmap(t + 0) ? "one shared mapping" : "pread, one shared fd")
unset multiplot
