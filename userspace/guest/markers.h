// Reading the guest init's `PIPEHANG: <event> <json>` marker lines back
// out of a serial console log (format: docs/harness.md). Kernel messages
// can interleave with them, so a marker may start mid-line and a damaged
// one is kept but flagged, never guessed at.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pipehang::guest {

struct Marker {
	std::string event;     // boot, kmod, disk, module, script, run-start, repro, run-end, done
	nlohmann::json data;   // the parsed object (null when !valid)
	std::size_t line = 0;  // 0-based line in the console log
	bool valid = false;    // JSON parsed as an object
	std::string raw;       // the text after "PIPEHANG: "
	bool rejoined = false; // cut by a kernel message, rejoined with its rest on line + 1
};

std::vector<Marker> parse_markers(std::string_view console);

// The first valid marker with EVENT, if any.
std::optional<Marker> find_marker(const std::vector<Marker> &markers, std::string_view event);

} // namespace pipehang::guest
