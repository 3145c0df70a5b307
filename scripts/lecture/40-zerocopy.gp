# title: Which way of serving a file costs the sender least?
# caption: The static-file server's four paths into a socket, hot cache: MiB/s against file size
#   (left, log scales) and the sending thread's CPU time per MiB at the largest file (right:
#   system solid, user hatched). The unix sink is drawn when the run has it, the tcp sink
#   otherwise: over loopback tcp the protocol's own cost can hide the copies (the README gives
#   one machine's figures). The
#   textbook expects sendfile and splice, which keep the bytes out of user space, to spend a
#   fraction of read-write's sender CPU, and mmap-send to sit between.
# columns: file_bytes mibps_median mibps_min mibps_max sender_sys_ns_median sender_user_ns_median
# list: zc_{sink} cache=hot sink=unix|tcp label=read-write|mmap-send|sendfile|splice mibps_median>0
# needs: zc_{sink}
# skipped: none of read-write, mmap-send, sendfile, splice ran hot into the unix or tcp sink
# says: --metric sender_sys_ns --per-mib --where cache=hot,sink=unix --labels read-write,mmap-send,sendfile,splice --at largest --show sender_user_ns,mibps --expect sendfile>read-write --evidence sender_sys_ns,sender_user_ns,syscalls
# textbook: The textbook expects sendfile to spend a fraction of read-write's sender CPU per MiB: it skips the copy into a user buffer and back.
# says: --metric mibps --where cache=hot,sink=tcp --labels read-write,mmap-send,sendfile,splice --at largest
#
# Left: throughput over size; right: sender CPU per MiB at the largest size.
question = "Which way of serving a file costs the sender least?"
sink = exists("zc_unix") && words(zc_unix) > 0 ? "unix" : "tcp"
zc = value("zc_".sink)
n = words(zc)
set multiplot
set lmargin at screen 0.14
set rmargin at screen 0.55
set tmargin at screen 0.64
@slide_heading
set title sprintf("MiB/s, sink %s", sink) font font_text
set logscale y 10
unset key
plot for [t in zc] data index (t - 1) using (pos($1)):(pos($2)):(pos($3)):(pos($4)) \
    with yerrorlines lt lt_of[t + 0] dt dt_of[t + 0] notitle
@slide_plain
set title sprintf("sender CPU ms/MiB, %s", size_name(size_largest)) font font_text
set lmargin at screen 0.68
set rmargin at screen 0.93
unset logscale
set grid ytics lc rgb "#dddddd"
unset grid
set grid ytics lc rgb "#dddddd"
set xlabel ""
set xrange [0.4 : n + 0.6]
set yrange [0:*]
set xtics () scale 0
unset mxtics
set format x ""
set offsets 0, 0, graph 0.05, 0
unset key
at_size(i) = $1 == size_largest ? i : NaN
plot for [i=1:n] data index (word(zc, i) - 1) \
        using (at_size(i)):(per_mib0(5) / 2e6):(0.35):(per_mib0(5) / 2e6) with boxxyerror fs solid 0.85 border -1 \
        lt lt_of[word(zc, i) + 0] notitle, \
     for [i=1:n] data index (word(zc, i) - 1) \
        using (at_size(i)):((per_mib0(5) + per_mib0(6) / 2) / 1e6):(0.35):(per_mib0(6) / 2e6) with boxxyerror \
        fs pattern 4 border -1 lt lt_of[word(zc, i) + 0] notitle
keyed = zc
@slide_key
unset multiplot
