#!/bin/sh
# Looks at a run's page the way a reader's browser does, in headless
# chromium: scripts/page-check.sh RUN_DIR [OUT_PREFIX]
#   OUT_PREFIX-top.png    the page as it opens, 1920x1080 (a projector)
#   OUT_PREFIX-table.png  the summary table scrolled down and to its last
#                         column: the header and the series column stay
# and checks that every figure on it loads and that the page asks for
# nothing (no request at all: its figures are inside it).  OUT_PREFIX
# defaults to a new folder ${TMPDIR:-/tmp}/page-check-XXXXXX/<run-id>; the
# shots are made in a private folder and renamed in.  Status 0 when all is
# well, 1 with one line per fault, 2 on bad usage or without chromium.
# Not part of `make test`: chromium takes seconds per page.
#
# The page itself holds no script.  The checks run in a copy of it with one
# added at its end, in a private folder: they list each image's size once
# loaded and every resource the page fetched (performance entries), into the
# DOM that --dump-dom prints.
set -eu

die() {
	echo "iopaths: page-check: $*" >&2
	exit 2
}
case $# in 1 | 2) ;; *) die "usage: scripts/page-check.sh RUN_DIR [OUT_PREFIX]" ;; esac
run=${1%/}
page=$run/index.html
[ -f "$page" ] || die "$page is missing: make plots RUN=$run writes it"
out=${2:-}
browser=$(command -v chromium || command -v chromium-browser || true)
[ -n "$browser" ] || die "no chromium: scripts/deps.sh installs it"

scratch=$(mktemp -d)
trap 'rm -rf -- "$scratch"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
# The screenshots: into a folder made here unless OUT_PREFIX names a place
# (its folder must exist); drawn in the scratch folder, then renamed in, so
# no planted link at the final name is written through.
if [ -z "$out" ]; then
	out=$(mktemp -d "${TMPDIR:-/tmp}/page-check-XXXXXX")/$(basename -- "$run")
fi
out_dir=$(dirname -- "$out")
if [ ! -d "$out_dir" ] || [ -L "$out_dir" ]; then die "$out_dir is not a folder (or is a link): not writing there"; fi
# A page path as a file:// URL: % # ? and blanks percent-encoded.
url_of() { printf 'file://%s' "$1" | sed 's/%/%25/g; s/#/%23/g; s/?/%3F/g; s/ /%20/g'; }
case $page in /*) url_page=$page ;; *) url_page=$(pwd)/$page ;; esac

chrome() { # chrome ARGS...: headless, no profile of the user's, quiet
	timeout 120 "$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars \
		--user-data-dir="$scratch/profile" --no-first-run --disable-extensions \
		--virtual-time-budget=5000 "$@" 2>"$scratch/chrome.err"
}

# The check copy: the page with a script added before </body>.
sed '$d' "$page" >"$scratch/page.html"
tail -n 1 "$page" | grep -qx '</body></html>' || die "$page does not end in </body></html>: not a page iopaths wrote"
cat >>"$scratch/page.html" <<'EOF'
<script>
window.addEventListener('load', function () {
	var out = [];
	document.querySelectorAll('img').forEach(function (img, i) {
		out.push((img.complete && img.naturalWidth > 0 ? 'loaded ' : 'broken ') + (i + 1) + ': ' + img.alt);
	});
	performance.getEntriesByType('resource').forEach(function (e) { out.push('request: ' + e.name); });
	var pre = document.createElement('pre');
	pre.id = 'page-check';
	pre.textContent = out.join('\n');
	document.body.appendChild(pre);
	if (location.hash !== '#table')
		return;
	/* A headless screenshot is of the top of the page: hide what comes
	 * before the summary, then scroll its table as a reader would. */
	var t = document.getElementById('summary');
	for (var e = document.body.firstElementChild; t && e && e !== t; e = e.nextElementSibling)
		e.style.display = 'none';
	var s = document.querySelector('.scroll');
	if (s) { s.scrollLeft = 100000; s.scrollTop = 200; }
});
</script></body></html>
EOF

faults=0
fault() {
	echo "page-check: $*"
	faults=$((faults + 1))
}
chrome --dump-dom "$(url_of "$scratch/page.html")" >"$scratch/dom.html" || die "chromium failed: $(tail -n 1 "$scratch/chrome.err")"
sed -n '/<pre id="page-check">/,/<\/pre>/p' "$scratch/dom.html" | sed 's/<[^>]*>//g' >"$scratch/report"
[ -s "$scratch/report" ] || grep -q '<pre id="page-check"></pre>' "$scratch/dom.html" ||
	fault "the check script did not run; nothing checked"
images=$(grep -c '^loaded ' "$scratch/report" || true)
in_page=$(grep -o '<img ' "$page" | wc -l)
while IFS= read -r line; do
	case $line in
	broken*) fault "a figure does not load: ${line#broken }" ;;
	request:*) fault "the page asks for ${line#request: }" ;;
	esac
done <"$scratch/report"
[ "$images" -eq "$in_page" ] || fault "$images of the page's $in_page figures loaded"
# What a request could come from, in the page as written (its figures are
# base64 inside it, so their own namespaces are not seen here).
for word in 'http://' 'https://' '<script' '<link' '@import' 'url(' 'href=' 'srcset'; do
	if grep -qiF -- "$word" "$page"; then fault "the page holds $word"; fi
done

chrome --window-size=1920,1080 --screenshot="$scratch/top.png" "$(url_of "$url_page")" >/dev/null ||
	die "chromium failed: $(tail -n 1 "$scratch/chrome.err")"
chrome --window-size=1920,1080 --screenshot="$scratch/table.png" "$(url_of "$scratch/page.html")#table" >/dev/null ||
	die "chromium failed: $(tail -n 1 "$scratch/chrome.err")"
for shot in top table; do
	[ -s "$scratch/$shot.png" ] || die "chromium wrote no $shot screenshot"
	mv -fT -- "$scratch/$shot.png" "$out-$shot.png"
done
echo "page-check: screenshots $out-top.png and $out-table.png"
[ "$faults" -eq 0 ] || exit 1
echo "page-check: all $images figures loaded; the page asked for nothing"
