#!/usr/bin/env bash
# `make bisect-demo`: replays syzbot's false bisection on a local kernel
# history and then does it right.
#
#  1. creates (or reuses) the fixture history (make-fixture.sh),
#  2. `pipehang bisect --mode syzbot`: reproducer entry openat2 only, ENOSYS
#     counted as a clean run -> blames "open: introduce openat2(2) syscall";
#     the false-culprit check fires and pipehang bisects again in its default
#     mode (entry fallback, not exercised = skip) -> finds the planted bug,
#  3. prints both results, both timings, and syzbot's figures beside them.
#
# Usage: scripts/bisect-demo/run-demo.sh [BUILD_DIR] [--clean] [--runs N]
#   BUILD_DIR  where `pipehang` was built (default build)
#   --clean    delete the fixture's build products first, so the first kernel
#              build is part of the measured time (ccache stays warm)
#   --runs N   reproducer runs per revision (default 3)
#   --no-verify  skip the culprit-revert verification (faster; the e2e test)
# Exit: 0 both culprits as expected, 1 otherwise, 2 usage error.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)

build=build clean=0 runs=3 verify=()
while [ $# -gt 0 ]; do
	case $1 in
	--clean) clean=1; shift ;;
	--runs) runs=${2:?--runs needs a number}; shift 2 ;;
	--no-verify) verify=(--no-verify); shift ;;
	-h|--help) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	-*) echo "bisect-demo: unknown option $1" >&2; exit 2 ;;
	*) build=$1; shift ;;
	esac
done
pipehang=$build/bin/pipehang
[ -x "$pipehang" ] || { echo "bisect-demo: $pipehang not built (run make first)" >&2; exit 2; }
[[ $runs =~ ^[1-9][0-9]*$ ]] || { echo "bisect-demo: --runs '$runs' is not a positive number" >&2; exit 2; }

expect_syzbot="open: introduce openat2(2) syscall"
expect_pipehang="splice: don't block on the filesystem with the pipe lock held"

t0=$(date +%s)
source "$here/fixture-lock.sh"
source "$here/../lib/exit-status.sh"
lock_fixture bisect-demo || exit 1
if [ $clean -eq 1 ]; then
	echo "bisect-demo: removing the fixture's build products (git clean -fdxq)"
	git -C "$fixture" clean -fdxq
fi
out=${PIPEHANG_DEMO_OUT:-$(mktemp -d /tmp/pipehang-bisect-demo.XXXXXX)}
mkdir -p "$out"
echo "bisect-demo: fixture $fixture, log $out/bisect.log"

rc=0
"$pipehang" bisect --tree "$fixture" --good fixture-base --bad fixture-tip --mode syzbot \
	--runs "$runs" "${verify[@]}" --log "$out/bisect.log" --json "$out/bisect.json" || rc=$?
t1=$(date +%s)

syz=$(grep -m1 '^syzbot mode: ' "$out/bisect.log" || true)
pip=$(grep -m1 '^pipehang mode: ' "$out/bisect.log" || true)
echo
echo "================ bisect-demo results ================"
echo "${syz:-syzbot mode: no result}"
echo "${pip:-pipehang mode: no result}"
grep -E '^(=== |first bad commit|culprit verification|WARNING|revisions tested|false-culprit check)' "$out/bisect.log" || true
echo "whole demo (fixture + all builds + all tests): $(( (t1 - t0) / 60 ))m$(( (t1 - t0) % 60 ))s"
echo "syzbot, for the real bug: 23 revisions, 5h52m (build 2h27m, test 3h22m), blamed openat2"

ok=1
[[ $syz == *"$expect_syzbot"* ]] || { echo "bisect-demo: FAIL: syzbot mode did not blame the openat2 commit" >&2; ok=0; }
[[ $pip == *"$expect_pipehang"* ]] || { echo "bisect-demo: FAIL: pipehang mode did not find the planted bug" >&2; ok=0; }
[ "$rc" -eq "$PH_EXIT_GOOD" ] || { echo "bisect-demo: pipehang bisect exited $rc" >&2; ok=0; }
[ $ok -eq 1 ] && echo "bisect-demo: OK: syzbot mode blames openat2, pipehang finds the planted bug"
[ $ok -eq 1 ]
