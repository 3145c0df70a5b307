# title: TLB shootdowns per second over time
# caption: The TLB line of /proc/interrupts (all CPUs, system-wide) per second of each interval. What
#   to look for: shootdowns climbing for mmap once eviction unmaps pages that other threads' TLBs may
#   hold, and staying near zero for the strategies that copy into a buffer.
# columns: t_s tlb_per_s
# list: srv tlb_per_s>0
# needs: srv
# skipped: no interval has a TLB shootdown
unset logscale x
set xtics autofreq
set autoscale x
set offsets 0, 0, 0, 0
set xlabel "seconds since the cell's start (end of each interval)"
set ylabel "TLB shootdowns/s (system-wide)"
set title "TLB shootdowns over time\n".subtitle font ",13"
set logscale y 10
set key right top Left reverse samplen 2 spacing 1.0
panel = srv." "
ylo(s) = pos(column(2))
yhi(s) = pos(column(2))
@fit_y
plot for [t in srv] data index (t - 1) using 1:(pos($2)) \
    with linespoints lt lt_of[t + 0] dt dt_of[t + 0] pt pt_of[t + 0] ps 0.8 title label[t + 0]
