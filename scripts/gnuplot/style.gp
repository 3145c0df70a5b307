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

# Colour and point type by strategy; a variant keeps both and changes the dash
# (lt_of and dt_of come from series.gp).
array palette[16] = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", \
                     "#7f7f7f", "#bcbd22", "#17becf", "#393b79", "#ad494a", "#637939", "#d6616b", \
                     "#843c39", "#5254a3"]
do for [i=1:16] { set linetype i lc rgb palette[i] lw 2 pt (i % 13) + 1 ps 1.2 }

mib(bytes) = bytes / 1048576.0
pos(x) = x > 0 ? x : NaN   # log axes: zeros and NA are left out, not plotted as 0
per_mib(col) = column(1) > 0 ? pos(column(col) / mib(column(1))) : NaN

# A log y axis around what a panel shows, so one value alone is no empty range:
# each figure sets `panel` (" 3 7 9 ", the series drawn) and defines ylo(s) and
# yhi(s), the lowest and highest value a row of series s puts on the panel.
in_panel(s) = strstrt(panel, sprintf(" %d ", s)) > 0
fit_y = "set autoscale y; stats [*:*] data using (in_panel(column(-2) + 1) ? ylo(column(-2) + 1) : NaN) nooutput name \"LO\"; stats [*:*] data using (in_panel(column(-2) + 1) ? yhi(column(-2) + 1) : NaN) nooutput name \"HI\"; set yrange [LO_min / 1.5 : HI_max * 1.5]"

# The size axis: one tic per size ("4K" 4096, ...) and a range around them.
size_name(b) = b % 1073741824 == 0 ? sprintf("%dG", b / 1073741824) : b % 1048576 == 0 ? sprintf("%dM", b / 1048576) : \
               b % 1024 == 0 ? sprintf("%dK", b / 1024) : sprintf("%d B", b)
set grid xtics ytics lc rgb "#dddddd"
set logscale x 2
do for [j=1:words(sizes)] {
    b = word(sizes, j) + 0
    if (j == 1) { set xtics (size_name(b) b) } else { set xtics add (size_name(b) b) }
}
set xrange [(word(sizes, 1) + 0) / 1.4 : (word(sizes, words(sizes)) + 0) * 1.4]
set offsets graph 0.02, graph 0.02, 0, 0
set xlabel "file size"
