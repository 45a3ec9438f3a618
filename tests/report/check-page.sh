#!/usr/bin/env bash
# Renders one pipehang HTML report in headless Chromium and checks what a
# person needs is there: the page loads with no console message (the
# reports carry no script, so any message is an error), the SVG is in the
# DOM, and each NEEDLE (a fixed string, e.g. id="verdict") is in the DOM
# as Chromium built it. Keeps the DOM and a screenshot next to ARTIFACT.
# Every Chromium call is bounded by timeout(1).
# Usage: check-page.sh PAGE ARTIFACT NEEDLE...
#   PAGE      the report's index.html
#   ARTIFACT  path prefix for ARTIFACT.png, ARTIFACT.dom.html, ARTIFACT.log
# Exit: 0 all found; 1 a check failed; 2 usage; 77 Chromium is not
# installed (scripts/install-deps.sh browser; `make test` installs it).
set -uo pipefail
[ $# -ge 3 ] || { echo "usage: check-page.sh PAGE ARTIFACT NEEDLE..." >&2; exit 2; }
page=$1 art=$2
shift 2
[ -f "$page" ] || { echo "check-page: $page: no such page" >&2; exit 1; }
browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then
	echo "SKIP: chromium is not installed (scripts/install-deps.sh browser installs it)"
	exit 77
fi
mkdir -p "$(dirname "$art")"
url="file://$(realpath "$page")"
# A profile of its own: no state shared with another run or a user.
profile=$(mktemp -d "${TMPDIR:-/tmp}/ph-chromium.XXXXXX")
trap 'rm -rf "$profile"' EXIT
flags=(--headless --disable-gpu --no-sandbox --no-first-run --user-data-dir="$profile"
	--enable-logging=stderr --v=0)
fail=0
timeout -k 5 90 "$browser" "${flags[@]}" --dump-dom "$url" >"$art.dom.html" 2>"$art.log"
rc=$?
[ $rc -eq 0 ] || { echo "check-page: FAIL: chromium --dump-dom exited $rc (log: $art.log)"; fail=1; }
timeout -k 5 90 "$browser" "${flags[@]}" --window-size=1280,2000 --screenshot="$art.png" "$url" \
	>>"$art.log" 2>&1
rc=$?
[ $rc -eq 0 ] && [ -s "$art.png" ] || { echo "check-page: FAIL: no screenshot (exit $rc, log: $art.log)"; fail=1; }
if grep -E "CONSOLE|Uncaught" "$art.log"; then
	echo "check-page: FAIL: the page logged to the console (above)"
	fail=1
fi
grep -q "<svg" "$art.dom.html" || { echo "check-page: FAIL: no <svg> in the DOM"; fail=1; }
for needle in "$@"; do
	grep -qF -- "$needle" "$art.dom.html" || { echo "check-page: FAIL: '$needle' not in the DOM"; fail=1; }
done
[ $fail -eq 0 ] && echo "check-page: $page renders: svg and $# element(s) found; screenshot $art.png"
exit $fail
