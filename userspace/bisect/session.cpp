// A whole cause bisection as a sequence of named phases (phases.h), and
// the session around it: the re-bisection when the culprit may be false.
#include "bisect/session.h"

#include "bisect/phases.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <exception>

namespace pipehang::bisect {

namespace {

double seconds_since(std::chrono::steady_clock::time_point t0)
{
	return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

} // namespace

void Session::stop(BisectionReport &rep, std::string why, bool harness)
{
	rep.error = std::move(why);
	rep.harness_error = harness;
	if (harness && !input_error_.empty()) {
		// Not the harness: the user's tree or configuration (exit
		// usage, not error).
		rep.error = "bad input to the kernel build: " + input_error_;
		rep.harness_error = false;
		rep.usage_error = true;
	}
	log_(fmt::format("bisection aborted: {}", rep.error));
}

BisectionReport Session::bisect(const std::string &good_rev, const std::string &bad_rev, const Mode &mode, bool verify)
{
	BisectionReport rep;
	rep.mode = mode;
	rep.given_good = good_rev;
	rep.given_bad = bad_rev;
	rep.search.limit = search_.max_revisions; // the bound in force, even if no search runs
	auto t0 = std::chrono::steady_clock::now();
	Bisection b{
		repo_,
		mode,
		log_,
		[&](const Commit &c, const char *role) { return evaluate(c, mode, rep, role); },
		[&](const Commit &c) { return signature_of(c, rep); },
		rep,
		std::max<int>(1, static_cast<int>(workers_.size())),
		[&](const std::vector<Commit> &cs, const char *role) { return evaluate_round(cs, mode, rep, role); },
		{},
		0,
		{}};
	rep.workers = b.workers;
	try {
		Ends ends = resolve_ends(repo_, good_rev, bad_rev, search_.max_revisions);
		log_start(b, ends);
		test_ends(b, ends, search_.max_revisions);
		Commit good = find_good_end(b, ends, search_);
		BisectStep step = narrow(b, good, tightest_bad_end(repo_, rep, good, ends));
		rep.completed = true;
		if (step.kind == BisectStep::Kind::ambiguous)
			report_candidates(b, step);
		else
			examine_culprit(b, step.culprit, good, ends.bad, verify);
	} catch (const Stopped &s) {
		rep.usage_error = rep.usage_error || s.usage;
		stop(rep, s.what(), s.harness);
	} catch (const std::exception &e) {
		stop(rep, e.what(), true);
	}
	rep.total_seconds = seconds_since(t0);
	if (on_step_)
		on_step_(rep, true);
	return rep;
}

SessionReport Session::run(const std::string &good, const std::string &bad, const Mode &mode,
			   const std::optional<Mode> &fallback, bool verify)
{
	SessionReport out;
	out.first = bisect(good, bad, mode, verify);
	for (const auto &l : summary_lines(out.first))
		log_(l);
	if (out.first.completed && out.first.false_culprit.suspicious() && !mode.fallback && fallback) {
		log_(fmt::format("the culprit may be false: bisecting again in {} mode ({})", fallback->name,
				 fallback->description));
		out.rebisect = bisect(good, bad, *fallback, verify);
		for (const auto &l : summary_lines(*out.rebisect))
			log_(l);
	}
	return out;
}

} // namespace pipehang::bisect
