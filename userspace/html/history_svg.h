// A bisection's history as an inline SVG: the first-parent line from the
// oldest commit of interest (left) to the bad end (right), merges drawn as
// diamonds, and for each bisection a row of the revisions it tested on
// that line, coloured by verdict, numbered in test order; reused verdicts
// are hollow rings, skips grey squares, good-end search steps marked "s",
// the culprit ringed. Revisions off the line (a revert made for the check,
// commits inside a merged branch) are listed after it in their own row.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

namespace pipehang::html {

// HISTORY: the first-parent line, newest first, [{"id","subject","merge"}].
// BISECTIONS: the bisections' JSON (bisect/report_json.h), each with
// "tested" (and "report" links, when set, on the tested entries).
std::string history_svg(const nlohmann::json &history, const nlohmann::json &bisections);

} // namespace pipehang::html
