// Properties every report must have, whatever the input: checked by the
// fuzzer on every generated console and by the unit tests on every corpus
// log (tests/unit/classifier_invariants_test.cpp).
#pragma once

#include "report/classifier.h"

#include <string>
#include <string_view>
#include <vector>

namespace pipehang::report {

// "" when r is sound, else what is wrong:
//  - the title is non-empty, printable, at most kMaxTitle characters;
//  - it never names an infrastructure frame (frame_rules.h) as the guilty one,
//    except dispatch code (own_bugs groups) where the report was raised
//    (its header function or RIP line), and a last-resort frame (not
//    machinery) when the report's call trace holds only skipped frames;
//  - it is never a cut word: its last word is the guilty frame, "corrupted",
//    a fixed word of its family's title format, or a whole word of the
//    report's own (normalized) text, so a title ends
//    where the report's title line (or the line it was built from) ends;
//  - corrupted iff there is a reason; line numbers ordered.
std::string report_invariant_problem(const Report &r);

// The checks that need the console itself, for every report of it: "" or
// the first problem. A title is a whole line's: no report starts at a line
// printk cut and then replayed whole (the line before "** replaying
// previous printk message **"), or at the marker itself.
std::string log_invariant_problem(std::string_view log, const std::vector<Report> &reports);

} // namespace pipehang::report
