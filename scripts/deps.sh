#!/bin/sh
# Checks what building, testing and benchmarking iopaths needs (compiler,
# libcsv, cmocka, gnuplot with cairo and svg, perf, xfsprogs, btrfs-progs,
# chromium, liburing, wrk, nginx).  As root on
# Debian/Ubuntu it installs exactly what is missing; otherwise it prints the
# one install line and exits 2.
#   scripts/deps.sh --build: plain `make` checks only what compiling needs
#   (compiler, libcsv), and never installs: it prints the same line and exits 2.
set -eu

build_only=0
[ "${1:-}" = --build ] && build_only=1

cc=${CC:-cc}
missing=""
need() { missing="$missing $1"; }

probe_c() { # probe_c HEADER LIB: can we compile and link against it?
	tmp=$(mktemp -d)
	printf '#include <stdarg.h>\n#include <stddef.h>\n#include <stdint.h>\n#include <setjmp.h>\n#include <%s>\nint main(void){return 0;}\n' "$1" >"$tmp/p.c"
	ok=0
	"$cc" "$tmp/p.c" -o "$tmp/p" "$2" >/dev/null 2>&1 || ok=1
	rm -rf "$tmp"
	return "$ok"
}

cc_ok=0
if ! command -v "$cc" >/dev/null 2>&1; then
	need gcc
else
	cc_ok=1
	probe_c csv.h -lcsv || need libcsv-dev
	probe_c cmocka.h -lcmocka || need libcmocka-dev
fi
# gnuplot must have the cairo terminals and svg; gnuplot-nox does.
if ! command -v gnuplot >/dev/null 2>&1 ||
	! gnuplot -e 'set terminal' 2>&1 | grep -q pngcairo ||
	! gnuplot -e 'set terminal' 2>&1 | grep -q pdfcairo ||
	! gnuplot -e 'set terminal' 2>&1 | grep -q ' svg '; then
	need gnuplot-nox
fi
if ! perf --version >/dev/null 2>&1; then
	if grep -qi ubuntu /etc/os-release 2>/dev/null; then
		need "linux-tools-common linux-tools-$(uname -r)"
	else
		need linux-perf
	fi
fi

# make lint (run by make test) checks the scripts and the C.
command -v shellcheck >/dev/null 2>&1 || need shellcheck
command -v cppcheck >/dev/null 2>&1 || need cppcheck
# make bench-fs makes xfs and btrfs filesystems on loop devices.
command -v mkfs.xfs >/dev/null 2>&1 || need xfsprogs
command -v mkfs.btrfs >/dev/null 2>&1 || need btrfs-progs
# scripts/page-check.sh looks at the page in a headless browser: Debian's
# chromium (Ubuntu's chromium-browser).
if ! command -v chromium >/dev/null 2>&1 && ! command -v chromium-browser >/dev/null 2>&1; then
	if grep -qi ubuntu /etc/os-release 2>/dev/null; then
		need chromium-browser
	else
		need chromium
	fi
fi
# io_uring paths (liburing), and the static-file server's load (wrk against
# nginx): nginx lives in /usr/sbin, not always on a user's PATH.
[ "$cc_ok" = 0 ] || probe_c liburing.h -luring || need liburing-dev
command -v wrk >/dev/null 2>&1 || need wrk
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need nginx-light

[ -z "$missing" ] && exit 0
if [ "$build_only" = 1 ]; then
	case "$missing" in
	*gcc* | *libcsv-dev* | *liburing-dev*) ;;
	*) exit 0 ;; # the build itself has what it needs
	esac
fi

if [ "$build_only" = 0 ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
	echo "iopaths: installing:$missing" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q >&2
	# shellcheck disable=SC2086 # one word per package
	apt-get install -y -q $missing >&2
	exit 0
fi
echo "iopaths: missing dependencies; install them with:" >&2
echo "  sudo apt-get install -y$missing" >&2
exit 2
