// The good end to bisect from, and the bad end to bisect to: when the given
// good end crashed (or none was given), the search back
// (good_end_search.h) supplies both -- the good revision it found, and the
// revisions it found bad on the way, the oldest of which bounds the range
// more tightly than the given bad end.
#include "bisect/phases.h"

#include "bisect/report_text.h"

#include <fmt/format.h>

namespace pipehang::bisect {

Commit find_good_end(Bisection &b, const Ends &ends, const SearchOptions &opt)
{
	BisectionReport &rep = b.rep;
	if (ends.good && !rep.good_end_was_bad) {
		rep.good = *ends.good;
		return *ends.good;
	}
	std::string why =
		ends.good ? fmt::format("good end {} is bad: the bug is older than the given range", rep.given_good)
			  : std::string("no good end given");
	rep.search = search_good_end(
		b.repo, ends.good ? *ends.good : ends.bad, ends.good ? rep.given_good : rep.given_bad, why, opt,
		[&](const Commit &c) { return b.test(c, "search back"); }, b.log);
	if (rep.search.harness_error)
		throw Stopped(
			fmt::format("harness error while searching for a good end: {}", rep.search.tried.back().reason),
			true);
	if (!rep.search.found)
		throw Stopped(no_good_found_message(rep), false);
	Commit good = rep.search.found->commit;
	if (!b.repo.is_ancestor(good, ends.bad))
		throw Stopped(fmt::format("the good revision found, {}, is not an ancestor of {}", short_id(good),
					  rep.given_bad),
			      false);
	rep.good = good;
	return good;
}

Commit tightest_bad_end(Repo &repo, const BisectionReport &rep, const Commit &good, const Ends &ends)
{
	std::vector<Commit> known_bad;
	if (rep.good_end_was_bad)
		known_bad.push_back(*ends.good);
	for (const auto &r : rep.search.tried)
		if (r.verdict == Verdict::bad)
			known_bad.push_back(r.commit);
	for (auto it = known_bad.rbegin(); it != known_bad.rend(); ++it)
		if (repo.is_ancestor(good, *it))
			return *it;
	return ends.bad;
}

} // namespace pipehang::bisect
