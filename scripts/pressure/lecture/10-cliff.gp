# title: Does mmap fall off a cliff when memory runs out?
# caption: Random 4 KiB reads over a file several times the memory cgroup's limit: MiB/s over time
#   (left; a vertical line marks each cliff, the first interval after the limit was reached below
#   half the median before) and TLB shootdowns/s (right), for mmap with madvise normal and random,
#   pread, O_DIRECT pread and io_uring. The paper (CIDR 2022) saw mmap collapse and O_DIRECT hold.
# columns: t_s mibps tlb_per_s
# list: slide mibps>0
# needs: slide
# skipped: no cell has an interval with MiB/s above 0
question = "Does mmap fall off a cliff when memory runs out?"
unset logscale x
set xtics autofreq
set autoscale x
set offsets 0, 0, 0, 0
set multiplot
set tmargin at screen 0.60
set bmargin at screen 0.17
set lmargin at screen 0.10
set rmargin at screen 0.47
@slide_heading
set logscale y 10
unset key
set xlabel "seconds" font font_text
panel = slide." "
set title "MiB/s" font font_text
ylo(s) = pos(column(2))
yhi(s) = pos(column(2))
@fit_y
do for [t in slide] {
    s = t + 0
    if (cliff_s[s] >= 0) { set arrow 100 + s from cliff_s[s], graph 0 to cliff_s[s], graph 1 nohead lt lt_of[s] dt 3 }
}
plot for [t in slide] data index (t - 1) using 1:(pos($2)) with lines lt lt_of[t + 0] dt dt_of[t + 0] notitle
@slide_plain
unset arrow
set lmargin at screen 0.60
set rmargin at screen 0.97
set title "TLB shootdowns/s" font font_text
# A linear axis from 0: O_DIRECT and io_uring take none, and a zero is an answer here.
unset logscale y
set autoscale y
set yrange [0:*]
set ytics autofreq
plot for [t in slide] data index (t - 1) using 1:3 with lines lt lt_of[t + 0] dt dt_of[t + 0] notitle
keyed = slide
set lmargin at screen 0.01; set rmargin at screen 0.99; set tmargin at screen 0.86; set bmargin at screen 0.70
unset border; unset tics; unset xlabel; unset ylabel; unset title; unset logscale
set xrange [0:1]; set yrange [0:1]
set key at screen 0.5, 0.855 center top horizontal maxcols 3 samplen 1.5 width -1
plot for [t in keyed] NaN with lines lt lt_of[t + 0] dt dt_of[t + 0] title label[t + 0]
unset multiplot
