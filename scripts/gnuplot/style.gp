# Shared by every figure: terminal, reading summary.csv, and one colour and
# point type per strategy (its place in `iopaths list`), the same everywhere.
# Set before loading: fmt (png, svg, pdf), out, csv, subtitle, strategies,
# size_tics; the panel lists come from series.gp (scripts/plots.sh).
if (fmt eq "png") set terminal pngcairo size 1600,950 font "Sans,11" noenhanced
if (fmt eq "svg") set terminal svg size 1600,950 font "Sans,11" noenhanced dynamic background "white"
if (fmt eq "pdf") set terminal pdfcairo size 16in,9.5in font "Sans,11" noenhanced
set output out
set datafile separator comma
set datafile columnheaders
set datafile missing NaN   # rows of other series drop out instead of breaking the line
set termoption noenhanced
set key noenhanced

# Colour and point type by strategy; a variant keeps both and changes the dash.
array palette[16] = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", \
                     "#7f7f7f", "#bcbd22", "#17becf", "#393b79", "#ad494a", "#637939", "#d6616b", \
                     "#843c39", "#5254a3"]
do for [i=1:16] { set linetype i lc rgb palette[i] lw 2 pt (i % 13) + 1 ps 1.2 }
base(l) = strstrt(l, "[") ? l[1:strstrt(l, "[") - 1] : l
lt_of(l) = (n = sum [i=1:words(strategies)] (word(strategies, i) eq base(l) ? i : 0), n ? (n - 1) % 16 + 1 : 16)
dt_of(l) = strstrt(l, "fsync") ? 2 : strstrt(l, "async") ? 3 : strstrt(l, "none") ? 4 : strstrt(l, "sync") ? 5 : 1

# A row of summary.csv belongs to a series when all of these hold.
is(cache, sink, label) = strcol("cache") eq cache && strcol("sink") eq sink && strcol("label") eq label
mib(bytes) = bytes / 1048576.0
pos(x) = x > 0 ? x : NaN   # log axes: zeros and NA are left out, not plotted as 0

in_list(l, list) = strstrt(" ".list." ", " ".l." ") > 0
per_mib(col) = column("file_bytes") > 0 ? pos(column(col) / mib(column("file_bytes"))) : NaN

# A log y axis around what a panel shows, so one value alone is no empty range:
# each figure defines ylo(r, k) and yhi(r, k), the lowest and highest value a
# row of cache r and sink k puts on the panel (NaN for the rows it leaves out).
fit_y = "set autoscale y; stats [*:*] csv using (ylo(r, k)) nooutput name \"LO\"; stats [*:*] csv using (yhi(r, k)) nooutput name \"HI\"; set yrange [LO_min / 1.5 : HI_max * 1.5]"

set grid xtics ytics lc rgb "#dddddd"
set logscale x 2
eval size_tics
set offsets graph 0.02, graph 0.02, 0, 0
set xlabel "file size"
