#include "report/frames.h"

#include "report/frame_rules.h"
#include "report/pattern.h"

namespace pipehang::report {

namespace {

bool is_hex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }
bool is_ident(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

std::string_view ltrim(std::string_view s)
{
	while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
		s.remove_prefix(1);
	return s;
}

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

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

} // namespace

std::optional<FrameLine> parse_frame_line(std::string_view msg)
{
	std::string_view s = skip_pc(ltrim(msg));
	bool unreliable = false;
	if (starts_with(s, "? ")) {
		unreliable = true;
		s = ltrim(s.substr(2));
	}
	std::string_view name = leading_symbol(s);
	if (name.empty())
		return std::nullopt;
	return FrameLine{name, unreliable};
}

std::optional<std::string_view> parse_rip_line(std::string_view msg)
{
	std::string_view s = ltrim(msg);
	for (std::string_view p : {"RIP: ", "EIP: ", "IP: ", "NIP: "}) {
		if (!starts_with(s, p))
			continue;
		s = s.substr(p.size());
		// "0010:" code segment selector
		size_t colon = s.find(':');
		if (colon != std::string_view::npos && colon <= 4) {
			bool hex = colon > 0;
			for (size_t i = 0; i < colon; i++)
				hex = hex && is_hex(s[i]);
			if (hex)
				s = s.substr(colon + 1);
		}
		s = skip_pc(ltrim(s));
		std::string_view name = leading_symbol(s);
		if (name.empty())
			return std::nullopt;
		return name;
	}
	return std::nullopt;
}

bool is_trace_line(std::string_view msg)
{
	std::string_view s = ltrim(msg);
	if (s.empty())
		return false;
	if (s.front() == '<' && (starts_with(s, "<IRQ>") || starts_with(s, "<TASK>") ||
				 starts_with(s, "<NMI>") || starts_with(s, "<EOI>") ||
				 starts_with(s, "<SOFTIRQ>") || starts_with(s, "</")))
		return true;
	if (parse_frame_line(s))
		return true;
	// Register dump of an interrupted context nested in the trace.
	for (std::string_view p : {"RIP:", "RSP:", "RAX:", "RDX:", "RBP:", "R10:", "R13:", "Code:",
				   "FS:", "CS:", "CR2:", "DR0:", "DR3:", "DR6:", "PKRU:", "---[", "...",
				   "Call Trace:", "Call trace:", "? "})
		if (starts_with(s, p))
			return true;
	return false;
}

bool is_skipped_frame(std::string_view name, const Family &family)
{
	if (matches_any(family.skip, name))
		return true;
	for (const auto &group : common_skip_groups())
		if (matches_any(group.patterns, name))
			return true;
	return false;
}

std::string extract_frame(Extractor extractor, const std::vector<Candidate> &frames)
{
	const Candidate *first_kept = nullptr;
	for (const auto &f : frames)
		if (!f.skipped) {
			first_kept = &f;
			break;
		}
	switch (extractor) {
	case Extractor::First:
		return first_kept ? first_kept->name : std::string();
	case Extractor::HungTask:
		for (const auto &f : frames)
			for (const auto &a : hung_task_anchors())
				if (glob_match(a.anchor, f.name))
					return a.rename.empty() ? f.name : std::string(a.rename);
		for (const auto &f : frames)
			if (!f.skipped && !matches_any(hung_task_skips(), f.name))
				return f.name;
		return {};
	case Extractor::Stall: {
		// Anchors are looked for among all frames (syscall entry frames are
		// skipped for titles but are exactly the dispatch points wanted here);
		// the answer is the last kept frame before the first anchor.
		const Candidate *prev = nullptr;
		for (const auto &f : frames) {
			if (matches_any(stall_anchors(), f.name)) {
				if (!prev)
					prev = f.skipped ? first_kept : &f;
				if (!prev)
					return {};
				std::string name = prev->name;
				for (auto p : stall_trimmed_prefixes())
					if (name.size() > p.size() && name.compare(0, p.size(), p) == 0)
						name.erase(0, p.size());
				return name;
			}
			if (!f.skipped)
				prev = &f;
		}
		// No dispatcher in sight (e.g. a truncated trace): the innermost kept
		// frame is the best we have.
		return first_kept ? first_kept->name : std::string();
	}
	}
	return {};
}

GuiltyFrame find_guilty_frame(const Family &family, const std::vector<std::string_view> &lines,
			      std::string_view header_func)
{
	GuiltyFrame out;
	std::vector<Candidate> candidates;
	auto add = [&](std::string_view name) {
		if (!name.empty())
			candidates.push_back({std::string(name), is_skipped_frame(name, family)});
	};
	// The first call trace is recorded whatever the frame sources are.
	{
		bool in_trace = false;
		for (size_t i = 1; i < lines.size(); i++) {
			std::string_view s = ltrim(lines[i]);
			if (!in_trace) {
				in_trace = starts_with(s, "Call Trace:") || starts_with(s, "Call trace:");
				continue;
			}
			if (starts_with(s, "</TASK>") || !is_trace_line(s))
				break;
			if (auto f = parse_frame_line(s); f && !f->unreliable)
				out.trace.emplace_back(f->name);
		}
	}
	for (FrameSource src : family.frames) {
		switch (src) {
		case FrameSource::HeaderFunc:
			add(header_func);
			break;
		case FrameSource::Rip:
			for (size_t i = 1; i < lines.size(); i++) {
				if (auto rip = parse_rip_line(lines[i])) {
					add(*rip);
					break;
				}
			}
			break;
		case FrameSource::CallTrace: {
			bool in_trace = false;
			int irq_depth = 0;
			for (size_t i = 1; i < lines.size(); i++) {
				std::string_view s = ltrim(lines[i]);
				if (starts_with(s, "Call Trace:") || starts_with(s, "Call trace:")) {
					in_trace = true;
					irq_depth = 0;
					continue;
				}
				if (!in_trace)
					continue;
				if (starts_with(s, "<IRQ>") || starts_with(s, "<NMI>") || starts_with(s, "<SOFTIRQ>")) {
					irq_depth++;
					continue;
				}
				if (starts_with(s, "</IRQ>") || starts_with(s, "</NMI>") ||
				    starts_with(s, "</SOFTIRQ>") || starts_with(s, "<EOI>")) {
					irq_depth = irq_depth > 0 ? irq_depth - 1 : 0;
					continue;
				}
				if (!is_trace_line(s)) {
					in_trace = false;
					continue;
				}
				if (irq_depth > 0 && !family.interrupts_too)
					continue;
				if (auto f = parse_frame_line(s); f && !f->unreliable)
					add(f->name);
			}
			break;
		}
		case FrameSource::LockdepAt:
			for (size_t i = 1; i < lines.size(); i++) {
				std::string_view s = lines[i];
				size_t at = s.find("at: ");
				if (at != std::string_view::npos) {
					std::string_view rest = skip_pc(ltrim(s.substr(at + 4)));
					std::string_view name = leading_symbol(rest);
					if (!name.empty()) {
						add(name);
						break;
					}
					continue;
				}
				std::string_view t = ltrim(s);
				if (starts_with(t, "[<")) {
					if (auto f = parse_frame_line(t)) {
						add(f->name);
						break;
					}
				}
			}
			break;
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
	if (out.frame.empty())
		out.problem = "every stack frame is skipped";
	return out;
}

} // namespace pipehang::report
