#!/usr/bin/env bash
# Makes DIR a git worktree of the bisect fixture checked out (detached) at
# replay-v5.6 -- the real zero-length-bvec bug -- unless it already is one.
# The fixture and its replay branch are made under the fixture lock; the
# worktree then has its own checkout and build products, so kernels built
# there (the soak's, the debug kernel) never hold that lock.
#
# Usage: scripts/bisect-demo/replay-worktree.sh DIR
# Exit: 0 ready, 1 failure, 2 usage error.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
tree=${1:-}
[ -n "$tree" ] && [ $# -eq 1 ] || { echo "usage: replay-worktree.sh DIR" >&2; exit 2; }
[ -e "$tree/.git" ] && exit 0
source "$here/fixture-lock.sh"
lock_fixture replay-worktree || exit 1
fixture="$fixture" "$here/make-history.sh" replay >/dev/null
mkdir -p "$(dirname "$tree")"
git -C "$fixture" worktree prune
git -C "$fixture" worktree add -q --detach "$tree" replay-v5.6
