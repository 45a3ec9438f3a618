// HTML escaping: every string that reaches a report from a console, a
// commit subject or a file name goes through here, so a kernel log line
// like "<TASK>" or a subject with '&' renders as text and never as markup.
#pragma once

#include <string>
#include <string_view>

namespace pipehang::html {

// Text for an element body or a quoted attribute value: & < > " ' escaped,
// control bytes other than tab and newline dropped (consoles carry them).
std::string escape(std::string_view text);

} // namespace pipehang::html
