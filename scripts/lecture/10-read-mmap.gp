# title: Is mapping a file faster than reading it?
# caption: read against mmap-shared into the process, MiB/s against file size, hot cache (left)
#   and cold (right), log scales; a point is the median pass, its bar the fastest and slowest. The textbook
#   expects mmap to lose on small files (mmap, faults and munmap on every file) and to lead on
#   large hot ones, where it skips the copy into a buffer. A guest whose hypervisor keeps shadow
#   page tables pays more for every new mapping; where read leads, look at the faults and
#   where-the-time-goes figures for why.
# columns: file_bytes mibps_median mibps_min mibps_max
# list: rm_{cache} sink=process label=read|mmap-shared mibps_median>0
# needs: rm_{cache}
# skipped: neither read nor mmap-shared ran into the process sink (iopaths run --strategy read,mmap-shared)
# says: --metric mibps --where cache=hot,sink=process --labels read,mmap-shared --at largest --expect mmap-shared>read --evidence pf,minflt,user_ns,sys_ns
# textbook: The textbook expects mmap-shared to beat read on large hot files, where it reads the page cache in place and skips the copy into a buffer.
# says: --metric mibps --where cache=cold,sink=process --labels read,mmap-shared --at largest
#
# One panel per cache state that ran, hot first.
question = "Is mapping a file faster than reading it?"
set logscale y 10
caches = ""; all = ""; keylist = ""
do for [c in "hot cold"] {
    if (exists("rm_".c) && words(value("rm_".c)) > 0) {
        caches = caches.(caches eq "" ? "" : " ").c
        all = all.value("rm_".c)
        if (words(value("rm_".c)) > words(keylist)) { keylist = value("rm_".c) }
    }
}
# One y range for both panels, so hot and cold compare by eye.
ylo(s) = pos(column(3))
yhi(s) = pos(column(4))
panel = all." "
@fit_y
set multiplot layout 1, words(caches) margins 0.13, 0.95, 0.19, 0.64 spacing 0.12, 0
@slide_heading
do for [c in caches] {
    list = value("rm_".c)
    set title sprintf("MiB/s, %s cache", c) font font_text
    unset key
    plot for [t in list] data index (t - 1) using (pos($1)):(pos($2)):(pos($3)):(pos($4)) \
        with yerrorlines lt lt_of[t + 0] dt dt_of[t + 0] notitle
    @slide_plain
    set format y ""
}
keyed = keylist
@slide_key
unset multiplot
