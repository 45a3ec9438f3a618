// The bisection's report in words: the summary lines printed after each
// bisection (also used by the demo and bench), the good-end search's one
// line, and the message for a search that found no good revision.
#include "bisect/report_text.h"

#include "bisect/duration.h"

#include <fmt/format.h>

namespace pipehang::bisect {

namespace {

std::string tried_list(const GoodEndSearch &s)
{
	std::string out;
	for (const auto &r : s.tried)
		out += fmt::format("{}{}: {}", out.empty() ? "" : ", ",
				   r.found_by == FoundBy::tag ? "tag " + r.tag : r.label, to_string(r.verdict));
	return out.empty() ? "nothing" : out;
}

} // namespace

std::string no_good_found_message(const BisectionReport &r)
{
	const auto &s = r.search;
	std::string head =
		r.good_end_was_bad
			? fmt::format("the good end {} is bad and no good revision was found before it", r.given_good)
			: fmt::format("no good end given and no good revision was found before {}", r.given_bad);
	std::string why = s.stopped == "bound reached"
				  ? fmt::format("the search tested its limit of {} revision(s)", s.limit)
				  : std::string("no older revision is left to try");
	return fmt::format("{} ({}; tried: {}): the bug is older than every revision tried; give an older --good "
			   "or a larger --search-back",
			   head, why, tried_list(s));
}

std::string search_summary(const BisectionReport &r)
{
	if (!r.search.ran)
		return {};
	std::string start =
		r.good_end_was_bad
			? fmt::format("good end {} was bad: the bug is older than the given range", r.given_good)
			: std::string("no good end given");
	if (r.search.found)
		return fmt::format("{}; found good: {} ({} revision(s) searched back)", start,
				   r.search.found->describe(), r.search.tried.size());
	return fmt::format("{}; no good revision found ({} revision(s) searched back: {})", start,
			   r.search.tried.size(), tried_list(r.search));
}

std::vector<std::string> summary_lines(const BisectionReport &r)
{
	std::vector<std::string> out;
	out.push_back(fmt::format("=== {} mode: {}", r.mode.name, r.mode.description));
	if (auto l = search_summary(r); !l.empty())
		out.push_back(l);
	if (!r.completed) {
		out.push_back(fmt::format("bisection failed: {}", r.error));
	} else if (r.culprit) {
		out.push_back(fmt::format("first bad commit: {} {}", r.culprit->id, r.culprit->subject));
		for (const auto &l : r.merge.explanation)
			out.push_back(l);
		if (r.same_signature_as_parent)
			out.push_back("note: the culprit and its parent have the same kernel signature");
		out.push_back(fmt::format("culprit verification: {}{}", to_string(r.verification),
					  r.verification_detail.empty() ? "" : " (" + r.verification_detail + ")"));
		if (r.false_culprit.suspicious())
			out.push_back(fmt::format("WARNING: possibly a false culprit ({} finding(s))",
						  r.false_culprit.reasons.size()));
	} else {
		out.push_back(fmt::format("the first bad commit could be any of {} commits:", r.candidates.size()));
		for (const auto &c : r.candidates)
			out.push_back(fmt::format("  {} {}", c.id, c.subject));
	}
	out.push_back(fmt::format("revisions tested: {}, verdicts reused: {}, total time: {} (build: {}, test: {})",
				  r.revisions_tested, r.verdicts_reused, format_duration(r.total_seconds),
				  format_duration(r.build_seconds), format_duration(r.test_seconds)));
	if (r.workers > 1)
		out.push_back(fmt::format("narrowed in {} rounds of up to {} revisions, one per worker", r.rounds,
					  r.workers));
	return out;
}

} // namespace pipehang::bisect
