// Behaviour of classify() on small hand-made logs: report boundaries,
// folding of aftermath panics, printk caller demultiplexing, truncation,
// pipewatch records (README contract 2) and hostile input.
#include "report/classifier.h"

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

TEST(Classify, TruncatedReportIsCorrupted)
{
	std::string log(kHungPipe);
	log.resize(log.find("[  247.125222]")); // cut inside the call trace
	auto reps = classify(log);
	ASSERT_EQ(reps.size(), 1u);
	EXPECT_EQ(reps[0].title, "INFO: task hung in pipe_release");
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
