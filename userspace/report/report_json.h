// JSON form of a report, shared by `pipehang parse --json` and the oracle's
// verdict evidence so both print the same field names.
#pragma once

#include "report/classifier.h"

#include <nlohmann/json.hpp>

namespace pipehang::report {

nlohmann::json to_json(const Report &report);

} // namespace pipehang::report
