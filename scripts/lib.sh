# Shared by plots.sh and compare.sh (sourced, not run).  The caller sets
# $iopaths (the binary), $here (the scripts folder) and $prog (its name in
# messages).
#
# Results folders are passed between machines and people, so nothing read
# from one (labels, host names, run and folder names, numbers) is ever pasted
# into gnuplot or shell program text.  gnuplot gets two files, made for each
# figure: series.dat, a table of numbers only (awk turns anything else into
# NaN), and series.gp, assignments whose values are numbers or strings of
# letters, digits, spaces and ._- ; text from the results travels in
# series.gp as its decimal byte codes ("104 111 115 116") and style.gp turns
# it back into a string.  Inside such a string nothing is special to
# gnuplot: no quote to end it, no backslash escape, no backquote command, no
# @ macro, no line break.
# gp_text_ok refuses to draw a figure whose series.gp holds anything else.
# A number awk cannot hold (beyond +-1e300: 1e999 is inf to it) is NaN in
# series.dat, and a label longer than label_max bytes is cut in the keys:
# each said once, in a note (notes_say), and the figure drawn all the same.
# shellcheck shell=sh disable=SC2154
: "${iopaths:?lib.sh: set iopaths first}" "${here:?lib.sh: set here first}" "${prog:?lib.sh: set prog first}"

# One line, status 2, and nothing left behind: $made_out, when set, is a
# folder made for this run alone (compare.sh: the one `iopaths compare` made).
die() {
	# a value quoted in it (a folder's name, a list) holds no line break or
	# terminal control: one line, whatever the value
	printf 'iopaths: %s: %s' "$prog" "$*" | LC_ALL=C tr '\001-\037\177' '[?*]' >&2
	echo >&2
	[ -z "${made_out:-}" ] || rm -rf -- "$made_out"
	exit 2
}

uniq_lines() { awk 'NF && !seen[$0]++'; }
words() { tr '\n' ' ' | sed 's/ *$//'; }

# The strategies in `iopaths list` order: their colours in every figure.
strategy_names() { "$iopaths" list | awk 'NR == 1 { next } NF == 0 { exit } { print $1 }' | words; }

# A label's colour: its strategy's place in `iopaths list` (16 when unknown);
# its variant (the [...] of the label): 0 for none, else a number, the same
# for a variant in every figure of a run (fsync and msync fixed, others such
# as pipe_size in the order first seen); its dash: 1 + the variant.  The
# label is only ever the subject of a match here.  style.gp holds the table
# of colours and marks (a variant keeps the colour, changes mark and dash).
lt_for() {
	base=${1%%\[*} n=0 i=0
	for s in $strategies; do
		i=$((i + 1))
		[ "$s" = "$base" ] && n=$i
	done
	[ "$n" -gt 0 ] && echo $(((n - 1) % 16 + 1)) || echo 16
}
variant_for() {
	case $1 in
	*\[*fsync*) echo 1 ;; *\[*msync=sync*) echo 1 ;; *\[*msync=async*) echo 2 ;; *\[*msync=none*) echo 3 ;;
	*\[*) # others: their place among the variants of the strategy seen so far
		printf '%s\n' "$1" >>"$scratch/variants"
		label=$1 awk 'BEGIN { label = ENVIRON["label"]; base = substr(label, 1, index(label, "[")) }
			substr($0, 1, length(base)) == base && !seen[$0]++ { n++ }
			$0 == label { exit } END { print (n - 1) % 6 + 1 }' "$scratch/variants" ;;
	*) echo 0 ;;
	esac
}
dt_for() { echo $(($(variant_for "$1") + 1)); }

# Text as its decimal byte codes: "ab" -> "97 98".
codes() { printf '%s' "$1" | od -An -v -tu1 | words | sed 's/^ *//; s/  */ /g'; }

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

# The byte sizes (positive integers) in column 1 of file $1, ascending.
sizes_of() { awk '$1 ~ /^[0-9]+$/ && length($1) < 19 && $1 > 0 { print $1 }' "$1" | sort -n | uniq_lines | words; }

# gp_text_ok FILE: every line is `name = VALUE` or `array name[N] = [VALUE, ...]`,
# each VALUE a number or a string of [A-Za-z0-9 ._-].  False for anything else.
gp_text_ok() {
	value='(-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?|"[A-Za-z0-9 ._-]*")'
	! LC_ALL=C grep -Evx -e "[a-z][a-z0-9_]* = $value" \
		-e "array [a-z][a-z0-9_]*\[[0-9]+\] = \[$value(, $value)*\]" "$1" >/dev/null
}

# An awk filter: each line a number it can draw, or NaN; a number out of
# range (beyond +-1e300, or nearer 0 than 1e-300 but not 0) is NaN and its
# column ($1) goes into the notes.
num_filter() {
	awk -v col="$1" -v notes="$scratch/notes.range" '{
		ok = $0 ~ /^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$/ && length($0) < 40
		if (ok) { v = $0 + 0; if (v < 0) v = -v; if (v > 1e300 || (v < 1e-300 && v != 0)) { ok = 0; print col >>notes } }
		print ok ? $0 : "NaN" }'
}

# key_text LABEL: the label as a figure's key shows it: whole up to
# label_max bytes, else cut (no UTF-8 character split) with "..." and noted.
label_max=72
key_text() {
	if [ "${#1}" -le "$label_max" ]; then
		printf '%s' "$1"
		return 0
	fi
	echo cut >>"$scratch/notes.cut"
	printf '%s' "$1" | head -c $((label_max - 3)) | LC_ALL=C sed 's/[\xc0-\xff][\x80-\xbf]*$//'
	printf '...'
}

# notes_say: the notes gathered so far, one line each, once.
notes_say() {
	if [ -s "$scratch/notes.range" ]; then
		echo "$prog: note: a value of $(sort -u "$scratch/notes.range" | words) is out of the range a figure can draw (beyond 1e300): left out of the figures"
		: >"$scratch/notes.range"
	fi
	if [ -s "$scratch/notes.cut" ]; then
		echo "$prog: note: a label longer than $label_max bytes is cut in the figures' keys (the page's tables have it whole)"
		: >"$scratch/notes.cut"
	fi
}

# out_dir_check DIR: DIR is a real directory (not a symbolic link), owned by
# this user or root and not writable by others unless sticky (the policy of
# harness/lib/outfile.c), or one line and exit 2.
out_dir_check() {
	[ ! -L "$1" ] || die "$1 is a symbolic link; not writing through it"
	[ -d "$1" ] || die "$1 is not a directory"
	set -- "$1" "$(stat -c '%u %a' -- "$1")"
	owner=${2% *} mode=${2#* }
	[ "$owner" = "$(id -u)" ] || [ "$owner" = 0 ] || die "$1 belongs to another user; not writing into it"
	[ $((0$mode & 2)) -eq 0 ] || [ $((0$mode & 01000)) -ne 0 ] || die "$1 is writable by anyone; not writing into it"
}

# ---- Figures: one file per figure, found by listing a folder ----------------
# A figure is a gnuplot script named NN-NAME.gp (NN orders them; NAME.png,
# .svg and .pdf are drawn), whose header, the `# key: value` lines at its top
# (a line `#   more` continues one), says all that is drawn from the run:
#   title:    its heading on the page        caption: what to look for in it
#   columns:  the columns of its series.dat, in this order: $1, $2, ...
#   list:     NAME FILTER...: gnuplot's NAME holds the numbers of the series
#             that pass every filter (" 3 7 9"); {DIM} in NAME (a key of the
#             series: cache, sink, ...) makes one list per value of DIM
#   needs:    NAME: drawn only when a list NAME (of any panel) is not empty
#   skipped:  what the page says when it is not drawn
#   says:     arguments of `iopaths caption` (words of [-a-z0-9_=,.<>[]]): a
#             paragraph written from the run, put before the caption in
#             figures.csv; one paragraph per says: line
#   textbook: the textbook's expectation in words, for the says: line that
#             has --expect (its --textbook)
# A filter says what the series must have in some row: COL>NUMBER, COL=VALUE
# or COL!=VALUE (a key of the series is its own value; COL=A|B: one of
# them; COL=A|: A, or empty, as another strategy's option is), at=small (a row at
# size_small: 1 MiB, or the smallest size) or at=largest; hot-and-cold: the
# same series, but for its cache state, passes the other filters hot and cold.
# COL>NUMBER is for columns, the other filters for columns and keys alike.
# Every figure also gets what series_gp writes.

# The figure files of folder $1, in the order of their names.
figure_files() { find "$1" -maxdepth 1 -type f -name '[0-9]*-*.gp' | LC_ALL=C sort; }
figure_name() { basename -- "$1" .gp | sed 's/^[0-9]*-//'; }

# figure_decls FILE: its header as one line per declaration, "key value", a
# continued line joined with a space; status 2 for a key it does not know, or
# without a title, caption or columns.
figure_decls() {
	awk '
		/^# [a-z]+: / {
			key = substr($2, 1, length($2) - 1)
			if (index(" title caption columns list needs skipped says textbook ", " " key " ") == 0) { bad = key; exit }
			if (line != "") print line
			line = key " " substr($0, length($2) + 4)
			next
		}
		/^#   *[^ ]/ && line != "" { sub(/^# +/, ""); line = line " " $0; next }
		{ exit }
		END { if (bad == "" && line != "") print line; exit (bad != "") }
	' "$1" >"$scratch/decls" || die "internal error: $1 declares a key it does not know"
	for key in title caption columns; do
		grep -q "^$key " "$scratch/decls" || die "internal error: $1 has no $key"
	done
	figure_name "$1" | LC_ALL=C grep -qx '[a-z0-9][a-z0-9-]*' ||
		die "internal error: $1: a figure's name is lower case letters, digits and -"
	decl list >"$scratch/decl_lists"
	while read -r name filters; do
		case $name in '' | *[!a-z0-9_{}]*) die "internal error: $1: a list's name is [a-z0-9_] and {KEY}: '$name'" ;; esac
		for filter in $filters; do
			case $filter in
			hot-and-cold | at=small | at=largest | [a-z]*'>'[0-9]* | [a-z]*!=?* | [a-z]*=?*) ;;
			*) die "internal error: $1: a filter it does not know: $filter" ;;
			esac
		done
	done <"$scratch/decl_lists"
	! decl says | LC_ALL=C grep -q '[^][a-z0-9_=,.<> -]' ||
		die "internal error: $1: a says: line holds more than [-a-z0-9_=,.<>[]] and spaces"
}
decl() { sed -n "s/^$1 //p" "$scratch/decls"; }

# series_columns FOLDER...: $columns, every column that the figures of these
# folders draw or filter on (file_bytes first), once; the keys of the series
# left out.  Every figure's declarations are checked here, before anything
# is drawn.
series_columns() {
	echo file_bytes >"$scratch/columns"
	for folder in "$@"; do
		figure_files "$folder" >"$scratch/figure_files"
		while IFS= read -r file; do
			figure_decls "$file"
			decl columns | tr ' ' '\n' >>"$scratch/columns"
			decl list | cut -d' ' -f2- | tr ' ' '\n' | sed -n 's/^\([a-z_][a-z0-9_]*\)!*[=>].*/\1/p' >>"$scratch/columns"
		done <"$scratch/figure_files"
	done
	columns=$(awk -v keys=" $series_keys at " 'index(keys, " " $0 " ") == 0' "$scratch/columns" | uniq_lines | words)
	# COL_err_lo and COL_err_hi are made here (err_columns), from columns queried.
	err_columns=$(echo "$columns" | tr ' ' '\n' | grep -E '^[a-z][a-z0-9_]*_err_(lo|hi)$' | words)
	for col in $err_columns; do
		base=${col%_err_*}
		columns="$columns ${base}_ci_lo ${base}_ci_hi ${base}_min ${base}_max ci_coverage n"
	done
	columns=$(echo "$columns" | tr ' ' '\n' | grep -vE '_err_(lo|hi)$' | uniq_lines | words)
}

# q COLUMN [COL=VALUE...]: that column of $csv, in the rows with those values.
q() { "$iopaths" query "$csv" "$@" </dev/null || true; }

# series_add KEY=VALUE... label=LABEL: a new series, number $nseries: the rows
# of $csv with these values (the keys), each of $columns queried into
# $scratch/s<n>/ as written (raw.COL) and as numbers (COL: NaN for what is not
# a number, so series.dat holds only numbers).
nseries=0 labels="" lts="" dts="" variants="" err_ci="" n_lo="" n_hi=""
series_add() {
	nseries=$((nseries + 1))
	sd=$scratch/s$nseries
	mkdir "$sd"
	for key in "$@"; do printf '%s' "${key#*=}" >"$sd/key.${key%%=*}"; done
	for col in $columns; do q "$col" "$@" >"$sd/raw.$col"; done
	if [ -n "${subset_bytes:-}" ] && ! rows_at_sizes "$sd"; then # SIZES=: none of its rows
		rm -rf -- "$sd"
		nseries=$((nseries - 1))
		return 1
	fi
	# A label with a line break comes back from `query label` in pieces that
	# match no row; a value with one makes one column longer than another.
	set --
	for col in $columns; do set -- "$@" "raw.$col"; done
	rc=0
	(cd "$sd" && awk -v columns="$columns" -v notes="$scratch/notes.range" '
		FNR == 1 { out = substr(FILENAME, 5) }
		{
			rows[out]++
			ok = $0 ~ /^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$/ && length($0) < 40
			if (ok) { v = $0 + 0; if (v < 0) v = -v; if (v > 1e300 || (v < 1e-300 && v != 0)) { ok = 0; print out >>notes } }
			print ok ? $0 : "NaN" > out
		}
		END { n = split(columns, c, " "); for (i = 1; i <= n; i++) if (rows[c[i]] != rows["file_bytes"]) exit 4
		      exit rows["file_bytes"] ? 0 : 3 }
	' "$@") || rc=$?
	[ "$rc" -ne 3 ] || die "$csv has a label with a line break in it; not drawing"
	[ "$rc" -eq 0 ] || die "$csv has a value with a line break in it; not drawing"
	label=$(cat "$sd/key.label")
	lts="$lts, $(lt_for "$label")" dts="$dts, $(dt_for "$label")" labels="$labels, \"$(codes "$(key_text "$label")")\""
	variants="$variants, $(variant_for "$label")"
	err_bars "$sd"
	for col in $columns; do # a 0/1 column (persisted_all, ...): 1 or 0 in every row, -1 mixed, -2 none
		case $col in *_all) awk '$1 == 0 || $1 == 1 { v[$1] = 1 }
			END { print v[0] && v[1] ? -1 : v[1] ? 1 : v[0] ? 0 : -2 }' "$sd/$col" >>"$scratch/all.$col" ;; esac
	done
}
# err_bars DIR: the error bars of series DIR, err_columns: a row's bars are
# the median's confidence interval only when it covers at least 0.9 (n = 2
# gives 0.5), else the row's min and max.  err_ci (1: CI in every row) and
# n_lo, n_hi say which, for the key.
err_bars() {
	[ -n "$err_columns" ] || return 0
	for col in $err_columns; do
		base=${col%_err_*} side=${col##*_}
		bound=max
		[ "$side" = hi ] || bound=min
		paste -d ' ' "$1/ci_coverage" "$1/${base}_ci_$side" "$1/${base}_$bound" |
			awk '{ print ($1 != "NaN" && $1 + 0 >= 0.9) ? $2 : $3 }' >"$1/$col"
	done
	set -- "$(paste -d ' ' "$1/ci_coverage" "$1/n" | awk '
		$2 != "NaN" { lo = lo == "" || $2 + 0 < lo ? $2 + 0 : lo; hi = $2 + 0 > hi ? $2 + 0 : hi }
		!($1 != "NaN" && $1 + 0 >= 0.9) { range = 1 }
		END { printf "%d %d %d", !range, lo, hi }')"
	# shellcheck disable=SC2086 # three numbers
	set -- $1
	err_ci="$err_ci, $1" n_lo="$n_lo, $2" n_hi="$n_hi, $3"
}
# every_key: "N<tab>KEY<tab>VALUE" for every key (of $series_keys) of every
# series; the value is the rest of the line, tabs and all.
every_key() {
	for i in $(seq "$nseries"); do
		for key in $series_keys; do
			IFS= read -r value <"$scratch/s$i/key.$key" || : # no line end
			printf '%s\t%s\t%s\n' "$i" "$key" "$value"
		done
	done
}
# The values of key $1 among the series, in the order first seen.
seen() {
	[ -e "$scratch/seen.$1" ] || every_key | awk -F '\t' -v k="$1" '$2 == k { print substr($0, length($1 $2) + 3) }' | uniq_lines >"$scratch/seen.$1"
	words <"$scratch/seen.$1"
}
# twin_of N: the series with the keys of series N but the other cache state
# (hot or cold).  $scratch/twins pairs them, made once.
twin_of() {
	[ -e "$scratch/twins" ] || every_key | awk -F '\t' '
		$2 == "cache" { cache[$1] = substr($0, length($1 $2) + 3); next }
		{ keys[$1] = keys[$1] "\n" $2 "=" substr($0, length($1 $2) + 3) }
		END { for (a in cache) for (b in cache)
			if (keys[a] == keys[b] && (cache[a] cache[b] == "hotcold" || cache[a] cache[b] == "coldhot")) print a, b }
	' >"$scratch/twins"
	awk -v n="$1" '$1 == n { print $2; found = 1 } END { exit !found }' "$scratch/twins"
}

# series_gp: what every figure gets in series.gp, besides its lists: the
# series' labels, colours and dashes, the sizes, the panels (rows: cache
# states, columns: sinks).  Sets sizes, size_small and size_largest.
series_gp() {
	for i in $(seq "$nseries"); do cat "$scratch/s$i/file_bytes"; done >"$scratch/all_sizes"
	sizes=$(sizes_of "$scratch/all_sizes")
	[ -n "$sizes" ] || die "$csv has no file size above 0"
	size_largest=${sizes##* } size_small=${sizes%% *}
	case " $sizes " in *" 1048576 "*) size_small=1048576 ;; esac
	sinks_of=$(every_key | awk -F '\t' '$2 == "sink" { printf "%s\"%s\"", n++ ? ", " : "", $3 }')
	echo "nseries = $nseries"
	echo "array label_codes[$nseries] = [${labels#, }]"
	echo "array lt_of[$nseries] = [${lts#, }]"
	echo "array dt_of[$nseries] = [${dts#, }]"
	echo "array variant_of[$nseries] = [${variants#, }]"
	if [ -n "$err_columns" ]; then
		echo "array err_ci[$nseries] = [${err_ci#, }]"
		echo "array n_lo[$nseries] = [${n_lo#, }]"
		echo "array n_hi[$nseries] = [${n_hi#, }]"
	fi
	for col in $columns; do
		case $col in *_all) echo "array ${col}_of[$nseries] = [$(paste -sd, "$scratch/all.$col" | sed 's/,/, /g')]" ;; esac
	done
	echo "array sink_of[$nseries] = [$sinks_of]"
	echo "sizes = \"$sizes\""
	echo "size_small = $size_small"
	echo "size_largest = $size_largest"
	echo "panels_rows = \"$(seen cache)\""
	echo "panels_cols = \"$(seen sink)\""
}

# passes N FILTER...: does series N pass every filter?  hot-and-cold asks
# the same of its twin.
passes() {
	passes_plain "$@" || return 1
	case " $* " in *" hot-and-cold "*) ;; *) return 0 ;; esac
	twin=$(twin_of "$1") || return 1
	shift
	passes_plain "$twin" "$@"
}
passes_plain() {
	sd=$scratch/s$1
	shift
	for filter in "$@"; do
		case $filter in
		hot-and-cold) ;;
		at=small) has_size "$size_small" <"$sd/file_bytes" || return 1 ;;
		at=largest) has_size "$size_largest" <"$sd/file_bytes" || return 1 ;;
		*'>'*) awk -v v="${filter#*>}" '$1 ~ /^[0-9]/ && $1 + 0 > v + 0 { found = 1 } END { exit !found }' \
			"$sd/${filter%%>*}" || return 1 ;;
		*!=*) has_value "$sd" "${filter%%!=*}" "${filter#*!=}" -v || return 1 ;;
		*) has_value "$sd" "${filter%%=*}" "${filter#*=}" || return 1 ;; # COL=VALUE (figure_decls)
		esac
	done
}
has_size() { awk -v b="$1" '$1 == b { found = 1 } END { exit !found }'; }
# has_value DIR COL VALUE [-v]: is a key of series DIR that value, or does a
# row of column COL have it (-v: a value other than it)?  VALUE A|B: one of
# them (label=read|mmap-shared).
has_value() {
	case $3 in *'|'*)
		if [ "${4:-}" != -v ]; then
			has_value "$1" "$2" "${3%%|*}" || has_value "$1" "$2" "${3#*|}"
			return
		fi
		;;
	esac
	if [ -e "$1/key.$2" ]; then
		IFS= read -r key_value <"$1/key.$2" || : # no line end
		if [ "${4:-}" = -v ]; then [ "$key_value" != "$3" ]; else [ "$key_value" = "$3" ]; fi
	elif [ "${4:-}" = -v ]; then
		grep -qvxF -- "$3" "$1/raw.$2"
	else
		grep -qxF -- "$3" "$1/raw.$2"
	fi
}

# figure_lists WORK: the lists of the figure whose declarations are read
# (figure_decls), as series.gp lines; each also as WORK/list.NAME.  A {KEY}
# of a list's name takes the values of that key, which must be plain words.
figure_lists() {
	decl list >"$scratch/lists"
	while read -r pattern filters; do
		keys=$(printf '%s' "$pattern" | grep -o '{[a-z_]*}' | tr -d '{}' | words)
		# shellcheck disable=SC2086 # filters: words
		for i in $(seq "$nseries"); do
			passes "$i" $filters || continue
			name=$pattern
			for key in $keys; do
				IFS= read -r value <"$scratch/s$i/key.$key" || : # no line end
				plain_word "$value"
				name=${name%%"{$key}"*}$value${name#*"{$key}"}
			done
			printf ' %s' "$i" >>"$1/list.$name"
		done
		names=$pattern
		for key in $keys; do
			names=$(for value in $(seen "$key"); do for name in $names; do
				echo "${name%%"{$key}"*}$value${name#*"{$key}"}"
			done; done)
		done
		for name in $names; do
			echo "$name" >>"$1/lists"
			echo "$name = \"$(cat "$1/list.$name" 2>/dev/null)\""
		done
	done <"$scratch/lists"
}
plain_word() { case $1 in *[!a-z0-9_]*) die "internal error: a list's name would hold '$1'" ;; esac; }

# figure_needs WORK: is a list that the figure needs (any panel's) not empty?
figure_needs() {
	need=$(decl needs)
	[ -n "$need" ] || return 0
	pattern=$(printf '%s' "$need" | sed 's/{[a-z_]*}/*/g')
	while read -r list; do
		# shellcheck disable=SC2254 # the pattern is one
		case $list in $pattern) [ -s "$1/list.$list" ] && return 0 ;; esac
	done <"$1/lists"
	return 1
}

# figure_data WORK: WORK/series.dat, one block per series, two blank lines
# apart (gnuplot's `index`), one line per row: the figure's columns.
figure_data() {
	data_out=$1/series.dat
	if [ ! -e "$scratch/all.dat" ]; then # every column of every series, once
		for i in $(seq "$nseries"); do
			set --
			for col in $columns $err_columns; do set -- "$@" "$scratch/s$i/$col"; done
			paste -d ' ' "$@"
			printf '\n\n'
		done >"$scratch/all.dat"
	fi
	awk -v all=" $columns $err_columns " -v want="$(decl columns)" '
		BEGIN { n = split(want, w, " "); split(all, a, " "); for (i in a) at[a[i]] = i }
		NF == 0 { print; next }
		{ line = $(at[w[1]]); for (i = 2; i <= n; i++) line = line " " $(at[w[i]]); print line }
	' "$scratch/all.dat" >"$data_out"
}

# One CSV row as libcsv writes it: every field quoted, a quote doubled.
csv_row() {
	sep=
	for field in "$@"; do
		printf '%s"%s"' "$sep" "$(printf '%s' "$field" | sed 's/"/""/g')"
		sep=,
	done
	printf '\n'
}

# draw_figures OUT_DIR FOLDER: every figure of FOLDER whose data the run has,
# as PNG, SVG and PDF, with the lines of $scratch/common.gp (series_gp and
# the caller's) and its lists in series.gp; and OUT_DIR/figures.csv: each
# figure's name, title and caption, whether it was drawn and why not.  A
# figure not drawn gets one line on stdout and leaves no file of its name.
# gnuplot runs in a folder of the figure's own (it reads series.gp and
# series.dat there) and writes to its stdout, into a folder made here inside
# OUT_DIR (so on its filesystem); only when every figure is done are the
# files renamed into OUT_DIR, replacing whatever stood at each name (a
# planted symbolic link included) without writing through it, and
# figures.csv last: a failure or Ctrl-C before leaves OUT_DIR as it was, no
# figure without its figures.csv.  Any word gnuplot prints, a warning
# included, is a failure of that figure alone.  Sets drawn_names.
draw_figures() {
	render_out=$1
	out_dir_check "$render_out"
	render_dir=$(mktemp -d "$render_out/.render-XXXXXX")
	render_status=0 drawn_names=""
	notes_say
	: >"$scratch/commit"
	csv_row figure title caption drawn why_not_drawn >"$render_dir/figures.csv"
	figure_files "$2" >"$scratch/drawing"
	while IFS= read -r file; do
		fig=$(figure_name "$file") why=""
		if ! figure_asked "$fig"; then # FIGURES=: the others stay as drawn
			kept_row "$render_out" "$fig" >>"$render_dir/figures.csv"
			continue
		fi
		figure_decls "$file"
		work=$scratch/fig.$fig
		mkdir "$work"
		{ cat "$scratch/common.gp"; figure_lists "$work"; } >"$work/series.gp"
		if ! figure_needs "$work"; then
			why=$(decl skipped)
			echo "$prog: $fig not drawn: ${why:-its data is not in the run}"
		elif ! gp_text_ok "$work/series.gp"; then
			echo "iopaths: $prog: internal error: $fig: its series.gp holds more than numbers and plain words; not drawn" >&2
			render_status=1 why="its data holds what gnuplot must not be given"
		else
			figure_data "$work"
			for fmt in png svg pdf; do
				rc=0
				(cd "$work" && exec gnuplot -e "fmt = '$fmt'" series.gp "$here/gnuplot/style.gp" ${figure_style:+"$figure_style"} "$file") \
					</dev/null >"$render_dir/$fig.$fmt" 2>"$scratch/gnuplot.log" || rc=$?
				if [ "$rc" -ne 0 ] || [ -s "$scratch/gnuplot.log" ]; then
					echo "gnuplot said, drawing $render_out/$fig.$fmt:" >&2
					cat "$scratch/gnuplot.log" >&2
					render_status=1 why="gnuplot failed"
				fi
			done
		fi
		echo "${why:+not }$fig" >>"$scratch/commit"
		caption=$(decl caption) said=""
		if [ -z "$why" ]; then said=$(figure_says "$file") || exit 2; fi # figure_says said why
		caption=${said:+$said${caption:+ }}$caption
		[ -n "$why" ] || drawn_names="${drawn_names:+$drawn_names,}$fig"
		csv_row "$fig" "$(decl title)" "$caption" "$([ -z "$why" ] && echo 1 || echo 0)" "$why" \
			>>"$render_dir/figures.csv"
	done <"$scratch/drawing"
	while read -r not fig; do
		[ -n "$fig" ] || { fig=$not not=""; }
		for fmt in png svg pdf; do
			if [ -z "$not" ]; then
				mv -fT -- "$render_dir/$fig.$fmt" "$render_out/$fig.$fmt"
			else # nothing stays of an earlier drawing
				rm -f -- "$render_out/$fig.$fmt"
			fi
		done
	done <"$scratch/commit"
	mv -fT -- "$render_dir/figures.csv" "$render_out/figures.csv"
	rm -rf -- "$render_dir"
	render_dir=
	return "$render_status"
}

# ---- Captions written from the run: the says: lines ------------------------
# figure_says FILE: one paragraph per says: line of the figure whose
# declarations are read, from `iopaths caption $caption_run ARGS` (with the
# figure's textbook: line for the one with --expect, and the subset asked
# for), joined by a space; nothing when $caption_run is not set.  A says:
# line whose rows the run lacks (caption's status 1) gives no paragraph: the
# figure keeps its static caption.  Its words are checked by figure_decls,
# and are only ever arguments, never program text.
figure_says() {
	[ -n "${caption_run:-}" ] || return 0
	says_file=$1
	decl says >"$scratch/says"
	textbook=$(decl textbook) paragraphs=""
	while read -r says_args; do
		says_args=$(says_fit "$says_args") || continue
		set --
		case " $says_args " in *" --expect "*) [ -z "$textbook" ] || set -- --textbook "$textbook" ;; esac
		[ -z "${STRATEGIES:-}" ] || set -- "$@" --strategies "$STRATEGIES"
		[ -z "${SINKS:-}" ] || set -- "$@" --sinks "$SINKS"
		[ -z "${SIZES:-}" ] || set -- "$@" --sizes "$SIZES"
		rc=0
		# shellcheck disable=SC2086 # says_args: checked words, globbing off
		paragraph=$("$iopaths" caption "$caption_run" $says_args "$@" </dev/null 2>"$scratch/caption.err") || rc=$?
		case $rc in
		0) paragraphs=${paragraphs:+$paragraphs }$(printf '%s' "$paragraph" | tr '\n' ' ' | sed 's/  */ /g; s/ *$//') ;;
		1) ;;
		*) die "internal error: $says_file: iopaths caption refused says: $says_args: $(head -n 1 "$scratch/caption.err")" ;;
		esac
	done <"$scratch/says"
	printf '%s' "$paragraphs"
}

# says_fit ARGS: the says: arguments for the series this drawing holds (the
# run, narrowed by the subset): --labels keeps the labels drawn (status 1
# when none is), and --expect with its --evidence goes when a label it names
# is not drawn; `iopaths caption` refuses a label it cannot find.
says_fit() {
	seen label >/dev/null
	fit="" flag="" expect_ok=1
	for w in $1; do
		case $flag in
		--labels)
			kept=""
			for l in $(label_items "$w"); do
				if label_drawn "$l"; then kept=${kept:+$kept,}$l; fi
			done
			[ -n "$kept" ] || return 1
			w=$kept
			;;
		--expect)
			for l in "${w%%>*}" "${w#*>}"; do label_drawn "$l" || expect_ok=0; done
			;;
		esac
		fit="$fit $w" flag=$w
	done
	[ "$expect_ok" = 1 ] || fit=$(printf '%s\n' "$fit" | sed 's/ --expect [^ ]*//; s/ --evidence [^ ]*//')
	printf '%s\n' "${fit# }"
}
# label_items LIST: the labels of a comma list, one per line; a comma inside
# [...] is a label's own (mmap-shared[madvise=random,pattern=random]), as
# `iopaths caption` splits --labels.
label_items() {
	printf '%s\n' "$1" | awk '{ depth = 0; item = ""
		for (i = 1; i <= length($0); i++) { c = substr($0, i, 1)
			if (c == "[") depth++; else if (c == "]") depth--
			if (c == "," && depth <= 0) { print item; item = "" } else item = item c }
		print item }'
}
# label_drawn L: is L a label drawn, or the strategy of one (caption takes both)?
label_drawn() { awk -v l="$1" '$0 == l || index($0, l "[") == 1 { found = 1 } END { exit !found }' "$scratch/seen.label"; }

# ---- Subsets: STRATEGIES=, SINKS=, SIZES=, FIGURES= --------------------------
# subset_read FIGURE_FOLDER: checks the subset the caller's environment asks
# for (comma lists; empty: everything) against the strategies `iopaths list`
# knows, the sinks, B/K/M/G sizes as `iopaths run --sizes` takes them and the
# figures of the folder; a name it does not know is bad input (one line,
# status 2).  Sets subset_bytes (" 1048576 16777216 ").
subset_read() {
	# Checked here, not inside $(...), where die would end only a subshell.
	for list in "${STRATEGIES:-}" "${SINKS:-}" "${SIZES:-}" "${FIGURES:-}"; do
		case ",$list," in ,,) continue ;; *,,*) die "an empty item in '$list'" ;; esac
		case $list in *[!A-Za-z0-9._,-]*) die "'$list' is not a comma list of names" ;; esac
	done
	for s in $(subset_words "${STRATEGIES:-}"); do
		case " $strategies " in *" $s "*) ;; *) die "STRATEGIES: no strategy is called '$s' (iopaths list)" ;; esac
	done
	for k in $(subset_words "${SINKS:-}"); do
		case " $all_sinks " in *" $k "*) ;; *) die "SINKS: no sink is called '$k' (sinks: $all_sinks)" ;; esac
	done
	known_figures=$(figure_files "$1" | while IFS= read -r file; do figure_name "$file"; done | words)
	for f in $(subset_words "${FIGURES:-}"); do
		case " $known_figures " in *" $f "*) ;; *) die "FIGURES: no figure is called '$f' (figures: $known_figures)" ;; esac
	done
	subset_bytes=""
	for z in $(subset_words "${SIZES:-}"); do
		# at most 12 digits, 9 with G: the bytes stay inside the shell's 64-bit arithmetic
		printf '%s\n' "$z" | LC_ALL=C grep -Eqx '0*([1-9][0-9]{0,11}[BbKkMm]?|[1-9][0-9]{0,8}[Gg])' ||
			die "SIZES: '$z' is not a size above 0 (digits and B, K, M or G)"
		subset_bytes="$subset_bytes $(size_bytes "$z")"
	done
	subset_bytes=${subset_bytes:+$subset_bytes }
	subset_figures=${FIGURES:-}
}
all_sinks="process unix tcp file null"
# The items of a comma list (checked by subset_read), one per line.
subset_words() { [ -z "$1" ] || printf '%s\n' "$1" | tr ',' '\n'; }
# size_bytes 64K: 65536, as `iopaths run --sizes` reads it (1K = 1024); the
# size is checked by subset_read.
size_bytes() {
	n=$(printf '%s' "$1" | sed 's/[BbKkMmGg]$//; s/^0*//')
	case $1 in *[Kk]) n=$((n * 1024)) ;; *[Mm]) n=$((n * 1048576)) ;; *[Gg]) n=$((n * 1073741824)) ;; esac
	echo "$n"
}
# skip_all OUT_DIR FOLDER WHY: no figure of FOLDER (that FIGURES= asks for)
# is drawn, each with one line and a row of OUT_DIR/figures.csv saying why.
skip_all() {
	out_dir_check "$1"
	render_dir=$(mktemp -d "$1/.render-XXXXXX")
	csv_row figure title caption drawn why_not_drawn >"$render_dir/figures.csv"
	figure_files "$2" >"$scratch/drawing"
	while IFS= read -r file; do
		fig=$(figure_name "$file")
		if ! figure_asked "$fig"; then
			kept_row "$1" "$fig" >>"$render_dir/figures.csv"
			continue
		fi
		rm -f -- "$1/$fig.png" "$1/$fig.svg" "$1/$fig.pdf"
		figure_decls "$file"
		echo "$prog: $fig not drawn: $3"
		csv_row "$fig" "$(decl title)" "$(decl caption)" 0 "$3" >>"$render_dir/figures.csv"
	done <"$scratch/drawing"
	mv -fT -- "$render_dir/figures.csv" "$1/figures.csv"
	rm -rf -- "$render_dir"
	render_dir=
}
# subset_keeps SINK LABEL: is a series of this sink and label in the subset?
# A label's strategy is its part before '['.
subset_keeps() {
	[ -z "${SINKS:-}" ] || case ",$SINKS," in *",$1,"*) ;; *) return 1 ;; esac
	[ -z "${STRATEGIES:-}" ] || case ",$STRATEGIES," in *",${2%%\[*},"*) ;; *) return 1 ;; esac
}
# rows_at_sizes DIR: keeps, in every raw.COL of series DIR, the rows whose
# file_bytes is in subset_bytes; false when none is.
rows_at_sizes() {
	awk -v keep="$subset_bytes" 'index(keep, " " $0 " ") { print NR }' "$1/raw.file_bytes" >"$1/keep"
	[ -s "$1/keep" ] || return 1
	for col in $columns; do
		awk 'NR == FNR { keep[$0] = 1; next } FNR in keep' "$1/keep" "$1/raw.$col" >"$1/kept" && mv -f -- "$1/kept" "$1/raw.$col"
	done
}
# kept_row OUT_DIR FIGURE: the row of FIGURE in OUT_DIR/figures.csv as it
# is (a figure FIGURES= did not ask for keeps its files and its row), or
# nothing when there is none, or its files are gone.
kept_row() {
	[ -f "$1/figures.csv" ] && [ ! -L "$1/figures.csv" ] || return 0
	"$iopaths" query "$1/figures.csv" figure figure="$2" </dev/null >/dev/null 2>&1 || return 0
	set -- "$1" "$2" "$("$iopaths" query "$1/figures.csv" drawn figure="$2" </dev/null | head -n 1)"
	if [ "$3" = 1 ]; then
		for fmt in png svg pdf; do [ -s "$1/$2.$fmt" ] || return 0; done
	fi
	csv_row "$2" "$(kept_field "$1" "$2" title)" "$(kept_field "$1" "$2" caption)" "$3" \
		"$(kept_field "$1" "$2" why_not_drawn)"
}
kept_field() { "$iopaths" query "$1/figures.csv" "$3" figure="$2" </dev/null | head -n 1; }
# figure_asked NAME: does FIGURES= ask for figure NAME (every figure when it
# is empty, or subset_read was not called)?
figure_asked() {
	[ -z "${subset_figures:-}" ] && return 0
	case ",$subset_figures," in *",$1,"*) return 0 ;; esac
	return 1
}

# The scratch folder (series.gp, series.dat, logs) and the render folder go
# on exit, whatever the reason.
scratch=$(mktemp -d)
render_dir=
trap 'rm -rf -- "$scratch" ${render_dir:+"$render_dir"}' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
