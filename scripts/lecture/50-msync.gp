# title: What does msync cost, and what does it buy?
# caption: Writing a new file through a shared mapping with msync(MS_SYNC), msync(MS_ASYNC) or no
#   msync, against write() + fsync(): time per pass at the largest file (hot cache, file sink),
#   and over each bar whether the pass left nothing dirty (summary.csv's persisted_all). The
#   textbook expects MS_SYNC to wait for the disk as fsync does, and MS_ASYNC, which on Linux
#   starts no writeback, to cost what no msync costs and persist nothing.
# columns: file_bytes wall_ns_median persisted_all
# list: ms cache=hot sink=file op=write label=mmap-shared-write[msync=sync]|mmap-shared-write[msync=async]|mmap-shared-write[msync=none]|write[fsync] at=largest
# needs: ms
# skipped: neither mmap-shared-write nor write with fsync ran into the file sink (iopaths run --op write --strategy mmap-shared-write,write --msync sync,async,none --fsync=both)
# says: --metric wall_ns --where cache=hot,sink=file,op=write --labels mmap-shared-write[msync=sync],mmap-shared-write[msync=async],mmap-shared-write[msync=none],write[fsync] --at largest --show persisted_all --expect mmap-shared-write[msync=async]>mmap-shared-write[msync=sync] --evidence persisted_all
# textbook: The textbook expects msync(MS_SYNC) to wait for the disk as fsync does, so it costs more than MS_ASYNC, which leaves the pages dirty.
#
# One bar per series at the largest size, its persisted state written over it.
question = "What does msync cost, and what does it buy?"
unset logscale x
unset grid
set grid ytics lc rgb "#dddddd"
set xlabel sprintf("a new %s file: write() + fsync(), or a shared mapping and msync", size_name(size_largest))
set ylabel "ms per pass"
set style fill solid 0.85 border -1
n = words(ms)
set xrange [0.4 : n + 0.6]
set yrange [0:*]
set offsets 0, 0, graph 0.15, 0
set rmargin at screen 0.97
unset key
# A label names its msync mode, or fsync, on the axis.
mode_of(s) = strstrt(label[s], "msync=") > 0 ? label[s][strstrt(label[s], "msync=") + 6 : strlen(label[s]) - 1] : ""
tic_of(s) = mode_of(s) eq "sync" ? "MS_SYNC" : mode_of(s) eq "async" ? "MS_ASYNC" : \
            mode_of(s) eq "none" ? "no msync" : strstrt(label[s], "[fsync]") > 0 ? "write+fsync" : tic_label[s]
do for [i=1:n] {
    s = word(ms, i) + 0
    if (i == 1) { set xtics (tic_of(s) i) } else { set xtics add (tic_of(s) i) }
}
set xtics scale 0
unset mxtics
at_size(i) = $1 == size_largest ? i : NaN
said(p) = p == 1 ? "persisted" : p == 0 ? "not persisted" : "?"
@slide_heading
plot for [i=1:n] data index (word(ms, i) - 1) \
        using (at_size(i)):($2 / 1e6):(0.7) with boxes lt lt_of[word(ms, i) + 0] notitle, \
     for [i=1:n] data index (word(ms, i) - 1) \
        using (at_size(i)):($2 / 1e6):(said($3)) with labels offset 0, 0.8 notitle
