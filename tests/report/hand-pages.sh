#!/usr/bin/env bash
# Both HTML reports in headless Chromium without a VM: the unit tests of
# the writers (tests/unit/html_reports_test.cpp) keep the pages they build
# -- the run report of a real spinning-holder console, the bisection report
# of a hand-built syzbot-mode bisection and its re-bisection, and the page
# a whole session on the unit tests' fake history wrote step by step -- and
# check-page.sh renders each.
# Usage: hand-pages.sh UNIT_TESTS ARTIFACT_DIR
# Exit: 0 pass, 1 fail, 77 Chromium missing.
set -uo pipefail
unit=${1:?usage: hand-pages.sh UNIT_TESTS ARTIFACT_DIR} art=${2:?}
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$art/hand"
mkdir -p "$art"
PIPEHANG_REPORT_ARTIFACTS=$art/hand timeout 120 "$unit" --gtest_filter='HtmlRunReport.BadRun*:HtmlBisectReport.History*:BisectReportSteps.ThePage*' \
	>"$art/hand-unit.log" 2>&1 || { echo "hand-pages: FAIL: the writers' unit tests failed:"; tail -30 "$art/hand-unit.log"; exit 1; }
fail=0
"$here/check-page.sh" "$art/hand/run-hand.html" "$art/hand/run-page" \
	'id="verdict"' 'id="waiter-stack-0"' 'id="holder-stack-0"' '<b>iov_iter_alignment</b>' 'id="run-timeline"'
rc=$?
[ $rc -eq 77 ] && exit 77
[ $rc -eq 0 ] || fail=1
"$here/check-page.sh" "$art/hand/bisect-hand.html" "$art/hand/bisect-page" \
	'id="history"' 'class="merge"' 'id="culprit-0"' 'id="false-culprit-0"' 'id="culprit-1"' 'id="revisions-1"' \
	'open: introduce &lt;openat2&gt; &amp; co' 'href="runs/c07-syzbot/index.html"'
rc=$?
[ $rc -eq 0 ] || fail=1
# A whole fake-fixture session written step by step by BisectReportWriter.
"$here/check-page.sh" "$art/hand/bisect-session.html" "$art/hand/bisect-session-page" \
	'id="history"' 'id="culprit-0"' 'id="false-culprit-0"' 'id="culprit-1"' 'id="revisions-1"' 'revert check'
rc=$?
[ $rc -eq 0 ] || fail=1
[ $fail -eq 0 ] && echo "hand-pages: both reports render"
exit $fail
