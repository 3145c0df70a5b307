#!/bin/sh
# Draws the figures of a `make bench-serve` run: scripts/serve/plots.sh RUN_DIR OUT_DIR
# (scripts/bench-serve.sh runs it with OUT_DIR plots/<run-id>/serve).  The
# figures of scripts/serve/figures/ go into OUT_DIR, the slide of
# scripts/serve/lecture/ (slide.gp) into OUT_DIR/lecture, each with a
# figures.csv for `iopaths report`.  One series per server of serve.csv, at
# one connection count (FIGURE_CONNS, default 16, else the largest the run
# has), each point the median of the rounds.  Through the engine of
# scripts/lib.sh: serve.csv is read by `iopaths query` (libcsv), gnuplot gets
# numbers and byte codes only, and the captions' sentences are written here
# from those numbers and the fixed server names, never from the file's text.
set -euf
[ $# -eq 2 ] || { echo "usage: scripts/serve/plots.sh RUN_DIR OUT_DIR" >&2; exit 2; }
run=${1%/} out=$2
case $run in -*) run=./$run ;; esac
case $out in -*) out=./$out ;; esac
here=$(cd "$(dirname "$0")/.." && pwd)
iopaths=${IOPATHS:-build/iopaths}
prog=bench-serve
# shellcheck source=scripts/lib.sh
. "$here/lib.sh"

[ -x "$iopaths" ] || die "$iopaths is missing: run make"
csv=$run/serve.csv
for f in "$csv" "$run/meta.csv"; do [ -f "$f" ] || die "$run has no ${f##*/}: not a finished bench-serve run"; done
columns="file_bytes requests_per_s mibps server_cpu_ms_per_mib server_cpu_us_per_request lat_p99_us"
err_columns="" series_keys="label"
# shellcheck disable=SC2086 # plain words
check_table "$csv" server connections $columns
check_table "$run/meta.csv" key value
meta() { "$iopaths" query "$run/meta.csv" value key="$1" </dev/null 2>/dev/null | head -n 1 | grep . || echo "?"; }

# The connection count drawn: FIGURE_CONNS when the run has it, else its largest.
q connections | awk '$1 ~ /^[0-9]+$/ && length($1) < 10' | sort -n | uniq_lines >"$scratch/conns"
[ -s "$scratch/conns" ] || die "$csv has no connection count"
conns=$(tail -n 1 "$scratch/conns")
if grep -qx "${FIGURE_CONNS:-16}" "$scratch/conns"; then conns=${FIGURE_CONNS:-16}; fi

# One series per server, in this order; colours: the strategy's own (style.gp),
# nginx black and brown, dashed, open marks.
servers="iopaths-read-write iopaths-mmap-send iopaths-sendfile iopaths-splice nginx-sendfile-on nginx-sendfile-off"
lt_server() {
	case $1 in
	iopaths-read-write) echo 6 ;; iopaths-mmap-send) echo 7 ;; iopaths-sendfile) echo 8 ;; iopaths-splice) echo 9 ;;
	nginx-sendfile-on) echo 5 ;; *) echo 10 ;;
	esac
}
drawn=""
for s in $servers; do
	q file_bytes server="$s" connections="$conns" >"$scratch/rows.file_bytes"
	[ -s "$scratch/rows.file_bytes" ] || continue
	nseries=$((nseries + 1))
	sd=$scratch/s$nseries
	mkdir "$sd"
	printf '%s' "$s" >"$sd/key.label"
	# per file size (ascending), the median of its rows; NaN for what is not a number
	for col in $columns; do
		q "$col" server="$s" connections="$conns" | paste -d ' ' "$scratch/rows.file_bytes" - |
			awk '$1 ~ /^[0-9]+$/ && length($1) < 19 {
				v = ($2 ~ /^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$/ && length($2) < 40) ? $2 + 0 : "NaN"
				if (!($1 in n)) order[++sizes] = $1
				if (v != "NaN") x[$1, ++n[$1]] = v; else n[$1] += 0 }
			END { for (i = 1; i <= sizes; i++) for (j = i + 1; j <= sizes; j++) if (order[j] + 0 < order[i] + 0) { t = order[i]; order[i] = order[j]; order[j] = t }
				for (i = 1; i <= sizes; i++) { b = order[i]; m = n[b]
					for (a = 1; a <= m; a++) for (c = a + 1; c <= m; c++) if (x[b, c] < x[b, a]) { t = x[b, a]; x[b, a] = x[b, c]; x[b, c] = t }
					print m == 0 ? "NaN" : m % 2 ? x[b, (m + 1) / 2] : (x[b, m / 2] + x[b, m / 2 + 1]) / 2 } }' >"$sd/$col"
	done
	awk '$1 ~ /^[0-9]+$/ && length($1) < 19' "$scratch/rows.file_bytes" | sort -n | uniq_lines >"$sd/file_bytes"
	labels="$labels, \"$(codes "$s")\"" lts="$lts, $(lt_server "$s")"
	case $s in nginx-*) dts="$dts, 2" variants="$variants, 1" ;; *) dts="$dts, 1" variants="$variants, 0" ;; esac
	drawn="$drawn $s"
done
[ "$nseries" -gt 0 ] || die "$csv has no row of a known server at $conns connections"
for i in $(seq "$nseries"); do cat "$scratch/s$i/file_bytes"; done >"$scratch/all_sizes"
sizes=$(sizes_of "$scratch/all_sizes")
[ -n "$sizes" ] || die "$csv has no file size above 0"
when=$(meta date)
# Short enough for a slide's one line; the rounds are in the axis labels and captions.
subtitle=$(printf '%s, kernel %s, wrk %s connections, %s' "$(meta hostname)" "$(meta kernel_release)" \
	"$conns" "$(printf '%s' "$when" | sed 's/^\([0-9-]*\)T\([0-9][0-9]:[0-9][0-9]\).*/\1 \2/')")
{
	echo "nseries = $nseries"
	echo "array label_codes[$nseries] = [${labels#, }]"
	echo "array lt_of[$nseries] = [${lts#, }]"
	echo "array dt_of[$nseries] = [${dts#, }]"
	echo "array variant_of[$nseries] = [${variants#, }]"
	echo "sizes = \"$sizes\""
	echo "size_small = ${sizes%% *}"
	echo "size_largest = ${sizes##* }"
	echo "conns = $conns"
	echo "subtitle_codes = \"$(codes "$subtitle")\""
} >"$scratch/common.gp"

# The captions' sentences: from the medians (numbers only) and the fixed
# names of the servers drawn, at every size.
# say COLUMN BEST(max|min) UNIT: "At 64K the most ... : NAME (N UNIT); iopaths-sendfile N against nginx-sendfile-on N (R x)."
say() {
	for i in $(seq "$nseries"); do
		paste -d ' ' "$scratch/s$i/file_bytes" "$scratch/s$i/$1" | sed "s/^/$i /"
	done | awk -v names="$drawn" -v best="$2" -v unit="$3" -v what="$4" -v conns="$conns" '
		function size_name(b) { return b % 1048576 == 0 ? (b / 1048576) "M" : b % 1024 == 0 ? (b / 1024) "K" : b " B" }
		function num(v) { return v >= 100 ? sprintf("%.0f", v) : v >= 1 ? sprintf("%.3g", v) : sprintf("%.2g", v) }
		BEGIN { split(names, name, " ") }
		$3 != "NaN" { v[$2, name[$1]] = $3; if (!($2 in seen)) { seen[$2] = 1; order[++n] = $2 }
			if (!(($2) in top) || (best == "max" ? $3 > top[$2] : $3 < top[$2])) { top[$2] = $3; who[$2] = name[$1] } }
		END {
			for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (order[j] + 0 < order[i] + 0) { t = order[i]; order[i] = order[j]; order[j] = t }
			printf "Measured in this run, %d connections, medians:", conns
			for (i = 1; i <= n; i++) { b = order[i]
				printf " at %s %s %s (%s %s)", size_name(b), what, who[b], num(top[b]), unit
				if ((b, "iopaths-sendfile") in v && (b, "nginx-sendfile-on") in v && v[b, "nginx-sendfile-on"] > 0)
					printf ", iopaths-sendfile %s against nginx-sendfile-on %s (%.2f x)", num(v[b, "iopaths-sendfile"]),
						num(v[b, "nginx-sendfile-on"]), v[b, "iopaths-sendfile"] / v[b, "nginx-sendfile-on"]
				printf "%s", i < n ? ";" : "." }
		}'
}
figure_says() { # replaces lib.sh's (iopaths caption reads summary.csv, not serve.csv)
	case $(figure_name "$1") in
	requests) say requests_per_s max "requests/s" "the most requests/s:" ;;
	cpu) say server_cpu_ms_per_mib min "ms per MiB" "the least server CPU per MiB:" ;;
	*) printf '%s %s' "$(say requests_per_s max "requests/s" "the most requests/s:")" \
		"$(say server_cpu_ms_per_mib min "ms per MiB" "the least server CPU per MiB:")" ;;
	esac
}

if [ -L "$out" ]; then die "$out is a symbolic link; not writing through it"; fi
mkdir -p -- "$out/lecture"
status=0
draw_figures "$out" "$here/serve/figures" || status=1
figure_style=$here/gnuplot/slide.gp
draw_figures "$out/lecture" "$here/serve/lecture" || status=1
[ "$status" = 0 ] || exit 1
echo "$prog: figures in $out/ and $out/lecture/, at $conns connections"
