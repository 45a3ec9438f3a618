// Once the narrowing named one culprit, the checks that make it
// trustworthy, in order: its signature against its parent's, the revert
// check, a merge's explanation, the false-culprit check.
#include "bisect/phases.h"

#include <fmt/format.h>

namespace pipehang::bisect {

void examine_culprit(Bisection &b, const Commit &culprit, const Commit &good, const Commit &bad, bool verify)
{
	b.log(fmt::format("{} is the first bad commit", culprit.id));
	b.rep.culprit = culprit;
	std::vector<Commit> parents = b.repo.parents_of(culprit);
	const bool is_merge = parents.size() > 1;
	// A merge's own change is relative to its first parent (mainline).
	compare_signatures(b, culprit, parents.empty() ? good : parents.front());
	if (verify)
		verify_by_revert(b, bad, culprit, is_merge);
	const std::string culprit_patch = b.repo.patch(culprit);
	if (is_merge)
		explain_merge_culprit(b, culprit, parents, culprit_patch);
	check_for_false_culprit(b, culprit_patch, is_merge);
}

} // namespace pipehang::bisect
