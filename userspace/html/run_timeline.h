// The runs of a judgement as an inline SVG: one bar per run, left to
// right, its length the run's duration, its colour the outcome, with the
// run number, outcome and seconds written on it.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

namespace pipehang::html {

// RUNS: the "runs" array of the oracle's JSON (oracle/judge_json.h). A run
// stopped early at its report is drawn up to the report
// ("seconds_to_report"); one with no duration at all at the mean length,
// dashed.
std::string run_timeline_svg(const nlohmann::json &runs);

} // namespace pipehang::html
