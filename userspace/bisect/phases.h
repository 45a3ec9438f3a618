// The phases of one bisection, in the order Session::bisect (session.cpp)
// runs them -- syzkaller's pkg/bisect is the model:
//
//   resolve_ends      name both ends; is the range one to bisect? (ends.cpp)
//   test_ends         the bad end must be bad; is the good end good? (ends.cpp)
//   find_good_end     the given good end, or one searched back for (good_end.cpp)
//   tightest_bad_end  the oldest revision known bad above it (good_end.cpp)
//   narrow            git's engine picks, we judge, until one is left (narrow.cpp)
//   examine_culprit   the checks below, in order (culprit.cpp)
//   compare_signatures  does the culprit build other code than its parent? (culprit_signature.cpp)
//   verify_by_revert  revert the culprit on the bad end and test (verify_revert.cpp)
//   explain_merge_culprit  why a merge is the first bad commit (merge_phase.cpp)
//   check_for_false_culprit  did the culprit only let the reproducer run? (false_culprit_phase.cpp)
//
// A phase that ends the bisection early throws Stopped; Session::bisect
// turns it into the report's error. Each phase reaches git and the oracle
// only through the Bisection it is given, so a unit test drives one phase
// with the fakes of tests/unit/bisect_fakes.h.
#pragma once

#include "bisect/good_end_search.h"
#include "bisect/report.h"
#include "bisect/seams.h"

#include <functional>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace pipehang::bisect {

// Ends the bisection early. `harness`: the harness failed (exit error);
// otherwise an answer about the kernel or the input (no culprit). `usage`:
// the user's input is at fault (exit usage).
struct Stopped : std::runtime_error {
	Stopped(std::string why, bool harness_, bool usage_ = false)
	    : std::runtime_error(std::move(why)), harness(harness_), usage(usage_)
	{
	}
	bool harness;
	bool usage;
};

// One bisection in progress: what its phases share.
struct Bisection {
	Repo &repo;
	const Mode &mode;
	LogFn log;
	// Builds and judges one revision, counting it in `rep`
	// (Session::evaluate: verdict reuse by kernel signature).
	// ROLE says why it is tested ("bad end", "good end", "search back",
	// "bisect", "revert check"): the report's table shows it.
	std::function<Evaluation(const Commit &, const char *role)> judge;
	// A commit's kernel signature, building it when not yet known.
	std::function<std::string(const Commit &)> signature_of;
	BisectionReport &rep;
	// Revisions tested per round of the narrowing (the pool's size): 1 is
	// git's bisection, K >= 2 a multisection (multisection.h) whose rounds
	// judge_round evaluates at once (Session::evaluate_round).
	int workers = 1;
	std::function<std::vector<Evaluation>(const std::vector<Commit> &, const char *role)> judge_round = {};

	// Remembered per commit for the false-culprit check and a merge's
	// parents; the engine itself only needs the verdicts.
	std::map<std::string, Evaluation> seen;
	// Good revisions whose entry point was missing (ENOSYS), and which.
	int good_unavailable = 0;
	std::vector<std::string> unavailable;

	// judge() and remember the answer.
	Evaluation test(const Commit &c, const char *role);
	// judge_round() and remember the answers, in the order of `commits`.
	std::vector<Evaluation> test_round(const std::vector<Commit> &commits, const char *role);
};

// Both ends as git names them; `good` is empty when none was given.
struct Ends {
	std::optional<Commit> good;
	Commit bad;
};

// Resolves --good and --bad; throws Stopped (usage) when there is nothing
// to bisect between them or nothing to bisect from (no good end, search
// off). `search_limit`: SearchOptions::max_revisions.
Ends resolve_ends(Repo &repo, const std::string &good_rev, const std::string &bad_rev, int search_limit);

// The "bisecting cause commit ..." and "given: ..." lines.
void log_start(Bisection &b, const Ends &ends);

// Tests the bad end (it must be bad) and the given good end: a bad good
// end sets rep.good_end_was_bad (or stops, with the search off); one that
// cannot be tested is assumed good, with a warning.
void test_ends(Bisection &b, const Ends &ends, int search_limit);

// The good end to bisect from: the given one when it is good, else one
// found by searching back (good_end_search.h). Sets rep.good (and
// rep.search); throws Stopped when none is found.
Commit find_good_end(Bisection &b, const Ends &ends, const SearchOptions &opt);

// The tightest known bad end: the oldest revision the search found bad (the
// search walks back, so the last one) that still has `good` as an
// ancestor; else the given bad end.
Commit tightest_bad_end(Repo &repo, const BisectionReport &rep, const Commit &good, const Ends &ends);

// Where a bisection step happens: the engine (git's, for a real tree)
// picks a revision, we judge it and tell the engine, until it names the
// first bad commit or only skipped revisions are left. With b.workers >= 2
// a round of that many revisions, spread over what the engine still
// considers, is judged at once and every verdict told to the engine
// (narrow_in_rounds). The engine (and the tree's bisect state) is gone
// when this returns, before any revert.
BisectStep narrow(Bisection &b, const Commit &good, const Commit &bad);
BisectStep narrow_in_rounds(Bisection &b, const Commit &good, const Commit &bad);

// git's lines for a bisection that skips left undecided; sets
// rep.candidates.
void report_candidates(Bisection &b, const BisectStep &step);

// The culprit's and its (first) parent's kernel signatures; equal ones
// mean the culprit cannot have changed the kernel's behaviour (flaky).
void compare_signatures(Bisection &b, const Commit &culprit, const Commit &parent);

// Reverts the culprit on the bad end (a merge against its first parent)
// and tests that kernel: rep.verification and its detail.
void verify_by_revert(Bisection &b, const Commit &bad, const Commit &culprit, bool is_merge);

// A merge culprit: its parents' verdicts (as tested here, or good below a
// good revision) and why the merge is where the kernel went bad
// (rep.merge, merge_culprit.h).
void explain_merge_culprit(Bisection &b, const Commit &merge, const std::vector<Commit> &parents,
			   const std::string &merge_patch);

// After the narrowing named one culprit: the log line, then
// compare_signatures, verify_by_revert (when `verify`),
// explain_merge_culprit (a merge) and check_for_false_culprit, in that
// order (culprit.cpp).
void examine_culprit(Bisection &b, const Commit &culprit, const Commit &good, const Commit &bad, bool verify);

// The false-culprit check on the culprit's patch and what the good side
// reported (rep.false_culprit, false_culprit.h).
void check_for_false_culprit(Bisection &b, const std::string &culprit_patch, bool is_merge);

} // namespace pipehang::bisect
