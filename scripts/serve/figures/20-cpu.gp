# title: Server CPU per MiB served against file size
# caption: The server process's user + system time (from /proc/PID/stat, before and after each cell)
#   over the MiB it served, at one connection count, median of the rounds; iopaths serve solid,
#   nginx dashed. What to look for: the paths that keep the bytes out of user space (sendfile,
#   splice, nginx with sendfile on) should spend less per MiB as files grow; at small files the
#   request's own cost dominates.
# columns: file_bytes server_cpu_ms_per_mib
# list: srv server_cpu_ms_per_mib>0
# needs: srv
# skipped: no server has a row with CPU time at this connection count
set logscale y 10
set key right top Left reverse samplen 2 spacing 1.0
set ylabel "server CPU ms per MiB (median of the rounds)"
set title "Server CPU per MiB against file size, wrk at ".sprintf("%d", conns)." connections\n".subtitle font ",13"
ylo(s) = pos(column(2))
yhi(s) = pos(column(2))
panel = srv." "
@fit_y
plot for [i=1:words(srv)] data index (word(srv, i) - 1) using (pos($1)):(pos($2)) \
    with linespoints lt lt_of[word(srv, i) + 0] dt dt_of[word(srv, i) + 0] pt pt_of[word(srv, i) + 0] \
    title label[word(srv, i) + 0]
