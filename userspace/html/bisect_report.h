// The HTML report of a bisection (`pipehang bisect --report DIR`): the
// history as SVG (history_svg.h), a table of every revision tested
// (subject, verdict, reason, build and test time, signature, a link to its
// run report), the good-end search, the culprit with the revert check and
// the false-culprit reasoning next to the re-bisection's answer. Made from
// the bisection's JSON (bisect/report_json.h), never from its log.
#pragma once

#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>

namespace pipehang::html {

// DATA: {"tree", "given_good", "given_bad", "history" (history_svg.h),
// "bisections": [first, re-bisection...]} (the re-bisection is present
// once it started). IN_PROGRESS: still bisecting.
std::string bisect_report_html(const nlohmann::json &data, bool in_progress);

// Writes DIR/index.html atomically (DIR made if missing); throws
// std::runtime_error naming the file on failure.
void write_bisect_report(const std::filesystem::path &dir, const nlohmann::json &data, bool in_progress);

} // namespace pipehang::html
