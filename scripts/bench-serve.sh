#!/bin/sh
# make bench-serve [QUICK=1]: the same files served by `iopaths serve` (one
# server per strategy) and by nginx (sendfile on and off), each body checked
# against the file first, then each server driven by wrk over loopback;
# requests/s, MiB/s, latency and the server's CPU, faults and context
# switches per cell into results/<id>/serve.csv and meta.csv (through
# `iopaths tabulate`, libcsv), figures into plots/<id>/serve/ and a section
# of results/<id>/index.html.  Every server it starts is stopped on the way
# out, whatever the reason (Ctrl-C and a failure included), and its private
# folder (the files, nginx's config, logs and temp paths) removed.
set -eu

# ---- What it measures. Change it here and only here. ----
SIZES="4096 65536 1048576 67108864" # the files: 4K, 64K, 1M, 64M
CONNS="1 16 64"                     # wrk connections; threads = min(connections, 2)
ROUNDS=2                            # every cell once per round, the servers in a rotated order
DURATION=3                          # seconds of load per cell: 2 x 72 cells x 3 s = 7.2 min
if [ "${QUICK:-0}" = 1 ]; then      # under a minute: 18 cells of 1 s
	SIZES="4096 65536 1048576"
	CONNS="16"
	ROUNDS=1
	DURATION=1
fi
FIGURE_CONNS=16 # the connection count the figures draw (else the largest run)
SERVERS="iopaths-read-write iopaths-mmap-send iopaths-sendfile iopaths-splice nginx-sendfile-on nginx-sendfile-off"
# Tests narrow the run (tests/test_bench_serve.c): a subset of the above.
SIZES=${SERVE_SIZES:-$SIZES} CONNS=${SERVE_CONNS:-$CONNS} ROUNDS=${SERVE_ROUNDS:-$ROUNDS}
DURATION=${SERVE_DURATION:-$DURATION} SERVERS=${SERVE_SERVERS:-$SERVERS}
# SERVE_BROKEN=SERVER (tests only): that server's root is a copy of the
# files with one byte changed in each, so the check before the load must fail.
BROKEN=${SERVE_BROKEN:-}
# ----------------------------------------------------------

prog=bench-serve
iopaths=${IOPATHS:-build/iopaths}
nginx=${NGINX:-/usr/sbin/nginx}
[ -x "$nginx" ] || nginx=$(command -v nginx || echo /usr/sbin/nginx)

say() { printf '%s: %s\n' "$prog" "$*"; }
die() {
	printf 'iopaths: %s: %s\n' "$prog" "$*" >&2
	exit 2
}
fail() { # a cell or a check went wrong: status 1, after stopping the servers (the trap)
	printf 'iopaths: %s: %s\n' "$prog" "$*" >&2
	exit 1
}

# The lists: plain words from the top of this file or the environment.
for v in "$SIZES" "$CONNS" "$ROUNDS" "$DURATION"; do
	case $v in '' | *[!0-9\ ]*) die "'$v' is not a list of numbers" ;; esac
done
all_servers=" iopaths-read-write iopaths-mmap-send iopaths-sendfile iopaths-splice nginx-sendfile-on nginx-sendfile-off "
for s in $SERVERS; do
	case $all_servers in *" $s "*) ;; *) die "no server is called '$s'" ;; esac
done
if [ "$ROUNDS" -lt 1 ] || [ "$DURATION" -lt 1 ]; then die "ROUNDS and DURATION must be 1 or more"; fi
case $BROKEN in '' | iopaths-* | nginx-*) ;; *) die "SERVE_BROKEN: no server is called '$BROKEN'" ;; esac
[ -x "$iopaths" ] || die "$iopaths is missing: run make"
command -v wrk >/dev/null 2>&1 || die "wrk is missing: make deps installs it"
command -v curl >/dev/null 2>&1 || die "curl is missing"
case " $SERVERS " in *" nginx-"*) [ -x "$nginx" ] || die "nginx is missing: make deps installs nginx-light" ;; esac
case " $SERVERS " in *" iopaths-"*)
	"$iopaths" serve --help >/dev/null 2>&1 || die "$iopaths has no serve command: build the serve branch"
	;;
esac
hz=$(getconf CLK_TCK)

id=$(hostname)-$(uname -r)-serve-$(date +%Y%m%d-%H%M%S)
out=${OUT:-${RESULTS_DIR:-results}/$id}
case $out in -*) out=./$out ;; esac
[ ! -e "$out/serve.csv" ] || die "$out/serve.csv exists; not writing over a run"

# ---- The private folder and the servers, all gone on the way out ----
work=$(mktemp -d "${TMPDIR:-/tmp}/iopaths-serve.XXXXXX")
pids="" wrk_pid=""
stop_all() {
	[ -z "$wrk_pid" ] || { kill "$wrk_pid" 2>/dev/null || :; wait "$wrk_pid" 2>/dev/null || :; }
	for p in $pids; do kill -TERM "$p" 2>/dev/null || :; done
	for p in $pids; do # 5 s to finish, then killed
		i=0
		while kill -0 "$p" 2>/dev/null && [ "$i" -lt 50 ]; do
			sleep 0.1
			i=$((i + 1))
		done
		kill -KILL "$p" 2>/dev/null || :
		wait "$p" 2>/dev/null || :
	done
	pids=""
	rm -rf -- "$work"
}
trap stop_all EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
# nginx's config names the folder, each path a quoted string (nginx_str):
# inside "..." nginx ends nothing at a space, ; { } or #, and reads \" and
# \\ as the characters.  A $ would still start a variable in `root`, and a
# line break or control character has no place in a path of this config:
# those are refused.
case $work in *'$'* | *[[:cntrl:]]*)
	die "the private folder's path holds a \$ or a control character, which nginx's config cannot hold: set TMPDIR to another folder" ;;
esac
nginx_str() { printf '"%s"' "$(printf '%s' "$1" | sed 's/[\\"]/\\&/g')"; }

size_name() {
	if [ $(($1 % 1048576)) -eq 0 ]; then echo "$(($1 / 1048576))M"; elif [ $(($1 % 1024)) -eq 0 ]; then echo "$(($1 / 1024))K"; else echo "$1B"; fi
}

# The files: random bytes, their checksums kept (meta.csv).  The broken set
# (SERVE_BROKEN) is the same files with the byte at the middle changed.
mkdir "$work/files" "$work/broken"
meta_lines=$work/meta.lines
for b in $SIZES; do
	f=$(size_name "$b")
	head -c "$b" /dev/urandom >"$work/files/$f"
	[ "$(stat -c %s "$work/files/$f")" = "$b" ] || die "could not make a file of $b bytes in $work"
	echo "file_sha256_$b=$(sha256sum <"$work/files/$f" | cut -d' ' -f1)" >>"$meta_lines"
	cp "$work/files/$f" "$work/broken/$f"
	printf 'X' | dd of="$work/broken/$f" bs=1 seek=$((b / 2)) conv=notrunc status=none
done
root_of() { if [ "$1" = "$BROKEN" ]; then echo "$work/broken"; else echo "$work/files"; fi; }

# A server is up when it answers HTTP on its port (404 is an answer).
wait_up() { # wait_up SERVER PID PORT
	i=0
	while ! curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$3/" 2>/dev/null; do
		kill -0 "$2" 2>/dev/null || return 1
		[ "$i" -lt 100 ] || fail "$1 does not answer on port $3 after 10 s"
		sleep 0.1
		i=$((i + 1))
	done
}

# iopaths serve on a port the kernel picks (--port 0): the port is read off
# its one line on stdout.
start_iopaths() { # start_iopaths SERVER STRATEGY
	sd=$work/srv.$1
	mkdir "$sd"
	"$iopaths" serve --strategy "$2" --root "$(root_of "$1")" --bind 127.0.0.1 --port 0 --workers 1 \
		</dev/null >"$sd/stdout" 2>"$sd/stderr" &
	pid=$!
	pids="$pids $pid"
	i=0 port=""
	while [ -z "$port" ]; do
		port=$(sed -n 's|^iopaths serve: listening on http://127\.0\.0\.1:\([0-9][0-9]*\)/ .*|\1|p' "$sd/stdout" | head -n 1)
		[ -n "$port" ] && break
		kill -0 "$pid" 2>/dev/null || fail "$1 did not start: $(head -n 1 "$sd/stderr")"
		[ "$i" -lt 100 ] || fail "$1 printed no 'listening on' line in 10 s"
		sleep 0.1
		i=$((i + 1))
	done
	wait_up "$1" "$pid" "$port" || fail "$1 ended before it answered: $(head -n 1 "$sd/stderr")"
	echo "$pid" >"$sd/pid"
	echo "$port" >"$sd/port"
}

# nginx: `daemon off; master_process off;`: one process that accepts and
# serves, as `iopaths serve --workers 1` is one; its CPU is that process's
# and nothing is lost in a master that only waits.  Everything it writes
# (pid, error log, temp paths) stays in its own folder; no access log.
# A free port: one nothing listens on, tried until nginx binds it.
start_nginx() { # start_nginx SERVER on|off
	sd=$work/srv.$1
	mkdir "$sd" "$sd/tmp"
	tries=0
	while :; do
		tries=$((tries + 1))
		port=$(($(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 25000 + 30000))
		[ -z "$(ss -Htln "sport = :$port" 2>/dev/null)" ] || continue
		cat >"$sd/nginx.conf" <<-EOF
			daemon off;
			master_process off;
			pid $(nginx_str "$sd/nginx.pid");
			error_log $(nginx_str "$sd/error.log") warn;
			events { worker_connections 1024; }
			http {
			    access_log off;
			    client_body_temp_path $(nginx_str "$sd/tmp/body");
			    proxy_temp_path $(nginx_str "$sd/tmp/proxy");
			    fastcgi_temp_path $(nginx_str "$sd/tmp/fastcgi");
			    uwsgi_temp_path $(nginx_str "$sd/tmp/uwsgi");
			    scgi_temp_path $(nginx_str "$sd/tmp/scgi");
			    default_type application/octet-stream;
			    sendfile $2;
			    keepalive_timeout 65;
			    keepalive_requests 1000000000;
			    server {
			        listen 127.0.0.1:$port;
			        root $(nginx_str "$(root_of "$1")");
			        location / { }
			    }
			}
		EOF
		"$nginx" -p "$sd" -c "$sd/nginx.conf" -e "$sd/error.log" </dev/null >"$sd/stdout" 2>"$sd/stderr" &
		pid=$!
		pids="$pids $pid"
		if wait_up "$1" "$pid" "$port"; then break; fi
		wait "$pid" 2>/dev/null || :
		pids=${pids% "$pid"}
		grep -q 'Address already in use' "$sd/error.log" "$sd/stderr" 2>/dev/null && [ "$tries" -lt 10 ] && continue
		fail "$1 did not start: $(cat "$sd/stderr" "$sd/error.log" 2>/dev/null | head -n 1)"
	done
	echo "$pid" >"$sd/pid"
	echo "$port" >"$sd/port"
}

start_server() {
	case $1 in
	iopaths-*) start_iopaths "$1" "${1#iopaths-}" ;;
	nginx-sendfile-*) start_nginx "$1" "${1#nginx-sendfile-}" ;;
	esac
}

start=$(date +%s)
for s in $SERVERS; do start_server "$s"; done
say "servers up:$(for s in $SERVERS; do printf ' %s:%s' "$s" "$(cat "$work/srv.$s/port")"; done)"

# ---- The check before the load: every server, every file, once ----
for s in $SERVERS; do
	port=$(cat "$work/srv.$s/port")
	for b in $SIZES; do
		f=$(size_name "$b")
		rm -f -- "$work/got"
		curl -sS --fail --max-time 60 -o "$work/got" "http://127.0.0.1:$port/$f" 2>"$work/curl.err" ||
			fail "$s: GET /$f failed: $(head -n 1 "$work/curl.err")"
		got=$(stat -c %s "$work/got")
		[ "$got" = "$b" ] || fail "$s served /$f wrong: $got bytes, the file has $b"
		cmp -s "$work/got" "$work/files/$f" ||
			fail "$s served /$f wrong: $b bytes but not the file's (sha256 $(sha256sum <"$work/got" | cut -c1-16)..., the file's $(sha256sum <"$work/files/$f" | cut -c1-16)...)"
	done
done
rm -f -- "$work/got"
say "every server served every file ($SIZES bytes) byte for byte"

# ---- The load ----
# wrk's done() prints one key=number per line; anything else wrk prints is ignored.
cat >"$work/report.lua" <<'EOF'
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("wrk_requests=%d\nwrk_bytes=%d\nwrk_duration_us=%d\n", summary.requests, summary.bytes, summary.duration))
  io.write(string.format("wrk_p50_us=%d\nwrk_p99_us=%d\nwrk_p999_us=%d\n", latency:percentile(50), latency:percentile(99), latency:percentile(99.9)))
  io.write(string.format("wrk_connect=%d\nwrk_read=%d\nwrk_write=%d\nwrk_status=%d\nwrk_timeout=%d\n", e.connect, e.read, e.write, e.status, e.timeout))
end
EOF

# cost PID: "ticks minflt majflt ctx_switches" of PID and its children, every thread.
cost() {
	for p in $1 $(pgrep -P "$1" || :); do
		awk '{ sub(/^.*\) /, ""); print $8, $10, $12 + $13 }' "/proc/$p/stat" 2>/dev/null || :
		cat "/proc/$p/task/"*/status 2>/dev/null | awk '/^(non)?voluntary_ctxt_switches:/ { s += $2 } END { print "ctx", s + 0 }'
	done | awk '$1 == "ctx" { c += $2; next } { mi += $1; ma += $2; t += $3 } END { print t + 0, mi + 0, ma + 0, c + 0 }'
}

rows=$work/rows
: >"$rows"
ncells=0
for _ in $SIZES; do for _ in $CONNS; do ncells=$((ncells + 1)); done; done
nservers=$(echo "$SERVERS" | wc -w)
say "load: $ROUNDS round(s) x $ncells cells x $nservers servers x $DURATION s"

run_cell() { # run_cell SERVER FILE_BYTES CONNECTIONS ROUND
	sd=$work/srv.$1
	pid=$(cat "$sd/pid") port=$(cat "$sd/port") f=$(size_name "$2")
	threads=$(($3 < 2 ? $3 : 2))
	before=$(cost "$pid")
	wrk -t "$threads" -c "$3" -d "${DURATION}s" --timeout 30s --latency -s "$work/report.lua" \
		"http://127.0.0.1:$port/$f" </dev/null >"$work/wrk.out" 2>"$work/wrk.err" &
	wrk_pid=$!
	rc=0
	wait "$wrk_pid" || rc=$?
	wrk_pid=""
	after=$(cost "$pid")
	kill -0 "$pid" 2>/dev/null || fail "$1 ended during the load at $f, $3 connections: $(head -n 1 "$sd/stderr" 2>/dev/null)"
	[ "$rc" -eq 0 ] || fail "wrk failed against $1 at $f, $3 connections: $(head -n 1 "$work/wrk.err")"
	LC_ALL=C awk -v server="$1" -v bytes="$2" -v conns="$3" -v round="$4" -v before="$before" -v after="$after" \
		-v hz="$hz" -v cell="$1 at $f, $3 connections" '
		/^wrk_[a-z0-9_]+=[0-9]+$/ { split($0, kv, "="); w[kv[1]] = kv[2] + 0; n++ }
		END {
			if (n != 11 || w["wrk_duration_us"] <= 0) { print "error=wrk printed no numbers (" cell ")"; exit }
			split(before, b, " "); split(after, a, " ")
			dur = w["wrk_duration_us"] / 1e6; req = w["wrk_requests"]; mib = req * bytes / 1048576
			cpu_us = (a[1] - b[1]) * 1e6 / hz
			socket = w["wrk_connect"] + w["wrk_read"] + w["wrk_write"] + w["wrk_timeout"]
			if (w["wrk_status"] > 0 || socket > 0)
				printf "error=%s: %d non-2xx responses, %d socket errors (connect %d, read %d, write %d, timeout %d)\n",
					cell, w["wrk_status"], socket, w["wrk_connect"], w["wrk_read"], w["wrk_write"], w["wrk_timeout"]
			if (req == 0) print "error=" cell ": no request completed"
			printf "server=%s\nfile_bytes=%d\nconnections=%d\nround=%d\nduration_s=%.3f\nrequests=%d\n", server, bytes, conns, round, dur, req
			printf "requests_per_s=%.1f\nmibps=%.1f\n", req / dur, mib / dur
			printf "lat_p50_us=%d\nlat_p99_us=%d\nlat_p999_us=%d\n", w["wrk_p50_us"], w["wrk_p99_us"], w["wrk_p999_us"]
			printf "non2xx=%d\nsocket_errors=%d\n", w["wrk_status"], socket
			if (req > 0) printf "server_cpu_us_per_request=%.2f\nserver_cpu_ms_per_mib=%.4f\n", cpu_us / req, cpu_us / 1000 / mib
			printf "server_minflt=%d\nserver_majflt=%d\nserver_ctx_switches=%d\nverified=1\n\n", a[2] - b[2], a[3] - b[3], a[4] - b[4]
		}' "$work/wrk.out" >"$work/cell"
	if grep -q '^error=' "$work/cell"; then fail "$(sed -n 's/^error=//p' "$work/cell" | head -n 1)"; fi
	cat "$work/cell" >>"$rows"
	printf '  round %s  %-20s %4s %3s conn  %10s req/s %9s MiB/s  %s ms CPU/MiB\n' "$4" "$1" "$f" "$3" \
		"$(sed -n 's/^requests_per_s=//p' "$work/cell")" "$(sed -n 's/^mibps=//p' "$work/cell")" \
		"$(sed -n 's/^server_cpu_ms_per_mib=//p' "$work/cell")"
}

cell=0
round=1
while [ "$round" -le "$ROUNDS" ]; do
	for b in $SIZES; do
		for c in $CONNS; do
			# the servers in a rotated order: each cell starts with another one
			# shellcheck disable=SC2086 # names checked above
			set -- $SERVERS
			k=$((cell % nservers))
			while [ "$k" -gt 0 ]; do
				first=$1
				shift
				set -- "$@" "$first"
				k=$((k - 1))
			done
			for s in "$@"; do run_cell "$s" "$b" "$c" "$round"; done
			cell=$((cell + 1))
		done
	done
	round=$((round + 1))
done
load_s=$(($(date +%s) - start))

# ---- The results: through libcsv ----
nginx_version=$("$nginx" -v 2>&1 | head -n 1 || :)
wrk_version=$(wrk -v 2>&1 | head -n 1 | cut -d' ' -f1-2 || :)
mkdir -p -- "$out"
"$iopaths" tabulate "$out/serve.csv" \
	server,file_bytes,connections,round,duration_s,requests,requests_per_s,mibps,lat_p50_us,lat_p99_us,lat_p999_us,non2xx,socket_errors,server_cpu_us_per_request,server_cpu_ms_per_mib,server_minflt,server_majflt,server_ctx_switches,verified \
	<"$rows"
{
	cat "$meta_lines"
	echo "date=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
	echo "command=scripts/bench-serve.sh"
	echo "nginx_version=$nginx_version"
	echo "wrk_version=$wrk_version"
	echo "curl_version=$(curl --version | head -n 1 | cut -d' ' -f1-2)"
	echo "clk_tck=$hz"
	echo "serve_sizes=$SIZES"
	echo "serve_connections=$CONNS"
	echo "serve_rounds=$ROUNDS"
	echo "serve_duration_s=$DURATION"
	echo "serve_servers=$SERVERS"
	echo "serve_wrk=wrk -t min(connections,2) -c connections -d ${DURATION}s --timeout 30s --latency"
	echo "serve_nginx=daemon off, master_process off (one process), access_log off, keepalive_requests 1000000000"
	echo "serve_iopaths=--workers 1 --bind 127.0.0.1 --port 0"
	echo "serve_load_s=$load_s"
} | "$iopaths" tabulate --meta "$work" "$out/meta.csv"
stop_all

plots=${PLOTS_DIR:-plots}/$(basename -- "$out")
FIGURE_CONNS=$FIGURE_CONNS "$(dirname "$0")/serve/plots.sh" "$out" "$plots/serve"
"$iopaths" report "$out" "$plots"
say "$(($(date +%s) - start)) s in all, the load $load_s s"
echo "  results  $out/{serve,meta}.csv"
echo "  figures  $plots/serve/"
echo "  page     $out/index.html"
