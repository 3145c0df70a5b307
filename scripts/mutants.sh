#!/bin/sh
# make mutants: do the tests catch real bugs?  Each line of tests/mutants.txt
# plants one small bug (FILE, ORIGINAL text, REPLACEMENT, NOTE, separated by
# tabs; ORIGINAL must occur exactly once in FILE).  Each is applied alone to
# a scratch copy of the tracked tree (the real tree is never touched), the
# normal test build (not ASan) is run fail-fast, and the mutant is "killed"
# when a test fails or times out, "SURVIVED" when every test passes.
#
# A line whose ORIGINAL is not found exactly once, or whose mutant does not
# build, is an error in the list: reported and counted apart, never killed.
# Exit status: 0 every mutant killed; 1 one survived or the list has errors;
# 2 the unmutated tree fails its own tests (nothing could be judged).
#
# MUTANTS_JOBS=N     mutants at once (default 2, at most the CPU count)
# MUTANTS_ONLY=3,7   only these line numbers of the list (counting mutants)
# MUTANTS_TIMEOUT=S  seconds a test binary may run (default 300)
# MUTANTS_TESTS="test_a test_b"  run only these tests, in this order
#
# A test that fails is run once more on the same mutant: a mutant is killed
# only by a test that fails twice.  One that then passes is flaky (shared
# machine, a timing): it is named in the line, and the next tests decide.
set -eu

repo=$(cd "$(dirname "$0")/.." && pwd)
list=${MUTANTS_LIST:-$repo/tests/mutants.txt}
jobs=${MUTANTS_JOBS:-2}
only=${MUTANTS_ONLY:-}
limit=${MUTANTS_TIMEOUT:-300}
cpus=$(nproc 2>/dev/null || echo 1)
[ "$jobs" -ge 1 ] 2>/dev/null || { echo "mutants: MUTANTS_JOBS must be a number >= 1" >&2; exit 2; }
[ "$jobs" -le "$cpus" ] || jobs=$cpus
tab=$(printf '\t')

# Quick tests first, so most mutants die in seconds; test_bench last (its
# bench-fs uses loop devices and mounts: one mutant's at a time).
first="test_units test_stats test_csv test_edges test_strategies test_shortio test_consistency test_fidelity test_cli"
last="test_bench"
tests=""
for t in $first; do
	[ -f "$repo/tests/$t.c" ] && tests="$tests $t"
done
for f in "$repo"/tests/test_*.c; do
	t=$(basename "$f" .c)
	case " $first $last " in *" $t "*) ;; *) tests="$tests $t" ;; esac
done
[ -f "$repo/tests/$last.c" ] && tests="$tests $last"
tests=${MUTANTS_TESTS:-$tests}
targets="build/iopaths build/tests/shortio.so"
for t in $tests; do
	targets="$targets build/tests/$t"
done

scratch=$(mktemp -d "${TMPDIR:-/tmp}/iopaths-mutants-XXXXXX")
# test_datafiles runs the built iopaths as nobody (its EPERM case): it must reach it.
chmod 755 "$scratch"
# A test a mutant makes fail stops before it removes its folders: they go
# here (TMPDIR, IOPATHS_TEST_DATA: tests/helpers.c), removed with the rest.
mkdir "$scratch/tmp"
chmod 1777 "$scratch/tmp"
data=$scratch/tmp # the cache tests evict: a disk filesystem, not tmpfs
case $(findmnt -n -o FSTYPE --target "$scratch" 2>/dev/null || echo unknown) in
tmpfs | ramfs) data=$(mktemp -d /var/tmp/iopaths-mutants-XXXXXX) ;;
esac
workers=""
cleanup() {
	for p in $workers; do
		kill -TERM "$p" 2>/dev/null || true
	done
	wait || true
	rm -rf "$scratch" "$data"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

now() { date +%s; }
duration() { printf '%dm%02ds' $(($1 / 60)) $(($1 % 60)); }

# The list, numbered; each mutant's fields in its own files (text stays text).
n=0
errors=0
: >"$scratch/results"
while IFS= read -r line || [ -n "$line" ]; do
	case $line in '' | '#'*) continue ;; esac
	n=$((n + 1))
	m="$scratch/m/$n"
	mkdir -p "$m"
	printf '%s\n' "$line" | awk -F'\t' -v m="$m" 'NF != 4 { exit 1 }
		{ printf "%s", $1 > (m "/file"); printf "%s", $2 > (m "/orig");
		  printf "%s", $3 > (m "/repl"); printf "%s", $4 > (m "/note") }' || {
		printf '%s\tERROR\tnot 4 tab-separated fields\n' "$n" >>"$scratch/results"
		printf '%s\n' "?" >"$m/file"
		echo "mutants: list line $n: not FILE<tab>ORIGINAL<tab>REPLACEMENT<tab>NOTE" >&2
		errors=$((errors + 1))
		continue
	}
done <"$list"
total=$n
[ "$total" -gt 0 ] || { echo "mutants: $list holds no mutants" >&2; exit 2; }
selected() { [ -z "$only" ] || case ",$only," in *",$1,"*) ;; *) return 1 ;; esac; }

# plant TREE N: apply mutant N in TREE.  Exit 4: the original is not there exactly once.
plant() {
	perl -e '
		my ($path, $orig_file, $repl_file) = @ARGV;
		local $/;
		open(my $o, "<", $orig_file) or exit 3; my $orig = <$o>; close $o;
		open(my $r, "<", $repl_file) or exit 3; my $repl = <$r>; close $r;
		open(my $f, "<", $path) or exit 4; my $text = <$f>; close $f;
		my ($count, $at, $from) = (0, -1, 0);
		while ((my $i = index($text, $orig, $from)) >= 0) { $count++; $at = $i; $from = $i + 1; }
		if ($count != 1) { print STDERR "found $count times\n"; exit 4; }
		substr($text, $at, length $orig) = $repl;
		open($f, ">", $path) or exit 3; print $f $text; close $f or exit 3;
	' "$1/$(cat "$scratch/m/$2/file")" "$scratch/m/$2/orig" "$scratch/m/$2/repl"
}

# Every original must be in the tracked tree exactly once: checked up front.
for i in $(seq 1 "$total"); do
	selected "$i" || continue
	grep -q "^$i$tab" "$scratch/results" && continue
	f=$(cat "$scratch/m/$i/file")
	why=""
	if [ ! -f "$repo/$f" ]; then
		why="no file $f"
	else
		mkdir -p "$scratch/check/$(dirname "$f")"
		cp "$repo/$f" "$scratch/check/$f"
		plant "$scratch/check" "$i" 2>"$scratch/check.err" || why="original text $(cat "$scratch/check.err")"
		rm -rf "$scratch/check"
	fi
	if [ -n "$why" ]; then
		printf '%s\tERROR\t%s\n' "$i" "$why" >>"$scratch/results"
		errors=$((errors + 1))
	fi
done

# The tracked files as they are now (uncommitted edits included), one copy per job.
copy_tree() {
	mkdir -p "$1"
	(cd "$repo" && git ls-files -z) |
		tar -C "$repo" --null -T - --ignore-failed-read -cf - 2>/dev/null | tar -C "$1" -xf -
}

# run_test TREE LOG TEST: 0 passed, 1 failed, 2 timed out.  $child is the
# running test, for the TERM trap.
run_test() {
	lock=""
	[ "$3" = "$last" ] && lock="flock $scratch/bench.lock"
	# shellcheck disable=SC2086 # $lock is a command prefix, or nothing
	(cd "$1" && TMPDIR="$scratch/tmp" IOPATHS_TEST_DATA="$data" IOPATHS_BIN=build/iopaths \
		exec timeout -k 10 "$limit" $lock "build/tests/$3") >"$2" 2>&1 &
	child=$!
	rc=0
	wait "$child" || rc=$?
	child=""
	[ "$rc" -eq 0 ] && return 0
	[ "$rc" -eq 124 ] || [ "$rc" -eq 137 ] && return 2
	return 1
}

# What a failed test said first, on one line.
first_failure() {
	{ grep -m1 -E 'ERROR|error:|Assert|Sanitizer|FAILED' "$1" || tail -1 "$1"; } | tr -s ' \t' ' ' | cut -c1-110
}

# run_tests TREE LOG: fail-fast.  Sets $failed to the first test that failed
# twice and what it said, or to nothing; $flaky to the tests that failed once.
run_tests() {
	failed=""
	flaky=""
	for t in $tests; do
		rc=0
		run_test "$1" "$2" "$t" || rc=$?
		[ "$rc" -eq 0 ] && continue
		said=$(first_failure "$2")
		[ "$rc" -eq 2 ] && said="timed out after ${limit}s"
		rc=0
		run_test "$1" "$2.again" "$t" || rc=$?
		if [ "$rc" -eq 0 ]; then
			flaky="$flaky $t"
			continue
		fi
		failed="$t: $said"
		return 0
	done
}

# build TREE JOBS LOG: the normal build of the iopaths and the test binaries.
build() {
	# shellcheck disable=SC2086 # one word per target
	(cd "$1" && make -j"$2" $targets) >"$3" 2>&1
}

if [ -n "$only" ]; then # from here on, only the chosen ones count
	total=0
	for i in $(seq 1 "$n"); do
		if selected "$i"; then total=$((total + 1)); fi
	done
	while IFS="$tab" read -r i rest; do
		if selected "$i"; then printf '%s\t%s\n' "$i" "$rest"; fi
	done <"$scratch/results" >"$scratch/results.chosen"
	mv "$scratch/results.chosen" "$scratch/results"
fi

start=$(now)
echo "mutants: $total in $list, $jobs at a time, on copies of the tracked tree in $scratch"
for w in $(seq 0 $((jobs - 1))); do
	copy_tree "$scratch/tree$w"
	build "$scratch/tree$w" "$jobs" "$scratch/build$w.log" || {
		echo "mutants: the unmutated tree does not build; see below" >&2
		tail -20 "$scratch/build$w.log" >&2
		exit 2
	}
done
echo "mutants: built in $(duration $(($(now) - start))); running the tests on the unmutated tree first"
run_tests "$scratch/tree0" "$scratch/baseline.log"
[ -z "$flaky" ] || echo "mutants: warning: on the unmutated tree, flaky:$flaky" >&2
if [ -n "$failed" ]; then
	echo "mutants: the unmutated tree fails ${failed%%:*}; nothing can be judged. Its output:" >&2
	tail -30 "$scratch/baseline.log" >&2
	exit 2
fi
baseline=$(($(now) - start))
echo "mutants: the unmutated tree passes (setup $(duration "$baseline"))"

# One line per finished mutant, with progress and an ETA (under a lock: two jobs print).
report() {
	i=$1 status=$2 detail=$3
	(
		flock 9
		printf '%s\t%s\t%s\n' "$i" "$status" "$detail" >>"$scratch/results"
		done_n=$(grep -c . "$scratch/results")
		tested=$(grep -vc "${tab}ERROR$tab" "$scratch/results" || true)
		elapsed=$(($(now) - mstart))
		left=$((total - done_n))
		eta="?"
		[ "$tested" -gt 0 ] && eta=$(duration $((elapsed * left / tested)))
		printf '[%2d/%d] %-8s #%-2s %s: %s (%s)  ETA %s\n' "$done_n" "$total" "$status" "$i" \
			"$(cat "$scratch/m/$i/file")" "$(cat "$scratch/m/$i/note")" "$detail" "$eta"
	) 9>"$scratch/print.lock"
}

worker() {
	w=$1 tree="$scratch/tree$1"
	child=""
	trap '[ -n "$child" ] && kill -TERM "$child" 2>/dev/null; exit 143' TERM
	for i in $(seq 1 "$n"); do
		[ $(((i - 1) % jobs)) -eq "$w" ] || continue
		grep -q "^$i$tab" "$scratch/results" && continue
		selected "$i" || continue
		f=$(cat "$scratch/m/$i/file")
		t0=$(now)
		cp "$tree/$f" "$scratch/pristine$w"
		if ! plant "$tree" "$i" 2>/dev/null; then
			report "$i" ERROR "original text not found once in the copy"
		elif ! build "$tree" 1 "$scratch/build$w.log"; then
			report "$i" ERROR "does not build: $(grep -m1 'error:' "$scratch/build$w.log" | cut -c1-110)"
		else
			run_tests "$tree" "$scratch/test$w.log"
			[ -z "$flaky" ] || flaky=", flaky:$flaky"
			if [ -n "$failed" ]; then
				report "$i" killed "$failed, $(($(now) - t0))s$flaky"
			else
				report "$i" SURVIVED "every test passed, $(($(now) - t0))s$flaky"
			fi
		fi
		cat "$scratch/pristine$w" >"$tree/$f" # a new mtime: make rebuilds it
	done
}

mstart=$(now)
for w in $(seq 0 $((jobs - 1))); do
	worker "$w" &
	workers="$workers $!"
done
for p in $workers; do
	wait "$p" || true
done
workers=""

# The score, the survivors and the errors.
killed=$(grep -c "${tab}killed$tab" "$scratch/results" || true)
survived=$(grep -c "${tab}SURVIVED$tab" "$scratch/results" || true)
errors=$(grep -c "${tab}ERROR$tab" "$scratch/results" || true)
echo
if [ "$survived" -gt 0 ]; then
	echo "survived (no test noticed the bug):"
	grep "${tab}SURVIVED$tab" "$scratch/results" | sort -n | while IFS="$tab" read -r i _ _; do
		echo "  #$i $(cat "$scratch/m/$i/file"): $(cat "$scratch/m/$i/note")"
	done
fi
if [ "$errors" -gt 0 ]; then
	echo "errors in $list (not counted as killed):"
	grep "${tab}ERROR$tab" "$scratch/results" | sort -n | while IFS="$tab" read -r i _ why; do
		echo "  #$i $(cat "$scratch/m/$i/file" 2>/dev/null || echo ?): $why"
	done
fi
echo "mutants: $killed killed, $survived survived, $errors list errors, of $total, in $(duration $(($(now) - start)))"
echo "score: $killed/$total killed"
[ "$killed" -eq "$total" ]
