// The report invariants (report/invariants.h) on every corpus log, and the
// checker itself on reports that break them (a cut title, an infrastructure
// frame), so a checker that accepts everything cannot pass.
#include "report/classifier.h"
#include "report/invariants.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace fs = std::filesystem;
using namespace pipehang::report;

namespace {

std::string read_all(const fs::path &p)
{
	std::ifstream in(p, std::ios::binary);
	std::stringstream ss;
	ss << in.rdbuf();
	return ss.str();
}

} // namespace

TEST(Invariants, HoldForEveryCorpusLog)
{
	size_t logs = 0, reports = 0;
	std::string problems;
	for (const auto &e : fs::directory_iterator(fs::path(PIPEHANG_TEST_DATA) / "console")) {
		if (e.path().extension() != ".log")
			continue;
		logs++;
		std::string log = read_all(e.path());
		std::vector<Report> got = classify(log);
		reports += got.size();
		if (std::string p = log_invariant_problem(log, got); !p.empty())
			problems += e.path().filename().string() + " " + p + "\n";
	}
	EXPECT_GE(logs, 60u);
	EXPECT_GE(reports, 100u);
	EXPECT_TRUE(problems.empty()) << problems;
}

// The cut title of issue 20: printk printed "INFO: t", then replayed the
// whole line. A report taken from the cut copy is rejected by the log
// checker (the report checker alone cannot tell: "t" is a whole word of
// the cut line), and the classifier does not produce one.
TEST(Invariants, NoTitleFromALinePrintkCutAndReplayed)
{
	const std::string log = "[  246.301127][   T38] INFO: t\n"
				"** replaying previous printk message **\n"
				"[  246.301127][   T38] INFO: task udevd:5612 blocked in I/O wait for more than 143 "
				"seconds.\n"
				"[  246.306701][   T38] Call Trace:\n"
				"[  246.307150][   T38]  <TASK>\n"
				"[  246.308433][   T38]  __schedule+0x116f/0x5de0\n"
				"[  246.311870][   T38]  folio_wait_bit_common+0x3d2/0x9b0\n"
				"[  246.313644][   T38]  filemap_get_pages+0x10a5/0x1d10\n"
				"[  246.328993][   T38]  </TASK>\n";
	Report cut;
	cut.title = "INFO: t";
	cut.family = "info-other";
	cut.start_line = cut.end_line = 1;
	cut.text = "INFO: t";
	EXPECT_EQ(report_invariant_problem(cut), ""); // why the log checker is needed
	EXPECT_NE(log_invariant_problem(log, {cut}).find("cut and replayed"), std::string::npos);

	auto reports = classify(log);
	ASSERT_EQ(reports.size(), 1u);
	EXPECT_EQ(reports[0].title, "INFO: task hung in filemap_get_pages");
	EXPECT_EQ(reports[0].start_line, 3u);
	EXPECT_FALSE(reports[0].corrupted) << reports[0].corrupted_reason;
	EXPECT_EQ(log_invariant_problem(log, reports), "");
}

TEST(Invariants, CheckerRejectsCutTitlesAndInfrastructureFrames)
{
	Report r;
	r.title = "INFO: t";
	r.type = ReportType::Unknown;
	r.start_line = r.end_line = 1;
	r.text = "INFO: task udevd:5612 blocked in I/O wait for more than 143 seconds.";
	EXPECT_NE(report_invariant_problem(r).find("cut title"), std::string::npos);
	r.title = "INFO: task udevd:NUM blocked in I/O wait for more than NUM seconds.";
	EXPECT_EQ(report_invariant_problem(r), "");

	r.title = "INFO: rcu detected stall in kthread";
	r.guilty_frame = "kthread";
	EXPECT_NE(report_invariant_problem(r).find("named as a caller"), std::string::npos);
	r.title = "INFO: rcu detected stall in __netif_receive_skb_core";
	r.guilty_frame = "__netif_receive_skb_core";
	EXPECT_NE(report_invariant_problem(r).find("named as a caller"), std::string::npos);
	r.title = "KASAN: use-after-free Read in memcpy";
	r.guilty_frame = "memcpy";
	r.text = "BUG: KASAN: use-after-free in memcpy+0x1/0x2";
	EXPECT_NE(report_invariant_problem(r).find("infrastructure"), std::string::npos);
}

// Dispatch code is never named as a caller, but a report raised inside it
// is its own bug (syzkaller names it too).
TEST(Invariants, DispatchCodeIsNamedWhereTheReportWasRaised)
{
	auto reports = classify("[  1.0] ------------[ cut here ]------------\n"
				"[  1.1] WARNING: CPU: 0 PID: 0 at net/core/dev.c:6993 __napi_poll+0x2ab/0x4a0\n"
				"[  1.2] RIP: 0010:__napi_poll+0x2ab/0x4a0 net/core/dev.c:6993\n"
				"[  1.3] Call Trace:\n"
				"[  1.4]  <IRQ>\n"
				"[  1.5]  net_rx_action+0x52a/0xda0 net/core/dev.c:7059\n"
				"[  1.6]  handle_softirqs+0x1d4/0x870 kernel/softirq.c:554\n"
				"[  1.7]  </IRQ>\n"
				"[  1.8] ---[ end trace 0000000000000000 ]---\n");
	ASSERT_EQ(reports.size(), 1u);
	EXPECT_EQ(reports[0].title, "WARNING in __napi_poll");
	EXPECT_EQ(report_invariant_problem(reports[0]), "");
	// The same frame as a caller is skipped: a soft lockup names the poll
	// function the driver registered.
	reports = classify("[  2.0] watchdog: BUG: soft lockup - CPU#0 stuck for 22s! [swapper/0:0]\n"
			   "[  2.1] RIP: 0010:drv_poll_loop+0x10/0x40\n"
			   "[  2.2] Call Trace:\n"
			   "[  2.3]  <IRQ>\n"
			   "[  2.4]  drv_napi_poll+0x20/0x90\n"
			   "[  2.5]  __napi_poll+0x2ab/0x4a0\n"
			   "[  2.6]  net_rx_action+0x52a/0xda0\n"
			   "[  2.7]  handle_softirqs+0x1d4/0x870\n"
			   "[  2.8]  </IRQ>\n");
	ASSERT_EQ(reports.size(), 1u);
	EXPECT_EQ(reports[0].title, "BUG: soft lockup in drv_napi_poll");
	EXPECT_EQ(report_invariant_problem(reports[0]), "");
}

// Titles built from a header line end where that line ends, even when the
// console holds the rest of the line somewhere else.
TEST(Invariants, HungTaskHeadersOfNewerKernelsAreNotCut)
{
	for (const char *header : {"INFO: task udevd:5612 blocked in I/O wait for more than 143 seconds.",
				   "INFO: task kworker/u4:2:77 blocked in core dump for more than 122 seconds.",
				   "INFO: task a:1 blocked for more than 143 seconds."}) {
		std::string log =
			std::string("[  1.0] ") + header +
			"\n[  1.1] Call Trace:\n[  1.2]  __schedule+0x1/0x2\n[  1.3]  foo_wait_thing+0x1/0x2\n"
			"[  1.4]  foo_read+0x1/0x2\n";
		auto reports = classify(log);
		ASSERT_EQ(reports.size(), 1u) << header;
		EXPECT_EQ(reports[0].title, "INFO: task hung in foo_read") << header;
		EXPECT_EQ(report_invariant_problem(reports[0]), "") << header;
	}
}

// Shapes of inputs the fuzzer broke the invariants with while issue 20 was
// built (reduced by hand): a title cut to its family's fixed word, and a
// last-resort frame taken from a stack that was not the report's call trace.
TEST(Invariants, FuzzerFindingsOfIssue20)
{
	std::string log = "SYZFATAL: " + std::string(600, 'A') + "\n";
	auto reports = classify(log);
	ASSERT_EQ(reports.size(), 1u);
	EXPECT_EQ(log_invariant_problem(log, reports), "");

	log = std::string("BUG: memory leak\n"
			  "unreferenced object 0xffff888109f3e600 (size 192):\n"
			  "  backtrace:\n"
			  "    [<ffffffff8150f5a0>] kmemleak_alloc+0x4a/0x80\n"
			  "    [<ffffffff816c3b50>] create_pipe_files+0x") +
	      std::string(4, '\0') +
	      "usb/core/message.c:102 [inline]\n"
	      "[  301.110150][ T2201]  usb_control_msg+0x31c/0x4a0\n"
	      "[  301.111100][ T2201] Call Trace:\n"
	      "[  301.112100][ T2201]  usb_start_wait_urb+0x101/0x4b0\n"
	      "[  301.113100][ T2201]  pipeusb_get_status+0x9a/0x130\n";
	reports = classify(log);
	ASSERT_FALSE(reports.empty());
	EXPECT_EQ(log_invariant_problem(log, reports), "");
	EXPECT_NE(reports[0].guilty_frame, "usb_control_msg");
}

// Session 10's fuzzer finding: garbage bytes cut the work function on the
// "Workqueue:" line a workqueue lockup is titled by ("flush_to_l\x9c...").
// A garbled line gives a title no words.
TEST(Invariants, FuzzerFindingsOfSession10)
{
	std::string log =
		"[  286.48][    C0] BUG: workqueue lockup - pool cpus=0 node=0 flags=0x0 nice=0 stuck for 168s!\n"
		"[  286.50][    C0] Showing backtraces of busy workers in stalled worker pools:\n"
		"[  286.54][    C0] Workqueue: events_unbound flush_to_l\x9c\x96\x8c\xf5 Call Trace:\n"
		"[  286.55][    C0]  flush_to_ldisc+0x1f1/0x6a0\n";
	auto reports = classify(log);
	ASSERT_EQ(reports.size(), 1u);
	EXPECT_EQ(reports[0].title, "BUG: workqueue lockup");
	EXPECT_EQ(log_invariant_problem(log, reports), "");

	// Recursive locking whose acquisition line lost its "at:" to garbage:
	// the next "at:" after "is trying to acquire lock:" names it (as
	// syzkaller's report regex reads it), never one in the header's line.
	log = "[   88.41] ffff8880 ((wq)ph_wq), at: process_one_88. WARNING: possible recursive locking detected\n"
	      "[   88.41] kworker/u4:2/57 is trying to acquire lock:\n"
	      "[   88.41] ffff888011d6a938 ((wq_completion)ph_wq){200]\n"
	      "[   88.41] but task is already holding lock:\n"
	      "[   88.41] ffff888011d6a938 ((wq_completion)ph_wq){+.+.}-{0:0}, at: process_one_work+0x7a5/0x1610\n";
	reports = classify(log);
	ASSERT_EQ(reports.size(), 1u);
	EXPECT_EQ(reports[0].title, "possible deadlock in process_one_work");
	EXPECT_EQ(log_invariant_problem(log, reports), "");

	// The same words inside another line: the work function must end it.
	log = "[  150.20][    C0] BUG: workqueue lockup - pool cpus=0 node=0 flags=0x0 nice=0 stuck for 32s!\n"
	      "[  150.21][    C0]   pwq Workqueue: events_unbound flush_to_ldisc=2/257 refcnt=3\n";
	reports = classify(log);
	ASSERT_EQ(reports.size(), 1u);
	EXPECT_EQ(reports[0].title, "BUG: workqueue lockup");
	EXPECT_EQ(log_invariant_problem(log, reports), "");
}
