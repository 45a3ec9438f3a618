// One serial console read by the tool's own parsers, as JSON, for the
// scripts and tests that would otherwise re-parse it with grep and sed
// (`pipehang parse --json`, docs/harness.md): the classifier's reports, the
// guest's PIPEHANG: markers exactly as guest::parse_markers reads them (a
// marker cut by a kernel message is rejoined), and pipewatch.ko's records
// (report/pipewatch_record.h) and its other messages.
#pragma once

#include <nlohmann/json.hpp>

#include <string_view>

namespace pipehang::oracle {

// {"reports": [report::to_json...],
//  "markers": [{line, event, valid, rejoined, data, raw}],
//  "pipewatch": {"records": [{id, event, line, end_line, time_us, fields,
//                             stacks: {holder: [...], waiter: [...]}, ended,
//                             corrupted, corrupted_reason, title, holder}],
//                "messages": [{line, time_us, text, fields}]}}
// Lines are 1-based; time_us is the line's kernel timestamp in
// microseconds (null without one); frames are bare function names.
nlohmann::json console_json(std::string_view log);

} // namespace pipehang::oracle
