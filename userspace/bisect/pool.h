// A pool of workers for a multisection (multisection.h): each round's
// revisions are checked out, built and judged at once, one per worker,
// every worker in a tree of its own with an oracle on that tree. Locally
// the first worker is the bisected tree itself and the others git
// worktrees of it (worktrees.h), sharing ccache and the build cache, so K
// kernels build and K guests boot side by side; with --lab each worker's
// oracle boots through the lab, so K jobs are in flight on its devices.
//
// A worker that fails -- its oracle gives a harness error (QEMU killed,
// a LAVA infrastructure error) or throws -- gives its revision back to the
// pool: another worker tests it, and the failure is never a verdict. The
// failed worker sits out the rest of the round; after kRetireAfter
// failures it is retired. A revision no worker could test is a harness
// error, as with one worker. Where a round is handed out:
// Session::evaluate_round (round.cpp).
#pragma once

#include "bisect/seams.h"

#include <memory>
#include <string>
#include <vector>

namespace pipehang::bisect {

class Worker {
public:
	virtual ~Worker() = default;
	// "worker 2"; its log lines carry it.
	virtual std::string name() const = 0;
	// Checks out `c` in the worker's own tree.
	virtual void checkout(const Commit &c) = 0;
	// Builds and judges that tree.
	virtual Oracle &oracle() = 0;
};

using Workers = std::vector<std::unique_ptr<Worker>>;

// Failures after which a worker takes no more work in this bisection.
inline constexpr int kRetireAfter = 2;

} // namespace pipehang::bisect
