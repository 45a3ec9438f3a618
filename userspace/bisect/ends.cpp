// The first phases: name both ends, check the range, then test the ends --
// the bad end must crash, and a good end that crashes means the bug is
// older than the range (the good-end search takes over).
#include "bisect/phases.h"

#include "bisect/range_check.h"

#include <fmt/format.h>

namespace pipehang::bisect {

Ends resolve_ends(Repo &repo, const std::string &good_rev, const std::string &bad_rev, int search_limit)
{
	Ends ends;
	if (!good_rev.empty())
		ends.good = repo.resolve(good_rev);
	ends.bad = repo.resolve(bad_rev);
	if (ends.good) {
		// The user's range, not an answer about the kernel: usage.
		std::string range = range_problem(repo, good_rev, *ends.good, bad_rev, ends.bad);
		if (!range.empty())
			throw Stopped(range, false, true);
	}
	if (!ends.good && search_limit <= 0)
		throw Stopped("no good end given and the good-end search is off: nothing to bisect from", false, true);
	return ends;
}

void log_start(Bisection &b, const Ends &ends)
{
	const BisectionReport &rep = b.rep;
	b.log(fmt::format("bisecting cause commit starting from {} ({} mode: {})", ends.bad.id, b.mode.name,
			  b.mode.description));
	b.log(ends.good ? fmt::format("given: good {} ({}), bad {} ({})", rep.given_good, short_id(*ends.good),
				      rep.given_bad, short_id(ends.bad))
			: fmt::format("given: no good end, bad {} ({})", rep.given_bad, short_id(ends.bad)));
}

namespace {

void test_bad_end(Bisection &b, const Commit &bad)
{
	Evaluation ev = b.test(bad, "bad end");
	if (ev.verdict() == Verdict::error)
		throw Stopped(fmt::format("harness error on the bad commit: {}", ev.test.reason), true);
	if (ev.verdict() != Verdict::bad)
		throw Stopped(fmt::format("the bad commit {} is not bad ({}{}): nothing to bisect", short_id(bad),
					  to_string(ev.verdict()), ev.test.reason.empty() ? "" : ": " + ev.test.reason),
			      false);
}

void test_good_end(Bisection &b, const Commit &good, int search_limit)
{
	Evaluation ev = b.test(good, "good end");
	switch (ev.verdict()) {
	case Verdict::error: throw Stopped(fmt::format("harness error on the good commit: {}", ev.test.reason), true);
	case Verdict::bad:
		if (search_limit <= 0)
			throw Stopped(fmt::format("the good commit {} already crashes ({}): nothing to bisect",
						  short_id(good), ev.test.title),
				      false);
		b.rep.good_end_was_bad = true;
		break;
	case Verdict::skip:
		b.log(fmt::format("warning: the good commit {} could not be tested ({}); assuming it is good",
				  short_id(good), ev.test.reason));
		break;
	case Verdict::good: break;
	}
}

} // namespace

void test_ends(Bisection &b, const Ends &ends, int search_limit)
{
	test_bad_end(b, ends.bad);
	if (ends.good)
		test_good_end(b, *ends.good, search_limit);
}

} // namespace pipehang::bisect
