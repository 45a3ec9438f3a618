// Is --good .. --bad a range there is something to bisect in? Both ends
// the same commit, or a good end that is not an ancestor of the bad one, is
// bad input (exit usage) with a message saying which -- never "no culprit",
// which would read as an answer about the kernel.
#pragma once

#include "bisect/seams.h"

#include <string>

namespace pipehang::bisect {

// "" when GOOD is a proper ancestor of BAD; otherwise what is wrong, naming
// both revisions as the user gave them (GOOD_REV, BAD_REV).
std::string range_problem(Repo &repo, const std::string &good_rev, const Commit &good, const std::string &bad_rev,
			  const Commit &bad);

} // namespace pipehang::bisect
