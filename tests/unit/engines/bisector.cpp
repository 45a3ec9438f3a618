#include "engines/bisector.h"

#include <fmt/format.h>

#include <optional>
#include <set>

namespace pipehang::bisect {

int estimate_steps(int all)
{
	// log2 rounded the way git rounds it: one step less when the candidates
	// barely exceed a power of two.
	if (all < 3)
		return 0;
	int n = 0;
	while ((2 << n) <= all)
		n++;
	int e = 1 << n;
	int x = all - e;
	return e < 3 * x ? n : n - 1;
}

// Preferring the upper side first, like stepping around a skip.
std::optional<std::size_t> pick_midpoint(long lo, long hi, const std::set<std::size_t> &skipped)
{
	long mid = lo + (hi - lo) / 2;
	for (long d = 0; d < hi - lo; d++) {
		for (long c : {mid + d, mid - d}) {
			if (c > lo && c < hi && !skipped.count(static_cast<std::size_t>(c)))
				return static_cast<std::size_t>(c);
		}
	}
	return std::nullopt;
}

BisectOutcome bisect_linear(const std::vector<Commit> &range, const std::function<Verdict(std::size_t)> &evaluate,
			    const LogFn &log)
{
	BisectOutcome out;
	if (range.empty()) {
		out.error = "empty range: the good commit is not an ancestor of the bad one";
		return out;
	}
	long lo = -1;                                  // last known good (-1: the good commit)
	long hi = static_cast<long>(range.size()) - 1; // first known bad
	std::set<std::size_t> skipped;

	for (;;) {
		auto next = pick_midpoint(lo, hi, skipped);
		if (!next) {
			if (hi - lo == 1) {
				out.kind = BisectOutcome::Kind::found;
				out.culprit = static_cast<std::size_t>(hi);
				log(fmt::format("{} is the first bad commit", range[hi].id));
			} else {
				out.kind = BisectOutcome::Kind::ambiguous;
				for (long i = lo + 1; i <= hi; i++)
					out.candidates.push_back(static_cast<std::size_t>(i));
				log("There are only 'skip'ped commits left to test.");
				log("The first bad commit could be any of:");
				for (auto i : out.candidates)
					log(range[i].id);
				log("We cannot bisect more!");
			}
			return out;
		}
		// Candidates: commits in (lo, hi] that are not skipped, as git counts.
		int all = 0;
		for (long i = lo + 1; i <= hi; i++)
			all += !skipped.count(static_cast<std::size_t>(i));
		int reaches = 0;
		for (long i = lo + 1; i <= static_cast<long>(*next); i++)
			reaches += !skipped.count(static_cast<std::size_t>(i));
		int left = std::max(0, std::max(all - reaches - 1, reaches - 1));
		int steps = estimate_steps(all);
		log(fmt::format("Bisecting: {} revision{} left to test after this (roughly {} step{})", left,
				left == 1 ? "" : "s", steps, steps == 1 ? "" : "s"));
		const Commit &c = range[*next];
		log(fmt::format("[{}] {}", c.id, c.subject));

		out.tested.push_back(*next);
		Verdict v = evaluate(*next);
		switch (v) {
		case Verdict::good: lo = static_cast<long>(*next); break;
		case Verdict::bad: hi = static_cast<long>(*next); break;
		case Verdict::skip: skipped.insert(*next); break;
		case Verdict::error:
			out.kind = BisectOutcome::Kind::error;
			out.error = fmt::format("harness error while testing {}", c.id);
			return out;
		}
		log(fmt::format("# git bisect {} {}", to_string(v), c.id));
	}
}

} // namespace pipehang::bisect
