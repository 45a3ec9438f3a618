// k-ary multisection, round by round, over a bisection engine that keeps
// the state (git's own, GitBisect: `git bisect start --no-checkout`, then
// `git bisect good|bad|skip` for every verdict). Each round the planner
// (multisect.h) picks K revisions spread evenly over what the engine still
// considers; the caller judges them (in any order, on K workers); every
// verdict goes back to the engine, which names the first bad commit as it
// would for K = 1. Skips are never picked again; a round git answers with
// "a merge base must be tested" tests just that revision, as git asks.
#pragma once

#include "bisect/multisect.h"
#include "bisect/seams.h"

#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace pipehang::bisect {

// One round: the revisions to test, or the engine's answer.
struct Round {
	enum class Kind {
		test,      // test every revision in `next`
		found,     // `culprit` is the first bad commit
		ambiguous, // only skipped revisions left: `candidates`
	};
	Kind kind = Kind::test;
	std::vector<Commit> next; // up to K, oldest (fewest ancestors) first
	// "Multisecting: N revisions left, testing K this round (roughly R
	// rounds)"; for a merge base git asks for, git's own line.
	std::string progress;
	Commit culprit;
	std::vector<Commit> candidates;
	// Verdicts of the last round not told to the engine: a revision found
	// good whose ancestor in the same round was found bad (a flaky
	// reproducer). One at a time git never asks about a descendant of a
	// bad revision; told both, git would stop ("the merge base is bad").
	// The bad verdict stands, as if that revision had been tested first.
	std::vector<std::pair<Commit, Commit>> contradicted; // (good revision, its bad ancestor)
};

// What the engine still considers, as `git rev-list --bisect-all --parents`
// over its bisect refs gives it (GitBisect::candidates) or a test's history.
using CandidateSource = std::function<std::vector<Candidate>()>;

class Multisection {
public:
	// `engine` keeps the state and names the culprit; `candidates` reads
	// what it still considers; `commit_of` names a commit; `k` >= 1.
	Multisection(std::unique_ptr<BisectEngine> engine, CandidateSource candidates,
		     std::function<Commit(const std::string &)> commit_of, int k);

	Round start(const Commit &bad, const Commit &good);
	// Every verdict of the round (good, bad or skip), in any order. Told to
	// the engine skips first, then goods, then bads from the most
	// ancestors to the fewest, so git's bad end becomes the lowest bad; a
	// good contradicted by a bad ancestor is not told (Round::contradicted).
	Round mark(const std::vector<std::pair<Commit, Verdict>> &verdicts);

	int rounds() const { return rounds_; } // rounds planned so far

private:
	Round plan(const BisectStep &answer);
	// `a` has `b` as a proper ancestor, among the last round's candidates.
	bool descends_from(const std::string &a, const std::string &b) const;

	std::unique_ptr<BisectEngine> engine_;
	CandidateSource candidates_;
	std::function<Commit(const std::string &)> commit_of_;
	int k_;
	int rounds_ = 0;
	std::set<std::string> skipped_;
	std::map<std::string, int> weight_;                       // of the last round's candidates
	std::map<std::string, std::vector<std::string>> parents_; // of the last round's candidates
};

// Roughly how many rounds `left` candidates take at K per round:
// ceil(log(left + 1) / log(K + 1)), 0 when nothing is left.
int estimate_rounds(int left, int k);

} // namespace pipehang::bisect
