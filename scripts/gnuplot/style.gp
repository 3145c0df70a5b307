# Shared by every figure: terminal, reading series.dat, and one colour and
# point type per strategy (its place in `iopaths list`), the same everywhere.
# gnuplot runs as `gnuplot -e "fmt = 'png'" series.gp style.gp FIGURE.gp` in a
# folder of the script's own (scripts/lib.sh, render): series.gp holds only
# numbers and plain words, text from the results comes as decimal byte codes
# and is decoded here into string variables, and series.dat holds only
# numbers.  So no label, host name or folder name is ever program text: none
# of it may reach eval, @, system() or a format string.  Output goes to stdout.
if (fmt eq "png") set terminal pngcairo size 1600,950 font "Sans,11" noenhanced
if (fmt eq "svg") set terminal svg size 1600,950 font "Sans,11" noenhanced dynamic background "white"
if (fmt eq "pdf") set terminal pdfcairo size 16in,9.5in font "Sans,11" noenhanced
set output
data = "series.dat"
set datafile missing NaN   # NA and zeros of a series drop out instead of breaking the line
set termoption noenhanced
set key noenhanced

# Decimal byte codes back to text.  tic_label doubles "%": gnuplot reads an
# explicit tic label as a format.
array label[nseries]
array tic_label[nseries]
do for [s=1:nseries] {
    c = label_codes[s]; label[s] = ""; tic_label[s] = ""
    do for [j=1:words(c)] {
        b = word(c, j) + 0
        label[s] = label[s].sprintf("%c", b)
        tic_label[s] = tic_label[s].(b == 37 ? "%%" : sprintf("%c", b))
    }
}
subtitle = ""
do for [j=1:words(subtitle_codes)] { subtitle = subtitle.sprintf("%c", word(subtitle_codes, j) + 0) }
if (exists("nruns")) {   # scripts/compare.sh: the runs' names
    array run_name[nruns]
    do for [r=1:nruns] {
        c = run_codes[r]; run_name[r] = ""
        do for [j=1:words(c)] { run_name[r] = run_name[r].sprintf("%c", word(c, j) + 0) }
    }
}

# Colour and mark by strategy, the same in every figure, compare's and the
# lecture's: lt_of (series.gp) is the strategy's place in `iopaths list`.
# Fourteen hue families, no two strategies in one (README, "Colours"):
#    1 read            blue     #1f5bd6  ●  (7)     8 sendfile           green   #1e8c2e  ⬟ (15)
#    2 pread           cyan     #00a3c4  ■  (5)     9 splice             purple  #6a3bb0  ● (7)
#    3 mmap-shared     red      #d01c1c  ▲  (9)    10 copy-file-range    brown   #8b4513  ■ (5)
#    4 mmap-private    orange   #f07800  ▼ (11)    11 write              teal    #00796b  ▲ (9)
#    5 memcpy          black    #000000  *  (3)    12 pwrite             olive   #7c8a00  ▼ (11)
#    6 read-write      grey     #7f7f7f  +  (1)    13 mmap-shared-write  gold    #d9a400  ◆ (13)
#    7 mmap-send       magenta  #c0189a  ×  (2)    14 mmap-private-write pink    #ff6eb4  ◆ (13)
#   15 odirect-pread   navy     #1b1b7a  ■  (5)    16 io-uring           lime    #8fd400  ⬟ (15)
# (navy and lime are blue's and green's hues at another lightness: 16 hue
# families do not exist; they stay >= 20 apart in CIE L*a*b* from every other.)
# (a mark repeats only between strategies of different sinks.)  A variant of
# a strategy (msync=sync/async/none, fsync, pipe_size: variant_of >= 1) keeps
# the colour and takes an open mark and a dash of its own, so that it reads
# in greyscale print too: mark variant_pt[(lt + variant - 2) % 6 + 1], dash
# dt_of = 1 + variant.  pt_of[s] is series s's mark.
array palette[16] = ["#1f5bd6", "#00a3c4", "#d01c1c", "#f07800", "#000000", "#7f7f7f", "#c0189a", \
                     "#1e8c2e", "#6a3bb0", "#8b4513", "#00796b", "#7c8a00", "#d9a400", "#ff6eb4", \
                     "#1b1b7a", "#8fd400"]
array strategy_pt[16] = [7, 5, 9, 11, 3, 1, 2, 15, 7, 5, 9, 11, 13, 13, 5, 15]
array variant_pt[6] = [4, 6, 8, 10, 12, 14]
do for [i=1:16] { set linetype i lc rgb palette[i] lw 2 pt strategy_pt[i] ps 1.3 }
array pt_of[nseries]
do for [s=1:nseries] {
    pt_of[s] = variant_of[s] == 0 ? strategy_pt[lt_of[s]] : variant_pt[(lt_of[s] + variant_of[s] - 2) % 6 + 1]
}

# Error bars (lib.sh, err_bars): a row's bars are its median's confidence
# interval when that covers >= 0.9, else min..max.  key_title(s): the label,
# plus "(range, n = 2)" when some row of s has min..max bars.  err_axis(list):
# what the bars of the series in list are, for the axis label.
n_text(s) = n_lo[s] == n_hi[s] ? sprintf("%d", n_lo[s]) : sprintf("%d-%d", n_lo[s], n_hi[s])
key_title(s) = label[s].(exists("err_ci") && err_ci[s] == 0 ? " (range, n = ".n_text(s).")" : "")
ci_count(list, i) = i > words(list) ? 0 : err_ci[word(list, i) + 0] + ci_count(list, i + 1)
err_axis(list) = !exists("err_ci") || words(list) == 0 ? "median" : \
    ci_count(list, 1) == words(list) ? "median; bars: CI of the median" : \
    ci_count(list, 1) == 0 ? "median; bars: min-max" : \
    "median; bars: CI, or min-max where the key says range"

mib(bytes) = bytes / 1048576.0
pos(x) = x > 0 ? x : NaN   # log axes: zeros and NA are left out, not plotted as 0
per_mib(col) = column(1) > 0 ? pos(column(col) / mib(column(1))) : NaN

# A log y axis around what a panel shows, so one value alone is no empty range:
# each figure sets `panel` (" 3 7 9 ", the series drawn) and defines ylo(s) and
# yhi(s), the lowest and highest value a row of series s puts on the panel.
in_panel(s) = strstrt(panel, sprintf(" %d ", s)) > 0
# Less than two decades on a log axis: tics at 2 and 5 of each decade too, so
# that a panel has more than one number on its axis.
tic_text(v) = v >= 1 ? sprintf("%.0f", v) : sprintf("%g", v)
tics_125 = "set ytics autofreq; if (HI_max / LO_min < 100) { do for [k=int(floor(log10(LO_min / 1.5))):int(ceil(log10(HI_max * 1.5)))] { set ytics add (tic_text(2 * 10.0 ** k) 2 * 10.0 ** k, tic_text(5 * 10.0 ** k) 5 * 10.0 ** k) } }"
fit_y = "set autoscale y; stats [*:*] data using (in_panel(column(-2) + 1) ? ylo(column(-2) + 1) : NaN) nooutput name \"LO\"; stats [*:*] data using (in_panel(column(-2) + 1) ? yhi(column(-2) + 1) : NaN) nooutput name \"HI\"; set yrange [LO_min / 1.5 : HI_max * 1.5]; @tics_125"

# The size axis: one tic per size ("4K" 4096, ...) and a range around them.
size_name(b) = b % 1073741824 == 0 ? sprintf("%dG", b / 1073741824) : b % 1048576 == 0 ? sprintf("%dM", b / 1048576) : \
               b % 1024 == 0 ? sprintf("%dK", b / 1024) : sprintf("%d B", b)
# A log axis cannot show 0: `@floor_y` (after `@fit_y`) puts a floor line,
# labelled 0, below the data, between two decades; on_floor(v) is v on the
# log axis, 0 on the floor, NA left out.  Unset arrow 9 and `set ytics
# autofreq` before the next panel.
floor_y = "y_floor = 10 ** (floor(log10(LO_min)) - 0.5); set yrange [y_floor / 1.25 : HI_max * 1.5]; set ytics add (\"0\" y_floor); set arrow 9 from graph 0, first y_floor to graph 1, first y_floor nohead lc rgb \"#999999\" dt 3 back"
on_floor(v) = v > 0 ? v : (v == 0 ? y_floor : NaN)
# nudge(i, n): the i-th of n series moved a little along a log2 x axis, so
# that equal values do not hide one another.
nudge(i, n) = 2 ** ((i - (n + 1) / 2.0) * 0.12)

set grid xtics ytics lc rgb "#dddddd"
set logscale x 2
do for [j=1:words(sizes)] {
    b = word(sizes, j) + 0
    if (j == 1) { set xtics (size_name(b) b) } else { set xtics add (size_name(b) b) }
}
set xrange [(word(sizes, 1) + 0) / 1.4 : (word(sizes, words(sizes)) + 0) * 1.4]
set offsets graph 0.02, graph 0.02, 0, 0
set xlabel "file size"
