#include "report/int3_trap.h"

#include "report/pattern.h"

#include <cstdlib>

namespace pipehang::report {

namespace {

// The classifier family of the die report (families.cpp).
constexpr std::string_view kFamily = "int3";

enum class Field { rip, cpu, code };

// The lines of the die report that carry the signature, as the kernel
// prints them (x86 __show_regs / dump_stack_print_info / show_opcodes); the
// first line matching each pattern counts (a second "RIP:" and "Code:"
// repeat them after "---[ end trace").
struct FieldPattern {
	Field field;
	std::string_view pattern;
};
const FieldPattern kFields[] = {
	{Field::rip, "RIP: 0010:{word}"}, // 0010: kernel code segment
	{Field::cpu, "CPU: {num} "},      // "CPU: 1 UID: 0 PID: 0 Comm: swapper/1" (6.1: no UID)
	{Field::code, "Code: {rest}"},    // "Code: 48 89 e5 ... cc <0f> 1f ..."
};

// "sched_clock_cpu+0x9/0x1b0" -> "sched_clock_cpu+0x9".
std::string without_size(std::string_view rip)
{
	return std::string(rip.substr(0, rip.find('/')));
}

Int3InMemory byte_before_rip(std::string_view code)
{
	std::string_view prev;
	while (!code.empty()) {
		std::size_t sp = code.find(' ');
		std::string_view tok = code.substr(0, sp);
		code = sp == std::string_view::npos ? std::string_view() : code.substr(sp + 1);
		if (tok.empty())
			continue;
		if (tok.front() == '<') {
			if (prev.size() != 2)
				return Int3InMemory::unknown;
			return prev == "cc" || prev == "CC" ? Int3InMemory::yes : Int3InMemory::no;
		}
		prev = tok;
	}
	return Int3InMemory::unknown;
}

} // namespace

std::string_view to_string(Int3InMemory m)
{
	switch (m) {
	case Int3InMemory::unknown: return "unknown";
	case Int3InMemory::yes: return "yes";
	case Int3InMemory::no: return "no";
	}
	return "?";
}

std::optional<Int3Trap> int3_trap(const Report &r)
{
	if (r.family != kFamily)
		return std::nullopt;
	static const std::vector<std::pair<Field, Pattern>> patterns = [] {
		std::vector<std::pair<Field, Pattern>> v;
		for (auto &f : kFields)
			v.emplace_back(f.field, Pattern(f.pattern));
		return v;
	}();
	Int3Trap t;
	t.line = r.start_line;
	t.title = r.title;
	bool seen[3] = {false, false, false};
	std::string_view text = r.text;
	while (!text.empty()) {
		std::size_t nl = text.find('\n');
		std::string_view line = text.substr(0, nl);
		text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
		for (auto &[field, pat] : patterns) {
			auto i = static_cast<std::size_t>(field);
			std::vector<std::string_view> caps;
			if (seen[i] || !pat.search(line, caps) || caps.empty())
				continue;
			seen[i] = true;
			switch (field) {
			case Field::rip:
				t.rip = without_size(caps[0]);
				t.function = std::string(symbol_name(caps[0]));
				break;
			case Field::cpu: t.cpu = std::atoi(std::string(caps[0]).c_str()); break; // {num}: digits
			case Field::code: t.in_memory = byte_before_rip(caps[0]); break;
			}
		}
	}
	return t;
}

namespace {

// The patching CPU's side: it waits for the others in the batch.
constexpr std::string_view kPatcherFrame = "text_poke_bp_batch";
// The looping CPU's side: where an NMI backtrace finds it in the int3
// handler (arch/x86/kernel/traps.c, alternative.c, kprobes/core.c).
const std::string_view kInt3Handlers[] = {"asm_exc_int3",        "exc_int3",  "do_int3", "poke_int3_handler",
					  "kprobe_int3_handler", "notify_die"};

bool int3_handler(std::string_view fn)
{
	for (auto h : kInt3Handlers)
		if (fn == h)
			return true;
	return false;
}

} // namespace

std::optional<Int3Trap> int3_loop(const std::vector<Report> &reports)
{
	bool patcher = false;
	for (auto &r : reports)
		patcher |= (r.type == ReportType::Lockup || r.type == ReportType::Stall) &&
			   r.text.find(kPatcherFrame) != std::string::npos;
	if (!patcher)
		return std::nullopt;
	static const Pattern nmi("NMI backtrace for cpu {num}");
	static const Pattern rip("RIP: 0010:{word}");
	static const Pattern code("Code: {rest}");
	for (auto &r : reports) {
		int cpu = -1;
		bool in_handler = false;
		std::optional<Int3Trap> site;
		std::string_view text = r.text;
		while (!text.empty()) {
			std::size_t nl = text.find('\n');
			std::string_view line = text.substr(0, nl);
			text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
			std::vector<std::string_view> caps;
			if (nmi.search(line, caps)) {
				cpu = std::atoi(std::string(caps[0]).c_str());
				in_handler = false;
			} else if (rip.search(line, caps)) {
				std::string_view fn = symbol_name(caps[0]);
				if (int3_handler(fn)) {
					in_handler = true;
				} else if (in_handler && !fn.empty()) {
					// The context the int3 interrupted: the stale site.
					site = Int3Trap{};
					site->loop = true;
					site->line = r.start_line;
					site->rip = without_size(caps[0]);
					site->function = std::string(fn);
					site->cpu = cpu;
					site->title = r.title;
				}
			} else if (site && code.search(line, caps)) {
				site->in_memory = byte_before_rip(caps[0]);
				return site;
			} else if (line.find("asm_exc_int3+") != std::string_view::npos) {
				in_handler = true; // the handler's own frames, then the interrupted RIP
			}
		}
		if (site)
			return site;
	}
	return std::nullopt;
}

std::vector<Int3Trap> int3_traps(const std::vector<Report> &reports)
{
	std::vector<Int3Trap> out;
	for (auto &r : reports)
		if (auto t = int3_trap(r))
			out.push_back(*t);
	return out;
}

} // namespace pipehang::report
