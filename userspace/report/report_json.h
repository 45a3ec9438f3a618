// The one JSON form of a report: `pipehang parse --json` prints it, and the
// oracle's --json verdict lists every report of every boot in it, so both
// carry the same fields under the same names.
#pragma once

#include "report/classifier.h"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <string>

namespace pipehang::report {

// Fields: title, type, guilty_frame, start_line, end_line, corrupted,
// corrupted_reason, family, source, fields, stacks, text, and holder when
// the report names one (report/holder.h). TEXT_LIMIT cuts text (marked
// "...(cut)"): a verdict over many boots must stay readable; parse keeps it
// whole.
nlohmann::json to_json(const Report &report, std::size_t text_limit = std::string::npos);

} // namespace pipehang::report
