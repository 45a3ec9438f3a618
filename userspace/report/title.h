// Building a report title from a family's format and normalizing it the way
// syzkaller does, so titles are stable across runs, kernels and machines.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace pipehang::report {

// Replaces {1}..{9} with captures, {0} with header (the header line from
// its first literal on) and {frame} with frame. A placeholder whose value
// is missing is left out. Sets missing=true in that case.
std::string format_title(std::string_view format, const std::vector<std::string_view> &caps, std::string_view frame,
			 bool &missing, std::string_view header = {});

// Normalizes a title as syzkaller does: executor names without run ids,
// 6+ hex digits -> ADDR, dotted quads -> IP, "file.c:123" -> "file.c:LINE",
// "func+0x1a/0x40" -> "func", "CPU#1" -> "CPU", every other stand-alone
// decimal number -> NUM, control bytes dropped, blanks collapsed; at most
// kMaxTitle characters, cut at a word boundary.
std::string sanitize_title(std::string_view title);

// The replacements of sanitize_title() alone (no length cap, bytes and
// blanks kept): what a piece of report text looks like inside a title.
std::string normalize_title_text(std::string_view text);

inline constexpr size_t kMaxTitle = 120;

} // namespace pipehang::report
