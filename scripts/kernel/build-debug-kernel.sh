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

if [ ! -d "$tree/.git" ] && [ ! -f "$tree/.git" ]; then
	# The fixture (and its replay branch) is made under its lock; the
	# worktree gets its own checkout and build products.
	source "$here/../bisect-demo/fixture-lock.sh"
	lock_fixture build-debug-kernel || exit 1
	fixture="$fixture" "$here/../bisect-demo/make-replay.sh" >/dev/null
	mkdir -p "$(dirname "$tree")"
	git -C "$fixture" worktree prune
	git -C "$fixture" worktree add -q --detach "$tree" replay-v5.6
	exec 9>&-
fi
frag=$(mktemp "${TMPDIR:-/tmp}/pipehang-debug-fragment.XXXXXX")
trap 'rm -f "$frag"' EXIT
cat "$PIPEHANG_KERNEL_FRAGMENT" "$here/../../harness/kernel-config/debug.config" >"$frag"
"$here/build-kernel.sh" --jobs "$jobs" --fragment "$frag" "$tree" >&2
echo "$tree"
