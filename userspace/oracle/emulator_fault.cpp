#include "oracle/emulator_fault.h"

#include "report/int3_trap.h"

#include <fmt/format.h>

namespace pipehang::oracle {

using nlohmann::json;

bool multi_threaded_tcg(std::string_view accel, int smp)
{
	// One vCPU has no other vCPU to patch text under it; tcg-single and
	// KVM keep every vCPU's view of memory coherent with its execution.
	return accel == "tcg" && smp > 1;
}

namespace {

std::string where(const report::Int3Trap &t)
{
	std::string s = std::string(t.loop ? "int3 loop at " : "int3 at ") +
			(t.rip.empty() ? std::string("an unknown RIP") : t.rip);
	if (t.cpu >= 0)
		s += fmt::format(" on CPU {}", t.cpu);
	return s;
}

} // namespace

std::optional<EmulatorFault> emulator_fault(int boot, std::string_view accel, int smp,
					    const std::vector<guest::Marker> &markers,
					    const std::vector<report::Report> &reports)
{
	if (!multi_threaded_tcg(accel, smp))
		return std::nullopt;
	auto traps = report::int3_traps(reports);
	if (traps.empty())
		if (auto loop = report::int3_loop(reports))
			traps.push_back(*loop);
	if (traps.empty())
		return std::nullopt;
	const report::Int3Trap &t = traps.front();
	EmulatorFault f;
	f.boot = boot;
	f.kind = t.loop ? "loop" : "oops";
	f.accel = std::string(accel);
	f.rip = t.rip;
	f.cpu = t.cpu;
	f.int3_in_memory = std::string(report::to_string(t.in_memory));
	f.title = t.title;
	// Marker lines are 0-based, report lines 1-based.
	auto boot_marker = guest::find_marker(markers, "boot");
	f.before_userspace = !boot_marker || t.line - 1 < boot_marker->line;
	return f;
}

std::string int3_summary(const std::vector<report::Report> &reports)
{
	auto traps = report::int3_traps(reports);
	if (traps.empty())
		if (auto loop = report::int3_loop(reports))
			return where(*loop);
	return traps.empty() ? "" : where(traps.front());
}

std::string fault_line(const EmulatorFault &f)
{
	report::Int3Trap t;
	t.loop = f.kind == "loop";
	t.rip = f.rip;
	t.cpu = f.cpu;
	std::string detail = where(t);
	if (f.before_userspace)
		detail += ", before userspace";
	if (f.int3_in_memory == "no")
		detail += ", no longer in memory";
	return fmt::format("boot #{}: emulator fault ({}, under multi-threaded TCG): not the kernel's", f.boot, detail);
}

json emulator_faults_json(const std::vector<EmulatorFault> &faults)
{
	json list = json::array();
	for (auto &f : faults)
		list.push_back({{"boot", f.boot},
				{"kind", f.kind},
				{"accel", f.accel},
				{"rip", f.rip},
				{"cpu", f.cpu},
				{"before_userspace", f.before_userspace},
				{"int3_in_memory", f.int3_in_memory},
				{"title", f.title}});
	return {{"count", faults.size()}, {"faults", list}};
}

} // namespace pipehang::oracle
