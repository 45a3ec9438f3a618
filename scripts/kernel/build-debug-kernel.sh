#!/usr/bin/env bash
# Builds the debug kernel: the replay fixture's replay-v5.6 (linux-source-6.1
# with the real zero-length-bvec bug, so the real-trigger spin can be
# checked too) configured with pipehang.config + debug.config (KASAN,
# lockdep, DEBUG_ATOMIC_SLEEP, DEBUG_OBJECTS), in its own tree: a git
# worktree of the fixture at $PIPEHANG_CACHE/trees/linux-6.1-debug.
# A cold build takes long (KASAN and lockdep instrument everything); later
# runs rebuild nothing.
#
# Usage: scripts/kernel/build-debug-kernel.sh [--jobs N]
# Prints the tree's path on the last line of stdout.
# Exit: 0 built, 1 failure, 2 usage error.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/env.sh"
jobs=2
case ${1:-} in
"") ;;
--jobs) jobs=${2:?--jobs needs a number} ;;
-h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
*) echo "build-debug-kernel: unknown argument '$1'" >&2; exit 2 ;;
esac
tree=${PIPEHANG_DEBUG_TREE:-$PIPEHANG_CACHE/trees/linux-6.1-debug}

"$here/../bisect-demo/replay-worktree.sh" "$tree" >&2
# build-kernel.sh merges --fragment on top of pipehang.config.
"$here/build-kernel.sh" --jobs "$jobs" --fragment "$here/../../harness/kernel-config/debug.config" "$tree" >&2
echo "$tree"
