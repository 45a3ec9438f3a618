// The pure bisection over a linear range of commits, as `git bisect` does it
// for a linear history: test the middle, narrow, step around skipped
// revisions, and give up with the list of candidates when every revision
// left is untestable. No git, no kernel: the caller supplies the verdicts.
// Real trees are bisected by git itself (git_bisect.h), which also handles
// merges; this engine stands in for git where there is no git history: the
// unit tests' fake repository (linear_engine.h) and their expectations --
// which is why it lives under tests/, not in the library.
#pragma once

#include "bisect/seams.h"

#include <cstddef>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace pipehang::bisect {

// git's estimate of the remaining bisection steps for `all` candidates.
int estimate_steps(int all);

struct BisectOutcome {
	enum class Kind {
		found,     // culprit is the first bad commit
		ambiguous, // skips left several candidates; see `candidates`
		error,     // the oracle reported a harness error; see `error`
	};
	Kind kind = Kind::error;
	std::size_t culprit = 0;             // index into the range (found)
	std::vector<std::size_t> candidates; // indexes (ambiguous), oldest first
	std::string error;
	std::vector<std::size_t> tested; // indexes in the order tested
};

// `range` is every commit after the known-good one up to and including the
// known-bad one, oldest first (range.back() is bad). `evaluate(i)` tests
// range[i] and returns its verdict; it is never called for range.back().
BisectOutcome bisect_linear(const std::vector<Commit> &range, const std::function<Verdict(std::size_t)> &evaluate,
			    const LogFn &log);

// The untested, unskipped index strictly between lo and hi closest to the
// middle (git's choice on a linear history).
std::optional<std::size_t> pick_midpoint(long lo, long hi, const std::set<std::size_t> &skipped);

} // namespace pipehang::bisect
