# title: Does a zero-copy path make a real file server faster?
# caption: wrk over loopback against iopaths serve (read-write, mmap-send, sendfile; solid) and nginx
#   (sendfile on and off; dashed), at one connection count: requests/s (left) and the server's CPU
#   per MiB (right) against file size, medians of the rounds (splice is in the page's figures:
#   five series at most on a slide). The textbook expects the copy-free paths to cost the server
#   less CPU per MiB as files grow; whether that buys requests/s depends on what else is busy.
# columns: file_bytes requests_per_s server_cpu_ms_per_mib
# list: slide label=iopaths-read-write|iopaths-mmap-send|iopaths-sendfile|nginx-sendfile-on|nginx-sendfile-off requests_per_s>0
# needs: slide
# skipped: none of the five servers of the slide has rows at this connection count
question = "Does a zero-copy path make a real file server faster?"
set multiplot
set tmargin at screen 0.55
set lmargin at screen 0.10
set rmargin at screen 0.47
@slide_heading
set logscale y 10
unset key
panel = slide." "
set title sprintf("requests/s, %d connections", conns) font font_text
ylo(s) = pos(column(2))
yhi(s) = pos(column(2))
@fit_y
plot for [t in slide] data index (t - 1) using (pos($1)):(pos($2)) \
    with linespoints lt lt_of[t + 0] dt dt_of[t + 0] pt pt_of[t + 0] notitle
@slide_plain
set lmargin at screen 0.60
set rmargin at screen 0.97
set title "server CPU ms per MiB" font font_text
ylo(s) = pos(column(3))
yhi(s) = pos(column(3))
@fit_y
plot for [t in slide] data index (t - 1) using (pos($1)):(pos($3)) \
    with linespoints lt lt_of[t + 0] dt dt_of[t + 0] pt pt_of[t + 0] notitle
keyed = slide
# slide.gp's key, lower panels: five long server names take three rows
set lmargin at screen 0.01; set rmargin at screen 0.99; set tmargin at screen 0.86; set bmargin at screen 0.66
unset border; unset tics; unset xlabel; unset ylabel; unset title; unset logscale
set xrange [0:1]; set yrange [0:1]
set key at screen 0.5, 0.855 center top horizontal maxcols 3 samplen 1.5 width -1
plot for [t in keyed] NaN with linespoints lt lt_of[t + 0] dt dt_of[t + 0] title label[t + 0]
unset multiplot
