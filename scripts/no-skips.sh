#!/usr/bin/env bash
# After `make test`'s CTest run: a test that skipped (a missing device, a
# kernel the archive no longer has, a boot the emulator broke) proved
# nothing, so on a fresh clone it fails the run like a failure would. A
# developer without root may accept skips with `make test ALLOW_SKIPS=1`.
#   no-skips.sh JUNIT_XML   (CTest's --output-junit file)
# Exit: 0 no test skipped, 1 some did (listed), 2 usage / no results file.
set -euo pipefail
junit=${1:-}
[ -n "$junit" ] || { echo "no-skips: usage: no-skips.sh JUNIT_XML" >&2; exit 2; }
[ -r "$junit" ] || { echo "no-skips: no CTest results in $junit" >&2; exit 2; }
# CTest writes one <testcase name=... status=...> per test; skipped and
# not-run tests carry a <skipped .../> element.
skipped=$(awk '/<testcase /{match($0, /name="[^"]*"/); name = substr($0, RSTART + 6, RLENGTH - 7)}
	/<skipped/{print "  " name}' "$junit")
if [ -n "$skipped" ]; then
	echo "no-skips: these tests skipped, which fails the run (make test ALLOW_SKIPS=1 accepts skips):" >&2
	echo "$skipped" >&2
	exit 1
fi
echo "no-skips: $(grep -c '<testcase ' "$junit") tests, none skipped"
