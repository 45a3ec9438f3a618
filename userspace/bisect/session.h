// A whole cause bisection: test both ends (searching back for a good
// revision when the good end is bad, good_end_search.h), bisect with the
// repository's engine (git's own for a real tree: any history, merges
// included), compare the culprit's kernel signature with its (first)
// parent's, verify the culprit by reverting it on the bad end (a merge
// against its first parent), explain a merge culprit (merge_culprit.h), run
// the false-culprit check and, when it fires, bisect again with the
// reproducer's fallback entry point. Git and the oracle are behind
// interfaces so unit tests replace them with fakes.
//
// Session::bisect runs these as named phases, each in a file of its own
// (phases.h). Where a bisection step happens: narrow(), the loop around
// BisectEngine::mark in narrow.cpp.
#pragma once

#include "bisect/good_end_search.h"
#include "bisect/pool.h"
#include "bisect/report.h"
#include "bisect/report_text.h"
#include "bisect/seams.h"

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace pipehang::bisect {

class Session {
public:
	Session(Repo &repo, Oracle &oracle, LogFn log) : repo_(repo), oracle_(oracle), log_(std::move(log)) {}

	// One bisection in `mode`. `verify` reverts the culprit on `bad` and
	// tests it. An empty `good` searches back from `bad` for a good end.
	BisectionReport bisect(const std::string &good, const std::string &bad, const Mode &mode, bool verify);

	// The full job: bisect in `mode`; if the false-culprit check fires and
	// `mode` does not already fall back, bisect again in `fallback`.
	SessionReport run(const std::string &good, const std::string &bad, const Mode &mode,
			  const std::optional<Mode> &fallback, bool verify);

	// Reuse the verdict of an identical kernel signature (default). Off:
	// every revision is booted, e.g. to measure a flaky reproducer.
	void set_reuse_verdicts(bool on) { reuse_ = on; }

	// How far back to look when the good end is bad (default: 6 revisions,
	// release tags else all tags, then first parents).
	void set_good_end_search(SearchOptions o) { search_ = std::move(o); }

	// K >= 2 workers: the narrowing tests K revisions per round
	// (multisection.h), one on each (pool.h). Without: one at a time on
	// the repo's tree and the oracle given above.
	void set_workers(Workers w) { workers_ = std::move(w); }

	// Called with the bisection so far after every revision evaluated
	// (done = false) and when a bisection ends (done = true): what
	// `--report` rewrites its page from, so an interrupted bisection
	// leaves a readable one.
	void set_on_step(std::function<void(const BisectionReport &, bool done)> fn) { on_step_ = std::move(fn); }

private:
	// Ends the bisection early with `why` (logged as "bisection aborted").
	void stop(BisectionReport &rep, std::string why, bool harness);
	// Evaluates C, records it in rep.tested under ROLE, tells on_step_.
	Evaluation evaluate(const Commit &c, const Mode &mode, BisectionReport &rep, const char *role);
	// Evaluates a round's revisions on the workers at once (round.cpp)
	// and records them in order; one worker or one revision: evaluate().
	std::vector<Evaluation> evaluate_round(const std::vector<Commit> &commits, const Mode &mode,
					       BisectionReport &rep, const char *role);
	struct RoundState;
	void work_round(std::size_t worker, RoundState &st);
	// Where one revision is checked out and built and judged: the repo's
	// tree and oracle, or a worker's. LOG gets its lines.
	struct Place {
		std::function<void(const Commit &)> checkout;
		Oracle &oracle;
		LogFn log;
	};
	Evaluation build_and_test(Place &at, const Commit &c, const Mode &mode, BisectionReport &rep);
	std::optional<Evaluation> reused_verdict(Place &at, const Mode &mode, Evaluation &ev, BisectionReport &rep);
	std::string signature_of(const Commit &c, BisectionReport &rep);

	Repo &repo_;
	Oracle &oracle_;
	LogFn log_;
	std::function<void(const BisectionReport &, bool)> on_step_;
	bool reuse_ = true;
	SearchOptions search_;
	struct Cached {
		Commit commit;
		TestOutcome test;
	};
	// (mode name, kernel signature incl. the config hash) -> verdict
	// already obtained.
	std::map<std::pair<std::string, std::string>, Cached> verdicts_;
	std::string input_error_; // set once a build said its input (tree, config) is unusable
	// commit id -> signature, from every build made in this session.
	std::map<std::string, std::string> signatures_;
	Workers workers_;
	std::vector<int> worker_failures_; // per worker, over the bisection
	// Guards what workers share: verdicts_, signatures_, input_error_,
	// the report's counters, and log_.
	std::mutex mu_;
};

} // namespace pipehang::bisect
