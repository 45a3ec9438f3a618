// What a bisection's HTML report (html/bisect_report.h) is drawn from:
// the bisections' JSON (report_json.h) with each tested revision linked to
// its run report, and the first-parent line of the history they ran on.
#pragma once

#include "bisect/session.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <set>
#include <string>
#include <vector>

namespace pipehang::bisect {

// The first-parent line from BAD back to the first of STOP_AT met (or the
// root, or LIMIT commits), newest first: [{"id","subject","merge"}].
nlohmann::json first_parent_line(Repo &repo, const Commit &bad, const std::set<std::string> &stop_at, int limit);

// The commits the line should reach back to: the good end bisected from
// and every good-end or search-back revision of R.
std::set<std::string> line_ends(const BisectionReport &r);

// to_json(R) with "report" set on every tested revision whose run report
// exists under REPORT_DIR (a reused verdict links the report of the
// revision it was reused from), as a path relative to REPORT_DIR.
nlohmann::json with_run_links(const BisectionReport &r, const std::filesystem::path &report_dir);

} // namespace pipehang::bisect
