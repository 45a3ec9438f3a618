// Behaviour of classify() on small hand-made logs: report boundaries,
// folding of aftermath panics, printk caller demultiplexing, truncation,
// pipewatch records (README contract 2) and hostile input.
#include "report/classifier.h"
#include "report/console_lines.h"
#include "report/invariants.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

using namespace pipehang::report;

namespace {

const char *kHungPipe =
	"[  247.123456] INFO: task repro:301 blocked for more than 122 seconds.\n"
	"[  247.123999]       Not tainted 6.1.0-56-amd64 #1 Debian 6.1.192-2\n"
	"[  247.124111] \"echo 0 > /proc/sys/kernel/hung_task_timeout_secs\" disables this message.\n"
	"[  247.124222] task:repro           state:D stack:0     pid:301   ppid:300    flags:0x00004002\n"
	"[  247.124333] Call Trace:\n"
	"[  247.124444]  <TASK>\n"
	"[  247.124555]  __schedule+0x34b/0x8a0\n"
	"[  247.124666]  ? __pfx_foo+0x10/0x10\n"
	"[  247.124777]  schedule+0x5e/0xd0\n"
	"[  247.124888]  schedule_preempt_disabled+0x11/0x20\n"
	"[  247.124999]  __mutex_lock.constprop.0+0x3a4/0x6f0\n"
	"[  247.125111]  pipe_release+0x20/0xd0\n"
	"[  247.125222]  __fput+0x91/0x250\n"
	"[  247.125333]  task_work_run+0x59/0x90\n"
	"[  247.125444]  exit_to_user_mode_prepare+0x1f2/0x200\n"
	"[  247.125555]  syscall_exit_to_user_mode+0x17/0x40\n"
	"[  247.125666]  do_syscall_64+0x67/0xc0\n"
	"[  247.125777]  entry_SYSCALL_64_after_hwframe+0x64/0xce\n"
	"[  247.125888] RIP: 0033:0x7f2f6f8e5a27\n"
	"[  247.125999]  </TASK>\n";

} // namespace

TEST(Classify, EmptyAndCleanLogsHaveNoReports)
{
	EXPECT_TRUE(classify("").empty());
	EXPECT_TRUE(classify("[    0.000000] Linux version 6.1.0\n[    1.0] Run /init as init process\n").empty());
}

TEST(Classify, HungTaskInPipeRelease)
{
	auto reps = classify(kHungPipe);
	ASSERT_EQ(reps.size(), 1u);
	const Report &r = reps[0];
	EXPECT_EQ(r.title, "INFO: task hung in pipe_release");
	EXPECT_EQ(r.type, ReportType::Hang);
	EXPECT_EQ(r.guilty_frame, "pipe_release");
	EXPECT_EQ(r.start_line, 1u);
	EXPECT_EQ(r.end_line, 20u);
	EXPECT_FALSE(r.corrupted) << r.corrupted_reason;
	EXPECT_EQ(r.source, "kernel");
	ASSERT_EQ(r.stacks.size(), 1u);
	EXPECT_EQ(r.stacks[0].frames.front(), "__schedule");
	EXPECT_EQ(r.stacks[0].frames.size(), 11u); // the "?" frame is dropped
	EXPECT_EQ(r.text.substr(0, 11), "INFO: task ");
}

// Issue 20: a log that ends inside the stack, after the frame the title
// names, holds the whole report as syzkaller judges it; one that ends
// before the stack does not.
TEST(Classify, TruncatedReportIsCorruptedOnlyBeforeItsStack)
{
	std::string log(kHungPipe);
	log.resize(log.find("[  247.125222]")); // cut inside the call trace
	auto reps = classify(log);
	ASSERT_EQ(reps.size(), 1u);
	EXPECT_EQ(reps[0].title, "INFO: task hung in pipe_release");
	EXPECT_FALSE(reps[0].corrupted) << reps[0].corrupted_reason;
	log.resize(log.find("[  247.124555]")); // cut after "Call Trace:", before any frame
	reps = classify(log);
	ASSERT_EQ(reps.size(), 1u);
	EXPECT_EQ(reps[0].title, "INFO: task hung in corrupted");
	EXPECT_TRUE(reps[0].corrupted);
	EXPECT_NE(reps[0].corrupted_reason.find("truncated"), std::string::npos);
}

TEST(Classify, TruncatedBeforeAnyFrameTitlesCorrupted)
{
	auto reps = classify("[  1.0] INFO: task repro:301 blocked for more than 122 seconds.\n"
			     "[  1.1] task:repro state:D\n");
	ASSERT_EQ(reps.size(), 1u);
	EXPECT_EQ(reps[0].title, "INFO: task hung in corrupted");
	EXPECT_TRUE(reps[0].corrupted);
}

TEST(Classify, WorksWithoutTimestampsAndWithCarriageReturns)
{
	std::string log;
	for (const char *p = kHungPipe; *p; p++) {
		if (*p == '\n')
			log += "\r\n";
		else
			log += *p;
	}
	// drop the "[  247.xxxxxx] " prefixes
	std::string plain;
	size_t pos = 0;
	while (pos < log.size()) {
		size_t nl = log.find('\n', pos);
		std::string line = log.substr(pos, nl - pos);
		plain += line.substr(line.find("] ") + 2) + "\n";
		pos = nl + 1;
	}
	for (const auto &l : {log, plain}) {
		auto reps = classify(l);
		ASSERT_EQ(reps.size(), 1u);
		EXPECT_EQ(reps[0].title, "INFO: task hung in pipe_release");
		EXPECT_FALSE(reps[0].corrupted) << reps[0].corrupted_reason;
	}
}

TEST(Classify, AftermathPanicFoldsIntoTheOops)
{
	const char *log = "[ 5.0] BUG: kernel NULL pointer dereference, address: 0000000000000000\n"
			  "[ 5.0] #PF: supervisor write access in kernel mode\n"
			  "[ 5.0] Oops: 0002 [#1] PREEMPT SMP NOPTI\n"
			  "[ 5.0] RIP: 0010:clstest_null+0x5/0x10 [clstest]\n"
			  "[ 5.0] Call Trace:\n"
			  "[ 5.0]  <TASK>\n"
			  "[ 5.0]  clstest_init+0x4a/0x1000 [clstest]\n"
			  "[ 5.0]  do_one_initcall+0x44/0x200\n"
			  "[ 5.0]  </TASK>\n"
			  "[ 5.0] ---[ end trace 0000000000000000 ]---\n"
			  "[ 5.0] RIP: 0010:clstest_null+0x5/0x10 [clstest]\n"
			  "[ 5.0] Kernel panic - not syncing: Fatal exception\n"
			  "[ 5.0] Kernel Offset: disabled\n"
			  "[ 5.0] ---[ end Kernel panic - not syncing: Fatal exception ]---\n";
	auto reps = classify(log);
	ASSERT_EQ(reps.size(), 1u);
	EXPECT_EQ(reps[0].title, "BUG: unable to handle kernel NULL pointer dereference in clstest_null");
	EXPECT_EQ(reps[0].type, ReportType::MemorySafety);
	EXPECT_EQ(reps[0].end_line, 14u);
	EXPECT_FALSE(reps[0].corrupted) << reps[0].corrupted_reason;

	auto alone = classify("[ 5.0] Kernel panic - not syncing: Fatal exception\n");
	ASSERT_EQ(alone.size(), 1u);
	EXPECT_EQ(alone[0].title, "kernel panic: Fatal exception");
	EXPECT_TRUE(alone[0].corrupted);
}

TEST(Classify, SeveralReportsComeInOrder)
{
	std::string log = std::string("[ 1.0] ------------[ cut here ]------------\n"
				      "[ 1.0] WARNING: CPU: 0 PID: 1 at fs/x.c:10 x_warn+0x1/0x2\n"
				      "[ 1.0] RIP: 0010:x_warn+0x1/0x2\n"
				      "[ 1.0] Call Trace:\n"
				      "[ 1.0]  x_caller+0x1/0x2\n"
				      "[ 1.0] ---[ end trace 0000000000000000 ]---\n") +
			  kHungPipe;
	auto reps = classify(log);
	ASSERT_EQ(reps.size(), 2u);
	EXPECT_EQ(reps[0].title, "WARNING in x_warn");
	EXPECT_EQ(reps[0].start_line, 2u);
	EXPECT_EQ(reps[1].title, "INFO: task hung in pipe_release");
	EXPECT_EQ(reps[1].start_line, 7u);
}

TEST(Classify, CallerIdsSeparateInterleavedCpus)
{
	// Another task's output lands inside the report; with printk caller ids
	// its frames must not be taken for the report's.
	const char *log = "[ 9.0][ T301] INFO: task repro:301 blocked for more than 2 seconds.\n"
			  "[ 9.0][ T301] Call Trace:\n"
			  "[ 9.0][ T301]  <TASK>\n"
			  "[ 9.0][  T77]  other_task_function+0x1/0x2\n"
			  "[ 9.0][ T301]  __schedule+0x1/0x2\n"
			  "[ 9.0][  T77]  another_unrelated+0x1/0x2\n"
			  "[ 9.0][ T301]  pipe_release+0x20/0xd0\n"
			  "[ 9.0][ T301]  </TASK>\n";
	auto reps = classify(log);
	ASSERT_EQ(reps.size(), 1u);
	EXPECT_EQ(reps[0].title, "INFO: task hung in pipe_release");
	EXPECT_EQ(reps[0].text.find("other_task_function"), std::string::npos);
}

TEST(Classify, PipewatchRecordIsAHangReport)
{
	const char *log = "[ 30.1] pipewatch: event=pipe_wait id=7 func=pipe_release waiter=repro_closer/302 "
			  "waited_ms=2004 pipe_ino=4567 holder=repro/301 held_ms=2010\n"
			  "[ 30.1] pipewatch: id=7 holder stack:\n"
			  "[ 30.1] some other kernel line\n"
			  "[ 30.1] pipewatch: id=7  iomap_dio_rw+0x10/0x20\n"
			  "[ 30.1] pipewatch: id=7  ext4_file_write_iter+0x1/0x2\n"
			  "[ 30.1] pipewatch: id=7 waiter stack:\n"
			  "[ 30.1] pipewatch: id=7  __mutex_lock.constprop.0+0x1a/0x40\n"
			  "[ 30.1] pipewatch: id=7  pipe_release+0x20/0xd0\n"
			  "[ 30.1] pipewatch: id=7 end\n";
	auto reps = classify(log);
	ASSERT_EQ(reps.size(), 1u);
	const Report &r = reps[0];
	EXPECT_EQ(r.title, "INFO: task hung in pipe_release");
	EXPECT_EQ(r.type, ReportType::Hang);
	EXPECT_EQ(r.source, "pipewatch");
	EXPECT_EQ(r.family, "pipewatch-pipe_wait");
	EXPECT_EQ(r.guilty_frame, "pipe_release");
	EXPECT_FALSE(r.corrupted) << r.corrupted_reason;
	EXPECT_EQ(r.start_line, 1u);
	EXPECT_EQ(r.end_line, 9u);
	EXPECT_EQ(r.fields.at("holder"), "repro/301");
	EXPECT_EQ(r.fields.at("held_ms"), "2010");
	ASSERT_EQ(r.stacks.size(), 2u);
	EXPECT_EQ(r.stacks[0].label, "holder");
	EXPECT_EQ(r.stacks[0].frames, (std::vector<std::string>{"iomap_dio_rw", "ext4_file_write_iter"}));
	EXPECT_EQ(r.stacks[1].label, "waiter");
	EXPECT_EQ(r.text.find("some other kernel line"), std::string::npos);
}

TEST(Classify, PipewatchRecordsInterleaveAndTruncate)
{
	const char *log = "pipewatch: event=hung_task id=1 func=pipe_release waiter=a/1 waited_ms=3000 pipe_ino=0 "
			  "holder=none/0 held_ms=-1\n"
			  "pipewatch: event=pipe_wait id=2 func=pipe_write waiter=b/2 waited_ms=1000 pipe_ino=9 "
			  "holder=c/3 held_ms=1001\n"
			  "pipewatch: id=1 waiter stack:\n"
			  "pipewatch: id=2 waiter stack:\n"
			  "pipewatch: id=1  pipe_release+0x1/0x2\n"
			  "pipewatch: id=1 end\n"
			  "pipewatch: id=2  pipe_write+0x1/0x2\n";
	auto reps = classify(log);
	ASSERT_EQ(reps.size(), 2u);
	EXPECT_EQ(reps[0].title, "INFO: task hung in pipe_release");
	EXPECT_EQ(reps[0].fields.at("event"), "hung_task");
	EXPECT_FALSE(reps[0].corrupted);
	EXPECT_EQ(reps[1].title, "INFO: task hung in pipe_write");
	EXPECT_TRUE(reps[1].corrupted);
}

TEST(Classify, GarbageAndHugeLinesAreHarmless)
{
	std::string log;
	for (int i = 0; i < 256; i++)
		log += static_cast<char>(i);
	log += "\n";
	for (int i = 0; i < 20000; i++)
		log += "INFO: task ";
	log += "\nWARNING: ";
	log += std::string(1 << 20, 'A');
	log += "\n\xff\xfe BUG: kernel NULL pointer dereference\xff, address: 0\n";
	auto t0 = std::chrono::steady_clock::now();
	auto reps = classify(log);
	auto secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
	EXPECT_LT(secs, 5.0);
	ASSERT_FALSE(reps.empty());
	for (const auto &r : reps) {
		EXPECT_LE(r.title.size(), 120u);
		for (char c : r.title + r.text)
			EXPECT_TRUE((c >= 0x20 && c < 0x7f) || c == '\n') << int(c);
	}
}

TEST(Classify, AftermathFarAwayIsItsOwnReport)
{
	std::string log = "[ 1.0] WARNING: CPU: 0 PID: 1 at fs/x.c:10 x_warn+0x1/0x2\n"
			  "[ 1.0] RIP: 0010:x_warn+0x1/0x2\n"
			  "[ 1.0] Call Trace:\n"
			  "[ 1.0]  x_caller+0x1/0x2\n"
			  "[ 1.0] ---[ end trace 0000000000000000 ]---\n";
	for (int i = 0; i < 1500; i++)
		log += "[ 2.0] ordinary line\n";
	log += "[ 3.0] Kernel panic - not syncing: Attempted to kill init! exitcode=0x00000100\n";
	auto reps = classify(log);
	ASSERT_EQ(reps.size(), 2u);
	EXPECT_EQ(reps[0].title, "WARNING in x_warn");
	EXPECT_EQ(reps[0].end_line, 5u);
	EXPECT_EQ(reps[1].title, "kernel panic: Attempted to kill init!");
}

TEST(Classify, InvalidOpcodeAfterKernelBugIsTheSameReport)
{
	const char *log = "[ 1.0] kernel BUG at fs/pipe.c:77!\n"
			  "[ 1.0] invalid opcode: 0000 [#1] PREEMPT SMP NOPTI\n"
			  "[ 1.0] RIP: 0010:pipe_thing+0x1/0x2\n"
			  "[ 1.0] Call Trace:\n"
			  "[ 1.0]  <TASK>\n"
			  "[ 1.0]  caller+0x1/0x2\n"
			  "[ 1.0]  </TASK>\n"
			  "[ 1.0] ---[ end trace 0000000000000000 ]---\n";
	auto reps = classify(log);
	ASSERT_EQ(reps.size(), 1u);
	EXPECT_EQ(reps[0].title, "kernel BUG in pipe_thing");
	EXPECT_FALSE(reps[0].corrupted) << reps[0].corrupted_reason;
	// Without a preceding report, invalid opcode is a report of its own.
	auto alone = classify(std::string(log).substr(std::string(log).find('\n') + 1));
	ASSERT_EQ(alone.size(), 1u);
	EXPECT_EQ(alone[0].title, "invalid opcode in pipe_thing");
}

// ---- issue 20: printk's own line handling, and corruption as a property
// of the whole report (the explicit criteria of docs/classifier.md) ------

namespace {

// "msg|msg|..." with "-" for a line flagged as printk's cut copy or marker.
std::string split_lines_for_test(std::string_view log)
{
	std::string out;
	for (const ConsoleLine &l : split_console(log))
		out += (out.empty() ? "" : "|") + (l.replayed ? std::string("-") : std::string(l.msg));
	return out;
}

std::string with_byte_at(std::string s, std::string_view before, char byte)
{
	s.insert(s.find(before), 1, byte);
	return s;
}

} // namespace

TEST(PrintkLines, ReplayedLineReplacesItsCutCopy)
{
	// Cut inside the timestamp, inside the trace: the trace goes on.
	std::string log = kHungPipe;
	log.replace(log.find("[  247.125111]  pipe_release"), 0,
		    "[  247.1251\n** replaying previous printk message **\n");
	auto reports = classify(log);
	ASSERT_EQ(reports.size(), 1u);
	EXPECT_EQ(reports[0].title, "INFO: task hung in pipe_release");
	EXPECT_FALSE(reports[0].corrupted) << reports[0].corrupted_reason;
	// A marker whose neighbours do not match keeps both lines as they are.
	auto kept = split_lines_for_test("[ 1.0] abc\n** replaying previous printk message **\n[ 1.0] xyz\n");
	EXPECT_EQ(kept, "abc|-|xyz");
	auto dropped = split_lines_for_test("[ 1.0] ab\n** replaying previous printk message **\n[ 1.0] abc\n");
	EXPECT_EQ(dropped, "-|-|abc");
}

TEST(PrintkLines, HeaderSplitByANewlineInATaskNameIsJoined)
{
	const std::string log = "[  9.000001][ T1012] INFO: task \x9c\xd1\n"
				"[  9.000001][ T1012] \xfe:14123 blocked for more than 143 seconds.\n"
				"[  9.000002][ T1012] Call Trace:\n"
				"[  9.000003][ T1012]  __schedule+0x8eb/0x21b0\n"
				"[  9.000004][ T1012]  down_read_killable+0x1e8/0x420\n"
				"[  9.000005][ T1012]  copy_net_ns+0x2a1/0x6e0\n"
				"[  9.000006][ T1012]  create_new_namespaces+0x3f6/0xb20\n";
	auto reports = classify(log);
	ASSERT_EQ(reports.size(), 1u);
	EXPECT_EQ(reports[0].title, "INFO: task hung in copy_net_ns");
	EXPECT_EQ(reports[0].start_line, 1u);
	EXPECT_FALSE(reports[0].corrupted) << reports[0].corrupted_reason;
	// Different decorations: two separate lines, the first a report of its own.
	std::string other = log;
	other.replace(other.find("[  9.000001][ T1012] \xfe"), 12, "[  9.000009]");
	reports = classify(other);
	ASSERT_FALSE(reports.empty());
	EXPECT_NE(reports[0].title, "INFO: task hung in copy_net_ns");
}

TEST(PrintkLines, NulByteBeforeOrInsideAFrameLineKeepsTheFrame)
{
	for (const char *where : {"[  247.125111]  pipe_release", " pipe_release+0x20"}) {
		auto reports = classify(with_byte_at(kHungPipe, where, '\0'));
		ASSERT_EQ(reports.size(), 1u) << where;
		EXPECT_EQ(reports[0].title, "INFO: task hung in pipe_release") << where;
		EXPECT_FALSE(reports[0].corrupted) << where << ": " << reports[0].corrupted_reason;
	}
	// A garbled line later in the trace is skipped, not the trace's end.
	std::string garbled = kHungPipe;
	garbled.replace(garbled.find("__fput"), 6,
			"__f\xff"
			"ut");
	auto reports = classify(garbled);
	ASSERT_EQ(reports.size(), 1u);
	EXPECT_EQ(reports[0].title, "INFO: task hung in pipe_release");
	EXPECT_FALSE(reports[0].corrupted) << reports[0].corrupted_reason;
}

TEST(Corruption, AnotherCallersReportDoesNotCutOne)
{
	const std::string log =
		"[ 1.000001][ T9120] BUG: using __this_cpu_read() in preemptible [00000000] code: a/9120\n"
		"[ 1.000002][ T9133] BUG: using smp_processor_id() in preemptible [00000000] code: b/9133\n"
		"[ 1.000003][ T9120] Call Trace:\n"
		"[ 1.000004][ T9133] Call Trace:\n"
		"[ 1.000005][ T9120]  check_preemption_disabled+0x128/0x130\n"
		"[ 1.000006][ T9133]  check_preemption_disabled+0x128/0x130\n"
		"[ 1.000007][ T9120]  ipcomp_init_state+0x1a5/0x990\n"
		"[ 1.000008][ T9133]  tcp_v4_rcv+0x1a5/0x990\n"
		"[ 1.000009][ T9120]  xfrm_init_state+0x1a/0x70\n"
		"[ 1.000010][ T9133]  ip_rcv+0x1a/0x70\n";
	auto reports = classify(log);
	ASSERT_EQ(reports.size(), 2u);
	EXPECT_EQ(reports[0].title, "BUG: using __this_cpu_read() in preemptible code in ipcomp_init_state");
	EXPECT_EQ(reports[1].title, "BUG: using smp_processor_id() in preemptible code in tcp_v4_rcv");
	EXPECT_FALSE(reports[0].corrupted) << reports[0].corrupted_reason;
	EXPECT_FALSE(reports[1].corrupted) << reports[1].corrupted_reason;
	// Without caller ids it is one stream: the first is cut before its stack.
	std::string plain;
	for (size_t pos = 0; pos < log.size();) {
		size_t nl = log.find('\n', pos);
		std::string line = log.substr(pos, nl - pos);
		size_t caller = line.find("][");
		line.erase(caller + 1, line.find(']', caller + 1) - caller);
		plain += line + "\n";
		pos = nl + 1;
	}
	reports = classify(plain);
	ASSERT_EQ(reports.size(), 2u);
	EXPECT_TRUE(reports[0].corrupted);
	EXPECT_EQ(reports[0].title, "BUG: using __this_cpu_read() in preemptible code in corrupted");
}

// A report that takes every caller's lines (an RCU stall with its NMI
// backtraces) does not take the lines of a report another caller is
// printing at the same time.
TEST(Corruption, AStallDoesNotTakeAnotherCallersReport)
{
	auto reports = classify("[ 1.000001][   T38] INFO: task a:9 blocked for more than 143 seconds.\n"
				"[ 1.000002][    C0] rcu: INFO: rcu_preempt self-detected stall on CPU\n"
				"[ 1.000003][   T38] Call Trace:\n"
				"[ 1.000004][    C0] NMI backtrace for cpu 0\n"
				"[ 1.000005][   T38]  __schedule+0x1/0x2\n"
				"[ 1.000006][    C0] Call Trace:\n"
				"[ 1.000007][   T38]  pipe_release+0x1e/0x110\n"
				"[ 1.000008][    C0]  <IRQ>\n"
				"[ 1.000009][   T38]  __fput+0x90/0x250\n"
				"[ 1.000010][    C0]  __sysvec_apic_timer_interrupt+0x1c/0x60\n"
				"[ 1.000011][    C0]  </IRQ>\n"
				"[ 1.000012][    C0]  <TASK>\n"
				"[ 1.000013][    C0]  asm_sysvec_apic_timer_interrupt+0x1c/0x60\n"
				"[ 1.000014][    C0] RIP: 0010:drv_spin+0x1c/0x60\n"
				"[ 1.000015][    C0]  drv_write+0x1c/0x60\n"
				"[ 1.000016][    C0]  vfs_write+0x1c/0x60\n"
				"[ 1.000017][    C0]  </TASK>\n");
	ASSERT_EQ(reports.size(), 2u);
	EXPECT_EQ(reports[0].title, "INFO: task hung in pipe_release");
	EXPECT_FALSE(reports[0].corrupted) << reports[0].corrupted_reason;
	EXPECT_EQ(reports[1].title, "INFO: rcu detected stall in drv_write");
}

TEST(Corruption, ExplicitCriteria)
{
	// The log ends after the stack: the report is whole (not corrupted).
	std::string hung = kHungPipe;
	hung.resize(hung.find("[  247.125999]  </TASK>"));
	auto reports = classify(hung);
	ASSERT_EQ(reports.size(), 1u);
	EXPECT_FALSE(reports[0].corrupted) << reports[0].corrupted_reason;
	// ... before the stack: corrupted.
	hung.resize(hung.find("[  247.124444]  <TASK>"));
	reports = classify(hung);
	ASSERT_EQ(reports.size(), 1u);
	EXPECT_TRUE(reports[0].corrupted);
	EXPECT_EQ(reports[0].title, "INFO: task hung in corrupted");
	// A WARNING without RIP and call trace is not titled after its header.
	reports = classify("[ 1.0] WARNING: CPU: 0 PID: 1 at fs/pipe.c:672 pipe_poll+0x2f1/0x3a0\n"
			   "[ 1.1] Modules linked in:\n"
			   "[ 1.2] BUG: unable to handle page fault for address: ffffffffff600000\n");
	ASSERT_EQ(reports.size(), 2u);
	EXPECT_EQ(reports[0].title, "WARNING in corrupted");
	EXPECT_TRUE(reports[0].corrupted);
	// A stack of skipped frames that are not machinery names its first frame
	// (here a workqueue request), a stack of machinery alone is corrupted.
	reports = classify("[ 1.0] INFO: task kworker/0:1:9 blocked for more than 143 seconds.\n"
			   "[ 1.1] Call Trace:\n"
			   "[ 1.2]  __schedule+0x1/0x2\n"
			   "[ 1.3]  schedule+0x1/0x2\n"
			   "[ 1.4]  __flush_work+0x1/0x2\n"
			   "[ 1.5]  worker_thread+0x1/0x2\n"
			   "[ 1.6]  kthread+0x1/0x2\n");
	ASSERT_EQ(reports.size(), 1u);
	EXPECT_EQ(reports[0].title, "INFO: task hung in __flush_work");
	EXPECT_FALSE(reports[0].corrupted) << reports[0].corrupted_reason;
	EXPECT_EQ(report_invariant_problem(reports[0]), "");
	// ... also when the hung-task extractor's own skips ("*wait*") took the rest.
	reports = classify("[ 1.0] INFO: task kworker/0:1:9 blocked for more than 143 seconds.\n"
			   "[ 1.1] Call Trace:\n"
			   "[ 1.2]  __schedule+0x1/0x2\n"
			   "[ 1.3]  mydrv_wait_ready+0x1/0x2\n"
			   "[ 1.4]  __flush_work+0x1/0x2\n"
			   "[ 1.5]  kthread+0x1/0x2\n");
	ASSERT_EQ(reports.size(), 1u);
	EXPECT_EQ(reports[0].title, "INFO: task hung in __flush_work");
	EXPECT_EQ(report_invariant_problem(reports[0]), "");
	reports = classify("[ 1.0] INFO: task a:9 blocked for more than 143 seconds.\n"
			   "[ 1.1] Call Trace:\n"
			   "[ 1.2]  __schedule+0x1/0x2\n"
			   "[ 1.3]  mutex_lock_nested+0x1/0x2\n"
			   "[ 1.4]  kthread+0x1/0x2\n");
	ASSERT_EQ(reports.size(), 1u);
	EXPECT_EQ(reports[0].title, "INFO: task hung in corrupted");
	EXPECT_TRUE(reports[0].corrupted); // No last resort without a call trace: a RIP inside an allocator, the
	// trace cut by the next report (found by the fuzzer).
	reports = classify("[ 1.0] WARNING: CPU: 0 PID: 2202 at mm/slab_common.c:996 kmalloc_slab+0x9c/0xb0\n"
			   "[ 1.1] RIP: 0010:kmalloc_slab+0x9c/0xb0 mm/slab_common.c:996\n"
			   "[ 1.2] Call Trace:\n"
			   "[ 1.3] BUG: unable to handle page fault for address: ffffffffff600000\n");
	ASSERT_EQ(reports.size(), 2u);
	EXPECT_EQ(reports[0].title, "WARNING: kmalloc bug in corrupted");
	EXPECT_TRUE(reports[0].corrupted);
}

TEST(TitleForms, RebootOnlyAfterKernelOutputAndExecutorLines)
{
	EXPECT_TRUE(classify("Decompressing Linux... Parsing ELF... done.\nBooting the kernel.\n"
			     "[    0.000000] Linux version 6.1.0\n")
			    .empty());
	auto reports = classify("[    5.000000] reboot: Restarting system\nBooting the kernel.\n");
	ASSERT_EQ(reports.size(), 1u);
	EXPECT_EQ(reports[0].title, "unexpected kernel reboot");
	EXPECT_TRUE(classify("[    0.000000] Booting Linux on physical CPU 0x0000000000 [0x410fd083]\n").empty());
	reports = classify("[   55.100000] Rebooting in 1 seconds..\n"
			   "[    0.000000] Booting Linux on physical CPU 0x0000000000 [0x410fd083]\n");
	ASSERT_EQ(reports.size(), 1u);
	EXPECT_EQ(reports[0].title, "unexpected kernel reboot");
	reports = classify("SYZFAIL: wrong response packet\n (errno 16: Device or resource busy)\n"
			   "panic: runtime error: index out of range [7] with length 4\n");
	ASSERT_EQ(reports.size(), 2u);
	EXPECT_EQ(reports[0].title, "SYZFAIL: wrong response packet");
	EXPECT_EQ(reports[1].title, "go runtime error");
}
