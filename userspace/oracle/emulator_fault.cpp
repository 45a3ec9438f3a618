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

// "int3 at F+0xN on CPU c", by the fault's KIND (report::to_string(Int3Form)).
std::string where(std::string_view kind, const std::string &rip, int cpu)
{
	std::string_view at = kind == "loop"    ? "int3 loop at "
			      : kind == "stuck" ? "stuck at a patched nop at "
						: "int3 at ";
	std::string s = std::string(at) + (rip.empty() ? std::string("an unknown RIP") : rip);
	if (cpu >= 0)
		s += fmt::format(" on CPU {}", cpu);
	return s;
}

// The fault's first face found: the die report, else the int3 loop, else
// a CPU stuck at a patched site (report/int3_trap.h).
std::optional<report::Int3Trap> first_trap(const std::vector<report::Report> &reports)
{
	auto traps = report::int3_traps(reports);
	if (!traps.empty())
		return traps.front();
	if (auto loop = report::int3_loop(reports))
		return loop;
	return report::stuck_at_patch_site(reports);
}

} // namespace

std::optional<EmulatorFault> emulator_fault(int boot, std::string_view accel, int smp,
					    const std::vector<guest::Marker> &markers,
					    const std::vector<report::Report> &reports)
{
	if (!multi_threaded_tcg(accel, smp))
		return std::nullopt;
	auto trap = first_trap(reports);
	if (!trap)
		return std::nullopt;
	const report::Int3Trap &t = *trap;
	EmulatorFault f;
	f.boot = boot;
	f.kind = std::string(report::to_string(t.form));
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
	auto t = first_trap(reports);
	return t ? where(report::to_string(t->form), t->rip, t->cpu) : "";
}

std::string fault_line(const EmulatorFault &f)
{
	std::string detail = where(f.kind, f.rip, f.cpu);
	if (f.before_userspace)
		detail += ", before userspace";
	if (f.int3_in_memory == "no" && f.kind != "stuck") // "stuck" says so itself
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
