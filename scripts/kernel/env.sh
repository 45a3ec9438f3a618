# Shared settings for the kernel scripts (sourced, not run).
# Where pipehang keeps unpacked sources, built trees and the bisect fixture.
PIPEHANG_CACHE=${PIPEHANG_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pipehang}
KERNEL_SOURCE_TARBALL=${KERNEL_SOURCE_TARBALL:-/usr/src/linux-source-6.1.tar.xz}
# The default built tree: pristine linux-source-6.1 with harness/kernel-config.
PIPEHANG_KERNEL_TREE=${PIPEHANG_KERNEL_TREE:-$PIPEHANG_CACHE/trees/linux-6.1-pipehang}
PIPEHANG_REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
PIPEHANG_KERNEL_FRAGMENT=$PIPEHANG_REPO_ROOT/harness/kernel-config/pipehang.config
# The bisect fixture: one kernel git tree shared by the bisect demos and tests.
PIPEHANG_BISECT_FIXTURE=${PIPEHANG_BISECT_FIXTURE:-$PIPEHANG_CACHE/bisect-demo/linux}

# Reproducible builds: the same sources give the same vmlinux, so a kernel
# signature (hash of the code) is equal for equal code.
export KBUILD_BUILD_TIMESTAMP='Thu Jan  1 00:00:00 UTC 2026'
export KBUILD_BUILD_USER=pipehang
export KBUILD_BUILD_HOST=pipehang
export KBUILD_BUILD_VERSION=1
# Unset LOCALVERSION would let scripts/setlocalversion append "+" in a git
# tree; an empty one keeps the release at 6.1.N-pipehang everywhere.
export LOCALVERSION=
