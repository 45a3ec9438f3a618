// What the phases of one bisection share (phases.h).
#include "bisect/phases.h"

#include <algorithm>

namespace pipehang::bisect {

Evaluation Bisection::test(const Commit &c, const char *role)
{
	Evaluation ev = judge(c, role);
	seen[c.id] = ev;
	if (ev.verdict() == Verdict::good && ev.test.entry_unavailable) {
		good_unavailable++;
		std::string e = ev.test.unavailable_entry.empty() ? mode.entry : ev.test.unavailable_entry;
		if (std::find(unavailable.begin(), unavailable.end(), e) == unavailable.end())
			unavailable.push_back(e);
	}
	return ev;
}

} // namespace pipehang::bisect
