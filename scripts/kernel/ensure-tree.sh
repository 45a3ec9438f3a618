#!/usr/bin/env bash
# Makes sure the default pipehang kernel tree exists and is built; prints its
# path on the last line. Cheap when it is already built (make finds nothing).
# Usage: scripts/kernel/ensure-tree.sh [--jobs N]
# Tree: $PIPEHANG_KERNEL_TREE (default $PIPEHANG_CACHE/trees/linux-6.1-pipehang)
set -euo pipefail
here=$(dirname "$0")
source "$here/env.sh"
[ -d "$PIPEHANG_KERNEL_TREE" ] || { mkdir -p "$(dirname "$PIPEHANG_KERNEL_TREE")"; "$here/unpack-source.sh" "$PIPEHANG_KERNEL_TREE"; }
"$here/build-kernel.sh" "$@" "$PIPEHANG_KERNEL_TREE" >&2
echo "$PIPEHANG_KERNEL_TREE"
