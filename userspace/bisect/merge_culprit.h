// When the first bad commit is a merge, a commit id alone misleads: the
// merge's own diff is usually empty. We say which of two things happened:
//  - both parents are good and only break together (the bug is the
//    combination of the two sides), naming both parents' verdicts; or
//  - one side brought the reproducer's entry point (in syzbot mode: openat2
//    arriving through the merge), so the other side's kernels only looked
//    clean -- the merge is where the reproducer first ran, not where the
//    bug came in (the false-culprit check then re-bisects).
#pragma once

#include "bisect/false_culprit.h"
#include "bisect/seams.h"

#include <string>
#include <vector>

namespace pipehang::bisect {

struct ParentVerdict {
	Commit commit;
	Verdict verdict = Verdict::good;
	// false: not built here; git counts it good because it is an ancestor of
	// a revision marked good (or the good end itself).
	bool tested = false;
	std::string detail;           // crash title, skip reason, or how it is known good
	std::string describe() const; // "good (tested)", "good (ancestor of a good revision)"
};

struct MergeCulprit {
	bool is_merge = false;
	std::vector<ParentVerdict> parents;   // first parent first
	int commits_brought_in = 0;           // first parent..merge, merges excluded
	std::vector<NameAdded> entry_points;  // reproducer names the merge brings in
	bool sides_break_together = false;    // every parent good, no entry point arriving
	std::vector<std::string> explanation; // human lines, also in the JSON
};

// `brought_in_patch` is Repo::patch(merge): one section per commit brought in.
MergeCulprit explain_merge(const Commit &merge, const std::vector<ParentVerdict> &parents,
			   const std::string &brought_in_patch, const std::vector<std::string> &used_names,
			   const std::vector<std::string> &unavailable_on_good_side);

} // namespace pipehang::bisect
