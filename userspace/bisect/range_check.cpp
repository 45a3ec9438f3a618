#include "bisect/range_check.h"

#include <fmt/format.h>

namespace pipehang::bisect {

std::string range_problem(Repo &repo, const std::string &good_rev, const Commit &good, const std::string &bad_rev,
			  const Commit &bad)
{
	if (good.id == bad.id)
		return fmt::format("--good {} and --bad {} are the same commit {}: nothing to bisect; give a --good "
				   "older than --bad (or leave --good out to search back from --bad)",
				   good_rev, bad_rev, short_id(bad));
	if (repo.is_ancestor(good, bad))
		return "";
	if (repo.is_ancestor(bad, good))
		return fmt::format(
			"--good {} ({}) is newer than --bad {} ({}), which is its ancestor: swapped? the good "
			"end must be an ancestor of the bad end",
			good_rev, short_id(good), bad_rev, short_id(bad));
	return fmt::format("--good {} ({}) is not an ancestor of --bad {} ({}) (separate branches): the good end "
			   "must be an ancestor of the bad end",
			   good_rev, short_id(good), bad_rev, short_id(bad));
}

} // namespace pipehang::bisect
