#!/usr/bin/env bash
# browser.sh: report.html as a browser shows it. A short national run and a
# compare are rendered by headless Chromium (`make check-browser` installs
# the Debian package): the DOM after layout must hold the headline table's
# figures as summary.csv names them and the stage table, and every inline SVG
# must have drawn — a copy of the page gets a probe script (report.html has
# none) that writes each chart's bounding box and the total length of its
# paths into the DOM, which --dump-dom then shows. The page printed to PDF
# must be non-trivial; screenshots go to output/browser/ for the notes.
# Usage: tests/browser.sh PATH-TO-BORDERSIM [CHROMIUM]
. "$(dirname "$0")/tap.sh"
CHROME=${2:-${CHROMIUM:-chromium}}
tap_bin "$1"
command -v "$CHROME" >/dev/null || { echo "browser.sh: '$CHROME' not found (make check-browser installs chromium)" >&2; exit 2; }

W=$(mktemp -d "${TMPDIR:-/tmp}/bordersim-browser.XXXXXX") || exit 2
trap 'rm -rf "$W"' EXIT
SHOTS=output/browser
mkdir -p "$SHOTS"

# chrome ARGS... URL: headless, its own profile; stderr (dbus noise) kept aside.
chrome() {
	timeout 120 "$CHROME" --headless --no-sandbox --disable-gpu --user-data-dir="$W/profile" \
		--no-first-run --virtual-time-budget=10000 "$@" 2>>"$W/chrome.err"
}

# probe PAGE: the page with a script that, once loaded, writes a line per
# inline SVG ("svg I bbox WxH paths N length L") into <pre id="probe">.
probe() {
	sed 's|</body>|<script>\
addEventListener("load", function () {\
  var out = [];\
  document.querySelectorAll("svg").forEach(function (s, i) {\
    var b = s.getBBox(), len = 0, n = 0;\
    s.querySelectorAll("path").forEach(function (p) { len += p.getTotalLength(); n++; });\
    out.push("svg " + i + " bbox " + Math.round(b.width) + "x" + Math.round(b.height) +\
             " paths " + n + " length " + Math.round(len));\
  });\
  var pre = document.createElement("pre");\
  pre.id = "probe";\
  pre.textContent = out.join("\\n");\
  document.body.appendChild(pre);\
});\
</script></body>|' "$1"
}

# drew DOM N: the probe found N charts, each with a box and paths of some length.
drew() {
	local dom=$1 want=$2
	local lines
	lines=$(sed -n '/<pre id="probe">/,/<\/pre>/p' "$dom" | grep -o 'svg [0-9]* bbox [0-9]*x[0-9]* paths [0-9]* length [0-9]*')
	[ "$(printf '%s\n' "$lines" | grep -c '^svg')" -eq "$want" ] || return 1
	! printf '%s\n' "$lines" | grep -Eq 'bbox (0x|[0-9]+x0 )|paths 0 |length 0$'
}

# ---- a run: the national headline ----

RUN="$W/run"
"$BIN" run scenarios/baseline.ini -q -r 2 --set scenario.days=1 --set scenario.warmup_days=0.5 \
	-o "$RUN" 2>"$W/err"
status=$?
if [ $status -eq 0 ] && [ -f "$RUN/report.html" ] && ! grep -qi '<script' "$RUN/report.html"; then
	ok "run writes report.html, with no script"
else
	not_ok "run writes report.html, with no script" "$(why)"
fi

probe "$RUN/report.html" >"$W/run-probe.html"
chrome --dump-dom "file://$W/run-probe.html" >"$W/run.dom"
missing=""
for m in $(awk -F, '$2 == "national" { print $4 }' "$RUN/summary.csv"); do
	grep -q "<td>$m</td>" "$W/run.dom" || missing="$missing $m"
done
nnat=$(awk -F, '$2 == "national"' "$RUN/summary.csv" | wc -l)
# the national baseline has ports: its ranked table is the ports', San Ysidro among them
if [ "$nnat" -gt 10 ] && [ -z "$missing" ] && grep -q '<h2>National figures</h2>' "$W/run.dom" &&
	grep -q '<h2>Ports by p95 wait</h2>' "$W/run.dom" && grep -q '>san_ysidro<' "$W/run.dom"; then
	ok "the DOM holds the headline table: all $nnat national figures of summary.csv"
else
	not_ok "the DOM holds the headline table: all national figures of summary.csv" \
		"national rows: $nnat; missing:$missing" "$(head -c 300 "$W/chrome.err")"
fi
if drew "$W/run.dom" 1; then
	ok "the hourly chart drew: $(grep -o 'svg 0 bbox [^<]*' "$W/run.dom")"
else
	not_ok "the hourly chart drew" "$(sed -n '/id="probe"/,/<\/pre>/p' "$W/run.dom" | head -5)"
fi

chrome --print-to-pdf="$W/run.pdf" --no-pdf-header-footer "file://$RUN/report.html" >/dev/null
size=$(stat -c %s "$W/run.pdf" 2>/dev/null || echo 0)
if [ "$(head -c 5 "$W/run.pdf" 2>/dev/null)" = "%PDF-" ] && [ "$size" -gt 30000 ]; then
	ok "report.html prints to a PDF of $size bytes"
else
	not_ok "report.html prints to a non-trivial PDF" "size $size" "$(tail -c 300 "$W/chrome.err")"
fi
chrome --screenshot="$PWD/$SHOTS/run.png" --window-size=1000,2400 "file://$RUN/report.html" >/dev/null
if [ -s "$SHOTS/run.png" ]; then
	ok "screenshot in $SHOTS/run.png"
else
	not_ok "screenshot in $SHOTS/run.png"
fi

# ---- a compare: the differences and both charts ----

CMP="$W/cmp"
"$BIN" compare tests/data/batch/base.ini tests/data/batch/faster.ini -q -o "$CMP" 2>"$W/err"
status=$?
probe "$CMP/report.html" >"$W/cmp-probe.html"
chrome --dump-dom "file://$W/cmp-probe.html" >"$W/cmp.dom"
if [ $status -eq 0 ] && grep -q '<h2>Largest differences whose 95% interval excludes 0</h2>' \
	"$W/cmp.dom" && grep -q '<figcaption>base: base, ' "$W/cmp.dom" &&
	grep -q '<figcaption>scenario: faster, ' "$W/cmp.dom" && drew "$W/cmp.dom" 2; then
	ok "compare: the differences table and both scenarios' charts drew"
else
	not_ok "compare: the differences table and both scenarios' charts drew" "$(why)" \
		"$(sed -n '/id="probe"/,/<\/pre>/p' "$W/cmp.dom" | head -5)"
fi
chrome --screenshot="$PWD/$SHOTS/compare.png" --window-size=1000,2400 "file://$CMP/report.html" >/dev/null

echo "# $n tests, $((n - failed)) passed, $failed failed"
[ $failed -eq 0 ]
