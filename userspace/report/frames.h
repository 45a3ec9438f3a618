// Reading stack frames out of report lines, and choosing the guilty frame
// the way a family's FrameSource/Extractor entries (families.h) ask.
#pragma once

#include "report/families.h"

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pipehang::report {

struct FrameLine {
	std::string_view name; // bare function name
	bool unreliable;       // printed with "? " by the unwinder
	std::string_view from; // arm32: the caller named on the same line ("" elsewhere)
};

// " pipe_release+0x20/0xd0", " ? __schedule+0x3/0x8 [mod]",
// " [<ffffffff81234567>] func+0x1/0x2" (not symbolized "[inline]" lines),
// arm32's "[<80165504>] (func) from [<8163f8d8>] (caller+0x88/0x3a0)" (func),
// powerpc's "[c0000000] [c0000001] func+0x1/0x2 (unreliable)" (unreliable).
std::optional<FrameLine> parse_frame_line(std::string_view msg);

// "RIP: 0010:func+0x1/0x2" (or "IP:", "EIP:"); nullopt for user-space RIPs.
std::optional<std::string_view> parse_rip_line(std::string_view msg);

// A kernel RIP line with an address and no symbol ("RIP: 0010:0x286",
// "PC is at 0xffffffffdeadbeef"): a jump through a bad pointer.
bool is_symbolless_kernel_rip(std::string_view msg);

// "Call Trace:", "Call trace:" (arm64), "Backtrace:" (arm32): a stack
// follows.
bool is_trace_heading(std::string_view msg);

// True for lines that may appear inside a call trace (frames, <IRQ>/<TASK>
// markers, register dumps of an interrupted context).
bool is_trace_line(std::string_view msg);

// A line holding bytes no kernel prints (a serial console garbled it):
// inside a call trace it is skipped, it does not end the trace.
bool is_garbled_line(std::string_view msg);

// Another CPU's or task's console message printed between two frames of a
// call trace (consoles without caller ids): not blank, not a heading (no
// trailing ':'), and a frame line among the next few lines (next: the
// lines after it), only such messages before it. Inside a trace it is
// skipped, it does not end the trace.
inline constexpr size_t kMaxInterleavedRun = 4;
bool is_interleaved_line(std::string_view msg, const std::vector<std::string_view> &next);

bool is_skipped_frame(std::string_view name, const Family &family);

struct GuiltyFrame {
	std::string frame;              // "" when none could be chosen
	std::string problem;            // why not, for corrupted_reason
	std::vector<std::string> trace; // the report's first call trace, for Report::stacks
	bool last_resort = false;       // frame is infrastructure: nothing else was left to name
};

// lines: the report's messages, header first.
GuiltyFrame find_guilty_frame(const Family &family, const std::vector<std::string_view> &lines,
			      std::string_view header_func);

// A guilty-frame candidate, innermost first; skipped ones stay in the list
// because the stall extractor needs the dispatch frames the skip lists drop.
// name is the raw frame name; skipped was decided on it.
struct Candidate {
	std::string name;
	bool skipped;
};

// Applies the hung-task/stall extractor (or "first kept") to the candidates;
// the answer has its syscall prefix stripped (strip_frame_prefix). "" when
// no frame qualifies: the caller titles the report "... in corrupted".
std::string extract_frame(Extractor extractor, const std::vector<Candidate> &frames);

} // namespace pipehang::report
