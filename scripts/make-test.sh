#!/usr/bin/env bash
# `make test`: builds pipehang, runs every test but the debug-kernel ones
# (CTest, TEST_JOBS at a time), then fails the run on any skipped test
# (scripts/no-skips.sh) unless ALLOW_SKIPS=1.
#
# On a full run (no CTEST_ARGS) the bisect fixture is made ready in the
# background while pipehang compiles (scripts/bisect-demo/prebuild.sh, log
# in BUILD/prebuild.log): on a cold machine its kernel build is the longest
# single step of the suite and needs nothing from the C++ build; the tests
# start when both are done. Chromium, which only the report tests need
# (tests/report, the end of bisect_demo_e2e), is installed in the
# background too (scripts/install-deps.sh browser, log in
# BUILD/browser-deps.log): measured 39 s from Debian's archive, off the
# critical path beside the C++ build; the tests start after it. The LAVA
# lab's packages (group lab, for tests/lab) come in the same apt-get run:
# two apt-gets at once would fight over dpkg's lock. Whatever
# way this script ends, the background jobs are stopped (by their process
# groups) rather than left running.
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

# The preparation runs in a session of its own (setsid): stopping it stops
# every process of that session -- its make and gcc, and timeout(1), which
# moves itself to a process group of its own (a group kill missed it).
prebuild_pid= browser_pid=
stop_session() { # SESSION_ID WHAT
	[ -n "$1" ] && pgrep -s "$1" >/dev/null || return 0
	echo "make-test: stopping the background $2"
	pkill -TERM -s "$1"
	for _ in 1 2 3 4 5 6 7 8 9 10; do pgrep -s "$1" >/dev/null || return 0; sleep 1; done
	pkill -KILL -s "$1"
}
stop_background() {
	stop_session "$prebuild_pid" "fixture preparation"
	stop_session "$browser_pid" "browser install"
}
trap stop_background EXIT
trap 'exit "$PH_EXIT_INTERRUPTED"' INT TERM

mkdir -p "$build"
if [ $# -eq 0 ] && [ "${PIPEHANG_PREBUILD:-1}" != 0 ]; then
	setsid "$root/scripts/bisect-demo/prebuild.sh" >"$build/prebuild.log" 2>&1 </dev/null &
	prebuild_pid=$!
	echo "make-test: preparing the bisect fixture in the background (log: $build/prebuild.log)"
fi

# Installs nothing when Chromium is there already (a few dpkg-query calls).
setsid "$root/scripts/install-deps.sh" browser lab >"$build/browser-deps.log" 2>&1 </dev/null &
browser_pid=$!

"${MAKE:-make}" -C "$root" --no-print-directory build BUILD="$build" JOBS="$jobs" || exit
# The fixture's kernel heads the longest chain of tests (every bisect test
# needs it, one after another), so the tests wait for it rather than take
# CPU from it: started beside them, it ran at a third of the machine and a
# cold run got longer, not shorter (measured). Bounded by prebuild.sh's own
# limits.
if [ -n "$prebuild_pid" ] && kill -0 "$prebuild_pid" 2>/dev/null; then
	echo "make-test: pipehang built; waiting for the fixture's kernel build before the tests ($(tail -n 1 "$build/prebuild.log"))"
	wait "$prebuild_pid"
	echo "make-test: fixture preparation exited $?: $(tail -n 1 "$build/prebuild.log")"
	prebuild_pid=
fi

if [ -n "$browser_pid" ]; then
	wait "$browser_pid"
	rc=$?
	# Not fatal here: the report tests then say Chromium is missing (a
	# skip, which fails the run below unless ALLOW_SKIPS=1).
	[ $rc -eq 0 ] || echo "make-test: installing Chromium failed (exit $rc): $(tail -n 1 "$build/browser-deps.log")"
	browser_pid=
fi

cd "$build" || exit
ctest --output-on-failure --timeout 1800 -j "$test_jobs" -LE debug --output-junit ctest-results.xml "$@"
rc=$?
[ $rc -eq 0 ] || exit "$PH_EXIT_BAD"
[ -n "${ALLOW_SKIPS:-}" ] || "$root/scripts/no-skips.sh" ctest-results.xml
