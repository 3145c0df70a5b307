# title: Requests per second against file size: iopaths serve and nginx
# caption: wrk over loopback against each server at one connection count (the subtitle says which),
#   each point the median of the rounds; iopaths serve with one strategy each (solid), nginx with
#   sendfile on and off (dashed). What to look for: where the strategies part at small files (the
#   cost of a request) and at large ones (the cost of the bytes), and where iopaths' sendfile stands
#   against nginx's.
# columns: file_bytes requests_per_s
# list: srv requests_per_s>0
# needs: srv
# skipped: no server has a row with requests at this connection count
set logscale y 10
set key right top Left reverse samplen 2 spacing 1.0
set ylabel "requests/s (median of the rounds)"
set title "Requests/s against file size, wrk at ".sprintf("%d", conns)." connections\n".subtitle font ",13"
ylo(s) = pos(column(2))
yhi(s) = pos(column(2))
panel = srv." "
@fit_y
plot for [i=1:words(srv)] data index (word(srv, i) - 1) using (pos($1)):(pos($2)) \
    with linespoints lt lt_of[word(srv, i) + 0] dt dt_of[word(srv, i) + 0] pt pt_of[word(srv, i) + 0] \
    title label[word(srv, i) + 0]
