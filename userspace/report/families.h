// Data: the report families the classifier knows. Each family says which
// console line starts a report (header patterns, see pattern.h), what the
// title looks like, what type of bug it is, and how its guilty frame is
// found. The classifier (classifier.cpp) interprets this table and contains
// no family-specific logic.
#pragma once

#include "report/classifier.h"

#include <string_view>
#include <vector>

namespace pipehang::report {

// Where guilty-frame candidates come from, tried in the listed order; the
// candidates are concatenated, skipped frames dropped, then the extractor
// picks one.
enum class FrameSource {
	HeaderFunc,     // the first {func} captured by the header
	Rip,            // the first "RIP: 0010:func+0x..." line after the header
	CallTrace,      // frames of the report's first "Call Trace:" (its first stack)
	LockdepAt,      // lockdep's "..., at: func+0x..." and "[<pc>] func+0x..." lines
	LockdepAcquire, // the first "at:" function (the lock being acquired), verbatim: no skip
			// list applies (syzkaller takes it from the report's own regex)
	Backtrace,      // kmemleak's "backtrace:" section
	MarkedStack,    // the frames right after the first line containing Family::stack_marker
	TimerInterrupt, // what the report's first timer interrupt interrupted (any CPU): the
			// RIP and frames after it; nothing without one (syzkaller's stall rule)
};

enum class Extractor {
	First,    // first frame left after skipping
	HungTask, // hung_task_anchors() / hung_task_skips() (frame_rules.h)
	Stall,    // frame just inside the first stall_anchors() frame
};

// How a header relates to the report before it.
enum class Fold {
	Never,      // always starts its own report
	IntoOpen,   // part of the report still being printed, if any
	IntoRecent, // aftermath (e.g. "Kernel panic - not syncing: Fatal exception"):
		    // part of the previous report if it ended within kFoldWindow lines
};
inline constexpr size_t kFoldWindow = 1000;

// When a report's text ends (besides the next report starting).
enum class EndRule {
	Marker,    // "---[ end trace", "---[ end Kernel panic", "Rebooting in"
	TraceEnd,  // the end of its call trace ("</TASK>"), or a Marker
	Separator, // a "=====" ruler (sanitizer reports), or a Marker
	Line,      // the header line is the whole report
	None,      // no end of its own: runs to the next report or kMaxOpenLinesNoEnd
};

struct Family {
	std::string_view name;
	ReportType type;
	std::vector<std::string_view> headers; // patterns; any one starts the report
	std::string_view title;                // format: {1}.. captures, {frame} guilty frame
	std::vector<FrameSource> frames = {};  // empty: the title needs no frame
	Extractor extractor = Extractor::First;
	std::vector<std::string_view> skip = {};      // extra frame globs for this family
	std::vector<std::string_view> body = {};      // patterns searched in later lines; captures follow the header's;
						      // "A|B" tries A, then B, on each line
	std::string_view fallback_title = {};         // used (corrupted) when a body capture or the frame is missing
	bool fallback_is_clean = false;               // the fallback is a complete title of its own (not corrupted)
	bool fallback_without_body = false;           // the fallback only when a body capture is missing (a missing
						      // frame alone is "in corrupted")
	std::string_view stack_marker = {};           // FrameSource::MarkedStack: text of the line before the stack
	std::vector<std::string_view> fold_into = {}; // Fold::IntoRecent only into these families ({} = any)
	EndRule end = EndRule::Marker;
	Fold fold = Fold::Never;
	bool needs_stack = true;                     // corrupted when the report has no stack trace
	bool corrupted = false;                      // the header alone means the report is damaged
	bool interrupts_too = true;                  // false: ignore frames inside <IRQ>/<NMI> sections
	bool any_context = false;                    // take lines from every printk caller (NMI backtraces)
	std::vector<std::string_view> suppress = {}; // substrings that veto the header
	bool after_kernel_output = false;            // a header only once the kernel has printed (a reboot)
	bool line_start = false;                     // the header must begin its message (not quoted inside another)
	bool catch_all = false;                      // matches any line of its kind ("INFO: {rest}"): a line
						     // only it matches may be the start of a header cut by a newline
};

inline constexpr size_t kMaxOpenLines = 2000;
inline constexpr size_t kMaxOpenLinesNoEnd = 400;

const std::vector<Family> &families();

} // namespace pipehang::report
