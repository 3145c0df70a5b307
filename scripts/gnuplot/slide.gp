# The slide format (make lecture), loaded after style.gp, before the figure:
# a 16:9 slide of 10 x 5.625 in, text at 18 pt and headings at 24 pt at that
# size, whatever the format.  The PNG is 1920 x 1080 (192 px per inch, so
# 18 pt is 48 px; pngcairo draws a point as 4/3 px, hence 36); pdfcairo
# draws its font at 2/3 of the size asked (hence 27); the SVG is 960 x 540
# px, 96 px per inch (18 pt = 24 px).
font_base = fmt eq "png" ? 36 : fmt eq "pdf" ? 27 : 24
if (fmt eq "png") set terminal pngcairo size 1920,1080 font sprintf("Sans,%d", font_base) noenhanced linewidth 2
if (fmt eq "svg") set terminal svg size 960,540 font sprintf("Sans,%d", font_base) noenhanced dynamic background "white" linewidth 1
if (fmt eq "pdf") set terminal pdfcairo size 10in,5.625in font sprintf("Sans,%d", font_base) noenhanced linewidth 1.5
set output
font_heading = sprintf(",%d", font_base * 4 / 3)
font_text = sprintf(",%d", font_base)
set termoption noenhanced
set key noenhanced font font_text
do for [i=1:16] { set linetype i lw 3 ps (fmt eq "png" ? 2 : 1) }

# The heading: the figure's question (set `question` first) and under it
# the subtitle (host, kernel, filesystem, hypervisor, date), above the data;
# the figure runs `@slide_heading` before its first plot and `@slide_plain`
# after it (a label is drawn with every plot of a multiplot).
slide_heading = "set label 101 question at screen 0.5, 0.955 center font font_heading; set label 102 subtitle at screen 0.5, 0.885 center font font_text"
slide_plain = "unset label 101; unset label 102"
# The data below the heading, the key to the right of it, outside.
set tmargin at screen 0.82
set bmargin at screen 0.19
set lmargin at screen 0.17
set rmargin at screen 0.64
set key at screen 0.655, 0.82 left top vertical Left reverse samplen 2 spacing 1.1
set xtics font font_text
set ytics font font_text
set xlabel font font_text
set ylabel font font_text
set offsets graph 0.04, graph 0.04, 0, 0

# Bars: the place of size b among `sizes`, 1 for the first.
size_ix(b) = words((" ".sizes." ")[1:strstrt(" ".sizes." ", sprintf(" %.0f ", b))]) + 1
# Per MiB with zero kept (a bar chart shows read's 0; NaN only when not measured).
per_mib0(col) = column(1) > 0 && column(col) == column(col) ? column(col) / mib(column(1)) : NaN

# A key of its own above the panels of a multiplot, the width of the slide:
# `keyed` holds the series (" 3 7"); run `@slide_key` after the last panel.
slide_key = "set lmargin at screen 0.01; set rmargin at screen 0.99; set tmargin at screen 0.85; set bmargin at screen 0.77; unset border; unset tics; unset xlabel; unset ylabel; unset title; unset logscale; set xrange [0:1]; set yrange [0:1]; set key at screen 0.5, 0.84 center top horizontal maxcols 5 samplen 1.5 width -1; plot for [t in keyed] NaN with linespoints lt lt_of[t + 0] dt dt_of[t + 0] title label[t + 0]"
