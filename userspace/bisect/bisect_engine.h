// One bisection step at a time: who picks the next revision to test. For a
// real tree that is git's own engine (git_bisect.h: `git bisect start /
// good / bad / skip`), which handles any history, merges included; the
// session only judges the revisions it is handed. The unit tests' fake
// history uses the linear engine of bisector.h behind the same interface.
#pragma once

#include "bisect/bisector.h"
#include "bisect/outcome.h"

#include <string>
#include <vector>

namespace pipehang::bisect {

struct BisectStep {
	enum class Kind {
		next,      // test `next`
		found,     // `culprit` is the first bad commit
		ambiguous, // only skipped revisions left: `candidates`
	};
	Kind kind = Kind::next;
	Commit next;
	// git's own progress line, e.g. "Bisecting: 3 revisions left to test
	// after this (roughly 2 steps)"; logged as is.
	std::string progress;
	Commit culprit;
	std::vector<Commit> candidates;
};

class BisectEngine {
public:
	virtual ~BisectEngine() = default; // ends the bisection (git bisect reset)
	// Starts with one known-bad and one known-good revision.
	virtual BisectStep start(const Commit &bad, const Commit &good) = 0;
	// Records the verdict (good, bad or skip) of the revision last handed out.
	virtual BisectStep mark(const Commit &c, Verdict v) = 0;
};

} // namespace pipehang::bisect
