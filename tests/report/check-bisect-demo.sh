#!/usr/bin/env bash
# The browser check at the end of the bisect demos (demo.sh --check-report,
# run by bisect_demo_e2e): each bisection's HTML report (OUT/STEM-report/)
# renders in headless Chromium with the history SVG, the answers, the
# revisions table and each culprit the JSON names (and the false-culprit
# reasoning when the JSON has some), and the run report of the bad end,
# linked from it, renders with its verdict and the holder's stack.
# Usage: check-bisect-demo.sh OUT STEM...
#   OUT   the demo's output directory (STEM.json, STEM-report/)
# Exit: 0 all render, 1 a check failed, 2 usage, 77 Chromium missing.
set -uo pipefail
[ $# -ge 2 ] || { echo "usage: check-bisect-demo.sh OUT STEM..." >&2; exit 2; }
out=$1
shift
here=$(cd "$(dirname "$0")" && pwd)
fail=0
check() { # check PAGE ARTIFACT NEEDLE...: 77 (no Chromium) ends the check
	"$here/check-page.sh" "$@"
	local rc=$?
	[ $rc -eq 77 ] && exit 77
	[ $rc -eq 0 ] || fail=1
}
for stem in "$@"; do
	json=$out/$stem.json report=$out/$stem-report
	[ -s "$json" ] || { echo "check-bisect-demo: FAIL: $json missing"; fail=1; continue; }
	needles=('id="history"' 'id="answers"' 'id="revisions-0"' 'class="rev')
	i=0
	for part in first rebisect; do
		id=$(jq -r ".$part.culprit.id // empty | .[0:12]" "$json")
		[ -n "$id" ] && needles+=("id=\"culprit-$i\"" "<code>$id</code>")
		[ "$(jq ".$part.false_culprit // [] | length" "$json")" -gt 0 ] && needles+=("id=\"false-culprit-$i\"")
		[ "$(jq ".$part != null" "$json")" = true ] && i=$((i + 1))
	done
	# The bad end, tested first, links its own run report.
	mode=$(jq -r '.first.mode' "$json")
	bad=$(jq -r '.first.tested[0].id // empty | .[0:12]' "$json")
	run=runs/$bad-$mode/index.html
	[ -n "$bad" ] && needles+=("href=\"$run\"")
	check "$report/index.html" "$out/$stem-report-page" "${needles[@]}"
	[ -n "$bad" ] && check "$report/$run" "$out/$stem-bad-end-page" 'id="verdict"' '>bad</b>' 'id="holder-stack-'
done
[ $fail -eq 0 ] && echo "check-bisect-demo: the reports of $* render"
exit $fail
