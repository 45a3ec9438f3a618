#include "bisect/merge_culprit.h"

#include <fmt/format.h>

#include <algorithm>

namespace pipehang::bisect {

std::string ParentVerdict::describe() const
{
	std::string v(to_string(verdict));
	if (!tested)
		return v + " (not built: " + (detail.empty() ? "an ancestor of a revision marked good" : detail) + ")";
	return detail.empty() ? v + " (tested)" : v + " (tested: " + detail + ")";
}

MergeCulprit explain_merge(const Commit &merge, const std::vector<ParentVerdict> &parents,
			   const std::string &brought_in_patch, const std::vector<std::string> &used_names,
			   const std::vector<std::string> &unavailable_on_good_side)
{
	MergeCulprit m;
	m.is_merge = parents.size() > 1;
	if (!m.is_merge)
		return m;
	m.parents = parents;
	m.commits_brought_in = static_cast<int>(split_commits(brought_in_patch).size());
	for (const auto &n : names_added_by(brought_in_patch))
		if (std::find(used_names.begin(), used_names.end(), n.name) != used_names.end())
			m.entry_points.push_back(n);
	bool all_good = std::all_of(parents.begin(), parents.end(),
				    [](const ParentVerdict &p) { return p.verdict == Verdict::good; });

	m.explanation.push_back(fmt::format("the first bad commit is a merge: {} {} (it brings in {} commit(s) "
					    "from its other side)",
					    merge.id.substr(0, 12), merge.subject, m.commits_brought_in));
	static const char *const which[] = {"first", "second", "third", "fourth"};
	for (std::size_t i = 0; i < parents.size(); i++)
		m.explanation.push_back(fmt::format("  {} parent {} {}: {}", i < 4 ? which[i] : "another",
						    parents[i].commit.id.substr(0, 12), parents[i].commit.subject,
						    parents[i].describe()));
	// An entry point of the reproducer that arrives through the merge and was
	// missing on the good side: the merge only let the reproducer run.
	std::vector<NameAdded> arriving;
	for (const auto &e : m.entry_points)
		if (std::find(unavailable_on_good_side.begin(), unavailable_on_good_side.end(), e.name) !=
		    unavailable_on_good_side.end())
			arriving.push_back(e);
	if (!arriving.empty()) {
		for (const auto &e : arriving)
			m.explanation.push_back(fmt::format(
				"one side brought the reproducer's entry point: {} arrives through this merge ({} {} "
				"\"{}\"), and kernels without it were judged by a reproducer that could not run; the "
				"merge is where the reproducer first reached the bug, not where the bug came in",
				e.name, e.kind, e.commit_id.substr(0, 12), e.commit_subject));
	} else if (all_good) {
		m.sides_break_together = true;
		m.explanation.push_back(
			"both sides are good on their own and only break together: the bug is the combination; look at "
			"how the commits the merge brings in interact with the first parent's side");
	} else {
		m.explanation.push_back("not every parent is known good: git could not test past the merge (skips)");
	}
	return m;
}

} // namespace pipehang::bisect
