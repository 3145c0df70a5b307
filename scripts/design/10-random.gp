# title: Does a mapping shine at random 4 KiB reads?
# caption: Every 4 KiB span of one file read once per pass, in file order (solid bars) and in an
#   order drawn from the seed (hatched), hot cache (left) and cold (right), into the process:
#   pread, a shared mapping with the kernel's default readahead and with madvise(MADV_RANDOM),
#   pread with O_DIRECT, and io_uring at queue depth 1 and 32; MiB/s of the median pass on a log
#   scale, its number over each bar. The textbook says a mapping shines at random access: no
#   system call per read. The CIDR 2022 paper says a database should not count on it, and that
#   O_DIRECT and deep queues hold up where the page cache does not. O_DIRECT reads the device
#   whatever the cache holds, so its hot and cold bars measure the same path.
# columns: file_bytes mibps_median mibps_min mibps_max
# list: rd_{cache} sink=process io_bytes=4096 threads=1 at=largest strategy=pread|mmap-shared|odirect-pread|io-uring populate=off| map=per-pass| window=0| madvise=normal|random| direct=off| register=off| mibps_median>0
# list: rdr_{cache} sink=process io_bytes=4096 pattern=random mibps_median>0
# needs: rdr_{cache}
# skipped: nothing ran 4 KiB spans in a random order (make design, or iopaths run --pattern seq,random --block 4K --io-size 4K)
# says: --metric mibps --where cache=hot,sink=process,pattern=random,threads=1,io_bytes=4096 --labels pread[pattern=random],mmap-shared[pattern=random],mmap-shared[madvise=random,pattern=random],odirect-pread[pattern=random],io-uring[pattern=random],io-uring[qd=32,pattern=random] --at largest --expect mmap-shared[pattern=random]>pread[pattern=random] --evidence minflt,majflt,user_ns,sys_ns
# textbook: The textbook expects a mapping to beat pread at random 4 KiB reads of a hot file: no system call per read, the page cache read in place.
# says: --metric mibps --where cache=cold,sink=process,pattern=random,threads=1,io_bytes=4096 --labels pread[pattern=random],mmap-shared[pattern=random],mmap-shared[madvise=random,pattern=random],odirect-pread[pattern=random],io-uring[pattern=random],io-uring[qd=32,pattern=random] --at largest --show majflt
#
# One panel per cache state, one group of two bars (seq, random) per path.
question = "Does a mapping shine at random 4 KiB reads?"
caches = ""
do for [c in "hot cold"] {
    if (exists("rd_".c) && words(value("rd_".c)) > 0) { caches = caches.(caches eq "" ? "" : " ").c }
}
# A series' path is its label without pattern=random; its group, that
# path's place among the paths seen (labels are only ever compared here).
is_random(s) = strstrt(label[s], "pattern=random") > 0
cut(t, w) = strstrt(t, w) == 0 ? t : t[1:strstrt(t, w) - 1].t[strstrt(t, w) + strlen(w):]
path_of(s) = cut(cut(cut(label[s], ",pattern=random"), "pattern=random,"), "[pattern=random]")
array group_of[nseries]
array group_tic[nseries]
ngroups = 0
do for [c in caches] {
    do for [t in value("rd_".c)] {
        s = t + 0; p = path_of(s); group_of[s] = 0
        do for [g=1:ngroups] { if (group_tic[g] eq p) { group_of[s] = g } }
        if (group_of[s] == 0) { ngroups = ngroups + 1; group_tic[ngroups] = p; group_of[s] = ngroups }
    }
}
# Short names on the axis.
short_name(p) = p eq "mmap-shared" ? "mmap" : p eq "mmap-shared[madvise=random]" ? "mmap RANDOM" : \
                p eq "odirect-pread" ? "O_DIRECT" : p eq "io-uring" ? "uring qd1" : \
                strstrt(p, "io-uring[qd=") == 1 ? "uring qd".p[13:strlen(p) - 1] : p
# A tic label is read as a format: a "%" of the run's text is doubled.
short(p) = pct(short_name(p))
pct(t) = strstrt(t, "%") == 0 ? t : t[1:strstrt(t, "%")]."%".pct(t[strstrt(t, "%") + 1:])
set logscale y 10
unset logscale x
unset grid
set grid ytics lc rgb "#dddddd"
set xlabel ""
set ylabel ""
set xrange [0.4 : ngroups + 0.6]
do for [g=1:ngroups] {
    if (g == 1) { set xtics (short(group_tic[g]) g) } else { set xtics add (short(group_tic[g]) g) }
}
set xtics rotate by 35 right scale 0
unset mxtics
ylo(s) = pos(column(2))
yhi(s) = pos(column(2))
panel = " "
do for [c in caches] { panel = panel.value("rd_".c)." " }
@fit_y
set format y "%.0f"
set yrange [LO_min / 1.5 : HI_max * 50]   # room over the highest bar for its number
bar_x(s) = group_of[s] + (is_random(s) ? 0.19 : -0.19)
at_largest(s) = $1 == size_largest ? bar_x(s) : NaN
set multiplot layout 1, words(caches) margins 0.13, 0.97, 0.27, 0.69 spacing 0.04, 0
@slide_heading
unset key
set label 103 "solid bars: in file order;  hatched: in random order" at screen 0.5, 0.81 center font font_text
do for [c in caches] {
    seq_list = ""; random_list = ""
    do for [t in value("rd_".c)] {
        if (is_random(t + 0)) { random_list = random_list." ".t } else { seq_list = seq_list." ".t }
    }
    list = value("rd_".c)
    set title sprintf("MiB/s, %s cache, %s file", c, size_name(size_largest)) font font_text offset 0, -0.3
    plot for [t in seq_list] data index (t - 1) using (at_largest(t + 0)):(pos($2)):(0.36) \
            with boxes fs solid 0.85 border -1 lt lt_of[t + 0] notitle, \
         for [t in random_list] data index (t - 1) using (at_largest(t + 0)):(pos($2)):(0.36) \
            with boxes fs pattern 4 border -1 lt lt_of[t + 0] notitle, \
         for [t in list] data index (t - 1) using (at_largest(t + 0)):(pos($2)):(sprintf("%.0f", $2)) \
            with labels rotate by 90 left offset 0, 0.3 notitle
    @slide_plain
    unset label 103
    set format y ""   # one y range for both panels: its numbers once, on the left
}
unset multiplot
