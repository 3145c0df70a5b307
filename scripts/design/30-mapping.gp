# title: What costs: making a mapping, or reading it?
# caption: One pass over a hot 1 MiB and 16 MiB file into the process: pread, and a shared
#   mapping made and removed in every pass (map=per-pass, what mmap-shared does by default),
#   made with MAP_POPULATE (every page-table entry built in mmap), and made once before the
#   timed passes (map=once: a pass only reads through it); MiB/s of the median pass, its number
#   over each bar. The gap between map=per-pass and map=once is what establishing the mapping
#   costs a pass; the textbook counts it in page faults, a few with fault-around. A guest whose
#   hypervisor keeps shadow page tables pays for every new translation, faults or not.
# columns: file_bytes mibps_median minflt_median
# list: mp cache=hot sink=process pattern=seq threads=1 strategy=pread|mmap-shared madvise=normal| window=0| mibps_median>0
# list: mpv cache=hot sink=process strategy=mmap-shared map=once
# needs: mpv
# skipped: mmap-shared did not run hot with map=once (make design, or iopaths run --strategy pread,mmap-shared --variant mmap-shared.map=per-pass,once --variant mmap-shared.populate=off,on)
# says: --metric mibps --where cache=hot,sink=process,pattern=seq,threads=1 --labels pread,mmap-shared,mmap-shared[populate=on],mmap-shared[map=once],mmap-shared[populate=on,map=once] --at largest --show minflt --expect mmap-shared[map=once]>pread --evidence minflt,user_ns,sys_ns
# textbook: The textbook expects reading through a mapping already made to beat pread, which copies every byte into its buffer.
# says: --metric mibps --where cache=hot,sink=process,pattern=seq,threads=1 --labels pread,mmap-shared,mmap-shared[populate=on],mmap-shared[map=once],mmap-shared[populate=on,map=once] --at small --show minflt
#
# Bars: two groups (1 MiB, or the smallest size, and 16 MiB, or the largest), one bar per series.
question = "What costs: making a mapping, or reading it?"
unset logscale x
unset grid
set grid ytics lc rgb "#dddddd"
set xlabel ""
set ylabel "MiB/s, median pass"
n = words(mp)
w = 0.8 / n
size_big = strstrt(" ".sizes." ", " 16777216 ") > 0 ? 16777216 : size_largest
groups = size_small == size_big ? 1 : 2
bar_x(i) = $1 == size_small ? 1 + (i - (n + 1) / 2.0) * w : groups == 2 && $1 == size_big ? 2 + (i - (n + 1) / 2.0) * w : NaN
set xrange [0.4 : groups + 0.6]
set xtics (sprintf("%s file", size_name(size_small)) 1) scale 0
if (groups == 2) { set xtics add (sprintf("%s file", size_name(size_big)) 2) }
unset mxtics
set yrange [0:*]
set offsets 0, 0, graph 0.4, 0
# What each bar is, in words.
name_of(s) = strstrt(label[s], "mmap-shared") != 1 ? label[s] : \
    strstrt(label[s], "map=once") > 0 ? (strstrt(label[s], "populate=on") > 0 ? "once + POPULATE" : "mapped once") : \
    strstrt(label[s], "populate=on") > 0 ? "per pass + POPULATE" : \
    label[s] eq "mmap-shared" ? "mapped per pass" : label[s]
# A strategy's own bar solid, its variants hatched (a pattern each).
plain = ""; hatched = ""
do for [i=1:n] { if (variant_of[word(mp, i) + 0] == 0) { plain = plain." ".i } else { hatched = hatched." ".i } }
array patterns[6] = [4, 5, 2, 1, 6, 7]   # the fill patterns that tell apart best
pattern_of(s) = patterns[(variant_of[s] - 1) % 6 + 1]
set rmargin at screen 0.56
set key at screen 0.58, 0.80 left top vertical Left reverse samplen 1.5 spacing 1.1
@slide_heading
plot for [i in plain] data index (word(mp, i + 0) - 1) using (bar_x(i + 0)):2:(w * 0.9) \
        with boxes fs solid 0.85 border -1 lt lt_of[word(mp, i + 0) + 0] title name_of(word(mp, i + 0) + 0), \
     for [i in hatched] data index (word(mp, i + 0) - 1) using (bar_x(i + 0)):2:(w * 0.9) \
        with boxes fs pattern pattern_of(word(mp, i + 0) + 0) border -1 lt lt_of[word(mp, i + 0) + 0] \
        title name_of(word(mp, i + 0) + 0), \
     for [i=1:n] data index (word(mp, i) - 1) using (bar_x(i)):2:(sprintf("%.0f", $2)) \
        with labels rotate by 90 left offset 0, 0.3 notitle
