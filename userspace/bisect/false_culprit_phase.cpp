// The last phase: feed the false-culprit check (false_culprit.h) what the
// bisection saw -- the culprit's patch and the entry points the good side
// reported missing -- and log its findings.
#include "bisect/phases.h"

#include "bisect/false_culprit.h"

#include <fmt/format.h>

namespace pipehang::bisect {

void check_for_false_culprit(Bisection &b, const std::string &culprit_patch, bool is_merge)
{
	FalseCulpritInput fc;
	fc.culprit_patch = culprit_patch;
	fc.culprit_is_merge = is_merge;
	fc.used_names = b.mode.used_names;
	fc.unavailable_on_good_side = b.unavailable;
	fc.good_revisions_with_unavailable_entry = b.good_unavailable;
	b.rep.false_culprit = check_false_culprit(fc);
	for (const auto &r : b.rep.false_culprit.reasons)
		b.log(fmt::format("false-culprit check: {}", r));
}

} // namespace pipehang::bisect
