#!/usr/bin/env bash
# The oracle exactly as docs/bisect.md tells users to run it:
#   git bisect run pipehang oracle --build --kernel . --runs 2 [--mode M]
# on the fixture history (shared with bisect_demo_e2e, same lock). git, not
# pipehang, drives the bisection and reads our exit statuses (0/1/125).
# Default mode must find the planted splice bug; syzbot mode must blame the
# openat2 commit (the false bisection). The tree is left as it was found.
#   git_bisect_run.sh PIPEHANG SOURCE_DIR
set -uo pipefail
ph=${1:?usage: git_bisect_run.sh PIPEHANG SOURCE_DIR}
root=${2:?usage: git_bisect_run.sh PIPEHANG SOURCE_DIR}
fail() {
	echo "FAIL: $*" >&2
	exit 1
}
# shellcheck source=../../scripts/bisect-demo/fixture-lock.sh
source "$root/scripts/bisect-demo/fixture-lock.sh"
lock_fixture git_bisect_run || fail "no bisect fixture to use"
g() { git -C "$fixture" "$@"; }
orig=$(g rev-parse HEAD) || fail "fixture $fixture has no HEAD"
g bisect reset >/dev/null 2>&1 # a bisection left over from a killed run
trap 'g bisect reset "$orig" >/dev/null 2>&1' EXIT

bisect() { # bisect MODE EXPECTED-SUBJECT
	local mode=$1 want=$2 log culprit t0
	log=$(mktemp)
	t0=$(date +%s)
	g bisect start fixture-tip fixture-base >/dev/null || fail "git bisect start failed"
	(cd "$fixture" && git bisect run "$ph" oracle --build --kernel . --runs 2 --mode "$mode") >"$log" 2>&1
	local rc=$?
	culprit=$(g bisect log | sed -n 's/^# first bad commit: \[[0-9a-f]*\] //p')
	local steps
	steps=$(grep -c '^running ' "$log")
	g bisect reset "$orig" >/dev/null 2>&1 || fail "git bisect reset failed"
	if [ "$rc" != 0 ] || [ "$culprit" != "$want" ]; then
		tail -n 40 "$log" >&2
		rm -f "$log"
		fail "--mode $mode: git bisect run exit $rc, first bad commit '$culprit', want '$want'"
	fi
	rm -f "$log"
	echo "ok: --mode $mode: git bisect run found '$culprit' in $steps oracle calls, $(($(date +%s) - t0)) s"
}

bisect pipehang "splice: don't block on the filesystem with the pipe lock held"
bisect syzbot "open: introduce openat2(2) syscall"
[ "$(g rev-parse HEAD)" = "$orig" ] || fail "fixture HEAD not restored to $orig"
echo "ok: fixture HEAD restored"
