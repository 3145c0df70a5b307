# (b) Page faults per MiB against file size: minor (hot cache) and major
# (cold cache), for the paths into the process.
load script_dir."/style.gp"
set logscale y 10
set key left bottom font ",9" samplen 2
ylo(r, k) = in_list(strcol("label"), labels) && strcol("cache") eq r && strcol("sink") eq k ? per_mib(fcol) : NaN
yhi(r, k) = ylo(r, k)
set multiplot layout 1, 2 title \
    "Page faults per MiB moved, against file size (getrusage, per pass; zeros left out)\n".subtitle font ",13"
set title "minor faults per MiB, hot cache"
set ylabel "minor faults / MiB"
r = "hot"; k = "process"; labels = faults_min; fcol = "minflt_median"
if (words(faults_min) > 0) {
    @fit_y
    plot for [l in faults_min] csv using (is("hot", "process", l) ? pos(column("file_bytes")) : NaN): \
        (pos(column("minflt_median") / mib(column("file_bytes")))) with linespoints lt lt_of(l) dt dt_of(l) title l
} else { set label 1 "no minor faults measured" at graph 0.5, 0.5 center; set yrange [1:10]; plot 1/0 notitle; unset label 1 }
set title "major faults per MiB, cold cache"
set ylabel "major faults / MiB"
r = "cold"; labels = faults_maj; fcol = "majflt_median"
if (words(faults_maj) > 0) {
    @fit_y
    plot for [l in faults_maj] csv using (is("cold", "process", l) ? pos(column("file_bytes")) : NaN): \
        (pos(column("majflt_median") / mib(column("file_bytes")))) with linespoints lt lt_of(l) dt dt_of(l) title l
} else { set label 1 "no major faults measured (no cold run, or readahead hid them)" at graph 0.5, 0.5 center; set yrange [1:10]; plot 1/0 notitle; unset label 1; set autoscale y }
unset multiplot
