# title: Page faults per MiB
# caption: Page faults per MiB moved, zeros left out of the log axis (read and pread take their data
#   by copy into a buffer already mapped, so the textbook expects them to take none). What to
#   look for: whether a mapping faults once per page or once per larger chunk (fault-around, large
#   folios), how that changes with file size, and how many major faults a cold mapping takes when
#   readahead brings pages in first.
# columns: file_bytes minflt_median majflt_median
# list: faults_min cache=hot sink=process minflt_median>0
# list: faults_maj cache=cold sink=process majflt_median>0
#
# Minor faults (hot cache) and major (cold cache), for the paths into the process.
set logscale y 10
set key left bottom font ",9" samplen 2
ylo(s) = per_mib(fcol)
yhi(s) = ylo(s)
set multiplot layout 1, 2 title \
    "Page faults per MiB moved, against file size (getrusage, per pass; zeros left out)\n".subtitle font ",13"
set title "minor faults per MiB, hot cache"
set ylabel "minor faults / MiB"
panel = faults_min." "; fcol = 2
if (words(faults_min) > 0) {
    @fit_y
    plot for [t in faults_min] data index (t - 1) using (pos($1)):(per_mib(2)) \
        with linespoints lt lt_of[t + 0] dt dt_of[t + 0] title label[t + 0]
} else { set label 1 "no minor faults measured" at graph 0.5, 0.5 center; set yrange [1:10]; plot 1/0 notitle; unset label 1 }
set title "major faults per MiB, cold cache"
set ylabel "major faults / MiB"
panel = faults_maj." "; fcol = 3
if (words(faults_maj) > 0) {
    @fit_y
    plot for [t in faults_maj] data index (t - 1) using (pos($1)):(per_mib(3)) \
        with linespoints lt lt_of[t + 0] dt dt_of[t + 0] title label[t + 0]
} else { set label 1 "no major faults measured (no cold run, or readahead hid them)" at graph 0.5, 0.5 center; set yrange [1:10]; plot 1/0 notitle; unset label 1; set autoscale y }
unset multiplot
