// What a bisection records for one judgement, taken from the oracle's typed
// result (test_outcome): hand-made consoles go through the real classifier,
// read_boot() and decide(), as in judge().
#include "bisect/kernel_oracle.h"
#include "guest/markers.h"
#include "oracle/evidence.h"
#include "report/classifier.h"

#include <gtest/gtest.h>

using namespace pipehang;
using namespace pipehang::bisect;

namespace {

const std::string kTarget = "INFO: task hung in pipe_release";

struct Judged {
	oracle::Decision decision;
	oracle::Evidence evidence;
};

Judged judge_console(const std::string &console, int runs)
{
	oracle::ReadingOptions ro;
	auto b = oracle::read_boot(guest::parse_markers(console), report::classify(console), ro);
	Judged j;
	j.evidence.booted = b.booted;
	j.evidence.boot_failure = b.boot_failure;
	j.evidence.module_loaded = b.module_loaded;
	j.evidence.runs = b.runs;
	oracle::Policy p;
	p.runs = runs;
	p.max_runs = runs; // decide now, as judge() does at its last boot
	j.decision = oracle::decide(j.evidence, p);
	return j;
}

const std::string kBoot = "PIPEHANG: boot {\"kernel\":\"5.4.0\",\"uptime\":\"9.0\"}\n"
			  "PIPEHANG: disk {\"mounted\":true,\"path\":\"/mnt/ext4\",\"error\":\"\"}\n"
			  "PIPEHANG: module {\"loaded\":true,\"args\":\"\"}\n";

std::string run(int i, const std::string &repro, int exit)
{
	return "PIPEHANG: run-start {\"run\":" + std::to_string(i) + ",\"uptime\":\"10.0\"}\n" + "PIPEHANG: repro " +
	       repro + "\n" + "PIPEHANG: run-end {\"run\":" + std::to_string(i) + ",\"exit\":" + std::to_string(exit) +
	       ",\"uptime\":\"10.5\"}\n";
}

const std::string kOk =
	R"({"tool":"repro-splice-dio","iteration":1,"entry":"openat2","fallback":false,"exercised":true})";
const std::string kEnosys =
	R"({"tool":"repro-splice-dio","iteration":1,"entry":"openat2","fallback":false,"exercised":false,"failed_step":"open","errno":38,"error":"ENOSYS","reason_code":"ENOSYS","reason":"ENOSYS: openat2 is not available"})";

Mode syzbot_mode()
{
	Mode m;
	m.name = "syzbot";
	m.fallback = false;
	m.unavailable_entry_is_clean = true;
	return m;
}

TEST(KernelOracleOutcome, MissingEntryPointIsSkipWithTheEntryNamed)
{
	auto j = judge_console(kBoot + run(0, kEnosys, 4) + run(1, kEnosys, 4), 2);
	TestOutcome t = test_outcome(j.decision, j.evidence, kTarget);
	EXPECT_EQ(t.verdict, Verdict::skip);
	EXPECT_TRUE(t.entry_unavailable);
	EXPECT_EQ(t.unavailable_entry, "openat2");
	EXPECT_NE(t.reason.find("did not exercise the path: ENOSYS"), std::string::npos) << t.reason;
	EXPECT_EQ(t.lines, (std::vector<std::string>{"run #0: not exercised: ENOSYS: openat2 is not available",
						     "run #1: not exercised: ENOSYS: openat2 is not available"}));
	EXPECT_TRUE(t.title.empty());
}

TEST(KernelOracleOutcome, SyzbotModeTurnsTheMissingEntryIntoGood)
{
	auto j = judge_console(kBoot + run(0, kEnosys, 4), 1);
	TestOutcome t = test_outcome(j.decision, j.evidence, kTarget);
	apply_mode(t, syzbot_mode());
	EXPECT_EQ(t.verdict, Verdict::good);
	ASSERT_EQ(t.lines.size(), 2u);
	EXPECT_EQ(t.lines[1], "all runs: OK (reproducer: openat2 returned ENOSYS; counted as a clean run in syzbot "
			      "mode)");
}

TEST(KernelOracleOutcome, CleanRunsAreGood)
{
	auto j = judge_console(kBoot + run(0, kOk, 0) + run(1, kOk, 0), 2);
	TestOutcome t = test_outcome(j.decision, j.evidence, kTarget);
	EXPECT_EQ(t.verdict, Verdict::good);
	EXPECT_FALSE(t.entry_unavailable);
	EXPECT_EQ(t.lines, (std::vector<std::string>{"run #0: OK", "run #1: OK", "all runs: OK"}));
	apply_mode(t, syzbot_mode()); // nothing missing: syzbot mode changes nothing
	EXPECT_EQ(t.lines.size(), 3u);
}

TEST(KernelOracleOutcome, TargetIsBadWithTitleAndHolder)
{
	const std::string hung =
		"[   14.0] INFO: task repro-splice-di:159 blocked for more than 3 seconds.\n"
		"[   14.0]       Not tainted 6.1.0-56-amd64 #1 Debian 6.1.192-2\n"
		"[   14.0] task:repro-splice-di state:D stack:0     pid:159   ppid:1      flags:0x00000000\n"
		"[   14.0] Call Trace:\n"
		"[   14.0]  <TASK>\n"
		"[   14.0]  __schedule+0x34d/0x9e0\n"
		"[   14.0]  schedule+0x5a/0xd0\n"
		"[   14.0]  __mutex_lock.constprop.0+0x399/0x700\n"
		"[   14.0]  pipe_release+0x1e/0x110\n"
		"[   14.0]  __fput+0x90/0x250\n"
		"[   14.0]  </TASK>\n"
		"[   14.1] INFO: task repro-splice-di:159 is blocked on a mutex likely owned by task ph-splice-0:158.\n"
		"[   14.1] task:ph-splice-0     state:D stack:0     pid:158   tgid:157   ppid:1      flags:0x00004002\n"
		"[   14.1] Call Trace:\n"
		"[   14.1]  <TASK>\n"
		"[   14.1]  __schedule+0x4d1/0x1600\n"
		"[   14.1]  iomap_dio_rw+0x12/0x40\n"
		"[   14.1]  iter_file_splice_write+0x2f1/0x4e0\n"
		"[   14.1]  </TASK>\n";
	auto j =
		judge_console(kBoot + run(0, kOk, 0) + "PIPEHANG: run-start {\"run\":1,\"uptime\":\"11\"}\n" + hung, 2);
	TestOutcome t = test_outcome(j.decision, j.evidence, kTarget);
	EXPECT_EQ(t.verdict, Verdict::bad);
	EXPECT_EQ(t.title, kTarget);
	EXPECT_TRUE(t.reason.empty());
	EXPECT_EQ(t.lines, (std::vector<std::string>{"run #0: OK",
						     "run #1: crashed: " + kTarget +
							     " [holder ph-splice-0/158, in iomap_dio_rw <- "
							     "iter_file_splice_write (kernel hung-task report)]"}));
}

TEST(KernelOracleOutcome, BootFailureIsSkipWithTheBootLine)
{
	auto j = judge_console("[    0.5] Kernel panic - not syncing: VFS: Unable to mount root fs on "
			       "unknown-block(0,0)\n",
			       1);
	TestOutcome t = test_outcome(j.decision, j.evidence, kTarget);
	EXPECT_EQ(t.verdict, Verdict::skip);
	ASSERT_EQ(t.lines.size(), 1u);
	EXPECT_EQ(t.lines[0].rfind("boot failed: kernel panic", 0), 0u) << t.lines[0];
	EXPECT_EQ(t.reason, t.lines[0]);
}

} // namespace
