// The HTML report of one judgement (`pipehang run --report DIR`, and each
// revision of a bisection): the kernel and settings, the runs as an SVG
// timeline, the verdict and its reason, and for a bad run the waiter's and
// the holder's stacks side by side with the pipe and the hold time. Made
// from the oracle's JSON (oracle/judge_json.h), the same data as --json.
#pragma once

#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>

namespace pipehang::html {

// The page for JUDGEMENT. Console files are linked as "console-N.log"
// (relative: the page and its consoles travel together). IN_PROGRESS: the
// judgement has no verdict yet.
std::string run_report_html(const nlohmann::json &judgement, bool in_progress);

// Writes DIR/index.html (atomically) and copies each boot's console that
// exists into DIR/console-N.log. DIR is made if missing. Throws
// std::runtime_error naming the file on failure.
void write_run_report(const std::filesystem::path &dir, const nlohmann::json &judgement, bool in_progress);

} // namespace pipehang::html
