// The local pool of `pipehang bisect --workers K` (pool.h): worker 1 is
// the bisected tree with its oracle; workers 2..K are git worktrees of it,
// each with a KernelOracle of its own on that tree. They share the object
// store (no clone), ccache, the kernel build cache (build-kernel.sh
// restores a revision any tree built before) and the verdicts of the
// session. With --lab the oracles boot through the lab: K jobs in flight.
//
// The worktrees live in the cache,
// $PIPEHANG_CACHE/worktrees/<tree name>-<hash of its path>/worker-N, and
// are reused by the next bisection of the same tree: a kernel tree's
// first checkout writes ~1.3 GB, later ones only what changed.
#pragma once

#include "bisect/git_repo.h"
#include "bisect/kernel_oracle.h"
#include "bisect/pool.h"

#include <filesystem>

namespace pipehang::bisect {

// Where worker N's worktree of `tree` lives (N >= 2).
std::filesystem::path worker_tree_path(const std::filesystem::path &tree, int n);

// The K workers: worker 1 on `repo` with `first`, the others on worktrees
// made (or reused) now, each with a KernelOracle built from `base` with
// its tree and progress lines prefixed "[worker N]". Throws GitError when
// a worktree cannot be made.
Workers local_pool(GitRepo &repo, Oracle &first, const KernelOracleOptions &base, int k, const LogFn &log);

} // namespace pipehang::bisect
