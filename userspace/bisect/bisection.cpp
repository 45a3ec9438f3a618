// What the phases of one bisection share (phases.h).
#include "bisect/phases.h"

#include <algorithm>

namespace pipehang::bisect {

namespace {

void remember(Bisection &b, const Commit &c, const Evaluation &ev)
{
	b.seen[c.id] = ev;
	if (ev.verdict() == Verdict::good && ev.test.entry_unavailable) {
		b.good_unavailable++;
		std::string e = ev.test.unavailable_entry.empty() ? b.mode.entry : ev.test.unavailable_entry;
		if (std::find(b.unavailable.begin(), b.unavailable.end(), e) == b.unavailable.end())
			b.unavailable.push_back(e);
	}
}

} // namespace

Evaluation Bisection::test(const Commit &c, const char *role)
{
	Evaluation ev = judge(c, role);
	remember(*this, c, ev);
	return ev;
}

std::vector<Evaluation> Bisection::test_round(const std::vector<Commit> &commits, const char *role)
{
	if (!judge_round) {
		std::vector<Evaluation> out;
		for (const auto &c : commits)
			out.push_back(test(c, role));
		return out;
	}
	std::vector<Evaluation> out = judge_round(commits, role);
	for (std::size_t i = 0; i < commits.size() && i < out.size(); i++)
		remember(*this, commits[i], out[i]);
	return out;
}

} // namespace pipehang::bisect
