// Splits a raw serial-console log into lines and strips the console
// decorations the kernel and QEMU add: "<6>" log levels, "[   12.345678]"
// timestamps, "[  T123]" / "[    C1]" printk caller ids, and '\r'.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pipehang::report {

struct ConsoleLine {
	std::string_view msg;     // the message, decorations stripped (views into the log)
	std::string_view context; // printk caller id ("T123", "C1") or empty
	std::string_view prefix;  // the decorations themselves ("[  12.3][  T1] "), "" without a timestamp
	std::string_view raw;     // the whole line, only '\r' and leading garbage bytes dropped
	// printk's replay of a line a console takeover cut (nbcon, 6.12+):
	//   "INFO: t" / "** replaying previous printk message **" / the whole line.
	// The cut copy and the marker are not part of any message.
	bool replayed = false;
};

inline constexpr std::string_view kReplayMarker = "** replaying previous printk message **";

// The log's lines, one per '\n' (line k of the input is element k). A line
// cut by a console takeover and the replay marker after it are flagged
// `replayed`; the replayed whole line follows them.
std::vector<ConsoleLine> split_console(std::string_view log);

// The kernel timestamp of one raw console line ("[   12.345678] ...", after
// an optional "<6>" level), in microseconds; nullopt when it has none.
std::optional<std::int64_t> kernel_time_us(std::string_view line);

// The line with every byte outside printable ASCII replaced by '?' (tabs
// become spaces), so report text is always valid UTF-8 and safe in a terminal.
std::string printable(std::string_view text);

} // namespace pipehang::report
