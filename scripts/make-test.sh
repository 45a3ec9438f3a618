#!/usr/bin/env bash
# `make test`: builds pipehang, runs every test but the debug-kernel ones
# (CTest, TEST_JOBS at a time), then fails the run on any skipped test
# (scripts/no-skips.sh) unless ALLOW_SKIPS=1.
#
# On a full run (no CTEST_ARGS) the bisect fixture is made ready in the
# background while pipehang compiles (scripts/bisect-demo/prebuild.sh, log
# in BUILD/prebuild.log): on a cold machine its kernel build is the longest
# single step of the suite and needs nothing from the C++ build. The bisect
# tests take the fixture lock after it. Whatever way this script ends, the
# background job is stopped (by its process group) rather than left running.
#
# Usage: scripts/make-test.sh BUILD JOBS TEST_JOBS [CTEST_ARGS...]
# Environment: ALLOW_SKIPS=1 accepts skips; PIPEHANG_PREBUILD=0 leaves the
#              fixture to the bisect tests.
# Exit: 0 all passed, 1 a test failed or skipped, 2 usage, else the build's.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
source "$root/scripts/lib/exit-status.sh"
[ $# -ge 3 ] || { echo "usage: make-test.sh BUILD JOBS TEST_JOBS [CTEST_ARGS...]" >&2; exit "$PH_EXIT_USAGE"; }
build=$1 jobs=$2 test_jobs=$3
shift 3
for n in "$jobs" "$test_jobs"; do
	[[ $n =~ ^[1-9][0-9]*$ ]] || { echo "make-test: '$n' is not a positive job count" >&2; exit "$PH_EXIT_USAGE"; }
done

prebuild_pid=
stop_prebuild() {
	[ -n "$prebuild_pid" ] && kill -0 "$prebuild_pid" 2>/dev/null || return 0
	echo "make-test: stopping the background fixture preparation"
	kill -TERM -- "-$prebuild_pid" 2>/dev/null
	wait "$prebuild_pid" 2>/dev/null
}
trap stop_prebuild EXIT
trap 'exit "$PH_EXIT_INTERRUPTED"' INT TERM

mkdir -p "$build"
if [ $# -eq 0 ] && [ "${PIPEHANG_PREBUILD:-1}" != 0 ]; then
	# setsid: its own process group, so stopping it stops its make and gcc too.
	setsid "$root/scripts/bisect-demo/prebuild.sh" >"$build/prebuild.log" 2>&1 </dev/null &
	prebuild_pid=$!
	echo "make-test: preparing the bisect fixture in the background (log: $build/prebuild.log)"
fi

"${MAKE:-make}" -C "$root" --no-print-directory build BUILD="$build" JOBS="$jobs" || exit
[ -z "$prebuild_pid" ] || echo "make-test: pipehang built; fixture preparation: $(tail -n 1 "$build/prebuild.log")"

cd "$build" || exit
ctest --output-on-failure --timeout 1800 -j "$test_jobs" -LE debug --output-junit ctest-results.xml "$@"
rc=$?
[ -z "$prebuild_pid" ] || { wait "$prebuild_pid"; echo "make-test: fixture preparation exited $?; its log: $build/prebuild.log"; prebuild_pid=; }
[ $rc -eq 0 ] || exit "$PH_EXIT_BAD"
[ -n "${ALLOW_SKIPS:-}" ] || "$root/scripts/no-skips.sh" ctest-results.xml
