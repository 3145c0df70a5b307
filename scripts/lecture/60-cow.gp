# title: Who pays for a write, MAP_SHARED or MAP_PRIVATE?
# caption: Minor page faults per MiB at the largest file, hot cache: a private mapping of the data
#   file only read (mmap-private) and written (mmap-private-write), and a shared mapping of a new
#   file written (mmap-shared-write, no msync). Over each written bar: whether the data file kept
#   its bytes (summary.csv's file_unchanged_all), or, for the shared mapping, that its new file was
#   read back and held every byte written (the harness verifies every row it records).
#   The textbook expects a write through a private mapping to take one copy-on-write fault per
#   4 KiB page, 256 per MiB, each copying the page, and to leave the file unchanged.
# columns: file_bytes minflt_median file_unchanged_all
# list: cw cache=hot label=mmap-private|mmap-private-write|mmap-shared-write[msync=none]|mmap-shared-write at=largest
# needs: cw
# skipped: neither mmap-shared-write nor mmap-private-write ran (iopaths run --op write --strategy mmap-shared-write,mmap-private-write)
# says: --metric minflt --per-mib --where cache=hot,sink=process --labels mmap-private,mmap-private-write --at largest --show file_unchanged_all --expect mmap-private>mmap-private-write --evidence minflt,sys_ns
# textbook: The textbook expects a write through a private mapping to take a copy-on-write fault for every 4 KiB page, 256 per MiB, where only reading the mapping takes a few.
# says: --metric minflt --per-mib --where cache=hot,sink=file --labels mmap-shared-write[msync=none] --at largest
#
# One bar per series at the largest size.
question = "Who pays for a write, MAP_SHARED or MAP_PRIVATE?"
unset logscale x
unset grid
set grid ytics lc rgb "#dddddd"
set xlabel sprintf("a %s file, hot cache, one pass", size_name(size_largest))
set ylabel "minor faults per MiB"
set style fill solid 0.85 border -1
n = words(cw)
set xrange [0.4 : n + 0.6]
set yrange [0:*]
set offsets 0, 0, graph 0.28, 0
set rmargin at screen 0.97
unset key
# Short names on the axis: which mapping, and whether it was written.
tic_of(s) = strstrt(label[s], "mmap-private-write") == 1 ? "private, written" : \
            strstrt(label[s], "mmap-shared-write") == 1 ? "shared, written" : \
            label[s] eq "mmap-private" ? "private, read" : tic_label[s]
do for [i=1:n] {
    s = word(cw, i) + 0
    if (i == 1) { set xtics (tic_of(s) i) } else { set xtics add (tic_of(s) i) }
}
set xtics scale 0
unset mxtics
at_size(i) = $1 == size_largest ? i : NaN
said(p, s) = p eq "1" ? "file unchanged" : p eq "0" ? "file changed" : strstrt(label[s], "mmap-shared-write") == 1 ? "file verified: got the bytes" : ""
@slide_heading
plot for [i=1:n] data index (word(cw, i) - 1) \
        using (at_size(i)):(per_mib0(2)):(0.6) with boxes lt lt_of[word(cw, i) + 0] notitle, \
     for [i=1:n] data index (word(cw, i) - 1) \
        using (at_size(i)):(per_mib0(2)):(sprintf("%.3g", per_mib0(2))) with labels offset 0, 0.8 notitle, \
     for [i=1:n] data index (word(cw, i) - 1) \
        using (at_size(i)):(per_mib0(2)):(said(strcol(3), word(cw, i) + 0)) with labels offset 0, 2.0 notitle
