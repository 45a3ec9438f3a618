// The corpus expectation format (tests/data/console/NAME.titles): one line
// per report, first report first, tab-separated:
//   TITLE [<TAB>clean|corrupted] [<TAB>type=T] [<TAB>frame=F] [<TAB>holder=comm/pid]
// Every field after the title is optional and only checked when present,
// so hand-written expectations can state just what matters.
// `pipehang parse --update LOG...` writes the full form from the current
// classifier output (review the diff before committing it).
#pragma once

#include "report/classifier.h"

#include <string>
#include <string_view>
#include <vector>

namespace pipehang::report {

struct Expectation {
	std::string title;
	std::string flag;   // "", "clean" or "corrupted"
	std::string type;   // "" = not checked
	std::string frame;  // "" = not checked; "-" = the report names no frame
	std::string holder; // "" = not checked
};

std::vector<Expectation> parse_expectations(std::string_view text);

// The full expectation line for a report (no trailing newline).
std::string expectation_line(const Report &r);

// "" when the reports match the expectations, else one line per mismatch.
std::string compare_expectations(const std::vector<Report> &got, const std::vector<Expectation> &want);

} // namespace pipehang::report
