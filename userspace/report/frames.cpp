#include "report/frames.h"

#include "report/demangle.h"
#include "report/frame_rules.h"
#include "report/pattern.h"

#include <algorithm>
#include <functional>
#include <initializer_list>

namespace pipehang::report {

namespace {

bool is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}
bool is_ident(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// Blanks, and the bytes a serial console garbles (a NUL where a frame's
// indentation was must not hide the frame).
std::string_view ltrim(std::string_view s)
{
	while (!s.empty()) {
		unsigned char u = static_cast<unsigned char>(s.front());
		if (u != ' ' && u != '\t' && u >= 0x20 && u < 0x7f)
			break;
		s.remove_prefix(1);
	}
	return s;
}

bool starts_with(std::string_view s, std::string_view p)
{
	return s.substr(0, p.size()) == p;
}

// "func.isra.0+0x1a/0x40..." at the start of s -> "func". Symbolized inline
// lines ("func fs/x.c:12 [inline]") are not frames, as for syzkaller: only
// real return addresses name functions in titles.
std::string_view leading_symbol(std::string_view s)
{
	size_t i = 0;
	while (i < s.size() && (is_ident(s[i]) || s[i] == '.'))
		i++;
	if (i == 0)
		return {};
	std::string_view rest = s.substr(i);
	if (starts_with(rest, "+0x")) {
		size_t j = 3;
		while (j < rest.size() && is_hex(rest[j]))
			j++;
		if (j == 3 || j >= rest.size() || rest[j] != '/')
			return {};
		return symbol_name(s);
	}
	return {};
}

// Skips "[<ffffffff81234567>] " (old x86 and lockdep) prefixes.
std::string_view skip_pc(std::string_view s)
{
	for (int k = 0; k < 2 && starts_with(s, "["); k++) {
		size_t close = s.find(']');
		if (close == std::string_view::npos || close > 24)
			break;
		std::string_view inner = s.substr(1, close - 1);
		if (starts_with(inner, "<"))
			inner.remove_prefix(1);
		if (!inner.empty() && inner.back() == '>')
			inner.remove_suffix(1);
		if (starts_with(inner, "0x"))
			inner.remove_prefix(2);
		if (inner.empty())
			break;
		for (char c : inner)
			if (!is_hex(c))
				return s;
		s = ltrim(s.substr(close + 1));
	}
	return s;
}

// A symbolized inline function between two frames (not a frame itself):
// " __dump_stack lib/dump_stack.c:88 [inline]".
bool is_inline_line(std::string_view s)
{
	while (!s.empty() && (s.back() == ' ' || s.back() == '\r'))
		s.remove_suffix(1);
	return s.size() > 9 && s.substr(s.size() - 8) == "[inline]";
}

// arm32's saved registers under a frame: "r10:84a90360 r9:82fe5410 ...".
bool is_arm_register_line(std::string_view s)
{
	size_t i = 0;
	if (s.size() < 4 || s[i++] != 'r')
		return false;
	while (i < s.size() && s[i] >= '0' && s[i] <= '9')
		i++;
	return i > 1 && i < s.size() && s[i] == ':';
}

// A stack dump line: "5fa0: 00000000 00000000 ...".
bool is_hex_dump_line(std::string_view s)
{
	size_t i = 0;
	while (i < s.size() && is_hex(s[i]))
		i++;
	return i >= 4 && i <= 16 && i < s.size() && s[i] == ':';
}

// A RIP-like line ("RIP: 0010:f+0x1/0x2", "PC is at f+0x..."): the prefix
// it starts with, its code segment selector ("0010", "" without one) and
// what follows them.
struct RipLine {
	std::string_view prefix, segment, value;
};
std::optional<RipLine> split_rip_line(std::string_view msg)
{
	std::string_view s = ltrim(msg);
	for (std::string_view p : {"RIP: ", "EIP: ", "IP: ", "NIP: ", "pc : ", "PC is at "}) {
		if (!starts_with(s, p))
			continue;
		RipLine r{p, {}, s.substr(p.size())};
		size_t colon = r.value.find(':');
		if (colon != std::string_view::npos && colon <= 4) {
			bool hex = colon > 0;
			for (size_t i = 0; i < colon; i++)
				hex = hex && is_hex(r.value[i]);
			if (hex) {
				r.segment = r.value.substr(0, colon);
				r.value = r.value.substr(colon + 1);
			}
		}
		return r;
	}
	return std::nullopt;
}

} // namespace

std::optional<FrameLine> parse_frame_line(std::string_view msg)
{
	std::string_view s = skip_pc(ltrim(msg));
	bool unreliable = false;
	if (starts_with(s, "? ")) {
		unreliable = true;
		s = ltrim(s.substr(2));
	}
	if (starts_with(s, "(")) {
		// arm32: the frame is in parentheses, its caller after " from ".
		size_t close = s.find(')');
		if (close == std::string_view::npos || !starts_with(s.substr(close + 1), " from "))
			return std::nullopt;
		std::string_view inner = s.substr(1, close - 1);
		size_t i = 0;
		while (i < inner.size() && (is_ident(inner[i]) || inner[i] == '.'))
			i++;
		if (i == 0 || i != inner.size())
			return std::nullopt;
		std::string_view rest = skip_pc(ltrim(s.substr(close + 6)));
		std::string_view caller = starts_with(rest, "(") ? leading_symbol(rest.substr(1)) : std::string_view{};
		return FrameLine{symbol_name(inner), unreliable, caller};
	}
	std::string_view name = leading_symbol(s);
	if (name.empty())
		return std::nullopt;
	std::string_view tail = s;
	while (!tail.empty() && (tail.back() == ' ' || tail.back() == '\r'))
		tail.remove_suffix(1);
	if (tail.size() >= 12 && tail.substr(tail.size() - 12) == "(unreliable)")
		unreliable = true; // powerpc's "? "
	return FrameLine{name, unreliable, {}};
}

bool is_symbolless_kernel_rip(std::string_view msg)
{
	// powerpc's "NIP: " line is a register dump, never a call's target.
	auto r = split_rip_line(msg);
	if (!r || r->prefix == "NIP: " || r->segment == "0033" || r->segment == "0023" || r->segment == "0073")
		return false; // not a RIP line, or user space
	return starts_with(ltrim(r->value), "0x") && !parse_rip_line(msg);
}

bool is_trace_heading(std::string_view msg)
{
	std::string_view s = ltrim(msg);
	return starts_with(s, "Call Trace:") || starts_with(s, "Call trace:") || starts_with(s, "Backtrace:");
}

std::optional<std::string_view> parse_rip_line(std::string_view msg)
{
	std::string_view s = ltrim(msg);
	if (starts_with(s, "--- interrupt: ")) {
		// powerpc: where a trap (a WARN's) interrupted the kernel.
		size_t at = s.find(" at ");
		if (at == std::string_view::npos)
			return std::nullopt;
		std::string_view name = leading_symbol(ltrim(s.substr(at + 4)));
		if (name.empty())
			return std::nullopt;
		return name;
	}
	auto r = split_rip_line(msg);
	if (!r)
		return std::nullopt;
	std::string_view name = leading_symbol(skip_pc(ltrim(r->value)));
	if (name.empty())
		return std::nullopt;
	return name;
}

bool is_trace_line(std::string_view msg)
{
	std::string_view s = ltrim(msg);
	if (s.empty())
		return false;
	if (s.front() == '<' &&
	    (starts_with(s, "<IRQ>") || starts_with(s, "<TASK>") || starts_with(s, "<NMI>") ||
	     starts_with(s, "<EOI>") || starts_with(s, "<SOFTIRQ>") || starts_with(s, "<#") || starts_with(s, "</")))
		return true;
	if (parse_frame_line(s))
		return true;
	if (is_inline_line(s))
		return true;
	// arm32 prints the saved registers of each frame (" r7:83675be0 r6:..."),
	// and an exception's stack ("Exception stack(0x...)" and its hex lines).
	if (starts_with(s, "Exception stack(") || is_arm_register_line(s) || is_hex_dump_line(s))
		return true;
	// powerpc: a frame without a symbol, the trap's own line and its LR.
	if (starts_with(skip_pc(s), "(null)") || starts_with(s, "--- interrupt: ") || starts_with(s, "LR = "))
		return true;
	// Register dump of an interrupted context nested in the trace.
	for (std::string_view p :
	     {"RIP:", "RSP:", "RAX:", "RDX:", "RBP:",  "R10:", "R13:", "Code:",       "FS:",         "CS:",
	      "CR2:", "DR0:", "DR3:", "DR6:", "PKRU:", "---[", "...",  "Call Trace:", "Call trace:", "? "})
		if (starts_with(s, p))
			return true;
	return false;
}

bool is_garbled_line(std::string_view msg)
{
	for (char c : msg) {
		unsigned char u = static_cast<unsigned char>(c);
		if ((u < 0x20 && u != '\t') || u >= 0x7f)
			return true;
	}
	return false;
}

namespace {
bool is_foreign_text(std::string_view msg)
{
	std::string_view s = ltrim(msg);
	while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
		s.remove_suffix(1);
	return !(s.empty() || s.back() == ':' || is_trace_line(s));
}
} // namespace

bool is_interleaved_line(std::string_view msg, const std::vector<std::string_view> &next)
{
	// Another message printed between two frames: a short run of such lines
	// (one message can take two), then the trace goes on.
	if (!is_foreign_text(msg))
		return false;
	for (size_t k = 0; k < next.size() && k < kMaxInterleavedRun; k++) {
		if (parse_frame_line(next[k]))
			return true;
		if (!is_foreign_text(next[k]))
			return false;
	}
	return false;
}

bool is_skipped_frame(std::string_view name, const Family &family)
{
	return matches_any(family.skip, name) || is_infrastructure_frame(name);
}

namespace {

const AnchorRename *find_anchor(const std::vector<AnchorRename> &anchors, std::string_view name)
{
	for (const auto &a : anchors)
		if (glob_match(a.anchor, name))
			return &a;
	return nullptr;
}

std::string renamed(const AnchorRename &a, const std::string &name)
{
	return a.rename.empty() ? name : std::string(a.rename);
}

} // namespace

std::string extract_frame(Extractor extractor, const std::vector<Candidate> &raw)
{
	// Extractors see the names a title would show, as syzkaller's do.
	std::vector<Candidate> frames;
	frames.reserve(raw.size());
	for (const auto &f : raw)
		frames.push_back({strip_frame_prefix(f.name), f.skipped});
	switch (extractor) {
	case Extractor::First:
		for (const auto &f : frames)
			if (!f.skipped)
				return f.name;
		return {};
	case Extractor::HungTask:
		for (const auto &f : frames)
			if (const AnchorRename *a = f.skipped ? nullptr : find_anchor(hung_task_anchors(), f.name))
				return renamed(*a, f.name);
		for (const auto &f : frames)
			if (!f.skipped && !matches_any(hung_task_skips(), f.name))
				return f.name;
		return {};
	case Extractor::Stall: {
		// The looping code is random; the kept frame just inside the first
		// dispatch point (anchor) names the bucket. Anchors are looked for
		// among all frames: syscall entry frames are skipped for titles but
		// are exactly the dispatch points wanted here. No anchor in sight
		// means the stack is cut or not the stalled one: no guess.
		const Candidate *prev = nullptr;
		for (const auto &f : frames) {
			if (const AnchorRename *a = find_anchor(stall_self_anchors(), f.name))
				return renamed(*a, f.name);
			if (matches_any(stall_anchors(), f.name)) {
				if (prev)
					return prev->name;
				if (!f.skipped)
					return f.name;
				continue;
			}
			if (!f.skipped)
				prev = &f;
		}
		return {};
	}
	}
	return {};
}

namespace {

bool is_marker(std::string_view s, std::initializer_list<std::string_view> ms)
{
	for (auto m : ms)
		if (starts_with(s, m))
			return true;
	return false;
}

// Which interrupt sections of a trace count.
enum class Sections {
	All,          // every frame
	NoInterrupts, // not inside <IRQ>/<NMI>/<SOFTIRQ>/<#XX> (the reporting machinery)
};

// Frames of the first call trace in [from, to) (the one starting at a
// "Call Trace:" line, or at from when trace_started), innermost first.
void trace_frames(const std::vector<std::string_view> &lines, size_t from, size_t to, bool trace_started,
		  Sections sections, const std::function<void(std::string_view)> &add)
{
	bool in_trace = trace_started;
	bool got = false;
	std::string_view caller; // arm32: the last line's caller, the next line's frame
	int irq_depth = 0, nmi_depth = 0;
	for (size_t i = from; i < to; i++) {
		std::string_view s = ltrim(lines[i]);
		if (is_trace_heading(s)) {
			if (got)
				return; // only the report's first stack names its bug
			in_trace = true;
			irq_depth = nmi_depth = 0;
			continue;
		}
		if (!in_trace)
			continue;
		if (starts_with(s, "<NMI>")) {
			nmi_depth++;
			continue;
		}
		if (starts_with(s, "</NMI>")) {
			nmi_depth = nmi_depth > 0 ? nmi_depth - 1 : 0;
			continue;
		}
		if (is_marker(s, {"<IRQ>", "<SOFTIRQ>", "<#"})) { // <#DF>, <#MC>: exception stacks
			irq_depth++;
			continue;
		}
		if (is_marker(s, {"</IRQ>", "</SOFTIRQ>", "</#", "<EOI>"})) {
			irq_depth = irq_depth > 0 ? irq_depth - 1 : 0;
			continue;
		}
		if (!is_trace_line(s)) {
			// A garbled line or a short run of interleaved ones does not
			// end a trace.
			std::vector<std::string_view> next(
				lines.begin() + static_cast<std::ptrdiff_t>(i + 1),
				lines.begin() + static_cast<std::ptrdiff_t>(std::min(to, i + 1 + kMaxInterleavedRun)));
			if (is_garbled_line(s) || is_interleaved_line(s, next))
				continue;
			in_trace = false;
			if (got)
				return;
			continue;
		}
		if (sections == Sections::NoInterrupts && (irq_depth > 0 || nmi_depth > 0))
			continue;
		if (auto f = parse_frame_line(s); f && !f->unreliable) {
			if (f->from.empty() || f->name != caller)
				add(f->name);
			if (!f->from.empty())
				add(f->from); // the last line's caller is printed nowhere else
			caller = f->from;
			got = true;
		}
	}
}

// Frames of what a timer interrupt interrupted: the first (reliable)
// timer-interrupt entry in [from, to), then the RIP line and the frames
// after it. False when there is no such entry.
bool timer_interrupted_frames(const std::vector<std::string_view> &lines, size_t from, size_t to,
			      const std::function<void(std::string_view)> &add)
{
	// The timer interrupt that noticed the stall: what it interrupted is
	// printed after it (the RIP line, then that context's frames).
	for (size_t i = from; i < to; i++) {
		auto f = parse_frame_line(lines[i]);
		bool entry =
			(f && !f->unreliable &&
			 (glob_match("*apic_timer_interrupt*", f->name) || glob_match("*el1h_64_irq*", f->name))) ||
			starts_with(ltrim(lines[i]), "Exception stack");
		if (!entry)
			continue;
		// What it interrupted follows: the RIP line of the interrupted
		// context (when printed here) and that context's frames.
		for (size_t k = i + 1; k < to; k++) {
			std::string_view s = ltrim(lines[k]);
			if (starts_with(s, "</TASK>") || starts_with(s, "Call Trace:") ||
			    (!s.empty() && !is_trace_line(s) && !is_garbled_line(s)))
				break;
			if (auto rip = parse_rip_line(s))
				add(*rip);
			else if (auto fl = parse_frame_line(s); fl && !fl->unreliable)
				add(fl->name);
		}
		return true;
	}
	return false;
}

} // namespace

GuiltyFrame find_guilty_frame(const Family &family, const std::vector<std::string_view> &lines,
			      std::string_view header_func)
{
	GuiltyFrame out;
	std::vector<Candidate> candidates;
	// crash_site: the frame the kernel itself says the report happened in
	// (RIP, a sanitizer's header function); dispatch code with logic of its
	// own may be named there. For stall/hang extractors there is no crash
	// site: the RIP is wherever the loop or the wait happened to be.
	auto add_frame = [&](std::string_view raw, bool crash_site) {
		if (raw.empty())
			return;
		std::string name = demangle_symbol(raw);
		std::string stripped = strip_frame_prefix(name);
		bool skipped;
		if (crash_site && family.extractor == Extractor::First)
			skipped = matches_any(family.skip, name) || is_helper_frame(name) || is_helper_frame(stripped);
		else // the title shows the stripped name: neither may be infrastructure
			skipped = is_skipped_frame(name, family) || is_skipped_frame(stripped, family);
		candidates.push_back({std::move(name), skipped});
	};
	// A RIP in a helper (a retpoline thunk, memcpy) was called by the trace's
	// first frame: that caller is where the report happened.
	bool rip_in_helper = false;
	auto add = [&](std::string_view raw) {
		add_frame(raw, rip_in_helper);
		rip_in_helper = false;
	};
	// The first call trace is recorded whatever the frame sources are.
	trace_frames(lines, 1, lines.size(), false, Sections::All,
		     [&](std::string_view n) { out.trace.emplace_back(n); });
	for (FrameSource src : family.frames) {
		switch (src) {
		case FrameSource::HeaderFunc: add_frame(header_func, true); break;
		case FrameSource::Rip:
			// The first kernel RIP line is the trap's; later ones are other
			// contexts' (an interrupt's, a stalled CPU's).
			for (size_t i = 1; i < lines.size(); i++) {
				if (auto rip = parse_rip_line(lines[i])) {
					add_frame(*rip, true);
					rip_in_helper =
						candidates.back().skipped && is_helper_frame(candidates.back().name);
					break;
				}
				if (is_symbolless_kernel_rip(lines[i])) {
					// A call through a bad pointer ("RIP: 0010:0x286"): the
					// trace's first frame made it.
					rip_in_helper = true;
					break;
				}
			}
			break;
		case FrameSource::CallTrace:
			trace_frames(lines, 1, lines.size(), false,
				     family.interrupts_too ? Sections::All : Sections::NoInterrupts, add);
			break;
		case FrameSource::TimerInterrupt: timer_interrupted_frames(lines, 1, lines.size(), add); break;
		case FrameSource::LockdepAt: {
			// "..., at: func+0x1/0x2": the first names the acquisition the
			// report is about; the next is a fallback when that one is skipped.
			int found = 0;
			for (size_t i = 1; i < lines.size() && found < 2; i++) {
				std::string_view s = lines[i];
				size_t at = s.find("at: ");
				if (at != std::string_view::npos) {
					std::string_view rest = skip_pc(ltrim(s.substr(at + 4)));
					std::string_view name = leading_symbol(rest);
					if (!name.empty()) {
						add(name);
						found++;
					}
					continue;
				}
				std::string_view t = ltrim(s);
				if (starts_with(t, "[<")) {
					if (auto f = parse_frame_line(t)) {
						add(f->name);
						found++;
					}
				}
			}
			break;
		}
		case FrameSource::LockdepAcquire: {
			// The first "at:" after "is trying to acquire lock:" (syzkaller's
			// report regex), else after the header.
			size_t from = 1;
			for (size_t i = 1; i < lines.size(); i++)
				if (lines[i].find("is trying to acquire") != std::string_view::npos) {
					from = i + 1;
					break;
				}
			for (size_t i = from; i < lines.size(); i++) {
				size_t at = lines[i].find("at: ");
				if (at == std::string_view::npos)
					continue;
				std::string_view rest = skip_pc(ltrim(lines[i].substr(at + 4)));
				if (std::string_view name = leading_symbol(rest); !name.empty())
					candidates.push_back({demangle_symbol(name), false});
				break;
			}
			break;
		}
		case FrameSource::MarkedStack: {
			size_t i = 0;
			while (i < lines.size() && (family.stack_marker.empty() ||
						    lines[i].find(family.stack_marker) == std::string_view::npos))
				i++;
			for (i++; i < lines.size(); i++) {
				auto f = parse_frame_line(lines[i]);
				if (!f && is_inline_line(lines[i]))
					continue;
				if (!f)
					break;
				if (!f->unreliable)
					add(f->name);
			}
			break;
		}
		case FrameSource::Backtrace: {
			bool in_bt = false;
			for (size_t i = 1; i < lines.size(); i++) {
				std::string_view s = ltrim(lines[i]);
				if (starts_with(s, "backtrace")) {
					in_bt = true;
					continue;
				}
				if (!in_bt)
					continue;
				auto f = parse_frame_line(s);
				if (!f && is_inline_line(s))
					continue;
				if (!f)
					break;
				if (!f->unreliable)
					add(f->name);
			}
			break;
		}
		}
	}
	if (family.frames.empty())
		return out;
	if (candidates.empty()) {
		out.problem = "no usable stack frame";
		return out;
	}
	out.frame = extract_frame(family.extractor, candidates);
	// The report's call trace holds nothing a title may name.
	auto trace_all_skipped = [&] {
		for (const std::string &f : out.trace) {
			std::string stripped = strip_frame_prefix(f);
			if (!is_skipped_frame(f, family) && !is_skipped_frame(stripped, family) &&
			    !(family.extractor == Extractor::HungTask && matches_any(hung_task_skips(), stripped)))
				return false;
		}
		return !out.trace.empty();
	};
	// A trap's RIP line printed inside the trace with no frame after it: the
	// log was cut where the trapped context's frames should be.
	auto cut_after_rip = [&] {
		size_t rip = 0;
		for (size_t i = 1; i < lines.size(); i++)
			if (parse_rip_line(lines[i]))
				rip = i;
		if (rip == 0)
			return false;
		for (size_t i = rip + 1; i < lines.size(); i++)
			if (parse_frame_line(lines[i]))
				return false;
		return true;
	};
	if (out.frame.empty() && family.extractor != Extractor::Stall && trace_all_skipped() && !cut_after_rip()) {
		// Every frame of a call trace is skipped: a stack of dispatch,
		// allocator or workqueue frames alone is still a whole stack
		// (syzkaller's skip list would name one), so name the first that is
		// not machinery. Without a call trace, or with one cut after a
		// trap's RIP, nothing is named.
		// Dispatch code (VFS, softirq, network) first: it is where the
		// stack's own work was dispatched from; then the helpers (allocators,
		// references, work requests).
		for (bool helpers : {false, true}) {
			for (auto &c : candidates) {
				std::string stripped = strip_frame_prefix(c.name);
				c.skipped = matches_any(family.skip, c.name) || is_machinery_frame(c.name) ||
					    is_machinery_frame(stripped) ||
					    (!helpers && (is_helper_frame(c.name) || is_helper_frame(stripped)));
			}
			out.frame = extract_frame(family.extractor, candidates);
			if (!out.frame.empty())
				break;
		}
		out.last_resort = !out.frame.empty();
	}
	if (out.frame.empty())
		out.problem = family.extractor == Extractor::Stall ? "no dispatch frame (anchor) in the stalled stack"
								   : "every stack frame is skipped";
	return out;
}

} // namespace pipehang::report
