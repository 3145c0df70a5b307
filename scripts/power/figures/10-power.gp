# title: Power: planted slowdowns of known size, and what compare found
# caption: Each point is a cell of a planted run (iopaths run --plant-ns N: a busy-wait of N ns,
#   measured, at every call that moves bytes) compared with the plain run: across, the slowdown
#   its time per pass and its waits per pass predict (log scale); up, the slowdown measured.
#   Green: compare called it slower (right); red: faster (the wrong sign); grey: no verdict. The
#   dashed lines are the edges of the bands 2, 5, 10 and 20 %; above each band, how many of its
#   cells were found. What to look for: the points near the diagonal, and the share found rising
#   with the size of the change.
# columns: expected_slowdown_pct slowdown_pct
# list: shown expected_slowdown_pct>0
# needs: shown
# skipped: no cell has an expected slowdown above 0
set title "Planted slowdowns and the verdicts of iopaths compare\n".subtitle font ",13"
set xlabel "expected slowdown of MiB/s (%), from the plain run's time per pass and the planted waits per pass"
set ylabel "measured slowdown of MiB/s (%)"
unset logscale x
set logscale x 10
set xtics autofreq
set offsets 0, 0, 0, 0
set xrange [0.5:100]
set autoscale y
set key left top Left reverse samplen 2 spacing 1.1
set grid xtics ytics lc rgb "#dddddd"
array outcome_colour[3] = ["#1e8c2e", "#d01c1c", "#9a9a9a"]
array outcome_pt[3] = [7, 9, 6]
do for [b=1:4] {
    set arrow 10 + b from band_lo_pct[b], graph 0 to band_lo_pct[b], graph 1 nohead dt 2 lc rgb "#888888"
    if (band_cells[b] >= 0) {
        set label 20 + b sprintf("%g %%: %d of %d found, %d wrong", band_pct[b], band_right[b], band_cells[b], band_wrong_sign[b]) \
            at band_pct[b], graph 0.97 center font ",10"
    }
}
set arrow 15 from band_hi_pct[4], graph 0 to band_hi_pct[4], graph 1 nohead dt 2 lc rgb "#888888"
plot x with lines lc rgb "#bbbbbb" dt 3 title "measured = expected", \
     for [t in shown] data index (t - 1) using 1:2 with points pt outcome_pt[t + 0] ps 1.2 \
         lc rgb outcome_colour[t + 0] title label[t + 0]
