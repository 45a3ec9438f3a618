// The bisection's report in words.
#pragma once

#include "bisect/report.h"

#include <string>
#include <vector>

namespace pipehang::bisect {

// Human summary lines of one bisection (also used by the demo and bench).
std::vector<std::string> summary_lines(const BisectionReport &r);

// One line on the good-end search ("good end X was bad: ...; found good:
// tag Y (...)"), empty when no search ran.
std::string search_summary(const BisectionReport &r);

// "the good end X is bad and no good revision was found before it (...)":
// not finding a good revision is an answer, not a failure -- the bug is
// older than everything tried; says what was tried and what to do next.
std::string no_good_found_message(const BisectionReport &r);

} // namespace pipehang::bisect
