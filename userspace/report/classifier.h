// Console-log classifier: finds every kernel report in a raw serial-console
// log and titles it the way syzkaller does (README contracts 5 and 6).
//
// The rules are data: see families.cpp (report families: header patterns,
// title formats, type, how the guilty frame is found) and frame_rules.cpp
// (frames skipped when looking for the guilty one). This header is the whole
// public API; everything else in userspace/report/ is an implementation
// detail.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace pipehang::report {

// Coarse kind of a report, for verdict logic (a hang is not a crash).
enum class ReportType {
	Unknown,
	Hang,              // INFO: task hung, task can't die, pipewatch records
	Lockup,            // soft/hard lockup, workqueue lockup
	Stall,             // RCU stall
	Deadlock,          // lockdep: possible deadlock, inconsistent lock state
	MemorySafety,      // KASAN, KFENCE, KMSAN, bad pointer dereferences, GPF
	Leak,              // kmemleak
	DataRace,          // KCSAN
	UndefinedBehavior, // UBSAN
	Warning,           // WARNING in F and other WARNING: reports
	Bug,               // kernel BUG, BUG: ..., invalid opcode, divide error
	Panic,             // kernel panic: ... that is not the aftermath of another report
};

// "hang", "lockup", "stall", "deadlock", "memory-safety", "leak",
// "data-race", "undefined-behavior", "warning", "bug", "panic", "unknown".
std::string_view to_string(ReportType type);

// One stack trace taken from a report (frames are bare function names,
// innermost first, unreliable "?" frames dropped).
struct Stack {
	std::string label; // "call trace", or "holder"/"waiter" for pipewatch
	std::vector<std::string> frames;
};

struct Report {
	std::string title; // syzkaller-style, e.g. "INFO: task hung in pipe_release"
	ReportType type = ReportType::Unknown;
	std::string guilty_frame; // function the title names ("" when none)
	size_t start_line = 0;    // 1-based, inclusive, in the input log
	size_t end_line = 0;      // 1-based, inclusive
	bool corrupted = false;   // cut off, interleaved or missing the parts its title needs
	std::string corrupted_reason;
	std::string text;                          // the report's lines, console prefixes stripped, printable ASCII
	std::string family;                        // name of the rule that matched (families.cpp)
	std::string source;                        // "kernel" or "pipewatch"
	std::map<std::string, std::string> fields; // pipewatch key=value fields
	std::vector<Stack> stacks;
};

// Every report in the log, first report first. Never throws on bad input
// (garbage bytes, truncation, huge lines): the worst case is a report marked
// corrupted.
std::vector<Report> classify(std::string_view console_log);

} // namespace pipehang::report
