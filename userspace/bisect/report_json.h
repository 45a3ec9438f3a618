// A bisection as JSON: `pipehang bisect --json` and the HTML report
// (`--report`, html/bisect_report.h) are made from this one form.
#pragma once

#include "bisect/session.h"

#include <nlohmann/json.hpp>

namespace pipehang::bisect {

nlohmann::json to_json(const Commit &c);
nlohmann::json to_json(const SearchedRevision &r);
// Everything in R, including "tested": every revision evaluated, in order,
// with its role, verdict, reason, crash title, build and test seconds,
// signature, reuse and the run's lines.
nlohmann::json to_json(const BisectionReport &r);

} // namespace pipehang::bisect
