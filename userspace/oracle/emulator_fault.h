// Emulator faults are infrastructure, never a kernel verdict. A boot under
// QEMU's multi-threaded TCG that shows an unclaimed kernel-mode int3
// (report/int3_trap.h: in a correct kernel that happens only at a
// text-patch site, or in int3 padding after a wild jump; under
// multi-threaded TCG a vCPU can run a stale translation of text another
// vCPU is patching) is suspected as the emulator's: its outcome -- boot
// failure, crash, lost runs -- is not evidence, and the same kernel is
// booted again under tcg-single (one host thread runs every vCPU, so no
// translation outlives a patch), within --max-boots. The same trap under
// tcg-single (or KVM) is the kernel's and is judged as any other crash.
// Pure: tested with recorded consoles.
#pragma once

#include "guest/markers.h"
#include "oracle/decide.h"
#include "report/classifier.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pipehang::oracle {

// The accelerator a boot after an emulator fault runs under.
inline constexpr std::string_view kFaultFreeAccel = "tcg-single";

// Several vCPUs, each on its own host thread: what `-accel tcg` is with
// -smp 2 (ACCEL as guest::InstanceResult::accel reports it).
bool multi_threaded_tcg(std::string_view accel, int smp);

// The emulator fault a boot shows: its first int3 die report, else the
// int3 loop (report/int3_trap.h), when the boot ran under multi-threaded
// TCG; nullopt otherwise (KVM, tcg-single, one vCPU, or neither). BOOT
// numbers it in the judgement.
std::optional<EmulatorFault> emulator_fault(int boot, std::string_view accel, int smp,
					    const std::vector<guest::Marker> &markers,
					    const std::vector<report::Report> &reports);

// The first int3 trap of a boot whatever the accelerator (for saying that a
// trap repeated under tcg-single), as "int3 at F+0xN on CPU c"; "" if none.
std::string int3_summary(const std::vector<report::Report> &reports);

// "boot #1: emulator fault (int3 at sched_clock_cpu+0x9 on CPU 1, before
// userspace, under multi-threaded TCG): not the kernel's"
std::string fault_line(const EmulatorFault &f);

// {"count": N, "faults": [{boot, kind, accel, rip, cpu, before_userspace,
// int3_in_memory, title}, ...]}
nlohmann::json emulator_faults_json(const std::vector<EmulatorFault> &faults);

} // namespace pipehang::oracle
