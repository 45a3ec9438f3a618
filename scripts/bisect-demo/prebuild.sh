#!/usr/bin/env bash
# Gets the bisect fixture ready ahead of the bisect tests: the fixture tree
# (make-fixture.sh), every scenario's history (make-history.sh) and the
# kernel at fixture-tip, the first revision the planted demo builds, all
# under the fixture lock. `make test` (scripts/make-test.sh) starts it in
# the background before it compiles pipehang: on a cold machine this kernel
# build is the longest single step of the suite, and it needs nothing from
# the C++ build, so it runs beside it instead of at the head of the bisect
# chain. Nothing depends on it having run: a bisect test waits for the lock
# (at most 25 min) and then finds the work done, or does what is left.
#
# The kernel build is bounded (PREBUILD_BUILD_SECONDS, default 1320) so the
# lock is never held past a waiting test's 25 minutes; a build cut short is
# resumed by the test's own build (make keeps what was compiled).
#
# Usage: scripts/bisect-demo/prebuild.sh
# Exit: 0 ready, 1 something failed (said on stderr; the tests redo it).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../lib/exit-status.sh"
[ $# -eq 0 ] || { echo "usage: prebuild.sh" >&2; exit "$PH_EXIT_USAGE"; }
build_seconds=${PREBUILD_BUILD_SECONDS:-1320}
[[ $build_seconds =~ ^[1-9][0-9]*$ ]] ||
	{ echo "prebuild: PREBUILD_BUILD_SECONDS '$build_seconds' is not a positive number" >&2; exit "$PH_EXIT_USAGE"; }

start=$(date +%s)
stamp() { echo "prebuild: [$(( $(date +%s) - start ))s] $*"; }

source "$here/fixture-lock.sh"
lock_fixture prebuild || exit "$PH_EXIT_BAD"
# shellcheck disable=SC2154 # (fixture: set by lock_fixture)
stamp "fixture $fixture ready"
for f in "$here"/scenarios/*.sh; do
	fixture="$fixture" "$here/make-history.sh" "$f" >/dev/null
done
stamp "scenario histories ready"

# A bisection someone left in the tree is theirs: do not move its HEAD.
! bisection_in_progress "$fixture" || { echo "prebuild: a git bisection is in progress in $fixture; not building" >&2; exit "$PH_EXIT_BAD"; }
git -C "$fixture" checkout -q -f --detach fixture-tip
# --jobs 2: what `pipehang bisect` passes by default (the build's inputs,
# and so its build-cache key, do not include it).
if timeout --kill-after=10 "$build_seconds" "$here/../kernel/build-kernel.sh" --jobs 2 "$fixture"; then
	stamp "fixture-tip built"
else
	rc=$?
	[ $rc -ne 124 ] || { stamp "the fixture-tip build passed ${build_seconds}s: stopped, the bisect tests resume it" >&2; exit "$PH_EXIT_BAD"; }
	stamp "the fixture-tip build failed (exit $rc)" >&2
	exit "$PH_EXIT_BAD"
fi
