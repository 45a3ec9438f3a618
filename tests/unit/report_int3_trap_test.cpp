// The emulator-fault signature (report/int3_trap.h) on a real capture
// (Debian 6.12-rt under multi-threaded TCG flipping static keys:
// tests/vm/static-key-flips.sh) and on consoles in the shape of others:
// 6.12-rt dying before userspace of an int3 that is no longer in memory
// ("Oops: int3: ..."), and the 6.1 form without the "Oops: " prefix during
// a run, with the int3 still in memory.
#include "report/classifier.h"
#include "report/int3_trap.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

using namespace pipehang::report;

namespace {

std::string corpus(const std::string &name)
{
	std::ifstream in(std::filesystem::path(PIPEHANG_TEST_DATA) / "console" / name);
	std::ostringstream s;
	s << in.rdbuf();
	return s.str();
}

} // namespace

TEST(Int3Trap, RealCaptureUnderMultiThreadedTcg)
{
	auto reports = classify(corpus("real-6.12-rt-int3-tcg.log"));
	ASSERT_EQ(reports.size(), 1u); // "Fatal exception in interrupt" folds in
	EXPECT_EQ(reports[0].title, "int3 in enqueue_task_rt");
	auto traps = int3_traps(reports);
	ASSERT_EQ(traps.size(), 1u);
	EXPECT_EQ(traps[0].rip, "enqueue_task_rt+0x3a");
	EXPECT_EQ(traps[0].cpu, 0);
	// "66 <90>": the site holds a 2-byte nop again, RIP is in its middle.
	EXPECT_EQ(traps[0].in_memory, Int3InMemory::no);
	EXPECT_EQ(traps[0].line, 380u);
}

TEST(Int3Trap, RtBootDiesOfAPatchedInt3)
{
	auto reports = classify(corpus("hand-int3-6.12-rt-boot.log"));
	ASSERT_EQ(reports.size(), 1u); // the panic folds into the oops
	EXPECT_EQ(reports[0].title, "int3 in sched_clock_cpu");
	auto traps = int3_traps(reports);
	ASSERT_EQ(traps.size(), 1u);
	EXPECT_EQ(traps[0].rip, "sched_clock_cpu+0x9");
	EXPECT_EQ(traps[0].function, "sched_clock_cpu");
	EXPECT_EQ(traps[0].cpu, 1);
	EXPECT_EQ(traps[0].in_memory, Int3InMemory::no); // "00 <00>": the int3 was patched away
	EXPECT_EQ(traps[0].line, 350u);
	EXPECT_EQ(traps[0].title, "int3 in sched_clock_cpu");
}

TEST(Int3Trap, OldFormWithoutOopsPrefixDuringARun)
{
	auto reports = classify(corpus("hand-int3-6.1-during-run.log"));
	auto traps = int3_traps(reports);
	ASSERT_EQ(traps.size(), 1u);
	EXPECT_EQ(traps[0].rip, "__schedule+0x2b6");
	EXPECT_EQ(traps[0].cpu, 0);
	// The user-space "Code:" line of the syscall frame comes later and
	// does not count: the kernel RIP's own line says "cc <44>".
	EXPECT_EQ(traps[0].in_memory, Int3InMemory::yes);
	EXPECT_EQ(traps[0].line, 375u);
}

TEST(Int3Trap, CodeLineMissingOrUnreadable)
{
	auto reps = classify("[ 1.0] int3: 0000 [#1] PREEMPT SMP NOPTI\n"
			     "[ 1.0] CPU: 3 PID: 1 Comm: init Not tainted 6.1.0-56-amd64 #1\n"
			     "[ 1.0] RIP: 0010:jump_label_test+0x11/0x20\n"
			     "[ 1.0] Code: Unable to access opcode bytes at 0xffffffff81000007.\n"
			     "[ 1.0] Call Trace:\n"
			     "[ 1.0]  <TASK>\n"
			     "[ 1.0]  kernel_init+0x1a/0x130\n"
			     "[ 1.0]  </TASK>\n");
	auto traps = int3_traps(reps);
	ASSERT_EQ(traps.size(), 1u);
	EXPECT_EQ(traps[0].cpu, 3);
	EXPECT_EQ(traps[0].rip, "jump_label_test+0x11");
	EXPECT_EQ(traps[0].in_memory, Int3InMemory::unknown);

	auto bare = int3_traps(classify("[ 1.0] Oops: int3: 0000 [#2] SMP\n"));
	ASSERT_EQ(bare.size(), 1u);
	EXPECT_EQ(bare[0].rip, "");
	EXPECT_EQ(bare[0].cpu, -1);
	EXPECT_EQ(bare[0].in_memory, Int3InMemory::unknown);
}

TEST(Int3Trap, NotATrap)
{
	// A user-space breakpoint is a notice, not a die report; other oopses
	// are not int3 traps.
	EXPECT_TRUE(int3_traps(classify("[ 1.0] traps: gdb-test[99] trap int3 ip:401136 sp:7ffc0 error:0\n")).empty());
	auto gpf = classify(corpus("real-6.1-gpf.log"));
	ASSERT_FALSE(gpf.empty());
	EXPECT_TRUE(int3_traps(gpf).empty());
	EXPECT_FALSE(int3_trap(gpf.front()).has_value());
}

TEST(Int3Trap, RealLoopCaptureOn61)
{
	// Debian 6.1 under multi-threaded TCG flipping static keys: CPU 1 loops
	// on a stale int3 in check_spread, CPU 0 waits in text_poke_bp_batch.
	auto reports = classify(corpus("real-6.1-int3-loop-tcg.log"));
	EXPECT_TRUE(int3_traps(reports).empty()); // no die report
	auto loop = int3_loop(reports);
	ASSERT_TRUE(loop.has_value());
	EXPECT_EQ(loop->form, Int3Form::loop);
	EXPECT_EQ(loop->rip, "check_spread.isra.0+0x22");
	EXPECT_EQ(loop->function, "check_spread");
	EXPECT_EQ(loop->cpu, 1);
	EXPECT_EQ(loop->in_memory, Int3InMemory::no); // "66 <90>"
	EXPECT_EQ(loop->line, 371u);                  // the RCU stall that carries the NMI backtrace
}

TEST(Int3Trap, LoopNeedsBothHalves)
{
	// Without a CPU waiting in text_poke_bp_batch, a backtrace in the int3
	// handler is not the wedge (and a lockup alone is not either).
	auto reports = classify(corpus("real-6.1-int3-loop-tcg.log"));
	std::vector<Report> stall_only, lockups_only;
	for (auto &r : reports)
		(r.type == ReportType::Stall ? stall_only : lockups_only).push_back(r);
	EXPECT_FALSE(int3_loop(stall_only).has_value());
	EXPECT_FALSE(int3_loop(lockups_only).has_value());
	EXPECT_FALSE(int3_loop(classify(corpus("real-6.1-softlockup.log"))).has_value());
}

TEST(Int3Trap, RealStuckAtPatchedSiteOn61)
{
	// Debian 6.1 booting under multi-threaded TCG on a loaded host (a cold
	// make test): CPU 1 never leaves alg_test+0x4f, DO_ONCE's jump label,
	// whose text is the patched 5-byte nop; no int3 is printed, no CPU is
	// patching. Ten RCU stall and soft lockup reports, all at that RIP.
	auto reports = classify(corpus("real-6.1-stuck-patch-site-tcg.log"));
	EXPECT_TRUE(int3_traps(reports).empty());
	EXPECT_FALSE(int3_loop(reports).has_value());
	auto stuck = stuck_at_patch_site(reports);
	ASSERT_TRUE(stuck.has_value());
	EXPECT_EQ(stuck->form, Int3Form::stuck);
	EXPECT_EQ(stuck->rip, "alg_test+0x4f");
	EXPECT_EQ(stuck->function, "alg_test");
	EXPECT_EQ(stuck->cpu, 1);
	EXPECT_EQ(stuck->in_memory, Int3InMemory::no);
	EXPECT_EQ(stuck->line, 306u); // the first RCU stall
}

TEST(Int3Trap, StuckNeedsEnoughReportsAtOneNop)
{
	auto reports = classify(corpus("real-6.1-stuck-patch-site-tcg.log"));
	ASSERT_GE(reports.size(), static_cast<std::size_t>(kStuckReports));
	// Fewer reports than kStuckReports: a CPU sampled twice at a nop.
	std::vector<Report> few(reports.begin(), reports.begin() + (kStuckReports - 1));
	EXPECT_FALSE(stuck_at_patch_site(few).has_value());
	// The same CPU seen at another RIP once: it moves, it is not stuck.
	auto moved = reports;
	auto &r = moved[1].text;
	r.replace(r.find("alg_test+0x4f"), 13, "alg_test+0x54");
	EXPECT_FALSE(stuck_at_patch_site(moved).has_value());
	// The text at RIP is not a nop: a real busy loop, the kernel's.
	auto not_nop = reports;
	for (auto &rep : not_nop) {
		auto at = rep.text.find("<0f> 1f 44 00 00");
		if (at != std::string::npos)
			rep.text.replace(at, 16, "<eb> fe 44 00 00");
	}
	EXPECT_FALSE(stuck_at_patch_site(not_nop).has_value());
	// Real lockups and stalls of the kernel's own are not stuck.
	for (auto name : {"real-6.1-softlockup.log", "real-6.1-stall.log", "real-6.1-stall_remote.log",
			  "real-6.1-int3-loop-tcg.log"})
		EXPECT_FALSE(stuck_at_patch_site(classify(corpus(name))).has_value()) << name;
}
