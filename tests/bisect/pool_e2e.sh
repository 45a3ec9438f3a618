#!/usr/bin/env bash
# `pipehang bisect --workers 2` on the real bug's replay history (the
# fixture tree, scenarios/replay.sh): worker 1 is the fixture tree, worker
# 2 a git worktree of it in the cache; each round's two revisions are
# built and booted at once. The first QEMU worker 2 starts is killed from
# outside: that worker fails, its revision goes back to the pool and is
# tested by worker 1 -- never a verdict. Asserts: exit 0, the real culprit
# (the same one `make bisect-demo` finds with one worker), workers 2 in the
# JSON, fewer rounds than revisions tested in the narrowing, the kill
# seen and its revision given back, no revision with an error verdict.
# --no-reuse: every revision boots (a doc-only commit would otherwise take
# its parent's verdict by kernel signature, and worker 2 boot nothing).
# Prints the rounds and the wall time (figures for docs/bisect.md).
#   pool_e2e.sh PIPEHANG REPO_ROOT
# Exit: 0 pass, 1 fail, 77 skip (no fixture prerequisites).
set -uo pipefail
ph=$1 root=$2
source "$root/scripts/bisect-demo/fixture-lock.sh"
source "$root/scripts/lib/exit-status.sh"
lock_fixture pool-e2e || exit 1
fixture="$fixture" "$root/scripts/bisect-demo/make-history.sh" replay >/dev/null || exit 1
work=$(mktemp -d /tmp/pipehang-pool-e2e.XXXXXX)
killer=
cleanup() {
	[ -z "$killer" ] || kill "$killer" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT
culprit="splice: simplify building the bvec array in iter_file_splice_write()"

# Kills the first QEMU that boots a kernel from worker 2's tree (bounded).
kill_worker2_qemu() {
	local deadline=$((SECONDS + 900)) pid
	while [ $SECONDS -lt $deadline ]; do
		pid=$(pgrep -f 'qemu-system-x86_64.*worktrees/.*/worker-2/' | head -n 1)
		if [ -n "$pid" ]; then
			sleep 2 # booting: mid-judgement, not before it
			kill -KILL "$pid" && echo "killed worker 2's QEMU (pid $pid)" >"$work/killed"
			return
		fi
		sleep 0.5
	done
}
kill_worker2_qemu &
killer=$!

t0=$SECONDS rc=0
timeout 1800 "$ph" bisect --tree "$fixture" --good replay-v5.4 --bad replay-v5.6 --workers 2 --runs 1 --no-reuse \
	--no-verify --no-rebisect --json "$work/out.json" >"$work/log" 2>"$work/err" || rc=$?
wall=$((SECONDS - t0))
fails=0
check() { if "${@:2}"; then echo "ok: $1"; else echo "FAIL: $1"; fails=$((fails + 1)); fi; }
j() { jq -r "$1" "$work/out.json" 2>/dev/null; }
check "bisect --workers 2 exits 0 (got $rc)" test "$rc" -eq 0
check "the culprit is the real one" test "$(j .first.culprit.subject)" = "$culprit"
check "the JSON says 2 workers" test "$(j .first.workers)" = 2
narrowed=$(j '[.first.tested[] | select(.role == "bisect")] | length')
rounds=$(j .first.rounds)
check "fewer rounds ($rounds) than revisions narrowed ($narrowed)" test "${rounds:-0}" -lt "${narrowed:-0}"
check "worker 2's QEMU was killed mid-round" test -s "$work/killed"
check "its revision went back to the pool" grep -q '^\[worker 2\] failed on .* goes back to the pool' "$work/log"
check "no revision has an error verdict" test "$(j '[.first.tested[] | select(.verdict == "error")] | length')" = 0
check "both workers tested revisions" grep -q '^\[worker 2\] testing commit' "$work/log"
echo "pool_e2e: $narrowed revisions narrowed in $rounds rounds of 2, $(j .first.revisions_tested) built, wall ${wall} s"
grep -E '^(\[worker [12]\] (testing commit|failed)|Multisecting|# git bisect (good|bad|skip))' "$work/log" | head -n 40
[ "$fails" -eq 0 ] || { tail -n 30 "$work/err"; tail -n 30 "$work/log"; exit 1; }
echo "pool_e2e: all checks passed"
