# Shared by plots.sh and compare.sh (sourced, not run).  The caller sets
# $iopaths (the binary), $here (the scripts folder) and $prog (its name in
# messages).
#
# Results folders are passed between machines and people, so nothing read
# from one (labels, host names, run and folder names, numbers) is ever pasted
# into gnuplot or shell program text.  gnuplot gets two files: series.dat, a
# table of numbers only (awk turns anything else into NaN), and series.gp,
# assignments whose values are numbers or strings of letters, digits, spaces
# and ._- ; text from the results travels in series.gp as its decimal byte
# codes ("104 111 115 116") and style.gp turns it back into a string.  Inside
# such a string nothing is special to gnuplot: no quote to end it, no
# backslash escape, no backquote command, no @ macro, no line break.
# gp_text_check refuses to draw if series.gp holds anything else.
# shellcheck shell=sh disable=SC2154
: "${iopaths:?lib.sh: set iopaths first}" "${here:?lib.sh: set here first}" "${prog:?lib.sh: set prog first}"

# One line, status 2, and nothing left behind: $made_out, when set, is a
# folder made for this run alone (compare.sh: the one `iopaths compare` made).
die() {
	printf 'iopaths: %s: %s\n' "$prog" "$*" >&2
	[ -z "${made_out:-}" ] || rm -rf -- "$made_out"
	exit 2
}

uniq_lines() { awk 'NF && !seen[$0]++'; }
words() { tr '\n' ' ' | sed 's/ *$//'; }

# The strategies in `iopaths list` order: their colours in every figure.
strategy_names() { "$iopaths" list | awk 'NR == 1 { next } NF == 0 { exit } { print $1 }' | words; }

# A label's colour: its strategy's place in `iopaths list` (16 when unknown);
# its dash: the variant.  The label is only ever the subject of a match here.
lt_for() {
	base=${1%%\[*} n=0 i=0
	for s in $strategies; do
		i=$((i + 1))
		[ "$s" = "$base" ] && n=$i
	done
	[ "$n" -gt 0 ] && echo $(((n - 1) % 16 + 1)) || echo 16
}
dt_for() {
	case $1 in
	*fsync*) echo 2 ;; *async*) echo 3 ;; *none*) echo 4 ;; *sync*) echo 5 ;; *) echo 1 ;;
	esac
}

# Text as its decimal byte codes: "ab" -> "97 98".
codes() { printf '%s' "$1" | od -An -v -tu1 | words | sed 's/^ *//; s/  */ /g'; }

# Each line of stdin as a number for series.dat, NaN when it is not one.
numbers() {
	awk '{ print ($0 ~ /^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$/ && length($0) < 40) ? $0 : "NaN" }'
}

# Does column $1 of the table on stdin hold a value above 0?
col_positive() { awk -v c="$1" '$c ~ /^[0-9]/ && $c + 0 > 0 { found = 1 } END { exit !found }'; }

# check_table CSV COLUMN...: CSV is a table with rows and these columns, or
# one line on stderr and exit 2.
check_table() {
	table=$1
	shift
	for col in "$@"; do
		rc=0
		"$iopaths" query "$table" "$col" >/dev/null 2>"$scratch/query.err" </dev/null || rc=$?
		case $rc in
		0) ;;
		1) die "$table has no rows" ;;
		*) die "$table is not an iopaths table: $(sed -n '1s/^iopaths: query: //p' "$scratch/query.err")" ;;
		esac
	done
}

# The byte sizes (positive integers) in column 1 of series.dat, ascending.
sizes_of() { awk '$1 ~ /^[0-9]+$/ && length($1) < 19 && $1 > 0 { print $1 }' "$1" | sort -n | uniq_lines | words; }

# gp_text_check FILE: every line is `name = VALUE` or `array name[N] = [VALUE, ...]`,
# each VALUE a number or a string of [A-Za-z0-9 ._-].  Anything else is refused.
gp_text_check() {
	value='(-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?|"[A-Za-z0-9 ._-]*")'
	if LC_ALL=C grep -Evx -e "[a-z][a-z0-9_]* = $value" \
		-e "array [a-z][a-z0-9_]*\[[0-9]+\] = \[$value(, $value)*\]" "$1" >/dev/null; then
		die "internal error: $1 holds more than numbers and plain words; not drawing"
	fi
}

# out_dir_check DIR: DIR is a real directory (not a symbolic link), owned by
# this user or root and not writable by others unless sticky (the policy of
# harness/outfile.c), or one line and exit 2.
out_dir_check() {
	[ ! -L "$1" ] || die "$1 is a symbolic link; not writing through it"
	[ -d "$1" ] || die "$1 is not a directory"
	set -- "$1" "$(stat -c '%u %a' -- "$1")"
	owner=${2% *} mode=${2#* }
	[ "$owner" = "$(id -u)" ] || [ "$owner" = 0 ] || die "$1 belongs to another user; not writing into it"
	[ $((0$mode & 2)) -eq 0 ] || [ $((0$mode & 01000)) -ne 0 ] || die "$1 is writable by anyone; not writing into it"
}

# render OUT_DIR FIG...: each FIG as PNG, SVG and PDF.  gnuplot runs in the
# scratch folder (it reads series.gp and series.dat there) and writes to its
# stdout, into a folder made here inside OUT_DIR (so on its filesystem); each
# finished file is then renamed into OUT_DIR, replacing whatever stood at
# that name (a planted symbolic link included) without writing through it.
# Any word gnuplot prints, a warning included, is a failure.
render() {
	render_out=$1
	shift
	out_dir_check "$render_out"
	gp_text_check "$scratch/series.gp"
	render_dir=$(mktemp -d "$render_out/.render-XXXXXX")
	render_status=0
	for fig in "$@"; do
		for fmt in png svg pdf; do
			rc=0
			(cd "$scratch" && exec gnuplot -e "fmt = '$fmt'" series.gp "$here/gnuplot/style.gp" \
				"$here/gnuplot/$fig.gp") >"$render_dir/$fig.$fmt" 2>"$scratch/gnuplot.log" || rc=$?
			if [ "$rc" -ne 0 ] || [ -s "$scratch/gnuplot.log" ]; then
				echo "gnuplot said, drawing $render_out/$fig.$fmt:" >&2
				cat "$scratch/gnuplot.log" >&2
				render_status=1
			else
				mv -fT -- "$render_dir/$fig.$fmt" "$render_out/$fig.$fmt"
			fi
		done
	done
	rm -rf -- "$render_dir"
	render_dir=
	return "$render_status"
}

# The scratch folder (series.gp, series.dat, logs) and the render folder go
# on exit, whatever the reason.
scratch=$(mktemp -d)
render_dir=
trap 'rm -rf -- "$scratch" ${render_dir:+"$render_dir"}' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
