# Shared by plots.sh and compare.sh (sourced, not run).  The caller sets
# $iopaths (the binary) and $here (the scripts folder).
# shellcheck shell=sh disable=SC2154
: "${iopaths:?lib.sh: set iopaths first}" "${here:?lib.sh: set here first}"

uniq_lines() { awk 'NF && !seen[$0]++'; }
any_positive() { awk 'NF && $1 + 0 > 0 { found = 1 } END { exit !found }'; }
words() { tr '\n' ' ' | sed 's/ *$//'; }

# The strategies in `iopaths list` order: their colours in every figure.
strategy_names() { "$iopaths" list | awk 'NR == 1 { next } NF == 0 { exit } { print $1 }' | words; }

# gnuplot commands for the size axis, from byte counts on stdin: one tic per
# size ("4K" 4096, ...) and a range around them (a single size is no empty range).
size_axis() {
	sort -n | uniq_lines | awk '$1 > 0 { b = $1; i = 1; split("B K M G", u, " ")
		while (b >= 1024 && b % 1024 == 0 && i < 4) { b /= 1024; i++ }
		printf "%s\\\"%d%s\\\" %s", n++ ? ", " : "set xtics (", b, (i == 1 ? " B" : u[i]), $1
		if (!lo) lo = $1; hi = $1 } END { printf "); set xrange [%s:%s]", lo / 1.4, hi * 1.4 }'
}

# render FIG OUT_DIR CSV SERIES: FIG as PNG, SVG and PDF; any word gnuplot
# prints (a warning included) is a failure.
render() {
	render_log=$(mktemp)
	render_status=0
	for fmt in png svg pdf; do
		gnuplot -e "fmt='$fmt'; out='$2/$1.$fmt'; csv='$3'; script_dir='$here/gnuplot'" \
			"$4" "$here/gnuplot/$1.gp" >"$render_log" 2>&1 || render_status=1
		if [ -s "$render_log" ]; then
			echo "gnuplot said, drawing $2/$1.$fmt:" >&2
			cat "$render_log" >&2
			render_status=1
		fi
	done
	rm -f "$render_log"
	return "$render_status"
}
