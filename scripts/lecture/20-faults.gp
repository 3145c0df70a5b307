# title: How many page faults does each path take?
# caption: Minor page faults per MiB (getrusage, median pass), hot cache, into the process, at the
#   smallest or 1 MiB file and at the largest; each bar carries its number, so a zero stands as 0.
#   The textbook expects read and pread to take none (the kernel copies into a buffer already
#   mapped) and a mapping one fault per page; fault-around and large folios map many pages per
#   fault, so count them here rather than trusting 256 per MiB.
# columns: file_bytes minflt_median
# list: fl sink=process cache=hot label=read|pread|mmap-shared|mmap-private
# needs: fl
# skipped: none of read, pread, mmap-shared, mmap-private ran hot into the process sink
# says: --metric minflt --per-mib --where cache=hot,sink=process --labels read,pread,mmap-shared,mmap-private --at largest --expect read>mmap-shared --evidence minflt,sys_ns
# textbook: The textbook expects read to take no page faults, since it copies into a buffer already mapped, and a mapping to fault as it touches pages.
#
# Bars: two groups (1 MiB or the smallest size, and the largest), one bar per series.
question = "How many page faults does each path take?"
unset logscale x
unset grid
set grid ytics lc rgb "#dddddd"
set xlabel ""
set ylabel "minor faults per MiB"
set style fill solid 0.85 border -1
n = words(fl)
w = 0.8 / n
groups = size_small == size_largest ? 1 : 2
gsize(g) = g == 1 ? size_small : size_largest
bar_x(g, i) = g + (i - (n + 1) / 2.0) * w
set xrange [0.4 : groups + 0.6]
set xtics (sprintf("%s file", size_name(size_small)) 1)
if (groups == 2) { set xtics add (sprintf("%s file", size_name(size_largest)) 2) }
set yrange [0:*]
set offsets 0, 0, graph 0.15, 0
set multiplot
set tmargin at screen 0.69
set rmargin at screen 0.97
unset key
@slide_heading
plot for [i=1:n] data index (word(fl, i) - 1) \
        using ($1 == size_small ? bar_x(1, i) : groups == 2 && $1 == size_largest ? bar_x(2, i) : NaN):(per_mib0(2)):(w * 0.9) \
        with boxes lt lt_of[word(fl, i) + 0] notitle, \
     for [i=1:n] data index (word(fl, i) - 1) \
        using ($1 == size_small ? bar_x(1, i) : groups == 2 && $1 == size_largest ? bar_x(2, i) : NaN):(per_mib0(2)):(sprintf("%.3g", per_mib0(2))) \
        with labels offset 0, 0.7 tc lt lt_of[word(fl, i) + 0] notitle
@slide_plain
keyed = fl
@slide_key
unset multiplot
