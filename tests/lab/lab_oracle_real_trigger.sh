#!/usr/bin/env bash
# The real bug through LAVA's dispatcher: the replay fixture's kernel at
# replay-v5.6 (the zero-length bvec spin, built by the kernel build cache
# when vm_verdict_bad_real_trigger built it before) judged by
# `pipehang oracle --lab lava-run`, as `git bisect run` would call it
# with a lab: bad, the holder named and running on a CPU (the spin never
# ends by itself: the oracle's watcher stops the job, as it stops a local
# QEMU), and no lava-run scratch dir or artifact left behind.
#   lab_oracle_real_trigger.sh PIPEHANG REPO_ROOT
# Exit: 0 pass, 1 fail, 77 skip (not root / lava-run missing).
# Holds the bisect fixture lock (one user of the tree at a time).
set -uo pipefail
ph=$1 root=$2
[ "$(id -u)" -eq 0 ] || { echo "SKIP: lava-run needs root"; exit 77; }
command -v lava-run >/dev/null || { echo "SKIP: lava-run missing (scripts/install-deps.sh lab)"; exit 77; }
source "$root/scripts/bisect-demo/fixture-lock.sh"
source "$root/scripts/lib/exit-status.sh"
source "$root/tests/lab/lib.sh"
lock_fixture lab-oracle || exit 1
fixture="$fixture" "$root/scripts/bisect-demo/make-history.sh" replay >/dev/null || exit 1
git -C "$fixture" checkout -q -f replay-v5.6 || exit 1
"$root/scripts/kernel/build-kernel.sh" "$fixture" >/dev/null || { echo "FAIL: kernel build failed"; exit 1; }
work=$(mktemp -d /tmp/pipehang-lab-oracle.XXXXXX)
trap 'rm -rf "$work"' EXIT
rc=0
tracked "$work/pids" 600 "$ph" oracle --kernel "$fixture" --runs 1 --lab lava-run --lab-device "$root/scripts/lab/qemu-tcg.jinja2" \
	--artifact-dir "$work/artifacts" >"$work/out" 2>"$work/err" || rc=$?
cat "$work/out"
check "oracle --lab lava-run exits bad (got $rc)" test "$rc" -eq "$PH_EXIT_BAD"
check "the target and the holder spinning in iov_iter_alignment are named" grep -qE \
	'run #0: crashed: INFO: task hung in pipe_release \[holder ph-splice-0/[0-9]+, held [0-9]+ ms, running on a CPU in iov_iter_alignment' "$work/out"
check "the watcher stopped the job (the spin never ends)" bash -c "! grep -q 'harness error' '$work/err'"
check "no artifact directory is left" bash -c "[ -z \"\$(ls -A '$work/artifacts' 2>/dev/null)\" ]"
left=$(scratch_left "$work/pids")
check "no lava-run scratch dir of ours is left${left:+: $left}" test -z "$left"
[ "$fails" -eq 0 ] || { tail -n 20 "$work/err"; exit 1; }
echo "lab_oracle_real_trigger: all checks passed"
