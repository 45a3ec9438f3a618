// bisect_linear() one step at a time, behind the engine interface, over a
// linear history: what the unit tests' fake repository bisects with. Real
// trees use git's engine (git_bisect.h).
#pragma once

#include "bisect/seams.h"
#include "engines/bisector.h"

#include <vector>

namespace pipehang::bisect {

class LinearEngine : public BisectEngine {
public:
	// `history`: every commit, oldest first; must hold both ends.
	explicit LinearEngine(std::vector<Commit> history) : history_(std::move(history)) {}
	BisectStep start(const Commit &bad, const Commit &good) override;
	BisectStep mark(const Commit &c, Verdict v) override;
	// The range still open, a chain: each candidate's parent the one before.
	std::vector<Candidate> candidates() override;

private:
	BisectStep step();
	std::vector<Commit> history_;
	std::vector<Commit> range_; // after good, up to bad
	long lo_ = -1, hi_ = 0;
	std::vector<bool> skipped_;
};

} // namespace pipehang::bisect
