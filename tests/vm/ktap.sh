#!/usr/bin/env bash
# `pipehang run --ktap` read by the kernel's own KTAP parser
# (tools/testing/kunit/kunit.py from linux-source-6.1): a throttled-disk
# run on a stock kernel is bad, so the document must parse without a parser
# error, the kernel's test must be FAILED with its run's subtest failed,
# the holder named in the run's diagnostic, stdout must be KTAP and nothing
# else, and the human lines must have gone to stderr.
#
#   ktap.sh PIPEHANG KERNEL
# Exit 0 when all of that holds (expect.sh wraps it: exit status, leftovers).
set -uo pipefail
ph=$1 kernel=$2
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../../scripts/lib/exit-status.sh"
work=$(mktemp -d /tmp/pipehang-ktap.XXXXXX)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

# The parser, as linux-source-6.1 ships it.
kunit=$("$here/../../scripts/lib/kunit-tool.sh" "$work") || fail "cannot get the kernel's KTAP parser"

rc=0
timeout 900 "$ph" run --kernel "$kernel" --disk-throttle 65536 --runs 1 --ktap >"$work/out.ktap" 2>"$work/human.log" || rc=$?
echo "--- stdout (KTAP) ---"
cat "$work/out.ktap"
[ "$rc" -eq "$PH_EXIT_BAD" ] || { tail -n 20 "$work/human.log"; fail "pipehang run exited $rc, want $PH_EXIT_BAD (bad)"; }
grep -q 'verdict: bad' "$work/human.log" || fail "the human lines did not go to stderr"
[ "$(head -n 1 "$work/out.ktap")" = "KTAP version 1" ] || fail "stdout does not start with the KTAP version line"
bad_line=$(grep -vnE '^( {4})*(KTAP version 1|[0-9]+\.\.[0-9]+|(not )?ok [0-9]+ [^#]+( # .*)?|# .*)$' "$work/out.ktap" | head -n 1)
[ -z "$bad_line" ] || fail "stdout has a line that is not KTAP: $bad_line"
grep -qE '^    not ok 1 run_0 # INFO: task hung in pipe_release \[holder (ph-splice|repro-splice)' "$work/out.ktap" ||
	fail "no failed run subtest naming the target and the holder"

prc=0
python3 "$kunit" parse --json="$work/parsed.json" <"$work/out.ktap" >"$work/parsed.txt" 2>&1 || prc=$?
echo "--- kunit.py parse (exit $prc: 1 means a test failed, as a bad kernel must) ---"
cat "$work/parsed.txt"
! grep -qE '\[ERROR\]|\[CRASHED\]|[Ee]rror:|Traceback|could not find' "$work/parsed.txt" || fail "the kernel's parser reports an error"
grep -qE '\[FAILED\] kernel [0-9]' "$work/parsed.txt" || fail "the parser does not see the kernel's test as failed"
[ "$(jq -r '.sub_groups[0].test_cases[0] | "\(.name) \(.status)"' "$work/parsed.json")" = "run_0 FAIL" ] ||
	fail "the parser's JSON does not have run_0 FAIL under the kernel's test"
echo "PASS: pipehang run --ktap parsed by the kernel's KTAP parser: kernel test failed, run_0 failed with the holder"
