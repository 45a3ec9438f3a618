#include "report/int3_trap.h"

#include "report/pattern.h"

#include <cctype>
#include <cstdlib>
#include <map>

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

std::string_view to_string(Int3Form f)
{
	switch (f) {
	case Int3Form::oops: return "oops";
	case Int3Form::loop: return "loop";
	case Int3Form::stuck: return "stuck";
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
					site->form = Int3Form::loop;
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

namespace {

// Whether the Code: line's bytes from "<..>" on are the 5-byte NOP.
bool nop5_at_rip(std::string_view code)
{
	static const std::string_view kNop5[] = {"0f", "1f", "44", "00", "00"};
	std::size_t at = code.find('<');
	if (at == std::string_view::npos)
		return false;
	code = code.substr(at);
	for (auto byte : kNop5) {
		std::size_t sp = code.find(' ');
		std::string_view tok = code.substr(0, sp);
		if (!tok.empty() && tok.front() == '<' && tok.size() == 4 && tok.back() == '>')
			tok = tok.substr(1, 2);
		if (tok.size() != 2 || std::tolower(static_cast<unsigned char>(tok[0])) != byte[0] ||
		    std::tolower(static_cast<unsigned char>(tok[1])) != byte[1])
			return false;
		code = sp == std::string_view::npos ? std::string_view() : code.substr(sp + 1);
	}
	return true;
}

// Where one lockup or stall report finds its CPU: the first CPU:, RIP:
// and Code: lines (the CPU's own dump, or the first NMI backtrace).
struct Sample {
	int cpu = -1;
	std::string rip;
	std::string function;
	bool nop5 = false;
};

std::optional<Sample> sample(const Report &r)
{
	static const Pattern cpu("CPU: {num} ");
	static const Pattern rip("RIP: 0010:{word}");
	static const Pattern code("Code: {rest}");
	Sample s;
	bool have_code = false;
	std::string_view text = r.text;
	while (!text.empty() && !have_code) {
		std::size_t nl = text.find('\n');
		std::string_view line = text.substr(0, nl);
		text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
		std::vector<std::string_view> caps;
		if (s.cpu < 0 && cpu.search(line, caps)) {
			s.cpu = std::atoi(std::string(caps[0]).c_str());
		} else if (s.rip.empty() && rip.search(line, caps)) {
			s.rip = without_size(caps[0]);
			s.function = std::string(symbol_name(caps[0]));
		} else if (!s.rip.empty() && code.search(line, caps)) {
			s.nop5 = nop5_at_rip(caps[0]);
			have_code = true;
		}
	}
	if (s.cpu < 0 || s.rip.empty() || !have_code)
		return std::nullopt;
	return s;
}

} // namespace

std::optional<Int3Trap> stuck_at_patch_site(const std::vector<Report> &reports)
{
	struct Seen {
		std::string rip;
		int count = 0;
		bool one_rip = true;
		bool nop5 = true;
		std::optional<Int3Trap> first;
	};
	std::map<int, Seen> cpus;
	for (auto &r : reports) {
		if (r.type != ReportType::Lockup && r.type != ReportType::Stall)
			continue;
		auto s = sample(r);
		if (!s)
			continue;
		Seen &c = cpus[s->cpu];
		if (c.count == 0) {
			c.rip = s->rip;
			c.first = Int3Trap{Int3Form::stuck, r.start_line,     s->rip, s->function,
					   s->cpu,          Int3InMemory::no, r.title};
		}
		c.one_rip &= c.rip == s->rip;
		c.nop5 &= s->nop5;
		++c.count;
	}
	for (auto &[cpu, c] : cpus)
		if (c.count >= kStuckReports && c.one_rip && c.nop5)
			return c.first;
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
