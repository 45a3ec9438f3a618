#!/usr/bin/env bash
# End to end: a throttled `pipehang run --report` on Debian's stock 6.1
# kernel (the slow-disk hold: bad, the holder asleep in the direct I/O),
# then the page it wrote, checked in headless Chromium: the verdict, both
# stacks, the holder's frames, the console link, the timeline SVG. The
# verdict line must name where the holder is, too.
# Usage: run-report-e2e.sh PIPEHANG KERNEL ARTIFACT_DIR
# Exit: 0 pass, 1 fail, 77 Chromium missing (check-page.sh).
set -uo pipefail
ph=${1:?usage: run-report-e2e.sh PIPEHANG KERNEL ARTIFACT_DIR} kernel=${2:?} art=${3:?}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/ph-run-report.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$art"
"$ph" run --kernel "$kernel" --disk-throttle 65536 --report "$work/report" >"$work/out" 2>"$work/err"
rc=$?
cat "$work/out"
fail=0
[ $rc -eq 1 ] || { echo "run-report-e2e: FAIL: exit $rc, want 1 (bad)"; tail -20 "$work/err"; fail=1; }
grep -Eq '^run #0: crashed: INFO: task hung in pipe_release \[holder [^ ]+/[0-9]+, held [0-9]+ ms, sleeping in [a-z_0-9]+( <- [a-z_0-9]+)+\]' "$work/out" ||
	{ echo "run-report-e2e: FAIL: the verdict line does not say where the holder is"; fail=1; }
grep -q "^report: $work/report/index.html" "$work/out" || { echo "run-report-e2e: FAIL: no 'report:' line"; fail=1; }
[ -s "$work/report/console-1.log" ] || { echo "run-report-e2e: FAIL: console-1.log not copied beside the page"; fail=1; }
# The page travels with its consoles: keep both as the test's artifact.
rm -rf "$art/run-report"
cp -r "$work/report" "$art/run-report"
"$here/check-page.sh" "$work/report/index.html" "$art/run-report-page" \
	'id="verdict"' '>bad</b>' 'id="run-timeline"' 'class="run-bar"' 'id="waiter-stack-0"' 'id="holder-stack-0"' \
	'pipe_release' 'iomap_dio_rw</b>' 'href="console-1.log"' 'mutex held <b>' 's to the report'
page=$?
[ $page -eq 77 ] && exit 77
[ $page -eq 0 ] || fail=1
[ $fail -eq 0 ] && echo "run-report-e2e: all good"
exit $fail
