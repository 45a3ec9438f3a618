#!/usr/bin/env bash
# The pool on a lab: `pipehang bisect --workers 2 --lab lava-run` on the
# real bug's replay history (replay-v5.4..replay-v5.6, the fixture tree):
# each round's two revisions are built in their own trees and judged by
# LAVA jobs (two lava-run dispatchers, in flight at once when the builds
# take alike), the verdicts
# read from the jobs' logs by the same classifier and rule as a local boot.
# Asserts: exit 0, the real culprit, 2 workers and fewer rounds than
# revisions narrowed in the JSON, both workers busy at once (building or in
# a LAVA job; how many jobs ran at once is reported),
# no lava-run scratch dir or artifact left behind.
#   lab_pool_bisect.sh PIPEHANG REPO_ROOT
# Exit: 0 pass, 1 fail, 77 skip (not root / lava-run missing).
# Holds the bisect fixture lock (one user of the tree at a time).
set -uo pipefail
ph=$1 root=$2
[ "$(id -u)" -eq 0 ] || { echo "SKIP: lava-run needs root"; exit 77; }
command -v lava-run >/dev/null || { echo "SKIP: lava-run missing (scripts/install-deps.sh lab)"; exit 77; }
source "$root/scripts/bisect-demo/fixture-lock.sh"
source "$root/scripts/lib/exit-status.sh"
source "$root/tests/lab/lib.sh"
lock_fixture lab-pool || exit 1
fixture="$fixture" "$root/scripts/bisect-demo/make-history.sh" replay >/dev/null || exit 1
work=$(mktemp -d /tmp/pipehang-lab-pool.XXXXXX)
sampler=
cleanup() {
	[ -z "$sampler" ] || kill "$sampler" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT
culprit="splice: simplify building the bvec array in iter_file_splice_write()"

# Sampled every 0.5 s: the most lava-run jobs of ours at once, and the
# most workers busy at once (a worker is busy while its kernel builds or
# its LAVA job runs; the two never overlap for one worker). Both workers
# start a round together, but a fresh worktree's build can outlast the
# other worker's whole job (a cold cache), so two jobs at once is
# reported, and two busy workers at once is what must hold.
echo 0 >"$work/most"
echo 0 >"$work/busy"
(
	most=0 busy=0
	while sleep 0.5; do
		n=$(pgrep -fc 'lava-run --job-id pipehang-' || true)
		b=${n:-0}
		pgrep -f "build-kernel.sh.*/worker-2" >/dev/null && b=$((b + 1))
		pgrep -f "build-kernel.sh.*$fixture( |\$)" >/dev/null && b=$((b + 1))
		[ "${n:-0}" -le "$most" ] || { most=$n; echo "$most" >"$work/most"; }
		[ "$b" -le "$busy" ] || { busy=$b; echo "$busy" >"$work/busy"; }
	done
) &
sampler=$!

rc=0 t0=$SECONDS
# --no-reuse: every revision boots (a doc-only commit would otherwise take
# its parent's verdict by kernel signature, and one of the two jobs would
# never start).
tracked "$work/pids" 1800 "$ph" bisect --tree "$fixture" --good replay-v5.4 --bad replay-v5.6 --workers 2 \
	--runs 1 --no-reuse --no-verify --no-rebisect --lab lava-run --lab-device "$root/scripts/lab/qemu-tcg.jinja2" \
	--artifact-dir "$work/artifacts" --json "$work/out.json" >"$work/log" 2>"$work/err" || rc=$?
wall=$((SECONDS - t0))
j() { jq -r "$1" "$work/out.json" 2>/dev/null; }
check "bisect --workers 2 --lab lava-run exits 0 (got $rc)" test "$rc" -eq 0
check "the culprit is the real one" test "$(j .first.culprit.subject)" = "$culprit"
check "the JSON says 2 workers" test "$(j .first.workers)" = 2
narrowed=$(j '[.first.tested[] | select(.role == "bisect")] | length')
rounds=$(j .first.rounds)
check "fewer rounds ($rounds) than revisions narrowed ($narrowed)" test "${rounds:-0}" -lt "${narrowed:-0}"
most=$(cat "$work/most")
busy=$(cat "$work/busy")
check "both workers busy at once, building or in a LAVA job (most seen: $busy; LAVA jobs at once: $most)" \
	test "$busy" -ge 2
check "no artifact directory is left" bash -c "[ -z \"\$(ls -A '$work/artifacts' 2>/dev/null)\" ]"
left=$(scratch_left "$work/pids")
check "no lava-run scratch dir of ours is left${left:+: $left}" test -z "$left"
echo "lab_pool_bisect: $narrowed revisions narrowed in $rounds rounds of 2 through lava-run, wall ${wall} s"
grep -E '^(\[worker [12]\] (testing commit|failed)|Multisecting|# git bisect (good|bad|skip))' "$work/log" | head -n 20
[ "$fails" -eq 0 ] || { tail -n 30 "$work/err"; tail -n 20 "$work/log"; exit 1; }
echo "lab_pool_bisect: all checks passed"
