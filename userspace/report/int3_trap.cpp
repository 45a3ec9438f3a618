#include "report/int3_trap.h"

#include "report/pattern.h"

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
			case Field::cpu: try { t.cpu = std::stoi(std::string(caps[0]));
				} catch (const std::exception &) {
				}
				break;
			case Field::code: t.in_memory = byte_before_rip(caps[0]); break;
			}
		}
	}
	return t;
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
