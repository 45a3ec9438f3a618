// Splits a raw serial-console log into lines and strips the console
// decorations the kernel and QEMU add: "<6>" log levels, "[   12.345678]"
// timestamps, "[  T123]" / "[    C1]" printk caller ids, and '\r'.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace pipehang::report {

struct ConsoleLine {
	std::string_view msg;     // the message, decorations stripped (views into the log)
	std::string_view context; // printk caller id ("T123", "C1") or empty
};

std::vector<ConsoleLine> split_console(std::string_view log);

// The line with every byte outside printable ASCII replaced by '?' (tabs
// become spaces), so report text is always valid UTF-8 and safe in a terminal.
std::string printable(std::string_view text);

} // namespace pipehang::report
