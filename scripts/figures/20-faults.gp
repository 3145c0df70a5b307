# title: Page faults per MiB
# caption: Page faults per MiB moved; a path that took none sits on the line marked 0 below the log
#   scale (read and pread take their data by copy into a buffer already mapped, so the textbook
#   expects them to take none). What to look for: whether a mapping faults once per page or once
#   per larger chunk (fault-around, large folios), how that changes with file size, and how many
#   major faults a cold mapping takes when readahead brings pages in first. Equal values are moved
#   apart a little along the size axis so that no series hides another.
# says: --metric minflt --per-mib --better lower --at largest --where cache=hot,sink=process --expect read>mmap-shared
# textbook: The textbook expects read to take no page faults and a mapping to fault as it first touches each page.
# says: --metric majflt --per-mib --better lower --at largest --where cache=cold,sink=process
# columns: file_bytes minflt_median majflt_median
# list: faults_min cache=hot sink=process file_bytes>0
# list: faults_min_pos cache=hot sink=process minflt_median>0
# list: faults_maj cache=cold sink=process file_bytes>0
# list: faults_maj_pos cache=cold sink=process majflt_median>0
# needs: faults_{kind}
# skipped: no path into the process ran (iopaths run --sink process)
#
# Minor faults (hot cache) and major (cold cache), for the paths into the
# process; zeros on a floor line, series nudged apart along x.
set logscale y 10
set key outside below center horizontal font ",11" samplen 3 spacing 1.2 width 2
set xlabel ""   # the size tics say it, and the key goes below
ylo(s) = per_mib(fcol)
yhi(s) = ylo(s)
fault_panels = (words(faults_min) > 0 ? "min" : "").(words(faults_maj) > 0 ? " maj" : "")
set multiplot layout 1, words(fault_panels) title \
    "Page faults per MiB moved, against file size (getrusage, per pass; 0 = none taken)\n".subtitle font ",13"
do for [kind in fault_panels] {
    all = value("faults_".kind)
    panel = value("faults_".kind."_pos")." "
    fcol = kind eq "min" ? 2 : 3
    set title (kind eq "min" ? "minor faults per MiB, hot cache" : "major faults per MiB, cold cache")
    set ylabel (kind eq "min" ? "minor faults / MiB" : "major faults / MiB")
    set ytics autofreq
    if (words(panel) > 0) { @fit_y } else { LO_min = 1; HI_max = 10 }
    @floor_y
    plot for [i=1:words(all)] data index (word(all, i) - 1) \
        using (pos($1) * nudge(i, words(all))):(on_floor(column(1) > 0 ? column(fcol) / mib(column(1)) : NaN)) \
        with linespoints lt lt_of[word(all, i) + 0] dt dt_of[word(all, i) + 0] pt pt_of[word(all, i) + 0] \
        title label[word(all, i) + 0]
    unset arrow 9
}
unset multiplot
