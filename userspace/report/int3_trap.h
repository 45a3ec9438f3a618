// The signature of an unclaimed kernel-mode int3: the kernel's die report
// "int3: 0000 [#1] ..." (6.12 prints "Oops: int3: 0000 [#1] ..."), with
// where it trapped (RIP function+offset), on which CPU, and whether the
// int3 was still in memory when the report was printed.
//
// Why it is worth its own reading: in a correct kernel every kernel-mode
// int3 is claimed by its owner -- text_poke_bp()'s handler while a site is
// being patched (static key / jump label, alternatives, kprobe, ftrace,
// static_call all patch through it), a kprobe, a debugger. An unclaimed
// one happens only at a text-patch site whose patching is already over,
// or in the int3 padding between functions after a wild jump. Under QEMU's
// multi-threaded TCG a vCPU can go on running a translation of kernel text
// made while another vCPU had put its temporary int3 there, after the text
// was rewritten and every CPU synchronised: the guest dies of an int3 that
// is no longer in memory (seen booting Debian 6.12-rt: `Oops: int3` at
// sched_clock_cpu+0x9 on CPU 1 in the idle loop, right after
// "sched_clock: Marking stable" flipped a static key). So under
// multi-threaded TCG this signature is suspected as the emulator's, and a
// re-boot with one TCG thread, where no stale translation can outlive a
// patch, decides (oracle/emulator_fault.h). Pure: tested on consoles.
#pragma once

#include "report/classifier.h"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pipehang::report {

// What the Code: line says about the byte just before RIP (the trap leaves
// RIP one byte past the int3).
enum class Int3InMemory {
	unknown, // no Code: line, or no "<..>" byte with one before it
	yes,     // "cc": the int3 is still there (a real one, or padding)
	no,      // anything else: the text was patched, the CPU ran a stale copy
};
std::string_view to_string(Int3InMemory m);

// The faces of the fault a trap record describes.
enum class Int3Form {
	oops,  // the die report (int3_trap)
	loop,  // a CPU looping on a stale int3 while another patches (int3_loop)
	stuck, // a CPU that never leaves a patched site (stuck_at_patch_site)
};
std::string_view to_string(Int3Form f); // "oops", "loop", "stuck"

struct Int3Trap {
	// For loop and stuck, the fields describe the wedged CPU and the site
	// it is wedged on.
	Int3Form form = Int3Form::oops;
	std::size_t line = 0; // 1-based line of the die header in the console
	std::string rip;      // "sched_clock_cpu+0x9" (size dropped); "" if no kernel RIP line
	std::string function; // "sched_clock_cpu"
	int cpu = -1;         // the CPU that trapped; -1 when not printed
	Int3InMemory in_memory = Int3InMemory::unknown;
	std::string title; // the report's title, e.g. "int3 in sched_clock_cpu"
};

// The trap a report is, if it is the int3 die report; nullopt otherwise.
std::optional<Int3Trap> int3_trap(const Report &r);

// Every int3 trap among a console's reports, first first.
std::vector<Int3Trap> int3_traps(const std::vector<Report> &reports);

// The other face of the same fault (seen on Debian 6.1 under
// multi-threaded TCG flipping static keys): no die report, because
// text_poke_bp()'s handler claims each hit of the stale int3 while the
// patch is in flight -- and the patch never finishes, since the CPU that
// patches waits in text_poke_bp_batch() for the looping vCPU to answer an
// IPI it cannot take. The console shows a lockup or stall whose stack has
// text_poke_bp_batch, and an NMI backtrace of another CPU inside the int3
// handler; the RIP after its asm_exc_int3 frame is the site it loops on.
// nullopt unless both halves are there.
std::optional<Int3Trap> int3_loop(const std::vector<Report> &reports);

// The third face (seen booting Debian 6.1 under multi-threaded TCG on a
// loaded host: cryptomgr_test in alg_test, whose DO_ONCE static key another
// CPU was disabling): no int3 printed and no CPU left patching, but one CPU
// never leaves one RIP for the rest of the boot, and the text at that RIP
// is the 5-byte NOP `0f 1f 44 00 00` -- what a disabled jump label or an
// idle ftrace site holds once patched. A real CPU executes a NOP and moves
// on; only a stale translation keeps a vCPU there. Read from the lockup
// and stall reports: at least kStuckReports of them show the same CPU at
// the same RIP, that CPU at no other RIP in any of them, and the Code:
// line opening that NOP at RIP. A real loop around a disabled tracepoint
// (`1: nop5; jmp 1b`) could be sampled at its NOP that often by chance;
// the cost is one re-boot under tcg-single, where it is the kernel's.
inline constexpr int kStuckReports = 3;
std::optional<Int3Trap> stuck_at_patch_site(const std::vector<Report> &reports);

} // namespace pipehang::report
